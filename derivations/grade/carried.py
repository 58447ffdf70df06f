"""An answer as a function of earlier answers: how error carried forward is recognised.

Two sources. The sheet's own links (`bind = { N = "bytes_one / b_w" }`, a given such as
`"0.99 * E1.L"`) give the function directly (`solver.dependence.as_function_of_answers`).
Where the sheet does not link two answers, the closed forms may still show the link a
marker sees: an answer whose inputs reach it only through an earlier answer (the
memory of 100 copies is 100 × the memory of one; the same weights loaded again are
the same bytes). That is found symbolically, once per sheet: solve the earlier
answer's closed form for one of its inputs, substitute, and keep the result when none
of the earlier answer's inputs is left.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import sympy as sp

from derivations.limits import LimitError
from derivations.numbers import to_float
from derivations.solver.algebra import rearrange
from derivations.solver.dependence import as_function_of_answers
from derivations.solver.solution import Answer, Literal, Solution

LAMBDIFY_MODULES = [{"RoundHalfAway": lambda x: math.copysign(math.floor(abs(x) + 0.5), x),
                     "ceiling": math.ceil, "floor": math.floor}, "math"]


def carried_function(solution: Solution, answer_id: str
                     ) -> tuple[Callable[..., float], list[str]] | None:
    """The answer as a float function of the earlier answers the sheet links it to."""
    found = as_function_of_answers(solution, answer_id)
    if found is None:
        return None
    expr, placeholders = found
    ordered = sorted(placeholders, key=lambda s: s.name)
    function = sp.lambdify(ordered, expr, modules=LAMBDIFY_MODULES)
    return function, [placeholders[s] for s in ordered]


def structural_carried(solution: Solution, answer: Answer, earlier: list[str],
                       integer: Callable[[float], float] | None
                       ) -> tuple[Callable[..., float], list[str]] | None:
    """The answer as a function of the nearest earlier answer its closed form reaches
    its inputs through, when the sheet links none (see the module docstring)."""
    if answer.expression is None or any(isinstance(v, tuple) for v in answer.inputs.values()):
        return None
    mine = _inputs(answer)
    for other_id in reversed(earlier):
        other = solution.answers.get(other_id)
        if other is None or other.expression is None or not isinstance(other.value, sp.Expr):
            continue
        theirs = _inputs(other)
        if not theirs or set(theirs) - set(mine) or any(
                to_float(other.inputs[n]) != to_float(answer.inputs[n]) for n in theirs):
            continue
        found = _through(answer, other, mine, theirs)
        if found is not None:
            if integer is not None:
                inner = found
                found = lambda a, f=inner: integer(f(a))  # noqa: E731 - a closure per answer
            return found, [other_id]
    return None


def _inputs(answer: Answer) -> dict[str, sp.Symbol]:
    assert answer.expression is not None
    return {s.name: s for s in answer.expression.free_symbols if not isinstance(s, Literal)}


def _through(answer: Answer, other: Answer, mine: dict[str, sp.Symbol],
             theirs: dict[str, sp.Symbol]) -> Callable[[float], float] | None:
    assert answer.expression is not None and other.expression is not None
    placeholder = sp.Symbol("earlier_answer", positive=True)
    for name in sorted(theirs):
        try:
            forms = rearrange(sp.Eq(placeholder, other.expression), theirs[name])
        except (LimitError, ValueError, TypeError, NotImplementedError):
            continue
        for form in forms:
            expr = sp.cancel(answer.expression.subs(mine[name], form))
            left = {s.name for s in expr.free_symbols} & set(theirs)
            if left or placeholder not in expr.free_symbols:
                continue
            values = {s: answer.inputs[s.name] for s in expr.free_symbols
                      if s is not placeholder and s.name in answer.inputs}
            function = sp.lambdify([placeholder], expr.subs(values), modules=LAMBDIFY_MODULES)
            return function
    return None
