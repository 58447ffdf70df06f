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
                     "ClipInt8": lambda x: min(max(x, -128), 127),
                     "ceiling": math.ceil, "floor": math.floor}, "math"]


def carried_function(solution: Solution, answer_id: str
                     ) -> tuple[Callable[..., float], list[str]] | None:
    """The answer as a float function of the earlier answers the sheet links it to."""
    generic = _generic_function(solution, answer_id)
    if generic is None:
        return None
    function, names = generic
    upstream = [name for name in names if not name.startswith("given:")]
    fixed = {i: to_float(solution.given_values[name.removeprefix("given:")])
             for i, name in enumerate(names) if name.startswith("given:")}
    if not fixed:
        return function, upstream

    def at(*answers: float) -> float:
        given = iter(answers)
        return function(*(fixed[i] if i in fixed else next(given) for i in range(len(names))))
    return at, upstream


#: Generic carried functions by sheet shape (see `_shape`), so the variants of a
#: sheet and every grader of them derive and compile each one once: that symbolic
#: re-solve had been a third of vetting a variant.
_GENERIC: dict[tuple, tuple[Callable[..., float], list[str]] | None] = {}
_GENERIC_LIMIT = 4096


def _generic_function(solution: Solution, answer_id: str
                      ) -> tuple[Callable[..., float], list[str]] | None:
    """The answer as a function of earlier answers and of the sheet's number givens
    (arguments named by answer id, or `given:KEY`), derived once per sheet shape."""
    shape = _shape(solution, answer_id)
    if shape not in _GENERIC:
        found = as_function_of_answers(solution, answer_id, givens=True)
        if found is not None and not any(not name.startswith("given:")
                                          for name in found[1].values()):
            found = None  # a function of givens only: no earlier answer to carry
        if found is None:
            generic = None
        else:
            expr, placeholders = found
            ordered = sorted(placeholders, key=lambda s: s.name)
            generic = (sp.lambdify(ordered, expr, modules=LAMBDIFY_MODULES),
                       [placeholders[s] for s in ordered])
        if len(_GENERIC) >= _GENERIC_LIMIT:
            _GENERIC.clear()
        _GENERIC[shape] = generic
    return _GENERIC[shape]


def _shape(solution: Solution, answer_id: str) -> tuple:
    """What the generic function depends on: the sheet's text (its asks, binds and
    formulas), the closed form this variant chose, and every given that is computed
    from others (a random choice may be an expression)."""
    sheet = solution.sheet
    computed = tuple(sorted((g.key, g.expr.text) for g in sheet.all_givens()
                            if g.expr.names))
    return (sheet.file, sheet.source, answer_id, solution.answers[answer_id].expression,
            computed)


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
