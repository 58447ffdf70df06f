"""Answers as functions of other answers (`solver.dependence`): what carried-forward
judging evaluates with a student's own earlier values. Checked by evaluating the
function at values chosen here and comparing with arithmetic done here."""

from __future__ import annotations

import math

from derivations.pipeline import solve_file
from derivations.solver.dependence import as_function_of_answers, inputs_from_answers
from tests.conftest import PROBLEMS

GENAI = PROBLEMS / "genai_week4.toml"


def test_the_target_loss_is_a_percent_below_the_students_own_loss():
    solution = solve_file(GENAI)
    found = as_function_of_answers(solution, "E2.L_target")
    assert found is not None
    expr, used = found
    assert set(used.values()) == {"E1.L"}
    (placeholder,) = used
    assert math.isclose(float(expr.subs(placeholder, 2.0)), 0.99 * 2.0)


def test_tokens_follow_from_an_earlier_compute_and_model_size():
    solution = solve_file(GENAI)
    found = as_function_of_answers(solution, "E3.D_new")
    assert found is not None
    expr, used = found
    by_id = {answer: symbol for symbol, answer in used.items()}
    assert set(by_id) == {"E2.C_new", "E3.N_new"}
    value = expr.subs({by_id["E2.C_new"]: 3e24, by_id["E3.N_new"]: 1e11})
    assert math.isclose(float(value), 3e24 / (6 * 1e11))


def test_an_answer_from_givens_only_depends_on_no_answer():
    solution = solve_file(GENAI)
    assert as_function_of_answers(solution, "E1.C") is None
    inputs, placeholders = inputs_from_answers(solution, "E1.C") or ({}, {})
    assert {s.name for s in inputs} == {"N", "D"}
    assert all(not (v.free_symbols & set(placeholders)) for v in inputs.values())
