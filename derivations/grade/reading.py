"""Reading an answer for the question it answers: what only the question decides.

The reader (`read.answer`) reads text without knowing the question; some forms are
only meaningful once it is known:
  `94.47B` for a parameter or token count means 94.47 billion, not bytes;
  `1.9e4 PFLOP-days` for a question asked in PFLOP-days stays in PFLOP-days;
  `312 TFLOPS` is a rate for a FLOP/s question and a count otherwise;
  `1,896` is 1896 or 1.896, `62.500` is 62.5 or 62 500: the reading a marking path
  explains wins (the answer or a rounding of it, then a known mistake), else the one
  closer to the expected value, and the feedback says when the other one was used;
  a bare number restated with a unit (`0.375 (= 37.5 %)`) is read in the unit that
  makes the two agree.
`canonical` gives the value in the answer's canonical unit, and `contradiction` the
restatement that disagrees with the answer (`350 GB (999 GiB)`), judged by the one
judge of figures written (`read.judge`).
"""

from __future__ import annotations

import dataclasses
import math
from fractions import Fraction

from derivations.grade.keys import AnswerKey
from derivations.library.units import UNITS
from derivations.read import answer as parsing
from derivations.read.judge import figures_agree
from derivations.read.units import UnitWord

PFLOP_DAY = Fraction(10**15 * 86400)
COUNTS = ("parameter", "token", "FLOP", "sample", "step")


def read_for(key: AnswerKey, parsed: parsing.Reading | None
             ) -> tuple[parsing.Reading | None, str]:
    """`parsed` adjusted to the question, and a note for the feedback ('' if none)."""
    if not isinstance(parsed, parsing.Number):
        return parsed, ""
    unit = parsed.unit
    if unit is not None and unit.word == "B" and key.unit in COUNTS:
        return dataclasses.replace(parsed, value=parsed.value * 10**9,
                                   unit=_key_unit(key, 1)), ""
    if unit is not None and unit.canonical == "FLOP" and key.unit == "PFLOP-day":
        return dataclasses.replace(parsed, unit=UnitWord(
            unit.word, "PFLOP-day", unit.factor / PFLOP_DAY, "FLOP")), ""
    if unit is not None and unit.rate_or_count and key.unit == "FLOP/s":
        return dataclasses.replace(parsed, unit=UnitWord(unit.word, "FLOP/s", unit.factor,
                                                         "rate")), ""
    if unit is None and parsed.restated:
        parsed = _bare_unit_from_restatement(key, parsed)
    other = parsed.alternative
    if other is not None and parsed.value and isinstance(key.expected, float):
        if _distance(key, other, parsed.unit) < _distance(key, parsed.value, parsed.unit):
            how = "with a decimal comma" if abs(other) < abs(parsed.value) else \
                "with a period between groups of thousands"
            note = f"Read {parsed.text.strip()} {how}. "
            return dataclasses.replace(parsed, value=other, alternative=None,
                                       half=abs(parsed.half * other / parsed.value)), note
    return parsed, ""


def factor_of(key: AnswerKey, unit: UnitWord | None) -> Fraction:
    """Canonical units per unit of a number written in `unit` (the question's display
    unit for a bare number)."""
    if unit is not None:
        return unit.factor
    known = UNITS.get(key.display_unit)
    return known.factor if known is not None else Fraction(1)


def canonical(key: AnswerKey, parsed: parsing.Reading | None) -> float | None:
    """The student's number in the answer's canonical unit (None if not a number).

    A bare number is read in the unit the question is asked in (28 for a GB
    question means 28 GB)."""
    if not isinstance(parsed, parsing.Number):
        return None
    value = float(parsed.value * factor_of(key, parsed.unit))
    return value if math.isfinite(value) else None


def contradiction(key: AnswerKey, parsed: parsing.Number) -> str:
    """The first restatement that disagrees with the answer, as feedback ('' when all
    agree). A restatement in another kind of unit (`7.5e12 tokens (6 weeks)`) says
    something else and is not compared."""
    main = _scaled(parsed.value, parsed.half, factor_of(key, parsed.unit))
    for other in parsed.restated:
        if other.unit is not None and parsed.unit is not None and \
                other.unit.canonical != parsed.unit.canonical:
            continue
        if other.unit is not None and parsed.unit is None and \
                other.unit.canonical != key.unit and other.unit.canonical != "1":
            continue
        readings = [other.unit.factor] if other.unit is not None else \
            [factor_of(key, parsed.unit), Fraction(1)]
        if any(figures_agree(main, _scaled(other.value, other.half, factor), other.relation,
                             key.tolerance) for factor in readings):
            continue
        return (f"Your answer gives two values that disagree: {parsed.text.strip()} "
                f"restates it as {other.text}. ")
    return ""


def _bare_unit_from_restatement(key: AnswerKey, parsed: parsing.Number) -> parsing.Number:
    """`0.375 (= 37.5 %)`: a bare number in the unit that makes it agree with a
    restatement that names a unit of the question's kind."""
    for other in parsed.restated:
        if other.unit is None or other.unit.canonical not in (key.unit, "1"):
            continue
        target = _scaled(other.value, other.half, other.unit.factor)
        for factor in (factor_of(key, None), Fraction(1), other.unit.factor):
            if figures_agree(_scaled(parsed.value, parsed.half, factor), target, "=", 0.0):
                return dataclasses.replace(parsed, unit=UnitWord(
                    "", other.unit.canonical, factor, other.unit.kind))
    return parsed


def _scaled(value: Fraction, half: Fraction, factor: Fraction) -> tuple[Fraction, Fraction]:
    """A written figure in the canonical unit: (value, half a unit in its last place)."""
    return value * factor, abs(half * factor)


def _key_unit(key: AnswerKey, factor: int) -> UnitWord:
    return UnitWord("", key.unit, Fraction(factor), "count")


def _distance(key: AnswerKey, value: Fraction, unit: UnitWord | None) -> tuple[int, float]:
    """How far a reading is from what a marking path gives: first whether a path
    explains it (0: the answer or a rounding; 1: a known mistake; 2: none), then its
    distance from the expected value in orders of magnitude.

    Why the paths first: `8.125 GB` for a 520 GB answer is the known reciprocal
    mistake as written; read as 8 125 GB it is merely nearer, and explains nothing."""
    number = float(value * factor_of(key, unit))
    if number == 0 or key.expected == 0 or (number > 0) != (key.expected > 0):
        return 2, math.inf
    rank = 2
    if _near(number, [key.expected, *(r.value for r in key.rounded)], key.tolerance):
        rank = 0
    elif _near(number, [s.value for s in key.slips], max(key.tolerance, key.slip_tolerance)):
        rank = 1
    return rank, abs(math.log10(abs(number / key.expected)))


def _near(number: float, values: list[float], tolerance: float) -> bool:
    return any(abs(number - v) <= max(tolerance, 1e-9) * abs(v) for v in values)
