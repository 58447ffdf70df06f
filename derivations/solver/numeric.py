"""A root found numerically, for the equations sympy cannot rearrange in closed form.

Why: some questions have no closed form (the model size at which the compute overhead
of a smaller model reaches 100% solves k_N k_D(k_N) = 2). Rather than refuse, the engine
scans the unknown's domain on a logarithmic grid for a change of sign and bisects it
to 40 significant figures. The result is the one value in the solution that is not
exact, and its steps say so; two or more roots are refused as ambiguous.
"""

from __future__ import annotations

import mpmath
import sympy as sp

from derivations.errors import DomainError, RearrangeError
from derivations.limits import SOLVE_SECONDS, time_limit
from derivations.solver.solution import Literal, Step, Value
from derivations.solver.substitution import show, substitute

DIGITS = 40
GRID = [mpmath.mpf(10) ** (k / mpmath.mpf(20)) for k in range(-160, 601)]  # 1e-8 .. 1e30


def numeric_solution(equation: sp.Eq, unknown: sp.Symbol, values: dict[sp.Symbol, Value],
                     name: str, between: tuple[Value, Value] | None = None
                     ) -> tuple[sp.Expr, list[Step]]:
    """The root of `equation` in `unknown` at these values, and the steps that show it.

    `between` (the ask's `between = [low, high]`) narrows the search when the equation
    has several roots; the bounds become grid points themselves.
    """
    if any(isinstance(v, tuple) for v in values.values()):
        raise DomainError(f"{unknown.name} has no closed form, and a numeric root is found "
                          "for single values only, not lists")
    residual = substitute(equation.lhs - equation.rhs, values)
    if residual.free_symbols - {unknown}:
        raise RearrangeError(name, unknown.name)
    function = sp.lambdify(unknown, residual, modules="mpmath")
    with mpmath.workdps(DIGITS + 10), time_limit(SOLVE_SECONDS, f"solving for {unknown}"):
        points = GRID if unknown.is_positive else [-x for x in reversed(GRID)] + GRID
        if between is not None:
            low, high = (mpmath.mpf(str(sp.N(b, DIGITS))) for b in between)
            points = [low, *[x for x in points if low < x < high], high]
        brackets = _sign_changes(function, points)
        if not brackets:
            raise RearrangeError(name, unknown.name)
        if len(brackets) > 1:  # the roots themselves, not the grid points before them
            first, second = (_bisect(function, *bracket) for bracket in brackets[:2])
            raise DomainError(f"{unknown.name} has no closed form and several numeric roots "
                              f"({mpmath.nstr(first, 4)} and {mpmath.nstr(second, 4)}"
                              + (", and more" if len(brackets) > 2 else "") + "): ambiguous; "
                              "give `between = [low, high]` in the ask to choose one")
        root = _bisect(function, *brackets[0])
    value = sp.Float(mpmath.nstr(root, DIGITS), DIGITS)
    steps = [Step("formula", equation),
             Step("substituted", sp.Eq(show(equation.lhs, values), show(equation.rhs, values),
                                       evaluate=False)),
             Step("note", None, f"no closed form for ${unknown.name}$: the root is found "
                  f"numerically (bisection) to {DIGITS} significant figures"
                  + (f", between ${_short(between[0])}$ and ${_short(between[1])}$"
                     if between is not None else "")),
             Step("result", sp.Eq(unknown, Literal(unknown.name, value), evaluate=False))]
    return value, steps


def _short(value: Value) -> str:
    return mpmath.nstr(mpmath.mpf(str(sp.N(value, 15))), 6) if not isinstance(value, tuple) \
        else str(value)


def _real(function, x):  # noqa: ANN001, ANN202 - mpmath values
    try:
        y = function(x)
    except (ZeroDivisionError, ValueError, OverflowError, TypeError):
        return None
    if isinstance(y, mpmath.mpc):
        if abs(y.imag) > mpmath.mpf(10) ** -(DIGITS // 2) * max(1, abs(y.real)):
            return None
        y = y.real
    return y if mpmath.isfinite(y) else None


def _sign_changes(function, points):  # noqa: ANN001, ANN202
    found, previous = [], None
    for x in points:
        y = _real(function, x)
        if y is None:
            previous = None
            continue
        if y == 0:
            found.append((x, x))
        elif previous is not None and (previous[1] < 0) != (y < 0):
            found.append((previous[0], x))
        previous = (x, y)
    return found


def _bisect(function, low, high):  # noqa: ANN001, ANN202
    f_low = _real(function, low)
    for _ in range(4 * DIGITS):
        middle = (low + high) / 2
        f_mid = _real(function, middle)
        if f_mid is None or f_mid == 0:
            return middle
        if (f_mid < 0) == (f_low < 0):
            low, f_low = middle, f_mid
        else:
            high = middle
    return (low + high) / 2
