"""What the CAS does for the engine: isolate an unknown, tidy the result, decide a relation.

Pure functions of sympy objects, below both the solver and the claims it judges, so
neither needs to import the other.
"""

from __future__ import annotations

import functools

import sympy as sp

from derivations.limits import (
    EVALF_SECONDS,
    SOLVE_SECONDS,
    LimitError,
    check_degree,
    time_limit,
)
from derivations.solver import cache


@functools.cache
def rearrange(equation: sp.Eq, unknown: sp.Symbol) -> tuple[sp.Expr, ...]:
    """All closed forms of `unknown` that sympy finds in `equation` (cached).

    Why these flags: without simplification and checking, solve is ~40x faster and
    gives the same closed forms for the library's equations; candidates are checked
    numerically against the sheet's values instead.
    """
    if equation.lhs == unknown and unknown not in equation.rhs.free_symbols:
        return (equation.rhs,)
    cached = cache.get(equation, unknown)
    if cached is not None:
        return cached
    check_degree(equation, unknown)
    with time_limit(SOLVE_SECONDS, f"rearranging for {unknown}"):
        result = _solve_for(equation, unknown)
    cache.put(equation, unknown, result)
    return result


def isolate(equation: sp.Eq, unknown: sp.Symbol, seconds: float = 5.0
            ) -> tuple[sp.Expr, ...]:
    """Closed forms of `unknown` in an equation a student wrote.

    Not kept in the rearrangement cache: a write-up's equations are one person's data,
    and the cache is for the library's formulas. Bounded like `rearrange` (degree of
    the unknown, wall-clock limit; `LimitError` beyond them).
    """
    if equation.lhs == unknown and unknown not in equation.rhs.free_symbols:
        return (equation.rhs,)
    check_degree(equation, unknown)
    with time_limit(seconds, f"rearranging for {unknown}"):
        return _solve_for(equation, unknown)


def _solve_for(equation: sp.Eq, unknown: sp.Symbol) -> tuple[sp.Expr, ...]:
    found: list[sp.Expr] = []
    for manual in (True, False):  # manual is several times faster; fall back if it fails
        try:
            found = sp.solve(equation, unknown, simplify=False, check=False, rational=False,
                             manual=manual)
        except LimitError:
            raise
        except Exception:  # noqa: BLE001 - sympy's solvers raise anything on some input
            # (TypeError "cannot determine truth value of Relational" on
            # x**4 + a x**3 e^x - ... = 17): no closed form, which the caller reports
            # as "cannot isolate x", located; never a crash.
            found = []
        found = [s for s in found if unknown not in s.free_symbols]
        if found:
            break
    return tuple(tidy(s) for s in found)


def tidy(expr: sp.Expr) -> sp.Expr:
    """A shorter equal form of a solution: common factors out, roots of positive bases.

    `solve` returns (-B N^a / (A + E N^a - L N^a))^(1/b); this gives the textbook
    (B / (L - E - A/N^a))^(1/b). Only exact identities (factoring, expanding a
    reciprocal) are used, and the shortest form wins.
    """
    expr = sp.factor_terms(expr)
    return expr.replace(lambda e: e.is_Pow and not e.exp.is_Integer,
                        lambda e: sp.Pow(_tidy_base(e.base), e.exp))


def _tidy_base(base: sp.Expr) -> sp.Expr:
    forms = [base, sp.factor_terms(base)]
    if base != 0:
        forms.append(1 / sp.factor_terms(sp.expand(1 / base)))
    return min(forms, key=lambda e: (sp.count_ops(e), _minus_signs(e)))


def _minus_signs(expr: sp.Expr) -> int:
    return sum(1 for e in sp.preorder_traversal(expr) if e.is_Number and e.is_negative)


def decide(relation: sp.Basic) -> bool | None:
    """True or False for a relation between numbers; None if it stays undecided."""
    if relation in (sp.true, sp.false):
        return bool(relation)
    if not isinstance(relation, sp.core.relational.Relational):
        return None
    with time_limit(EVALF_SECONDS, "deciding a comparison"):
        numeric = relation.func(sp.N(relation.lhs, 30), sp.N(relation.rhs, 30))
    if numeric in (sp.true, sp.false):
        return bool(numeric)
    return None
