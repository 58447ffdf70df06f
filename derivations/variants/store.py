"""`NAME.variants.json`: the pool as released, values included, read back safely.

The file records each variant's givens *and* its answers, so that a later release of
derive or sympy cannot silently change what students already have: grading re-solves
a stored variant from its givens and refuses to go on if any answer moved.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

from derivations import __version__
from derivations.errors import DerivationsError
from derivations.sheet.model import Sheet
from derivations.solver import engine
from derivations.solver.solution import Solution
from derivations.variants.draw import from_written
from derivations.variants.pool import Pool, VariantsError, answers_json

FORMAT = 1
VARIANT_ID = re.compile(r"^v\d{2,4}$")
SAME = 1e-9  # relative difference under which a re-solved answer is the stored one


@dataclass(frozen=True)
class StoredVariant:
    id: str
    givens: dict[str, str]
    answers: dict[str, Any]  # answer id -> {"value", "unit", "display"}


def pool_json(sheet: Sheet, pool: Pool) -> str:
    """The JSON text of a pool (deterministic: no time, no path, fixed order)."""
    assert sheet.variants is not None
    data = {"sheet": sheet.name, "salt": sheet.variants.salt, "version": __version__,
            "format": FORMAT,
            "variants": [{"id": v.id, "draw": v.index, "givens": v.givens,
                          "answers": v.answers} for v in pool.variants]}
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def read_pool(text: str, file: str, sheet: Sheet) -> dict[str, StoredVariant]:
    """Variant id -> stored variant, after checking the file belongs to `sheet`."""
    def fail(where: str, message: str) -> DerivationsError:
        return VariantsError(f"{file}: [{where}] {message}" if where else f"{file}: {message}")

    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise fail("", f"not a variants file (JSON: {exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("variants"), list):
        raise fail("", "not a variants file: expected {\"sheet\", \"salt\", \"variants\": [...]}"
                   " as written by derive variants")
    if data.get("sheet") != sheet.name:
        raise fail("sheet", f"written for sheet {data.get('sheet')!r}, not {sheet.name!r}")
    if sheet.variants is None or data.get("salt") != sheet.variants.salt:
        raise fail("salt", "the sheet's [variants] salt differs from the one this pool was "
                   "drawn with")
    found: dict[str, StoredVariant] = {}
    for number, item in enumerate(data["variants"]):
        where = f"variants[{number}]"
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) \
                or not VARIANT_ID.match(item["id"]):
            raise fail(where, "each variant needs an id such as \"v07\"")
        givens, answers = item.get("givens"), item.get("answers")
        if not isinstance(givens, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in givens.items()):
            raise fail(f"{where}.givens", "expected {name: value as text}")
        if not isinstance(answers, dict) or not all(
                isinstance(v, dict) and "value" in v for v in answers.values()):
            raise fail(f"{where}.answers", "expected {answer id: {value, unit, display}}")
        if item["id"] in found:
            raise fail(where, f"variant {item['id']} appears twice")
        found[item["id"]] = StoredVariant(item["id"], givens, answers)
    return found


def solve_stored(sheet: Sheet, stored: StoredVariant, file: str) -> Solution:
    """Re-solve a stored variant and check every answer is the one it was released with.

    Held to 50 digits where the exact value would be a radical, as when the pool was
    drawn (`solver.approximate`): the check is to 1e-9, and grading or exporting a pool
    of a thousand variants solves each of them."""
    try:
        solution = engine.solution_of(from_written(sheet, stored.givens), approximate=True)
    except KeyError as exc:
        raise VariantsError(f"{file}: variant {stored.id} sets {exc.args[0]!r}, which is not a "
                            "random given of the sheet") from None
    except DerivationsError as exc:
        raise VariantsError(f"{file}: variant {stored.id} no longer solves: {exc}") from None
    now = answers_json(solution)
    for aid, kept in stored.answers.items():
        if aid not in now:
            raise VariantsError(f"{file}: variant {stored.id} has answer {aid}, which the sheet "
                                "no longer asks for")
        if not same(now[aid]["value"], kept["value"]):
            raise VariantsError(
                f"{file}: variant {stored.id} changed since it was released: {aid} is now "
                f"{now[aid]['display']}, was {kept.get('display', kept['value'])}; grade with "
                "the derive release that wrote the pool, or write a new pool")
    return solution


def same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(a, b, rel_tol=SAME, abs_tol=0.0) or a == b
    return False
