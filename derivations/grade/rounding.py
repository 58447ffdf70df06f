"""Correct-with-rounding, exactly: what an answer becomes when one intermediate was rounded.

The README's definition: an answer is correct-with-rounding when it is explained by
rounding one intermediate to 3 or 4 significant figures. An intermediate is an earlier
answer (`E1.L`, `E2.D_new`) or a given computed from others (`L = "0.99 * L0"`);
numbers written in the sheet, and other names for them (`d_in = "d_model"`), are not
intermediates: a student copies them. Rounding one value to 3 or 4 figures gives one value
each, or two at a tie (half up and half down), in the canonical unit and in each unit
the answer is shown in; each is followed exactly through the answer's closed form,
and an answer is accepted when it holds to its own figures at one of those points
(`read.judge`), never in a band wider than those roundings produce. Earlier answers
carry their own rounded values along, so rounding `E1.L` reaches `E2.D_new` and
`E2.C_new` behind it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from derivations.library.units import UNITS, best_byte_units
from derivations.numbers import round_figures, to_float
from derivations.sheet.model import Ask, Sheet
from derivations.solver.solution import Answer

#: The significant figures an intermediate may be rounded to and still count as a
#: careful rounding: 3 or 4 (coarser is a slip, finer moves no answer past 0.1%).
FIGURES = (3, 4)


@dataclass(frozen=True)
class Rounded:
    """The answer's value when intermediate `name` is rounded to 3 or 4 figures."""

    value: float
    name: str


def unit_factors(unit: str, display_unit: str, value: float) -> list[float]:
    """Canonical units per unit for each unit a value may be written in (1 = canonical)."""
    names = [display_unit] + (list(best_byte_units(value)) if unit == "byte" else [])
    factors = [1.0] + [float(UNITS[n].factor) for n in names if n in UNITS]
    return list(dict.fromkeys(factors))


def roundings(value: float, factors: list[float]) -> list[float]:
    """`value` rounded to 3 and to 4 significant figures in each unit: the nearest
    value, with a tie going either way (half up and half down)."""
    found: list[float] = []
    for factor in factors:
        shown = value / factor
        if not shown or not math.isfinite(shown):
            continue
        for figures in FIGURES:
            step = 10.0 ** (math.floor(math.log10(abs(shown))) - (figures - 1))
            scaled = shown / step
            half_up, half_down = math.floor(scaled + 0.5), math.ceil(scaled - 0.5)
            for rounded in {half_up * step, half_down * step}:
                canonical = float(round_figures(Decimal(rounded), figures + 1)) * factor
                if abs(canonical - value) > 1e-12 * abs(value):
                    found.append(canonical)
    return list(dict.fromkeys(found))


def computed_inputs(answer: Answer, ask: Ask, sheet: Sheet) -> list[str]:
    """The answer's inputs that are intermediates without being answers: givens (or
    bindings) computed from other values rather than written as a number."""
    problem = sheet.problem(answer.problem)
    names = []
    for name in answer.inputs:
        parsed = ask.bind.get(name)
        if parsed is None:
            given = problem.given.get(name) or sheet.given.get(name)
            parsed = given.expr if given is not None else None
        if parsed is None or _is_literal(parsed.text) or parsed.text.strip().isidentifier():
            continue  # a number as written, or another name for one (`d_in = "d_model"`)
        if any("." in n or n in {a.id for a in problem.asks} for n in parsed.names):
            continue  # bound to an answer: that answer is the intermediate
        names.append(name)
    return names


def _is_literal(text: str) -> bool:
    try:
        float(text.replace("_", ""))
    except ValueError:
        return text.strip().startswith("[")
    return True


def rounded_values(answer: Answer, direct: tuple[Callable[..., float], list[str]] | None,
                   computed: list[str], carried: tuple[Callable[..., float], list[str]] | None,
                   earlier: dict[str, Any], integer: Callable[[float], float] | None
                   ) -> list[Rounded]:
    """Every value the answer takes when one intermediate is rounded (see module doc).

    Args:
        direct: the closed form as a float function of its inputs, by name.
        computed: the inputs that are computed givens.
        carried: the answer as a function of the earlier answers it uses.
        earlier: answer keys before this one (with their own `rounded` values).
        integer: the ask's whole-number rounding, applied to `direct` values.
    """
    found: list[Rounded] = []
    if direct is not None and computed:
        function, names = direct
        base = {n: to_float(answer.inputs[n]) for n in names}
        for name in computed:
            for value in roundings(base[name], [1.0]):
                result = apply_safely(function, [value if n == name else base[n] for n in names])
                if result is not None:
                    found.append(Rounded(integer(result) if integer else result, name))
    if carried is not None:
        function, upstream = carried
        if all(aid in earlier and isinstance(earlier[aid].expected, float) for aid in upstream):
            base_list = [earlier[aid].expected for aid in upstream]
            for index, aid in enumerate(upstream):
                key = earlier[aid]
                options = [Rounded(v, aid) for v in roundings(
                    key.expected, unit_factors(key.unit, key.display_unit, key.expected))]
                for option in options + list(key.rounded):
                    moved = list(base_list)
                    moved[index] = option.value
                    result = apply_safely(function, moved)
                    if result is not None:
                        found.append(Rounded(result, option.name))
    expected = to_float(answer.value) if not isinstance(answer.value, bool | tuple) else 0.0
    unique = {(round(r.value, 12), r.name): r for r in found
              if abs(r.value - expected) > 1e-12 * abs(expected)}
    return list(unique.values())


def apply_safely(function: Callable[..., float], args: list[float]) -> float | None:
    """`function(*args)` as a finite float, or None when it fails or is not finite."""
    try:
        value = float(function(*args))
    except (ValueError, ZeroDivisionError, OverflowError, TypeError):
        return None
    return value if math.isfinite(value) else None
