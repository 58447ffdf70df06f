"""Putting numbers into expressions: exactly, element-wise, or for display.

Shared by the engine, the sensitivity analysis and the grader, so that every place
substitutes values the same way (inline constants unwrapped, vectors broadcast).
"""

from __future__ import annotations

import sympy as sp

from derivations.errors import DomainError
from derivations.limits import check_power, check_size
from derivations.solver.solution import Literal, Value


def evaluate(expr: sp.Expr, values: dict[sp.Symbol, Value]) -> Value:
    """Substitute exact values; any vector value makes the result element-wise."""
    expr = expr.xreplace({lit: lit.value for lit in expr.atoms(Literal)})
    lengths = {len(v) for v in values.values() if isinstance(v, tuple)}
    if len(lengths) > 1:
        raise DomainError("vectors of different lengths in one formula")
    if not lengths:
        return substitute(expr, values)
    (length,) = lengths
    return tuple(substitute(expr, {s: (v[i] if isinstance(v, tuple) else v)
                                   for s, v in values.items()}) for i in range(length))


def substitute(expr: sp.Basic, values: dict) -> sp.Basic:
    """`expr.xreplace(values)`, rebuilt bottom-up so that no number grows past the limits.

    Why not xreplace: sympy evaluates `x**k` as soon as both are numbers, and with
    `k` from a sheet that can take minutes; here each power is checked before it is
    formed (see `limits.check_power`) and each result as it is formed.
    """
    def walk(node: sp.Basic) -> sp.Basic:
        if node in values:
            return values[node]
        if not node.args:
            return node
        args = [walk(arg) for arg in node.args]
        if all(new is old for new, old in zip(args, node.args, strict=True)):
            return node  # nothing substituted below (asking free_symbols at every node
            #              was quadratic in the depth of the tree)
        if isinstance(node, sp.Pow):
            check_power(args[0], args[1])
        elif isinstance(node, sp.exp):
            check_power(sp.E, args[0])
        return check_size(node.func(*args))

    return walk(expr)


def show(expr: sp.Expr, values: dict[sp.Symbol, Value]) -> sp.Expr:
    """The expression with each symbol replaced by a `Literal` of its value.

    Functions (`exp`, `log`) of Literals are left unevaluated: a Literal is an atom,
    so they would not simplify anyway, and `exp` made sympy deduce facts about the
    values inside it, a fifth of solving a variant. Sums and products are rebuilt as
    usual (their order is the printers' business).
    """
    literals = {s: Literal(s.name, v) for s, v in values.items()}

    def walk(node: sp.Basic) -> sp.Basic:
        if node in literals:
            return literals[node]
        if not node.args:
            return node
        args = [walk(arg) for arg in node.args]
        if all(new is old for new, old in zip(args, node.args, strict=True)):
            return node
        if isinstance(node, sp.Function):
            return node.func(*args, evaluate=False)
        return node.func(*args)

    return walk(expr)


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
        if item.is_extended_real is False or item.has(sp.I):
            raise DomainError(f"{name} is not a real number (a root of a negative "
                              "number?)")
    return value
