"""A value as a reader sees it: digits in a unit, a vector, or a truth value.

Plain data, computed once by `present.display` and spelled by each target's speller
(`present.text`, `present.printing` for LaTeX and prose markup, `present.mathml`):
the data never spells itself, so no output can round or format a number its own way.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from derivations.library.units import CANONICAL, UNITS
from derivations.numbers import Digits, digits, not_spelled


@dataclass(frozen=True)
class Shown:
    """One value in one unit, rounded for display."""

    digits: Digits
    unit: str

    __str__ = not_spelled


@dataclass(frozen=True)
class Displayed:
    """An answer or given as a reader sees it: a truth value, a vector, or equal values.

    Attributes:
        values: one value in one or more units, written joined by `=`
            (`350 GB = 325.96 GiB`).
        items: the entries of a vector, each in `unit`.
        unit: the unit written once after a vector.
        truth: the verdict of a true/false answer.
    """

    values: tuple[Shown, ...] = ()
    items: tuple[Shown, ...] = ()
    unit: str = ""
    truth: bool | None = None

    __str__ = not_spelled


def scaled(value: sp.Expr, unit: str) -> sp.Expr:
    """`value` (canonical) expressed in display unit `unit`, exactly."""
    factor = UNITS[unit].factor if unit in UNITS else 1
    return value / sp.Rational(factor.numerator, factor.denominator) if factor != 1 else value


def in_unit(value: sp.Expr, unit: str, sig: int) -> Shown:
    """`value` (canonical) expressed in display unit `unit`, to `sig` figures."""
    return Shown(digits(scaled(value, unit), sig), unit)


def unit_label(unit: str) -> str:
    """How a unit is written next to a number ('' for pure numbers)."""
    if unit in ("1", ""):
        return ""
    return CANONICAL.get(unit, unit)


#: Unit words with a singular form (the rest, B, GB, s, FLOP, are symbols and do not
#: change): their plural, as CANONICAL writes them, and their singular.
_SINGULAR = {"tokens": "token", "parameters": "parameter", "epochs": "epoch",
             "steps": "step", "samples": "sample", "GPUs": "GPU", "GPU-hours": "GPU-hour",
             "PFLOP-days": "PFLOP-day", "tokens/s": "token/s"}
_PLURAL = {"day": "days"}  # display units written in the singular


def shown_unit(shown: Shown) -> str:
    """The unit as it reads after these digits: "1 sample", "8 samples", "31.35 days".

    English plural rule (CLDR, `one: i = 1 and v = 0`): singular only for exactly one
    written without decimals; "1.0 samples" and "0 samples" stay plural.
    """
    label = unit_label(shown.unit)
    one = shown.digits.mantissa.lstrip("-−") == "1" and shown.digits.exponent == 0
    if one:
        return _SINGULAR.get(label, label)
    return _PLURAL.get(label, label)

