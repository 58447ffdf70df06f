"""What the sheet knows of each variant: its answers, their closed forms, the values of
the known mistakes and the tolerances, solved once per variant for the analysis.

A class without variants has one entry, "" (the sheet as written). A pool is read and
each variant re-solved and checked against what was released (`variants.store`), as
grading does, so the analysis never compares with numbers the students did not have.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from derivations.files import read_text
from derivations.grade.grader import Grader
from derivations.grade.keys import AnswerKey
from derivations.sheet.model import Sheet
from derivations.solver.solution import Solution
from derivations.variants.store import StoredVariant, read_pool, solve_stored


@dataclass(frozen=True)
class Known:
    """One variant: `keys` has every numeric answer's key (right value, tolerance,
    known mistakes' values)."""

    id: str
    solution: Solution
    keys: dict[str, AnswerKey]
    givens: dict[str, str] = field(default_factory=dict)  # the drawn givens, as written

    def right(self, aid: str) -> float | None:
        key = self.keys.get(aid)
        return key.expected if key is not None else None


def tolerance(key: AnswerKey) -> float:
    """How near two values must be to be the same answer: the sheet's tolerance (a
    whole-number answer is marked exactly, but 26.9 GPUs is still 26.875)."""
    return max(key.tolerance, key.slip_tolerance, 1e-9)


def pool_variants(sheet: Sheet, pool: Path) -> dict[str, StoredVariant]:
    """The variants of a pool file, checked to belong to `sheet`."""
    return read_pool(read_text(pool), str(pool), sheet)


def known_variants(sheet: Sheet, written: Solution,
                   pool: tuple[Path, dict[str, StoredVariant]] | None,
                   step: Callable[[], None] | None = None) -> dict[str, Known]:
    """Variant id -> what is known of it; `written` is the sheet as written (used
    when there is no pool: (file, its variants)). `step` is called after each variant
    is solved."""
    if pool is None:
        return {"": _known("", written, {})}
    path, stored = pool
    found = {}
    for vid, variant in stored.items():
        found[vid] = _known(vid, solve_stored(sheet, variant, str(path)), variant.givens)
        if step is not None:
            step()
    return found


def _known(vid: str, solution: Solution, givens: dict[str, str]) -> Known:
    keys = Grader(solution, mistakes_only=True).keys
    numeric = {aid: k for aid, k in keys.items()
               if k.kind == "number" and math.isfinite(k.expected)}
    return Known(vid, solution, numeric, givens)
