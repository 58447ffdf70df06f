"""What a number or a symbol written in a derivation may stand for.

Rule 2 of the judge (`read.judge`): a figure that may be a rounded intermediate ranges
between the value written and the exact value it rounds, when that is known: an
earlier result of the write-up (found by its significant digits: `6.48` for
6.48 × 10^12), or a value of the sheet it rounds to; otherwise over its own rounding
(`0.4516` is 0.45155 .. 0.45165). Whole numbers (`6`, `96`, `10^9`, `67e9`) and the
sheet's givens as written (`4.1e12`) are exact. A symbol the write-up gave a value
ranges between the figure written for it and the value computed before rounding.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import mpmath

from derivations.read.judge import Env, Interval, span
from derivations.read.nodes import Node, Num
from derivations.read.values import mpf
from derivations.work.judging.explain import Earlier
from derivations.work.writeup.chains import power_of_ten, significand

_DECIMAL = re.compile(r"^[^eE×]*?\d[.,]\d|^[^eE×]*\{,\}\d")


@dataclass
class Value:
    """What the write-up last gave a quantity: as written, as computed, where, the
    earlier false line it depends on (if any), and the exact value it stands for."""

    value: mpmath.mpf
    exact: mpmath.mpf
    line: int
    taint: int | None
    text: str
    true: mpmath.mpf | None = None


class Ranges:
    """Ranges of the figures and symbols of one write-up, from what it wrote before
    (`results`, by significant digits; `values`, by quantity key) and the sheet's
    values (`sheet`)."""

    def __init__(self, sheet: list[mpmath.mpf],
                 results: dict[str, tuple[Earlier, int | None]],
                 values: dict[str, Value]) -> None:
        self.sheet, self.results, self.values = sheet, results, values
        self._exact = {Fraction(str(v)) for v in sheet if v == mpmath.nint(v) or
                       len(mpmath.nstr(v, 20).rstrip("0")) < 12}

    def literal(self, number: Num) -> Interval | None:
        """The range of a written figure (None: exact)."""
        if not self.rounded(number):
            return None
        written = mpf(number.value)
        true = self.true_literal(number)
        if true is not None:
            return _hull(written, true)
        half = mpf(number.half)
        return written - half, written + half

    def rounded(self, number: Num) -> bool:
        """May this figure be a rounded value? A decimal that is not a given as written."""
        return bool(number.half) and bool(_DECIMAL.match(number.text)) and \
            number.value not in self._exact

    def true_literal(self, number: Num) -> mpmath.mpf | None:
        """The exact value a rounded figure stands for, when known: an earlier result
        it repeats (`6.48` for 6.48 × 10^12), else a sheet value it rounds to."""
        if not self.rounded(number):
            return None
        found = self.results.get(significand(number.value))
        if found is not None and number.value:
            earlier = found[0]
            shift = power_of_ten(earlier.value / number.value)
            if shift is not None:
                return (earlier.true if earlier.true is not None else earlier.exact) / \
                    mpmath.mpf(10) ** shift
        written, half = mpf(number.value), mpf(number.half)
        return next((v for v in self.sheet if v and abs(v - written) <= half), None)

    def symbol(self, key: str) -> Interval | None:
        """The range of a quantity the write-up gave a value (None: a point)."""
        found = self.values.get(key)
        if found is None or found.true is None:
            return None
        return _hull(found.value, found.true)

    def true_value(self, node: Node, env: Env, key_of: Callable[[str], str]
                   ) -> mpmath.mpf | None:
        """`node` with every rounded figure and symbol replaced by the exact value it
        stands for; None when nothing in it is known to be rounded."""
        def literal(number: Num) -> Interval | None:
            true = self.true_literal(number)
            return (true, true) if true is not None else None

        def symbol(name: str) -> Interval | None:
            found = self.values.get(key_of(name))
            true = found.true if found is not None else None
            return (true, true) if true is not None else None

        found = span(node, env, literal, symbol)
        return (found[0] + found[1]) / 2 if found is not None else None


def _hull(a: mpmath.mpf, b: mpmath.mpf) -> Interval | None:
    if a == b:
        return None
    return (a, b) if a < b else (b, a)
