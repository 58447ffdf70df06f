"""Does a value hold to the figures written? The one judge of `check` and `check-work`.

The rules (docs/check-work.md, "How a relation is judged"):

1. A written figure stands for every value that rounds to it: `6.48 × 10^12` is
   6.475 .. 6.485 × 10^12 (half a unit in its last place; a whole number's trailing
   zeros are not significant), and, written to three figures or more, for the
   values cut to it (up to 6.49 × 10^12).
2. A side computed from figures that may be rounded intermediates stands for what
   those roundings produce: each such figure ranges between the value written and
   the exact value it rounds (when that is known: an earlier result, a value of the
   sheet), or over its own rounding when nothing is known of it; the side's range is
   found by interval arithmetic. Whole numbers and the sheet's own givens as written
   are exact.
3. Two sides agree when their ranges meet; `≈` also holds within the sheet's
   tolerance. A relation is false only when it fails at every reading in range.
4. An answer checked by `derive check` is judged the same way: it holds to its figures
   when the value lies in its rounding range (with a small slack for the student's
   own rounding of steps between).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import mpmath

from derivations.numbers import figures, text
from derivations.read.lexicon import APPROX
from derivations.read.nodes import Label, Node, Num, Sym, Unit
from derivations.read.values import (
    MAX_AMPLIFICATION,
    MAX_MAGNITUDE,
    Undefined,
    Unknown,
    numbers_in,
    symbols_in,
    whole_for_factorial,
)

SAME = mpmath.mpf("1e-25")   # relative difference of two computations that are equal
#: How far a student's own rounding of the steps between may move a value that was
#: computed along a known path: four significant figures at one or two steps.
STEP_SLACK = 1e-3
_IV = mpmath.iv
_IV.dps = 40


@dataclass(frozen=True)
class Figure:
    """One side of a numeric relation: its value with the figures as written, the
    range the roundings it uses allow (None: exact), and, for a single written
    figure (`1.65 × 10^24`), that figure and half a unit in its last place."""

    value: mpmath.mpf
    written: tuple[Fraction, Fraction] | None
    text: str
    span: tuple[mpmath.mpf, mpmath.mpf] | None = None

    def scaled(self, factor: Fraction) -> Figure:
        """The same side read in a unit `factor` times larger (`1290` as 1290 GB)."""
        times = mpmath.mpf(factor.numerator) / factor.denominator
        written = (self.written[0] * factor, self.written[1] * factor) if self.written \
            else None
        span = (self.span[0] * times, self.span[1] * times) if self.span else None
        return Figure(self.value * times, written, self.text, span)

    def range(self) -> tuple[mpmath.mpf, mpmath.mpf]:
        if self.written is not None:
            figure, half = (mpmath.mpf(x.numerator) / x.denominator for x in self.written)
            return figure - half * (1 + mpmath.mpf("1e-12")), \
                figure + half * (1 + mpmath.mpf("1e-12"))
        if self.span is not None:
            return self.span
        return self.value, self.value


def close(a: mpmath.mpf, b: mpmath.mpf, relative: mpmath.mpf) -> bool:
    return abs(a - b) <= relative * max(abs(a), abs(b))


def rounds_to(value: mpmath.mpf, written: tuple[Fraction, Fraction]) -> bool:
    """Does `value` round to the figure written (rule 1), or, for a figure of three or
    more significant figures, cut to it? Students cut digits as often as they round
    them (1.6482 written 1.64), and a line written that way is not a false line; a
    figure of one or two (`18 MB` for 18.87 MB) is not a cut but a slip."""
    figure, half = written
    target = mpmath.mpf(figure.numerator) / figure.denominator
    slack = mpmath.mpf(half.numerator) / half.denominator * (1 + mpmath.mpf("1e-12"))
    gap = (value - target) * (1 if target >= 0 else -1)
    cut = 2 if half and abs(figure) >= 200 * half else 1
    return -slack <= gap <= cut * slack


def agrees(left: Figure, right: Figure, relation: str, tolerance: float) -> str | None:
    """How the relation holds (`exactly`, `to the figures written`, `to the rounding
    of the values used`, `within the sheet's tolerance`), or None when it does not."""
    if close(left.value, right.value, SAME):
        return "exactly"
    if right.written and rounds_to(left.value, right.written):
        return "to the figures written"
    if left.written and rounds_to(right.value, left.written):
        return "to the figures written"
    if left.span is not None or right.span is not None:
        (low, high), (other_low, other_high) = left.range(), right.range()
        if low <= other_high and other_low <= high:
            return "to the rounding of the values used"
    if relation == APPROX and close(left.value, right.value, mpmath.mpf(tolerance)):
        return f"within the sheet's tolerance of {text(figures(tolerance, 2))}"
    return None


def matches(value: mpmath.mpf, right: Figure, tolerance: float) -> bool:
    """Does a candidate value explain the written figure?"""
    if right.written:
        return rounds_to(value, right.written)
    return close(value, right.value, mpmath.mpf(min(tolerance, 1e-6)))


def figures_agree(a: tuple[Fraction, Fraction], b: tuple[Fraction, Fraction], relation: str,
                  tolerance: float) -> bool:
    """Do two written figures (value, half a unit in its last place), in one unit, say
    the same thing? Their rounding ranges meet (rule 3), or `≈` and within tolerance.
    `350 GB` and `326 GiB` agree; `350 GB` and `999 GiB` do not."""
    low_a, high_a = sorted((a[0] - a[1], a[0] + a[1]))
    low_b, high_b = sorted((b[0] - b[1], b[0] + b[1]))
    slack = Fraction(1, 10**9) * max(abs(low_a), abs(high_a), abs(low_b), abs(high_b))
    if low_a <= high_b + slack and low_b <= high_a + slack:
        return True
    if relation == APPROX:
        return abs(a[0] - b[0]) <= Fraction(tolerance) * max(abs(a[0]), abs(b[0]))
    return False


def holds_to_figures(value: float, written: float, half: float,
                     slack: float = STEP_SLACK) -> bool:
    """An answer `written` (half a unit `half`) holds for a value computed along a
    known path when the value rounds to it, or lies within `slack` of it (rule 4)."""
    return abs(value - written) <= max(half * (1 + 1e-12), slack * abs(value))


Interval = tuple[mpmath.mpf, mpmath.mpf]
Ranges = Callable[[Num], Interval | None]
SymbolRanges = Callable[[str], Interval | None]
Env = Callable[[str], "mpmath.mpf | None"]


def span(node: Node, env: Env, ranges: Ranges, symbols: SymbolRanges | None = None
         ) -> Interval | None:
    """The range of `node` when each figure takes any value in `ranges(figure)` and
    each symbol any value in `symbols(name)` (None: exact, `env`'s value), by interval
    arithmetic (rule 2); None when nothing has a range or the range is not bounded."""
    def symbol_range(name: str) -> Interval | None:
        return symbols(name) if symbols is not None else None

    if not any(ranges(n) for n in numbers_in(node)) and not any(
            symbol_range(name) for name in symbols_in(node)):
        return None
    try:
        found = _interval(node, env, ranges, symbol_range)
    except (ZeroDivisionError, ValueError, ArithmeticError, Unknown, Undefined):
        return None
    low, high = mpmath.mpf(found.a), mpmath.mpf(found.b)
    if not (mpmath.isfinite(low) and mpmath.isfinite(high)):
        return None
    return low, high


def _interval(node: Node, env: Env, ranges: Ranges,  # noqa: ANN202 # long: one case per node
              symbols: SymbolRanges):
    if isinstance(node, Num):
        found = ranges(node)
        if found is None:
            return _IV.mpf(node.value.numerator) / node.value.denominator
        return _IV.mpf([found[0], found[1]])
    if isinstance(node, Unit):
        return _IV.mpf(node.factor.numerator) / node.factor.denominator
    if isinstance(node, Sym):
        found = symbols(node.name)
        if found is not None:
            return _IV.mpf([found[0], found[1]])
        value = env(node.name)
        if value is None:
            raise Unknown(node.name)
        return _IV.mpf(value)
    if isinstance(node, Label):
        raise Unknown(node.name)
    if node.kind == "pct":
        return _IV.mpf(1) / 100
    args = [_interval(a, env, ranges, symbols) for a in node.args]
    if node.kind == "add":
        total = args[0]
        for arg in args[1:]:
            total = total + arg
        return total
    if node.kind == "mul":
        product = args[0]
        for arg in args[1:]:
            product = product * arg
        return product
    if node.kind == "neg":
        return -args[0]
    if node.kind == "div":
        if mpmath.mpf(args[1].a) <= 0 <= mpmath.mpf(args[1].b):
            raise Undefined("a range holding zero as a divisor")
        return args[0] / args[1]
    if node.kind in ("pow", "sqrt", "root"):
        base = args[0]
        exponent = args[1] if node.kind == "pow" else (
            _IV.mpf(1) / 2 if node.kind == "sqrt" else _IV.mpf(1) / args[1])
        if mpmath.mpf(base.a) <= 0:
            raise Undefined("a power of a range reaching zero or below")
        if max(abs(mpmath.mpf(exponent.a)), abs(mpmath.mpf(exponent.b))) > MAX_AMPLIFICATION:
            raise Undefined("a power with an exponent beyond the working precision")
        biggest = max(abs(mpmath.mpf(exponent.a)), abs(mpmath.mpf(exponent.b))) * max(
            abs(mpmath.log10(mpmath.mpf(base.a))), abs(mpmath.log10(mpmath.mpf(base.b))))
        if biggest > MAX_MAGNITUDE:
            raise Undefined("too large")
        return _IV.exp(exponent * _IV.log(base))
    if node.kind in ("ceil", "floor", "round"):
        low, high = mpmath.mpf(args[0].a), mpmath.mpf(args[0].b)
        rounding = {"ceil": mpmath.ceil, "floor": mpmath.floor,
                    "round": lambda x: mpmath.sign(x) * mpmath.floor(abs(x) + 0.5)}[node.kind]
        return _IV.mpf([rounding(low), rounding(high)])
    if node.kind == "fact":
        low, high = mpmath.ceil(mpmath.mpf(args[0].a)), mpmath.floor(mpmath.mpf(args[0].b))
        if low != high:
            raise Undefined("the factorial of a range of numbers")
        whole = math.factorial(whole_for_factorial(low))
        return _IV.mpf(whole)
    if node.kind == "exp":
        if mpmath.mpf(args[0].b) > MAX_MAGNITUDE * 2.3:
            raise Undefined("too large")
        return _IV.exp(args[0])
    if node.kind == "log":
        if mpmath.mpf(args[0].a) <= 0:
            raise Undefined("the logarithm of a range reaching zero")
        result = _IV.log(args[0])
        if node.base is not None:
            result = result / _IV.log(_IV.mpf(node.base.numerator) / node.base.denominator)
        return result
    raise Undefined(f"unknown operation {node.kind}")
