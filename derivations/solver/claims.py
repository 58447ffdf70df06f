"""True/false asks: the engine judges a claim instead of taking it on faith.

A claim is judged in one of three ways, chosen by the sheet:
  holds       a comparison evaluated on the sheet's values (`Q1.steps == 1`);
  derivative  the sign of a partial derivative of a library formula, decided from the
              symbols' assumptions (all sizes are positive), e.g. dP/dr = m(d_in+d_out)n > 0;
  answer      a conceptual verdict the instructor states, with a justification.
"""

from __future__ import annotations

from typing import Protocol

import sympy as sp

from derivations.errors import DomainError, UnknownName
from derivations.library import formula
from derivations.sheet.model import Ask, Problem
from derivations.solver.algebra import decide, rearrange
from derivations.solver.solution import Answer, Literal, Step, Value, decimal_literal


class NameLookup(Protocol):
    """What judging a claim needs from the engine (`engine.Solver`): the value of a name
    in context."""

    def lookup(self, name: str, problem: Problem | None, ask: Ask | None = None) -> Value: ...

    def display_unit(self, name: str, problem: Problem | None, ask: Ask | None = None
                     ) -> str: ...

_SIGN_RELATION = {"positive": sp.StrictGreaterThan, "negative": sp.StrictLessThan,
                  "zero": sp.Eq}


def judge(solver: NameLookup, problem: Problem, ask: Ask, answer_id: str) -> Answer:
    """Decide the claim of a true/false ask and record why."""
    truth = ask.truth
    assert truth is not None
    if truth.holds is not None:
        verdict, steps = _holds(solver, problem, ask)
    elif truth.derivative is not None:
        verdict, steps = _derivative(solver, problem, ask, truth.derivative)
    else:
        verdict, steps = bool(truth.answer), []
    if ask.justification:
        steps.append(Step("note", None, ask.justification))
    return Answer(id=answer_id, value=verdict, unit="", display_unit="", sig=0,
                  unknown=sp.Symbol(ask.id), steps=tuple(steps), claim=ask.claim)


def _holds(solver: NameLookup, problem: Problem, ask: Ask) -> tuple[bool, list[Step]]:
    assert ask.truth is not None and ask.truth.holds is not None
    parsed = ask.truth.holds
    symbolic = parsed.build(lambda name: sp.Symbol(name), constant=decimal_literal)
    values = {name: solver.lookup(name, problem, ask) for name in parsed.names}
    for name, value in values.items():
        if isinstance(value, tuple):
            raise DomainError(f"a claim cannot compare the list {name}")
    # each value in the unit the reader saw it in (`208 GB ≤ 80 GB`, not bare bytes)
    units = {name: solver.display_unit(name, problem, ask) for name in parsed.names}
    shown = parsed.build(lambda name: Literal(name, values[name], units[name]),
                         constant=decimal_literal)
    decided = decide(parsed.build(lambda name: values[name]))
    if decided is None:
        raise DomainError("the claim does not evaluate to true or false")
    verdict = decided
    return verdict, [Step("relation", symbolic), Step("substituted", shown),
                     Step("note", None, "the comparison " + ("holds" if verdict else
                                                              "does not hold"))]


def _derivative(solver: NameLookup, problem: Problem, ask: Ask,
                spec: dict[str, str]) -> tuple[bool, list[Step]]:
    found = formula(spec["formula"])
    symbols = {s.name: s for s in found.equation.free_symbols}
    of_name, wrt_name = spec.get("of", found.lhs), spec["wrt"]
    for name in (of_name, wrt_name):
        if name not in symbols:
            raise UnknownName(f"symbol of formula {found.id!r}", name, sorted(symbols))
    of, wrt = symbols[of_name], symbols[wrt_name]
    expr = rearrange(found.equation, of)[0]
    derivative = sp.factor(sp.diff(expr, wrt))
    sign = _sign(derivative)
    steps = [Step("formula", found.equation),
             Step("derivative", sp.Eq(sp.Derivative(of, wrt), derivative, evaluate=False))]
    if sign is None:
        raise DomainError(f"the sign of d{of_name}/d{wrt_name} = {derivative} cannot be "
                          "decided from the symbols' assumptions")
    steps.append(Step("relation", _SIGN_RELATION[sign](derivative, 0, evaluate=False),
                      "every factor is a positive size or count" if sign != "zero" else
                      f"{of_name} does not depend on {wrt_name}"))
    return sign == spec["sign"], steps


def _sign(expr: sp.Expr) -> str | None:
    if expr.is_zero:
        return "zero"
    if expr.is_positive:
        return "positive"
    if expr.is_negative:
        return "negative"
    return None
