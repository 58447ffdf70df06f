"""Closed forms evaluated at a fixed number of digits, through compiled mpmath functions.

Why: a pool of variants solves the same closed forms hundreds of times with other
numbers. Rational answers (6ND, bytes per parameter) cost nothing to keep exact, but
sympy's exact evaluation of a fractional power of a rational (Chinchilla's
(B / (L - E - A/N^a))^(1/b)) looks for perfect powers and then evaluates the nested
radical again at every later use: that was three quarters of a variant's time. A
variant's answer is only ever shown to a few figures and compared within a tolerance,
so where the exact value would be irrational it is held to `HELD_DIGITS` significant
digits instead (as a numeric root already is), and the compiled function is built
once per closed form, not once per variant.

`derive solve` stays exact; the engine's `approximate` mode comes here: pools of
variants and `--stress`, plot sweeps, and stored variants solved again for grading
and export (checked against the pool file to 1e-9).
"""

from __future__ import annotations

from functools import lru_cache

import mpmath
import sympy as sp

from derivations.library.core import STEP_FUNCTIONS
from derivations.limits import MAX_LOG2
from derivations.solver.solution import Literal, Value

#: Digits an irrational variant answer is held to: the vetting compares at 30 and a
#: display shows at most a dozen, so 50 leaves 20 for the arithmetic of later answers.
HELD_DIGITS = 50
#: An approximate value this close (relatively) to a whole number, or to zero, is
#: solved exactly instead: rounding a count up, or a sign, must not hang on 1e-50.
NEAR_WHOLE = mpmath.mpf("1e-35")
WHOLE_BELOW = mpmath.mpf("1e30")  # counts a sheet rounds are far below this

_EXACT_FUNCTIONS = (sp.floor, sp.ceiling, sp.Max, sp.Min, sp.Abs, *STEP_FUNCTIONS)


@lru_cache(maxsize=4096)
def exact_is_cheap(expr: sp.Expr) -> bool:
    """True when rational inputs give a rational value by plain arithmetic: only sums,
    products, integer powers and rounding functions (no roots, logarithms or exp)."""
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Pow) and not node.exp.is_Integer:
            return False
        if isinstance(node, sp.Function) and not isinstance(node, _EXACT_FUNCTIONS):
            return False
        if node in (sp.E, sp.pi) or isinstance(node, sp.exp):
            return False
    return True


@lru_cache(maxsize=4096)
def compiled(expr: sp.Expr, symbols: tuple[sp.Symbol, ...]):  # noqa: ANN201 - a function
    """`expr` as an mpmath function of `symbols` (inline constants unwrapped), once."""
    plain = expr.xreplace({lit: lit.value for lit in expr.atoms(Literal)})
    return sp.lambdify(symbols, plain, modules="mpmath")


def mpf_of(value: sp.Expr) -> mpmath.mpf:
    """An exact rational exactly (at the working precision), anything else via evalf."""
    if isinstance(value, sp.Rational):
        return mpmath.mpf(int(value.p)) / int(value.q)
    if isinstance(value, sp.Float):
        return mpmath.mpf(value._mpf_)
    return mpmath.mpf(sp.N(value, mpmath.mp.dps)._mpf_)


def held(expr: sp.Expr, values: dict[sp.Symbol, Value]) -> Value | None:
    """`expr` at `values` to `HELD_DIGITS` digits (element-wise for a vector, as a
    plot's sweep gives), or None where only the exact route is safe: a non-real or
    non-finite result, a value near a whole number or zero, or one beyond the
    engine's size limits (the exact route then reports it, located)."""
    lengths = {len(v) for v in values.values() if isinstance(v, tuple)}
    if len(lengths) > 1:
        return None  # the exact route says the lengths differ
    if lengths:
        (length,) = lengths
        items = [held(expr, {s: (v[i] if isinstance(v, tuple) else v)
                             for s, v in values.items()}) for i in range(length)]
        return None if any(item is None for item in items) else tuple(items)  # type: ignore[return-value]
    symbols = tuple(sorted(values, key=lambda s: s.name))
    function = compiled(expr, symbols)
    # Twice, 20 digits apart: a result that cancels to (nearly) zero, or loses its
    # digits to cancellation, differs between the two and goes the exact route.
    first, second = (_real(function, [values[s] for s in symbols], HELD_DIGITS + extra)
                     for extra in (15, 35))
    if first is None or second is None:
        return None
    with mpmath.workdps(HELD_DIGITS + 35):
        if abs(first - second) > abs(second) * mpmath.mpf(10) ** -(HELD_DIGITS + 5):
            return None
        if abs(mpmath.log(abs(second), 2)) > MAX_LOG2:
            return None
        if abs(second) < WHOLE_BELOW and \
                abs(second - mpmath.nint(second)) <= abs(second) * NEAR_WHOLE:
            return None
        return sp.Float(second, HELD_DIGITS)


def _real(function, inputs: list, dps: int) -> mpmath.mpf | None:  # noqa: ANN001
    """The function's real, finite, non-zero value at `dps` digits, else None."""
    with mpmath.workdps(dps):
        try:
            number = function(*(mpf_of(v) for v in inputs))
        except (ValueError, ZeroDivisionError, OverflowError, TypeError, NameError):
            return None  # NameError: a symbol without a value (the exact route reports it)
        if isinstance(number, mpmath.mpc):
            if abs(number.imag) > abs(number.real) * mpmath.mpf("1e-40"):
                return None
            number = number.real
        if not isinstance(number, mpmath.mpf) or not mpmath.isfinite(number) or number == 0:
            return None
        return number


_SIGNS = {sp.StrictGreaterThan: lambda d: d > 0, sp.GreaterThan: lambda d: d > 0,
          sp.StrictLessThan: lambda d: d < 0, sp.LessThan: lambda d: d < 0,
          sp.Unequality: lambda d: True, sp.Equality: lambda d: False}


def clearly(relation: sp.Basic, values: dict[sp.Symbol, Value]) -> bool | None:
    """A relation between expressions at `values`, when its two sides differ by more
    than 1e-20 of their size at 30 digits; None otherwise (decide it exactly).

    Why: a formula's domain (`L > E`) is checked for every answer of every variant,
    and sympy's own comparison evaluates both sides again; a clear margin is a clear
    verdict whichever way the digits are computed.
    """
    decide_sign = _SIGNS.get(type(relation))
    if decide_sign is None or any(isinstance(v, tuple) for v in values.values()):
        return None
    symbols = tuple(sorted(values, key=lambda s: s.name))
    sides = []
    with mpmath.workdps(30):
        for side in (relation.lhs, relation.rhs):
            number = _real(compiled(side, symbols), [values[s] for s in symbols], 30) \
                if side.free_symbols else (mpf_of(side) if side.is_number else None)
            if number is None:
                return None  # zero, not real, or not finite: the exact route says which
            sides.append(number)
        difference = sides[0] - sides[1]
        if abs(difference) <= max(abs(sides[0]), abs(sides[1])) * mpmath.mpf("1e-20"):
            return None
        return bool(decide_sign(difference))
