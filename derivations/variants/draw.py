"""Drawing one variant's givens: a hash of (salt, variant index, given name).

Why a hash: the draw is then independent of the order of the `[random]` keys, of
Python's `random` and of the sympy version, and any one value can be recomputed
alone. Values are exact decimals on the range's grid (or a choice as written), so the
number printed is the number solved.
"""

from __future__ import annotations

import dataclasses
import hashlib
from decimal import Decimal, localcontext

from derivations.numbers import decimal_text
from derivations.sheet.expr import parse
from derivations.sheet.model import Given, RandomGiven, Sheet


def position(salt: str, index: int, name: str, size: int) -> int:
    """A number in 0 .. size - 1 from sha256(salt | index | name)."""
    digest = hashlib.sha256(f"{salt}|{index}|{name}".encode()).digest()
    return int.from_bytes(digest, "big") % size


def grid_value(random: RandomGiven, k: int) -> Decimal:
    """The k-th allowed value of a range (excluded positions skipped)."""
    for excluded in sorted(random.exclude):
        if excluded <= k:
            k += 1
    with localcontext() as context:
        context.prec = 200
        return random.start + random.step * k


def drawn_given(random: RandomGiven, base: Given, salt: str, index: int) -> tuple[str, Given]:
    """The given `random` takes in variant `index`, and how it is written in the JSON."""
    k = position(salt, index, random.name, random.size)
    if random.choices:
        chosen = random.choices[k]
        return (chosen.label or number_text(chosen.expr.text)), chosen
    text = decimal_text(grid_value(random, k))
    return text, Given(base.name, parse(text), base.unit, base.label
                       if base.unit != "byte/parameter" else "", base.key)


def with_givens(sheet: Sheet, replaced: dict[str, Given]) -> Sheet:
    """The sheet with some givens replaced (`N`, or `E1.N` for a problem's given)."""
    top = {n: g for n, g in replaced.items() if "." not in n}
    sheet = dataclasses.replace(sheet, given={**sheet.given, **top})
    local = {n: g for n, g in replaced.items() if "." in n}
    if not local:
        return sheet
    problems = []
    for problem in sheet.problems:
        mine = {n.split(".", 1)[1]: g for n, g in local.items()
                if n.split(".", 1)[0] == problem.id}
        problems.append(dataclasses.replace(problem, given={**problem.given, **mine})
                        if mine else problem)
    return dataclasses.replace(sheet, problems=tuple(problems))


def ordered(sheet: Sheet) -> list[RandomGiven]:
    """The random givens in the order the sheet lists its givens (sheet givens first),
    whatever the order of the `[random]` table: the JSON and the key follow it."""
    places = {name: i for i, name in enumerate(sheet.given)}
    for problem in sheet.problems:
        for name in problem.given:
            places.setdefault(f"{problem.id}.{name}", len(places))
    return sorted(sheet.random, key=lambda r: (places.get(r.name, len(places)), r.name))


def fixed(sheet: Sheet) -> dict[str, str]:
    """The default variant v00's random givens, as written in the sheet."""
    from derivations.sheet.randomness import fixed_given

    written = {}
    for random in ordered(sheet):
        base = fixed_given(random.name, sheet.given, sheet.problems)
        assert base is not None  # checked when the sheet was read
        written[random.name] = base.label or number_text(base.expr.text)
    return written


def number_text(text: str) -> str:
    """A number as `decimal_text` writes it (`6.7E+10` -> `6.7e10`); other text as is."""
    try:
        return decimal_text(Decimal(text))
    except ArithmeticError:
        return text


def draw(sheet: Sheet, index: int) -> tuple[Sheet, dict[str, str]]:
    """Variant number `index` of the sheet: the sheet with its random givens drawn, and
    the drawn values as written (name -> text)."""
    from derivations.sheet.randomness import fixed_given

    assert sheet.variants is not None
    replaced: dict[str, Given] = {}
    written: dict[str, str] = {}
    for random in ordered(sheet):
        base = fixed_given(random.name, sheet.given, sheet.problems)
        assert base is not None
        written[random.name], replaced[random.name] = drawn_given(
            random, base, sheet.variants.salt, index)
    return with_givens(sheet, replaced), written


def from_written(sheet: Sheet, written: dict[str, str]) -> Sheet:
    """A stored variant's sheet, from the givens its JSON file records."""
    by_name = {r.name: r for r in sheet.random}
    from derivations.sheet.randomness import fixed_given

    replaced = {}
    for name, text in written.items():
        random = by_name.get(name)
        base = fixed_given(name, sheet.given, sheet.problems)
        if random is None or base is None:
            raise KeyError(name)
        named = [c for c in random.choices if c.label and c.label == text]
        replaced[name] = named[0] if named else Given(
            base.name, parse(text), base.unit, "" if base.unit == "byte/parameter"
            else base.label, base.key)
    return with_givens(sheet, replaced)
