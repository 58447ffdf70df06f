"""Grading a careful marker would sign: raw numbers, ambiguous and upstream mistakes.

Expected values are computed here from the problem statements, not by the engine.
"""

from __future__ import annotations

import pytest

from derivations.grade.grader import Grader

D_MODEL, LAYERS, FP16 = 12288, 96, 2
E5_PARAMS = 2 * D_MODEL * D_MODEL * LAYERS          # query and value, every layer
E5_BYTES = E5_PARAMS * FP16
E6_PARAMS = 2 * LAYERS * 4 * (D_MODEL + D_MODEL)    # rank 4, A and B, two projections
E6_BYTES = E6_PARAMS * FP16


@pytest.fixture(scope="module")
def grader(solved) -> Grader:
    return Grader(solved["genai_week4"])


def mark(grader: Grader, **answers: str):
    written = {key.replace("__", "."): value for key, value in answers.items()}
    return grader.grade("s", written).answers


def test_bare_byte_count_for_a_gib_question_is_read_as_bytes(grader):
    verdict = mark(grader, E5__bytes=str(E5_BYTES))["E5.bytes"]
    assert verdict.verdict == "correct"
    assert verdict.feedback.startswith(f"Read as {E5_BYTES:,} bytes".replace(",", " "))


def test_bare_byte_count_for_a_mib_question_is_read_as_bytes(grader):
    assert mark(grader, E6__bytes=str(E6_BYTES))["E6.bytes"].verdict == "correct"


def test_small_bare_number_stays_in_the_display_unit(grader):
    verdict = mark(grader, E5__bytes="54")["E5.bytes"]  # 54 GiB
    assert verdict.verdict == "correct"
    assert "Read as" not in verdict.feedback


def test_carried_forward_through_a_bare_byte_count(grader):
    one_matrix = E6_PARAMS // 2
    verdicts = mark(grader, E6__params=str(one_matrix), E6__bytes=str(one_matrix * FP16))
    assert verdicts["E6.params"].diagnosis == "one_lora_matrix"
    assert verdicts["E6.bytes"].verdict == "carried-forward"


def test_ambiguous_value_names_every_explanation_most_likely_first(grader):
    verdict = mark(grader, E6__bytes=f"{E6_BYTES / 2:.3e} bytes")["E6.bytes"]
    assert verdict.verdict == "wrong"
    assert verdict.diagnosis == "one_lora_matrix"
    assert "wrong_dtype" in verdict.alternatives
    assert verdict.feedback.startswith("Either: You counted one LoRA matrix")
    assert "Or: You used 1 byte per parameter (int8)" in verdict.feedback
    assert verdict.as_json()["diagnoses"][0] == "one_lora_matrix"


def test_mistake_upstream_of_the_asked_quantity_is_diagnosed(grader):
    one_layer = E5_BYTES // LAYERS
    verdict = mark(grader, E5__bytes=f"{one_layer:.3e} bytes")["E5.bytes"]
    assert verdict.verdict == "wrong"
    assert verdict.diagnosis == "forgot_layers"
    assert "in E5.params" in verdict.feedback


@pytest.mark.parametrize("count,word", [(1, "1 byte per parameter"),
                                        (4, "4 bytes per parameter")])
def test_byte_grammar(grader, count, word):
    wrong = E5_PARAMS * count
    verdict = mark(grader, E5__bytes=f"{wrong} B")["E5.bytes"]
    assert word in verdict.feedback


def test_one_bytes_never_appears(grader):
    for key in grader.keys.values():
        for slip in key.slips:
            assert "1 bytes" not in slip.feedback
