"""Turning exact values into the digits a person reads: rounding happens here only.

The engine hands over exact sympy numbers; this module decides how many digits to
show and whether to use scientific notation, and produces a neutral `Digits` record.
It also holds the two spellers every stage needs, down to an error message:

- Unicode text (`text`, `raised`): `1.648 × 10^24`, `15 625`, `6.48 × 10¹²`;
- ASCII for machines (`ascii_number`, `exact_float`, `coordinate`, `fixed`,
  `points`): `1.648e24` for siunitx and CSV, `0.1` for Moodle, `1e24` for pgfplots.

The LaTeX speller is `present.spell_latex` and the MathML one `present.mathml`; no
other code formats a computed number (tests/test_architecture.py checks).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import MAX_EMAX, MIN_EMIN, ROUND_HALF_EVEN, Decimal, localcontext
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

    def __str__(self) -> str:
        return not_spelled(self)


def not_spelled(value: object) -> str:
    """`str()` of a value to be shown: a bug, raised at once. Why: a dataclass would
    print its repr (`Prose(parts=...)` once reached a Canvas quiz) where a speller
    (`text`, `present.printing`, `present.mathml`, `present.text`) was meant."""
    raise TypeError(f"{type(value).__name__} is data: spell it with the speller of the "
                    "target (numbers.text, present.printing, present.mathml, present.text)")


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
    elif exact is not None and _is_tie(number, sig, exact):
        # 2^-7 = 0.0078125 to 4 figures is 0.007812 half-even and 0.007813 half-up:
        # either misstates it by half a unit, so the exact value is shown, one figure on
        return _spell(Decimal(exact.numerator) / exact.denominator, sig + 1, True)
    return _spell(rounded, sig, is_exact)


def column(values: list[sp.Expr], sig: int) -> list[Digits]:
    """Values of one table column, each to the same number of figures: an exact value
    that needs fewer keeps the trailing zeros it truly has (`3.0 × 10^12` above
    `3.4 × 10^12`, `1.530` above `1.877`), so a column never drops zeros at random."""
    shown = [digits(value, sig) for value in values]
    wanted = min(sig, max((_figures(d) for d in shown if "." in d.mantissa or d.exponent),
                          default=0))
    return [_padded(d, wanted) for d in shown]


def _figures(shown: Digits) -> int:
    return len(shown.mantissa.lstrip("-−").replace(".", "").lstrip("0"))


def _padded(shown: Digits, wanted: int) -> Digits:
    """More figures for an exact value (its trailing zeros are true); others as they are."""
    missing = wanted - _figures(shown)
    if missing <= 0 or not shown.exact or (not shown.exponent and "." not in shown.mantissa
                                           and abs(int(shown.mantissa)) >= 10 ** (wanted - 1)):
        return shown
    point = "" if "." in shown.mantissa else "."
    return Digits(shown.mantissa + point + "0" * missing, shown.exponent, True)


def _is_tie(number: Decimal, sig: int, exact: Fraction) -> bool:
    """Is `exact` halfway between two values of `sig` figures (one more figure, a 5)?"""
    with localcontext() as ctx:
        ctx.prec = sig + 1
        longer = +number
    return Fraction(longer) == exact and longer.as_tuple().digits[-1:] == (5,)


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


def figures(value: float | Fraction | int, sig: int) -> Digits:
    """The digits of a float (or a fraction) to `sig` significant figures, rounded as
    every other number is. A float stands for the decimal it prints as (0.1, not the
    binary fraction next to it), and a float within `FLOAT_NOISE` of its rounding for
    that rounding: 1.1e11 computed as 110000000000.00002 is the given 1.1 x 10^11 and
    shows as the givens table shows it, not as 1.100 x 10^11."""
    exact = Fraction(repr(value)) if isinstance(value, float) else Fraction(value)
    if isinstance(value, float) and exact:
        rounded = round_figures(Decimal(repr(value)), sig)
        if abs(rounded - exact) <= FLOAT_NOISE * abs(exact):
            exact = rounded
    return digits(sp.Rational(exact.numerator, exact.denominator), sig)


#: Relative difference below which two floats are the same number: about 45 units in
#: the last place of a double, far below any figure a display shows.
FLOAT_NOISE = Fraction(1, 10**14)


def decimal_figures(value: Decimal, sig: int) -> Digits:
    """The digits of a Decimal of any size (a TOML number in an error message), rounded
    without ever forming the exact value (1e99999999 stays cheap)."""
    with localcontext() as ctx:
        ctx.prec, ctx.rounding = sig, ROUND_HALF_EVEN
        ctx.Emax, ctx.Emin = MAX_EMAX, MIN_EMIN
        rounded = +value
        return _spell(rounded, sig, False)


def whole(value: int) -> Digits:
    """A whole number in full, however large (a count of bytes read back)."""
    return Digits(str(value), 0, True)


def round_figures(value: Decimal, sig: int) -> Fraction:
    """`value` rounded half-even to `sig` significant figures, exactly (arithmetic
    on a rounded input, not display)."""
    with localcontext() as ctx:
        ctx.prec = sig
        ctx.rounding = ROUND_HALF_EVEN
        return Fraction(+value)


# -- Unicode text ---------------------------------------------------------------------
_RAISED = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def text(shown: Digits) -> str:
    """`1.648 × 10^24`, `15 625`, `-9`: terminals, JSON displays, plain feedback."""
    mantissa = mantissa_text(shown)
    return f"{mantissa} × 10^{shown.exponent}" if shown.exponent else mantissa


def raised(shown: Digits) -> str:
    """`6.48 × 10¹²`: the same with a superscript exponent, for messages quoting a
    line of a write-up (check-work)."""
    mantissa = mantissa_text(shown)
    if not shown.exponent:
        return mantissa
    return mantissa + " × 10" + str(shown.exponent).translate(_RAISED)


def mantissa_text(shown: Digits) -> str:
    """The mantissa with its whole part grouped in threes from five digits on."""
    return _group(shown.mantissa, " ")


def compact(value: float) -> str:
    """A number as short as it prints: marks and scores (`2`, `0.5`, `1.25`), bytes per
    parameter, seconds of a time limit."""
    return f"{value:g}"


def fixed(value: float, places: int, signed: bool = False) -> str:
    """A fixed number of decimals (`37.50`, `+3.2`): means, shares and shifts."""
    return f"{value:+.{places}f}" if signed else f"{value:.{places}f}"


# -- ASCII for machines ---------------------------------------------------------------
def ascii_number(shown: Digits) -> str:
    """`1.648e24`: siunitx's \\num argument, CSV cells."""
    return f"{shown.mantissa}e{shown.exponent}" if shown.exponent else shown.mantissa


