"""Bounds on what the engine computes: the size of exact numbers and the time sympy gets.

Why: a sheet is untrusted text, and a short one can ask for an astronomically large
exact number (`1e99999999`, `((9999^9999)^9999)^9999`, 39 givens that each square the
previous one, `exp(exp(100))`) or a solve that takes minutes (`y = x^9999 + x`). Every
exact value is therefore checked as it is formed, powers are checked *before* they are
computed (from the sizes of base and exponent), and the CAS runs under a wall-clock
limit as a backstop. Hitting a limit is bad input (exit 2), reported where it happened.

The bounds are far beyond anything a course sheet needs: values between about
10^-3000 and 10^3000, each exact rational with numerator and denominator of at most
`MAX_BITS` bits (about 3,600 decimal digits).
"""

from __future__ import annotations

import math
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import sympy as sp

from derivations.errors import LimitError

MAX_BITS = 12_000           # numerator or denominator of an exact rational
MAX_LOG2 = 10_000           # |log2 of a value|: values within about 10^(+-3010)
MAX_DEGREE = 4              # integer powers of an unknown that sympy is asked to solve
MAX_ROOT = 10**6            # numerator or denominator of a fractional exponent
POWER_WORK_BITS = 4_000_000  # integers sympy may build while taking an exact root
SOLVE_SECONDS = 20.0        # one rearrangement by sympy.solve
EVALF_SECONDS = 10.0        # one numeric evaluation of an exact value





def check_size(value: sp.Basic) -> sp.Basic:
    """`value` itself, if every exact number in it is within the bounds."""
    if isinstance(value, sp.Rational):
        _check_rational(value)
    elif isinstance(value, sp.Basic) and not value.is_Atom:
        for atom in value.atoms(sp.Rational):
            _check_rational(atom)
    return value


def _check_rational(value: sp.Rational) -> None:
    bits = max(int(value.p).bit_length(), int(value.q).bit_length())
    if bits > MAX_BITS:
        raise LimitError(f"an exact number with about {int(bits * math.log10(2))} digits "
                         f"(the limit is {int(MAX_BITS * math.log10(2))}); check the "
                         "exponents and repeated products")


def check_power(base: sp.Basic, exponent: sp.Basic) -> None:
    """Refuse `base ** exponent` before it is computed if the result would be too large.

    An exact power of a rational grows by |exponent| times the base's size in bits;
    a power with an irrational or symbolic exponent (`2^(pi*10^9999)`, `exp(exp(100))`)
    is bounded by its magnitude, estimated in floating point.
    """
    if not (isinstance(base, sp.Expr) and isinstance(exponent, sp.Expr)):
        return
    if base.free_symbols or exponent.free_symbols:
        return
    if isinstance(exponent, sp.Rational) and not exponent.is_Integer:
        _check_root(base, exponent)
    if isinstance(base, sp.Rational) and isinstance(exponent, sp.Rational):
        if base in (0, 1, -1):
            return
        size = max(int(base.p).bit_length(), int(base.q).bit_length())
        if abs(exponent) * size > MAX_BITS:
            raise LimitError(f"the power ({_short(base)})^({_short(exponent)}) is too large "
                             f"to compute exactly (about {_digits(size, exponent)} digits; "
                             f"the limit is {int(MAX_BITS * math.log10(2))})")
        return
    magnitude = _log2_magnitude(base, exponent)
    if magnitude is None or magnitude > MAX_LOG2:
        raise LimitError(f"the power ({_short(base)})^({_short(exponent)}) is too large "
                         "(its magnitude cannot be bounded)" if magnitude is None else
                         f"the power ({_short(base)})^({_short(exponent)}) is beyond "
                         f"10^{int(MAX_LOG2 * math.log10(2))} in size")


def _check_root(base: sp.Expr, exponent: sp.Rational) -> None:
    """A fractional exponent p/q: sympy extracts exact roots by building integers of up
    to q times the base's size in bits, so a long exponent (7e12/(7e12 + 340828))
    would exhaust memory long before any time limit fires."""
    terms = max(abs(int(exponent.p)), int(exponent.q))
    if terms > MAX_ROOT:
        raise LimitError(f"the exponent {_short(exponent)} has too many digits for an exact "
                         "power; write it with fewer digits")
    if isinstance(base, sp.Rational):
        size = max(int(base.p).bit_length(), int(base.q).bit_length())
        if terms * size > POWER_WORK_BITS:
            raise LimitError(f"the power ({_short(base)})^({_short(exponent)}) cannot be "
                             "taken exactly within the engine's limits; write the base or "
                             "the exponent with fewer digits")


def _log2_magnitude(base: sp.Expr, exponent: sp.Expr) -> float | None:
    """|exponent * log2|base||, estimated with 15-digit floats; None if not finite."""
    try:
        b = abs(complex(sp.N(base, 15)))
        e = abs(complex(sp.N(exponent, 15)))
    except (TypeError, ValueError, OverflowError):
        return None
    if b == 0 or b == 1 or e == 0:
        return 0.0
    if not (math.isfinite(b) and math.isfinite(e)):
        return None
    return e * abs(math.log2(b))


def _short(value: sp.Basic) -> str:
    text = str(value)
    return text if len(text) <= 24 else text[:21] + "..."


def _digits(size: int, exponent: sp.Rational) -> str:
    return f"{float(abs(exponent)) * size * math.log10(2):,.0f}"


def check_degree(expr: sp.Basic, unknown: sp.Symbol) -> None:
    """Refuse to ask sympy to solve for an unknown raised to a high integer power.

    Why: `solve(y = x^9999, x)` takes sympy minutes (it lists 9999 roots); no formula of
    this domain needs more than a cube.
    """
    for power in expr.atoms(sp.Pow):
        if unknown in power.base.free_symbols and power.exp.is_Integer \
                and abs(int(power.exp)) > MAX_DEGREE:
            raise LimitError(f"{unknown} appears to the power {power.exp}; the engine solves "
                             f"for unknowns up to the power {MAX_DEGREE} (write the inverse "
                             "as an expr ask instead)")


@contextmanager
def time_limit(seconds: float, what: str) -> Iterator[None]:
    """Raise LimitError if the block runs longer than `seconds` (wall clock).

    Uses SIGALRM, so it only works in the main thread of a process (the CLI and the
    build's worker processes); elsewhere, and inside an outer limit, it is a no-op.
    sympy is pure Python, so the alarm interrupts it between two bytecodes.
    """
    if threading.current_thread() is not threading.main_thread() \
            or signal.getitimer(signal.ITIMER_REAL)[0] > 0:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise LimitError(f"{what} took longer than {seconds:g} s and was stopped")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
