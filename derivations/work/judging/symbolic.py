"""Judging symbolic relations, and showing values in messages.

Numeric relations are judged by the one judge of figures written (`read.judge`),
shared with `derive check`. Symbolic rule: `eq1 → eq2` holds when sympy, solving eq1
for the symbol eq2 isolates, finds eq2's other side (their difference simplifies to
0, symbols taken as positive reals); when sympy cannot show it, the two are compared
at the sheet's values as a second opinion (`D = C'/(6 × 1.41 N)` from `C' = 6N'D`
holds because N' = 1.41 N on the sheet). Results are cached by the pair of
expressions, so a class of write-ups repeating the same rearrangement pays for it
once.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

import mpmath
import sympy as sp

from derivations.limits import LimitError, time_limit
from derivations.numbers import Digits, digits, raised
from derivations.present import printing
from derivations.read.values import tame
from derivations.solver.algebra import isolate

SIMPLIFY_OPS = 150           # larger written expressions are compared numerically only
SECONDS = 3.0                # sympy's time for one rearrangement or comparison


def show(value: mpmath.mpf | Fraction | int, sig: int = 4) -> str:
    """A value for a message: `6.698 × 10¹²`, `2.253`, `18 874 368` (`numbers.raised`);
    trailing zeros are dropped when nothing was rounded (1.69, not 1.690)."""
    if isinstance(value, Fraction):
        number = sp.Rational(value.numerator, value.denominator)
    elif isinstance(value, int):
        number = sp.Integer(value)
    else:
        number = sp.Float(mpmath.nstr(value, 30), 30)
        if value == int(value) and abs(value) < 10**15:
            number = sp.Integer(int(value))
    shown = digits(number, sig)
    if "." in shown.mantissa and mpmath.almosteq(
            mpmath.mpf(shown.mantissa) * mpmath.mpf(10) ** shown.exponent,
            mpmath.mpf(str(sp.N(number, 30))), rel_eps=mpmath.mpf("1e-12")):
        shown = Digits(shown.mantissa.rstrip("0").rstrip("."), shown.exponent, True)
    return raised(shown)


# -- symbolic ------------------------------------------------------------------------
class NotDecided(Exception):
    """sympy could not rearrange or compare within the bounds (an internal signal: the
    relation is marked "not checked" with the reason)."""


@lru_cache(maxsize=4096)
def rearrangement(lhs: sp.Expr, rhs: sp.Expr, target: sp.Symbol, written: sp.Expr
                  ) -> tuple[bool | None, tuple[sp.Expr, ...]]:
    """Is `target = written` a rearrangement of `lhs = rhs`? (True/False/None for
    undecided symbolically, and the closed forms sympy found.)"""
    if not (tame(lhs) and tame(rhs) and tame(written)):
        raise NotDecided("the equations are too large to rearrange symbolically")
    try:
        forms = tuple(f for f in isolate(sp.Eq(lhs, rhs), target, SECONDS)
                      if isinstance(f, sp.Expr))
    except LimitError as exc:
        raise NotDecided(str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - sympy raises anything on unusual input
        # Why this broad: a student's equation is arbitrary, and sympy's solvers fail
        # on some with AttributeError, TypeError, IndexError...; one line must never
        # stop the check, so any failure makes this relation "not checked".
        raise NotDecided(f"sympy failed ({type(exc).__name__})") from None
    if not forms:
        raise NotDecided(f"sympy finds no closed form for {target} in the first equation")
    for form in forms:
        if equivalent(form, written):
            return True, forms
    return None, forms


@lru_cache(maxsize=4096)
def equivalent(a: sp.Expr, b: sp.Expr) -> bool:
    """True when a − b simplifies to 0 (symbols positive); False when undecided."""
    if a == b:
        return True
    difference = a - b
    if not tame(difference, SIMPLIFY_OPS):
        return False
    try:
        with time_limit(SECONDS, "comparing two forms"):
            for attempt in (lambda: sp.expand_log(sp.expand(difference), force=True),
                            lambda: sp.simplify(difference)):
                if attempt() == 0:
                    return True
    except Exception:  # noqa: BLE001 - as in `rearrangement`: undecided, not a crash
        return False
    return False


def spelled(expr: sp.Expr) -> str:
    """A sympy expression in plain text for a message (`log(2·D/(2·D − D'))/log(2)`)."""
    text = printing.text(expr)  # the terms in textbook order, as the solutions write them
    return text.replace("**", "^").replace("*", "·").replace(" - ", " − ")
