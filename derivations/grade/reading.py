"""Reading a parsed answer for the question it answers: what only the question decides.

The parser (`grade.answers`) reads text without knowing the question; some forms are
only meaningful once it is known:
  `94.47B` for a parameter or token count means 94.47 billion, not bytes;
  `1.9e4 PFLOP-days` for a FLOP question is 1.9e4 x 8.64e19 FLOP;
  `1,896` is 1896 or 1.896: the reading closer to the expected value wins, and the
  feedback says when the decimal comma was used.
"""

from __future__ import annotations

import dataclasses
import math
from fractions import Fraction

from derivations.grade import answers as parsing
from derivations.grade.keys import AnswerKey
from derivations.library.units import UNITS

PFLOP_DAY = Fraction(10**15 * 86400)
COUNTS = ("parameter", "token", "FLOP", "sample", "step")


def read_for(key: AnswerKey, parsed: parsing.Parsed | None) -> tuple[parsing.Parsed | None, str]:
    """`parsed` adjusted to the question, and a note for the feedback ('' if none)."""
    if not isinstance(parsed, parsing.Number):
        return parsed, ""
    if parsed.unit == "B" and key.unit in COUNTS:
        scaled = dataclasses.replace(parsed, value=parsed.value * 10**9, unit=key.unit)
        return scaled, ""
    if parsed.unit is not None and UNITS[parsed.unit].canonical == "PFLOP-day" \
            and key.unit == "FLOP":
        return dataclasses.replace(parsed, value=parsed.value * PFLOP_DAY, unit="FLOP"), ""
    if parsed.unit is not None and UNITS[parsed.unit].canonical == "FLOP" \
            and key.unit == "PFLOP-day":
        factor = UNITS[parsed.unit].factor
        return dataclasses.replace(parsed, value=parsed.value * factor / PFLOP_DAY,
                                   unit="PFLOP-day"), ""
    if parsed.decimal_comma is not None and isinstance(key.expected, float):
        if _distance(key, parsed.decimal_comma, parsed.unit) < _distance(key, parsed.value,
                                                                          parsed.unit):
            note = f"Read {parsed.text.strip()} with a decimal comma. "
            return dataclasses.replace(parsed, value=parsed.decimal_comma,
                                       decimal_comma=None), note
    return parsed, ""


def _distance(key: AnswerKey, value: Fraction, unit: str | None) -> float:
    """How far a reading is from the expected value, in orders of magnitude."""
    known = UNITS.get(unit or key.display_unit)
    number = float(value * (known.factor if known is not None else 1))
    if number == 0 or key.expected == 0 or (number > 0) != (key.expected > 0):
        return math.inf
    return abs(math.log10(abs(number / key.expected)))
