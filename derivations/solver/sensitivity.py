"""How fragile an answer is: elasticities d ln(answer) / d ln(input).

An elasticity says how a relative error in an input becomes a relative error in the
answer (66 for the tokens needed for a target loss against that loss), which is what a
student who rounds intermediates needs to be warned about, and what the grader uses
to accept an answer reached through a rounded intermediate.
"""

from __future__ import annotations

from functools import lru_cache

import mpmath
import sympy as sp

from derivations.library.core import STEP_FUNCTIONS
from derivations.library.symbols import DISCRETE
from derivations.numbers import round_figures, to_decimal
from derivations.solver import cache
from derivations.solver.approximate import compiled, mpf_of
from derivations.solver.solution import Sensitivity, Value
from derivations.solver.substitution import evaluate, scalar

SENSITIVITY_THRESHOLD = 10.0
_PIECEWISE = (sp.floor, sp.ceiling, *STEP_FUNCTIONS, sp.Max, sp.Min, sp.Abs)


def sensitivity(expr: sp.Expr, values: dict[sp.Symbol, Value],
                value: Value) -> tuple[Sensitivity, ...]:
    """Elasticities d ln(answer) / d ln(input), largest first; scalars only.

    Why elasticities: they say how a relative error in an input becomes a relative
    error in the answer (66 for D_new against the target loss: round L and the token
    count moves by double digits), which is what a student needs to be warned about.
    """
    if isinstance(value, tuple) or expr.has(*_PIECEWISE) or to_decimal(value, 20) == 0:
        return ()
    # The derivative is symbolic; it is evaluated at 30-digit floats, since an
    # elasticity is only ever displayed (the answer itself stays exact).
    symbols = tuple(sorted(values, key=lambda s: s.name))
    if any(isinstance(values[s], tuple) for s in symbols):
        return ()
    symbolic = elasticities(expr, symbols)
    # Bit fields and zero inputs get none (see DISCRETE); nor does an input whose
    # elasticity is not a real number (the sign bit s of (-1)^s: s ln(-1) is complex).
    wanted = [s for s in symbols if values[s] != 0 and s.name not in DISCRETE]
    with mpmath.workdps(30):
        approx = [mpmath.mpf(str(to_decimal(values[s], 30))) for s in symbols]
        numbers: dict[sp.Symbol, float | None] = {s: _at(symbolic[s], symbols, approx)
                                                   for s in wanted}
    found = []
    for symbol in wanted:
        number = numbers[symbol]
        if number is None:  # not real in mpmath's principal branch: sympy decides
            floats = {t: sp.Float(to_decimal(values[t], 30), 30) for t in symbols}
            exact = scalar(evaluate(symbolic[symbol], floats))
            real, imaginary = exact.as_real_imag()
            if not real.is_number or abs(imaginary) > abs(real) * 1e-20 + 1e-30:
                continue
            number = float(real)
        if abs(number) < 1e-12:
            continue
        found.append(rounding_effect(expr, values, value, symbol, number))
    return tuple(sorted(found, key=lambda s: -abs(s.elasticity)))


def _at(expr: sp.Expr, symbols: tuple[sp.Symbol, ...], values: list) -> float | None:
    """A symbolic elasticity at 30-digit values, through a compiled mpmath function.

    Why compiled: the same elasticity is evaluated for every variant of a sheet (and
    every sweep point), and sympy's own evaluation of a nested radical costs
    milliseconds; mpmath at the same 30 digits gives the same figures.
    """
    if expr.is_Number:
        return float(expr)
    try:
        number = compiled(expr, symbols)(*values)
    except (ValueError, ZeroDivisionError, OverflowError):
        return None
    if isinstance(number, mpmath.mpc):
        if abs(number.imag) > abs(number.real) * mpmath.mpf("1e-20"):
            return None
        number = number.real
    return float(number)


@lru_cache(maxsize=4096)
def elasticities(expr: sp.Expr, symbols: tuple[sp.Symbol, ...]) -> dict[sp.Symbol, sp.Expr]:
    """x * d(expr)/dx / expr for each symbol, symbolically (cached on disk with solve,
    and in memory: every variant of a sheet asks for the same ones, and decoding the
    disk entry again cost more than evaluating it). Callers must not modify the dict."""
    exponents = monomial_exponents(expr, set(symbols))
    if exponents is not None:  # cheaper to read off than to load from the cache
        return {s: exponents.get(s, sp.Integer(0)) for s in symbols}
    cached = cache.get(expr, symbols)
    if cached is not None:
        return cached
    found = {s: sp.diff(expr, s) * s / expr for s in symbols}
    cache.put(expr, symbols, found)
    return found


def monomial_exponents(expr: sp.Expr, symbols: set[sp.Symbol]) -> dict | None:
    """For c * x1^p1 * x2^p2 ..., the exponents p_i: exactly the elasticities.

    Why: most formulas are such products (6ND, N b_w), and reading the exponents off
    the expression is the same symbolic result as differentiating, without the cost.
    Returns None when `expr` is not such a product with numeric exponents.
    """
    powers = sp.Mul.make_args(expr)
    exponents: dict[sp.Symbol, sp.Expr] = {}
    for factor in powers:
        base, exp = factor.as_base_exp()
        if base.is_Number:
            continue
        if base not in symbols or not exp.is_Number:
            return None
        exponents[base] = exponents.get(base, 0) + exp
    return exponents


def rounding_effect(expr: sp.Expr, values: dict[sp.Symbol, Value], value: Value,
                    symbol: sp.Symbol, elasticity: float) -> Sensitivity:
    if abs(elasticity) <= SENSITIVITY_THRESHOLD:
        return Sensitivity(symbol.name, elasticity)
    three = round_figures(to_decimal(values[symbol], 30), 3)
    rounded = sp.Rational(three.numerator, three.denominator)
    moved = {**values, symbol: rounded}
    # The shift is shown as a percentage: 30 digits through the compiled closed form
    # (the exact route would evaluate a nested radical again for every variant).
    symbols = tuple(sorted(moved, key=lambda s: s.name))
    with mpmath.workdps(30):
        try:
            number = compiled(expr, symbols)(*(mpf_of(moved[s]) for s in symbols))
            shift = float(mpmath.re(number) / mpf_of(scalar(value)) - 1)
        except (ValueError, ZeroDivisionError, OverflowError):
            exact = scalar(evaluate(expr, moved))
            shift = float(to_decimal(exact / scalar(value) - 1, 15))
    return Sensitivity(symbol.name, elasticity, rounded, shift)
