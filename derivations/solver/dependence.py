"""One answer as a function of the other answers: what carried-forward judging needs.

Why a module of its own: the engine solves a sheet once with numbers; recognising error
carried forward re-solves one ask with every other answer replaced by a placeholder, a
second, symbolic use of the same solver that the grader and check-work share.
"""

from __future__ import annotations

import dataclasses

import sympy as sp

from derivations.solver.engine import INTEGER_MODES, Solver
from derivations.solver.solution import Literal, Solution
from derivations.solver.substitution import evaluate, scalar


def as_function_of_answers(solution: Solution, answer_id: str, givens: bool = False
                           ) -> tuple[sp.Expr, dict[sp.Symbol, str]] | None:
    """One answer as an expression of the other answers it is computed from.

    Every other scalar answer is replaced by a placeholder symbol and the ask is
    recomputed symbolically from its chosen closed form, so the result says how the
    answer follows from the earlier answers (a grader evaluates it with a student's
    own earlier values to recognise error carried forward). None when the answer
    depends on no other answer, or is a true/false or vector answer.

    `givens`: the givens written as plain numbers stay symbols too (placeholders
    mapped to `given:KEY`), so that one expression serves every variant of a sheet.
    """
    found = inputs_from_answers(solution, answer_id, givens)
    answer = solution.answers[answer_id]
    if found is None or answer.expression is None:
        return None
    values, placeholders = found
    expr = scalar(evaluate(answer.expression, values))
    if answer.integer:
        expr = INTEGER_MODES[answer.integer](expr)
    used = {s: placeholders[s] for s in expr.free_symbols if s in placeholders}
    return (expr, used) if used else None


def inputs_from_answers(solution: Solution, answer_id: str, givens: bool = False
                        ) -> tuple[dict[sp.Symbol, sp.Expr], dict[sp.Symbol, str]] | None:
    """The inputs of an answer, each as an expression of placeholders for other answers.

    Returns (input symbol -> expression, placeholder -> answer id); None for answers
    without a closed form or with vector inputs.
    """
    sheet = solution.sheet
    answer = solution.answers[answer_id]
    if answer.expression is None or not isinstance(answer.value, sp.Expr):
        return None
    solver = Solver(sheet, symbolic=True)
    placeholders: dict[sp.Symbol, str] = {}
    for other_id, other in solution.answers.items():
        if other_id != answer_id and isinstance(other.value, sp.Expr):
            placeholder = sp.Symbol(f"answer_{len(placeholders)}")
            placeholders[placeholder] = other_id
            solver.answers[other_id] = dataclasses.replace(other, value=placeholder)
    if givens:
        for key, value in solution.given_values.items():
            if not isinstance(value, tuple) and not sheet.given_at(key).expr.names:
                placeholder = sp.Symbol(f"given_{len(placeholders)}")
                placeholders[placeholder] = f"given:{key}"
                solver.given_values[key] = placeholder
    problem = sheet.problem(answer.problem)
    ask = sheet.ask(answer_id)
    symbols = {s.name: s for s in answer.expression.free_symbols if not isinstance(s, Literal)}
    values = {s: solver.lookup(name, problem, ask) for name, s in symbols.items()}
    if any(isinstance(v, tuple) for v in values.values()):
        return None
    return {s: scalar(v) for s, v in values.items()}, placeholders

