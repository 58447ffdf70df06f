"""Every reference value of the shipped sheets, to 4 significant figures or better.

The expected numbers are the issue's reference values, and the scalar ones are also
recomputed here independently with plain floating point (math module), so a wrong
formula in the library cannot agree with itself.
"""

from __future__ import annotations

import math

import pytest

N, D, E, A, B, ALPHA, BETA = 67e9, 4.1e12, 1.69, 406.4, 410.7, 0.34, 0.28


def chinchilla(n: float, d: float) -> float:
    return E + A / n**ALPHA + B / d**BETA


def tokens_for(loss: float, n: float) -> float:
    return (B / (loss - E - A / n**ALPHA)) ** (1 / BETA)


def extra_epochs(d_eff: float, d: float) -> float:
    return math.log2(1 / (1 - d_eff / (2 * d))) - 1


L1 = chinchilla(N, D)
D2 = tokens_for(0.99 * L1, N)
C2 = 6 * N * D2
D3 = C2 / (6 * 1.41 * N)

GENAI = {
    "E1.C": (1.6482e24, 6 * N * D),
    "E1.L": (1.895506, L1),
    "E2.L_target": (1.876551, 0.99 * L1),
    "E2.D_new": (7.544071e12, D2),
    "E2.C_new": (3.032717e24, C2),
    "E2.extra_epochs": (2.644013, extra_epochs(D2, D)),
    "E3.N_new": (9.447e10, 1.41 * N),
    "E3.D_new": (5.350405e12, D3),
    "E3.extra_epochs": (0.524867, extra_epochs(D3, D)),
    "E4.bytes_one": (3.5e11, 175e9 * 2),
    "E4.bytes_all": (3.5e13, 100 * 175e9 * 2),
    "E5.bytes": (5.7982058496e10, 2 * 12288**2 * 96 * 2),
    "E6.params": (18874368, 2 * 4 * (12288 + 12288) * 96),
    "E6.bytes": (37748736, 2 * 2 * 4 * (12288 + 12288) * 96),
    "E7.rank": (8, 37748736 // (1 * 2 * 12288 * 96 * 2)),
}

DLP = {
    "Q1.steps": (15625, 1e6 / (16 * 4 * 1)),
    "Q3.bytes": (2.8e10, 7e9 * 4),
    "Q4.bytes": (2.8e10, 7e9 * 4),
    "Q5.head_params": (16384, 2048 * 8),
}


def overhead(k_n: float) -> float:
    k_d = (1 - (k_n**-ALPHA - 1) * BETA / ALPHA) ** (-1 / BETA)
    return k_n * k_d - 1


LECTURE = {
    "L1.weights": (2.6e11, 65e9 * 4),
    "L1.training": (1.29e12, 65e9 * (4 + 4 + 8) + 250e9),
    "L1.gpus": (27, math.ceil((65e9 * 16 + 250e9) / 48e9)),
    "L2.forward": (2.74942e14, 80 * (24 * 2048 * 8192**2 + 4 * 2048**2 * 8192
                                     + 3 * 64 * 2048**2)),
    "L2.training": (8.24827e14, 3 * 80 * (24 * 2048 * 8192**2 + 4 * 2048**2 * 8192
                                          + 3 * 64 * 2048**2)),
    "L3.flop": (8.64e19, 1e15 * 86400),
}


def agrees_to_4_figures(actual: float, reference: float) -> bool:
    """`actual` rounds to `reference` at 4 significant figures."""
    half_unit = 0.5 * 10 ** (math.floor(math.log10(abs(reference))) - 3)
    return abs(actual - reference) <= half_unit * 1.000001


def close(actual: float, expected: float, rel: float = 5e-5) -> bool:
    return math.isclose(actual, expected, rel_tol=rel)


@pytest.mark.parametrize("answer_id", sorted(GENAI))
def test_genai_week4(solved, answer_id):
    reference, independent = GENAI[answer_id]
    value = solved["genai_week4"].answers[answer_id].as_float()
    assert close(value, reference)
    assert close(value, independent, 1e-9)


@pytest.mark.parametrize("answer_id", sorted(DLP))
def test_dlp_week4(solved, answer_id):
    reference, independent = DLP[answer_id]
    value = solved["dlp_week4"].answers[answer_id].as_float()
    assert close(value, reference) and close(value, independent, 1e-12)


@pytest.mark.parametrize("answer_id,expected", [
    ("Q2.answer", False), ("Q6.answer", True), ("Q7.answer", True), ("Q8.answer", True)])
def test_dlp_truefalse(solved, answer_id, expected):
    assert solved["dlp_week4"].answers[answer_id].value is expected


@pytest.mark.parametrize("answer_id", sorted(LECTURE))
def test_lecture_examples(solved, answer_id):
    reference, independent = LECTURE[answer_id]
    value = solved["lecture_examples"].answers[answer_id].as_float()
    assert close(value, reference) and close(value, independent, 1e-12)


def test_overheads_of_smaller_models(solved):
    values = solved["lecture_examples"].answers["L5.overhead"].as_float()
    for value, reference in zip(values, (0.02850, 0.2080, 1.886), strict=True):
        assert agrees_to_4_figures(value, reference)
    for value, k_n in zip(values, (0.75, 0.5, 0.25), strict=True):
        assert close(value, overhead(k_n), 1e-9)


def test_quantization(solved):
    answers = solved["lecture_examples"].answers
    assert answers["L6.q_absmax"].as_float() == [49, -20, 127, -111]
    assert close(answers["L6.s_zp"].as_float(), 43.9655, 1e-5)
    assert close(answers["L6.s_zp"].as_float(), 255 / 5.8, 1e-12)
    assert answers["L6.z"].as_float() == -9
    assert answers["L6.q_zp"].as_float() == [44, -31, 127, -128]


def test_compute_optimal_split_spends_the_budget(solved):
    answers = solved["lecture_examples"].answers
    n_opt, d_opt = answers["L4.N_opt"].as_float(), answers["L4.D_opt"].as_float()
    assert close(6 * n_opt * d_opt, 5.76e23, 1e-9)
    g = (ALPHA * A / (BETA * B)) ** (1 / (ALPHA + BETA))
    assert close(n_opt, g * (5.76e23 / 6) ** (BETA / (ALPHA + BETA)), 1e-9)


def test_memory_is_exact_in_binary_units(solved):
    answers = solved["genai_week4"].answers
    assert answers["E5.bytes"].value == 54 * 2**30
    assert answers["E6.bytes"].value == 36 * 2**20


def test_sensitivity_of_tokens_to_target_loss(solved):
    answer = solved["genai_week4"].answers["E2.D_new"]
    assert answer.fragile
    top = answer.sensitivities[0]
    assert top.symbol == "L"
    loss = 0.99 * L1
    independent = loss / (BETA * (loss - E - A / N**ALPHA))
    assert close(abs(top.elasticity), independent, 1e-9)
    assert 65 < abs(top.elasticity) < 67
    shifted = tokens_for(1.88, N) / D2 - 1
    assert close(top.shift, shifted, 1e-9)


def test_robust_answers_carry_no_warning(solved):
    answer = solved["genai_week4"].answers["E1.C"]
    assert not answer.fragile
    assert {s.symbol: round(s.elasticity, 12) for s in answer.sensitivities} == {"N": 1, "D": 1}


def test_quantization_round_trip_errors(solved):
    answers = solved["lecture_examples"].answers
    weights = [1.2, -0.5, 3.1, -2.7]
    scale = 127 / 3.1
    absmax = [w - round(scale * w) / scale for w in weights]
    zp_scale = 255 / 5.8
    zero = -round(zp_scale * -2.7) - 128
    zeropoint = [w - (round(zp_scale * w + zero) - zero) / zp_scale for w in weights]
    for value, expected in zip(answers["L6.err_absmax"].as_float(), absmax, strict=True):
        assert math.isclose(value, expected, rel_tol=1e-9, abs_tol=1e-12)
    for value, expected in zip(answers["L6.err_zp"].as_float(), zeropoint, strict=True):
        assert math.isclose(value, expected, rel_tol=1e-9, abs_tol=1e-12)