def scientific(value: float, sig: int) -> str:
    """`5.880e23`, `5e1`: exactly `sig` significant figures in ASCII e-notation, trailing
    zeros kept (what a student writes to claim that many figures; question tests)."""
    mantissa, exponent = f"{value:.{max(sig, 1) - 1}e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def exact_decimal(value: Fraction) -> str:
    """A multiplier as decimal text: exact when it terminates (GiB per GB is
    0.931322574615478515625), else to 17 significant figures."""
    denominator = value.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    if denominator != 1:
        return exact_float(float(value))
    with localcontext() as context:
        context.prec = 100
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    return format(exact.normalize(), "f")


def decimal_text(value: Decimal) -> str:
    """A drawn given as a sheet writes it: `7e10` for large or small values, `0.34` or
    `2048` otherwise (exact: every digit of `value`)."""
    value = value.normalize()
    if value == 0:
        return "0"
    if -5 < value.adjusted() < 7:
        return format(value, "f")
    mantissa, _, exponent = format(value, "e").partition("e")
    return f"{mantissa}e{int(exponent)}"


def exact_float(value: float) -> str:
    """A float that reads back as the same float (17 significant figures)."""
    return f"{value:.17g}"


def coordinate(value: float) -> str:
    """A plot coordinate as pgfplots reads it: 6 significant figures, `1e24`."""
    return f"{value:.6g}".replace("e+", "e")


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
