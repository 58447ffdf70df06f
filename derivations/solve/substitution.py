"""Putting numbers into expressions: exactly, element-wise, or for display.

Shared by the engine, the sensitivity analysis and the grader, so that every place
substitutes values the same way (inline constants unwrapped, vectors broadcast).
"""

from __future__ import annotations

import sympy as sp

from derivations.errors import DomainError
from derivations.solve.solution import Literal, Value


def evaluate(expr: sp.Expr, values: dict[sp.Symbol, Value]) -> Value:
    """Substitute exact values; any vector value makes the result element-wise."""
    expr = expr.xreplace({lit: lit.value for lit in expr.atoms(Literal)})
    lengths = {len(v) for v in values.values() if isinstance(v, tuple)}
    if len(lengths) > 1:
        raise DomainError("vectors of different lengths in one formula")
    if not lengths:
        return expr.xreplace(values)
    (length,) = lengths
    return tuple(expr.xreplace({s: (v[i] if isinstance(v, tuple) else v)
                                for s, v in values.items()}) for i in range(length))


def show(expr: sp.Expr, values: dict[sp.Symbol, Value]) -> sp.Expr:
    """The expression with each symbol replaced by a `Literal` of its value."""
    return expr.xreplace({s: Literal(s.name, v) for s, v in values.items()})


def scalar(value: Value) -> sp.Expr:
    """The value, known to be a scalar at this point (a vector here is a bug)."""
    if isinstance(value, tuple):
        raise TypeError("expected a scalar value, got a vector")
    return value


def finite_number(value: Value, name: str) -> Value:
    """`value` itself, if it is a finite number (or a vector of them)."""
    items = value if isinstance(value, tuple) else (value,)
    for item in items:
        if not isinstance(item, sp.Expr) or item.free_symbols:
            raise DomainError(f"{name} does not evaluate to a number")
        if item.has(sp.zoo, sp.oo, -sp.oo, sp.nan):
            raise DomainError(f"{name} is not finite (division by zero?)")
    return value
