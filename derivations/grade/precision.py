"""The precision of numbers: figures written, relative precision, figures supported.

Pure arithmetic for the figures policy (`grade.figures` has the rule and the marking);
answer keys use it to record which givens are measured, so it imports nothing of
grading.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from derivations.numbers import figures as to_figures
from derivations.present.printing import digits_markup
from derivations.read import answer as parsing


@dataclass(frozen=True)
class Input:
    """One measured input of an answer: its name, the answer's elasticity to it, and
    the significant figures it is written to."""

    name: str
    elasticity: float
    written: int


@dataclass(frozen=True)
class Supported:
    """The figures an answer supports, and the input that limits it most."""

    figures: int
    limit: Input | None = None


def measured(text_written: str) -> int | None:
    """The significant figures of a number as written in a sheet, or None when it is
    exact.

    The convention for written numbers: every digit of a number in scientific notation
    or with a decimal point is significant (`6.7e10`, `67e9` and `1.69` have 2, 2 and 3
    figures); a whole number written out (`2048`, `96`) is a count or a definition,
    and exact."""
    stripped = text_written.strip().replace("_", "")
    if "." not in stripped and "e" not in stripped.lower():
        return None
    try:
        value = Decimal(stripped)
    except InvalidOperation:
        return None
    if not value.is_finite() or not value:
        return None
    return len("".join(map(str, value.as_tuple().digits)).lstrip("0")) or 1


def written_figures(parsed: parsing.Number) -> int | None:
    """The significant figures a student wrote (None: an exact form such as `2^14`).
    Trailing zeros of a whole number written without a point are not counted."""
    if not parsed.half or not parsed.value:
        return None
    value, half = abs(parsed.value), abs(parsed.half)
    if value.denominator == 1 and half == Fraction(1, 2) and not _POINTED.search(parsed.text):
        whole = value.numerator
        while whole % 10 == 0:
            whole //= 10
        return len(str(whole))
    return max(_exponent(float(value)) - _exponent(float(2 * half)) + 1, 1)


#: A decimal point, an exponent or a power of ten: the last place is as written.
_POINTED = re.compile(r"\.\d|\d\s*[eE][+-]?\d|\^|×|\\times|\\num|\\SI|\\qty")


def _exponent(value: float) -> int:
    return math.floor(math.log10(abs(value)))


def supported(fixed: int | str | None, value: float, inputs: list[Input]) -> Supported | None:
    """The figures `value` may be written to under the policy (None: the tolerance
    decides: no policy, or derived with no measured input).

    Derived: each input allows its own figures, less one for each power of ten in the
    answer's elasticity to it (floor(log10 |e|)); the answer keeps the fewest. For a
    product or quotient (elasticities of 1) that is the textbook rule; an answer that
    reacts 66-fold to an input written to 3 figures keeps 2; one that hardly reacts
    to an input (e = 0.02) is not limited by it."""
    if isinstance(fixed, int):
        return Supported(fixed)
    if fixed != "derived" or not value:
        return None
    # + 1e-6: an elasticity of 1 found by a difference may read 0.9999999
    limits = [(i.written - math.floor(math.log10(abs(i.elasticity)) + 1e-6), i)
              for i in inputs if i.elasticity and math.isfinite(i.elasticity)]
    if not limits:
        return None
    figures, limit = min(limits, key=lambda item: item[0])
    return Supported(min(max(figures, 1), 15), limit)


def rounded(value: float, figures: int) -> float:
    """`value` to `figures` significant figures (half away from zero)."""
    if not value:
        return 0.0
    step = 10.0 ** (_exponent(value) - figures + 1)
    return math.copysign(math.floor(abs(value) / step + 0.5), value) * step


def shown(value: float, figures: int) -> str:
    """`value` to `figures` significant figures, as prose markup."""
    return f"${digits_markup(to_figures(rounded(value, figures), figures))}$"
