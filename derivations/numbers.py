"""Turning exact values into the digits a person reads: rounding happens here only.

The engine hands over exact sympy numbers; this module decides how many digits to
show and whether to use scientific notation, and produces a neutral `Digits` record
that the text printer and the LaTeX printer each spell in their own way.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction
from functools import lru_cache

import sympy as sp

from derivations.errors import DomainError
from derivations.limits import EVALF_SECONDS, time_limit

FULL_INTEGER_LIMIT = 10**9   # exact integers below this are shown in full (15 625)
SCI_HIGH = Decimal(10) ** 6
SCI_LOW = Decimal(10) ** -3


@dataclass(frozen=True)
class Digits:
    """A rounded number: `mantissa` x 10^`exponent` (exponent 0 means plain).

    Attributes:
        mantissa: decimal digits with optional sign and point (`-1.648`).
        exponent: power of ten, 0 when the number is shown plainly.
        exact: True when the digits equal the exact value (no rounding happened).
    """

    mantissa: str
    exponent: int
    exact: bool

    def text(self) -> str:
        """Plain-text spelling: `1.648 × 10^24`, `15 625`."""
        mantissa = _group(self.mantissa, " ")
        return f"{mantissa} × 10^{self.exponent}" if self.exponent else mantissa

    def siunitx(self) -> str:
        """The argument of siunitx's \\num: `1.648e24`."""
        return f"{self.mantissa}e{self.exponent}" if self.exponent else self.mantissa


@lru_cache(maxsize=4096)
def to_decimal(value: sp.Expr, digits: int = 40) -> Decimal:
    """An exact sympy number as a Decimal with `digits` correct significant digits.

    Cached: the same exact value is shown, checked and compared several times, and
    evaluating a nested radical to 40 digits is the costly part.
    """
    if isinstance(value, sp.Rational):
        return Decimal(value.p) / Decimal(value.q) if value.q != 1 else Decimal(value.p)
    with time_limit(EVALF_SECONDS, "evaluating a number"):
        number = sp.N(value, digits)
    if not number.is_Number or isinstance(number, sp.core.numbers.NaN):
        raise DomainError(f"{_short(value)} is not a real number")
    return Decimal(str(number))


def _short(value: sp.Expr) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def exact_fraction(value: sp.Expr) -> Fraction | None:
    """The value as a Fraction when it is rational, else None."""
    if isinstance(value, sp.Rational):
        return Fraction(int(value.p), int(value.q))
    return None


def digits(value: sp.Expr, sig: int) -> Digits:
    """Round an exact value to `sig` significant figures for display.

    Exact integers below 10^9 are shown in full; values that round exactly drop
    trailing zeros (3.5 x 10^11, not 3.500 x 10^11); others keep `sig` digits.
    """
    exact = exact_fraction(value)
    if exact is not None and exact.denominator == 1 and abs(exact) < FULL_INTEGER_LIMIT:
        return Digits(str(exact.numerator), 0, True)
    number = to_decimal(value)
    if number == 0:
        return Digits("0", 0, exact is not None)
    with localcontext() as ctx:
        ctx.prec = sig
        ctx.rounding = ROUND_HALF_EVEN
        rounded = +number
    is_exact = exact is not None and Fraction(rounded) == exact
    if is_exact:
        rounded = rounded.normalize()
    return _spell(rounded, sig, is_exact)


def _spell(rounded: Decimal, sig: int, is_exact: bool) -> Digits:
    exponent = rounded.adjusted()
    use_sci = abs(rounded) >= SCI_HIGH or abs(rounded) < SCI_LOW
    if use_sci:
        mantissa = rounded.scaleb(-exponent)
        return Digits(_plain(mantissa, sig, is_exact), exponent, is_exact)
    return Digits(_plain(rounded, sig, is_exact), 0, is_exact)


def _plain(number: Decimal, sig: int, is_exact: bool) -> str:
    if is_exact:
        text = format(number.normalize(), "f")
    else:
        places = max(sig - 1 - number.adjusted(), 0)
        text = f"{number:.{places}f}"
    return text


def _group(mantissa: str, sep: str) -> str:
    """Group the integer digits in threes when there are five or more (15 625)."""
    sign = "-" if mantissa.startswith("-") else ""
    body = mantissa.lstrip("-")
    whole, _, frac = body.partition(".")
    if len(whole) >= 5:
        groups: list[str] = []
        while whole:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        whole = sep.join(groups)
    return sign + whole + ("." + frac if frac else "")


def to_float(value: sp.Expr) -> float:
    """The value as a float (for JSON), from a high-precision evaluation."""
    return float(to_decimal(value, 20))
