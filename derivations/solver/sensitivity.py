"""How fragile an answer is: elasticities d ln(answer) / d ln(input).

An elasticity says how a relative error in an input becomes a relative error in the
answer (66 for the tokens needed for a target loss against that loss), which is what a
student who rounds intermediates needs to be warned about, and what the grader uses
to accept an answer reached through a rounded intermediate.
"""

from __future__ import annotations

from fractions import Fraction

import sympy as sp

from derivations.library.core import RoundHalfAway
from derivations.library.symbols import DISCRETE
from derivations.numbers import to_decimal
from derivations.solver import cache
from derivations.solver.solution import Sensitivity, Value
from derivations.solver.substitution import evaluate, scalar

SENSITIVITY_THRESHOLD = 10.0
_PIECEWISE = (sp.floor, sp.ceiling, RoundHalfAway, sp.Max, sp.Min, sp.Abs)


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
    approx = {s: sp.Float(to_decimal(v, 30), 30) for s, v in values.items()
              if not isinstance(v, tuple)}
    symbolic = elasticities(expr, tuple(sorted(values, key=lambda s: s.name)))
    found = []
    for symbol, given in values.items():
        if isinstance(given, tuple) or given == 0 or symbol.name in DISCRETE:
            continue
        number = float(scalar(evaluate(symbolic[symbol], approx)))
        if abs(number) < 1e-12:
            continue
        found.append(rounding_effect(expr, values, value, symbol, number))
    return tuple(sorted(found, key=lambda s: -abs(s.elasticity)))


def elasticities(expr: sp.Expr, symbols: tuple[sp.Symbol, ...]) -> dict[sp.Symbol, sp.Expr]:
    """x * d(expr)/dx / expr for each symbol, symbolically (cached on disk with solve)."""
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
    three = Fraction(format(to_decimal(values[symbol], 30), ".3g"))
    rounded = sp.Rational(three.numerator, three.denominator)
    moved = scalar(evaluate(expr, {**values, symbol: rounded}))
    shift = float(to_decimal(moved / scalar(value) - 1, 15))
    return Sensitivity(symbol.name, elasticity, rounded, shift)
