"""problems/gpu_memory.toml against an independent float computation of every answer."""

from __future__ import annotations

import math

import pytest

from tests.conftest import load

N, D_MODEL, LAYERS, HEADS, CTX, BATCH = 13e9, 5120, 40, 40, 4096, 1
BF16, ADAM_MIXED, GPU = 2, 4 + 4 + 4, 80e9  # master copy + momentum + variance in fp32
STATES = (BF16 + BF16 + ADAM_MIXED) * N
ACT_NONE = LAYERS * CTX * BATCH * D_MODEL * (34 + 5 * HEADS * CTX / D_MODEL)
ACT_SELECTIVE = LAYERS * CTX * BATCH * D_MODEL * 34
ACT_FULL = LAYERS * CTX * BATCH * D_MODEL * 2
KV = 2 * LAYERS * 40 * 128 * BATCH * BF16  # per token of context
MFU = 6 * N * 12000 / (8 * 312e12)

EXPECTED = {
    "G1.plain": STATES, "G1.fits": STATES <= GPU, "G1.zero3": STATES / 8,
    "G2.none": ACT_NONE, "G2.selective": ACT_SELECTIVE, "G2.full": ACT_FULL,
    "G2.too_big": ACT_NONE > GPU,
    "G3.gpus_selective": math.ceil(STATES / (GPU - ACT_SELECTIVE)),
    "G3.gpus_full": math.ceil(STATES / (GPU - ACT_FULL)),
    "G4.kv_4k": KV * 4096, "G4.kv_32k": KV * 32768,
    "G5.mfu": MFU, "G5.time": 6 * N * 260e9 / (64 * 312e12 * MFU),
}


@pytest.fixture(scope="module")
def answers():
    from derivations.solver import engine

    return engine.solution_of(load("gpu_memory")).answers


@pytest.mark.parametrize("aid", sorted(EXPECTED))
def test_gpu_memory_values(answers, aid):
    value = answers[aid].as_float()
    if isinstance(EXPECTED[aid], bool):
        assert value is EXPECTED[aid]
    else:
        assert math.isclose(value, EXPECTED[aid], rel_tol=1e-12), (value, EXPECTED[aid])


def test_the_sizing_story_holds():
    assert STATES > GPU > ACT_SELECTIVE  # plain DP cannot fit; ZeRO-3 with recompute can
    assert EXPECTED["G3.gpus_full"] < EXPECTED["G3.gpus_selective"]


def test_lecture_llama_and_repeated_data():
    from derivations.solver import engine

    answers = engine.solution_of(load("lecture_examples")).answers
    alpha, beta, k_n = 0.34, 0.28, 0.57
    k_d = (1 - (k_n**-alpha - 1) * beta / alpha) ** (-1 / beta)
    assert math.isclose(answers["L7.k_D"].as_float(), k_d, rel_tol=1e-12)
    assert math.isclose(answers["L7.overhead"].as_float(), k_n * k_d - 1, rel_tol=1e-12)
    unique = 4.1e12
    assert math.isclose(answers["L8.halving"].as_float(), 2 * (1 - 2**-4) * unique,
                        rel_tol=1e-12)
    fitted = unique + unique * 15.4 * (1 - math.exp(-3 / 15.4))
    assert math.isclose(answers["L8.fitted"].as_float(), fitted, rel_tol=1e-12)


def test_critical_model_size_is_the_numeric_root():
    from derivations.solver import engine

    answer = engine.solution_of(load("lecture_examples")).answers["L9.k_N"]
    alpha, beta = 0.34, 0.28

    def overhead(k: float) -> float:
        return k * (1 - (k**-alpha - 1) * beta / alpha) ** (-1 / beta) - 1

    low, high = 0.1, 1.0  # bisection by hand: overhead falls from above 1 to 0
    for _ in range(200):
        middle = (low + high) / 2
        low, high = (middle, high) if overhead(middle) > 1 else (low, middle)
    assert math.isclose(answer.as_float(), low, rel_tol=1e-12)
    assert any("numerically" in step.text for step in answer.steps)


def test_several_numeric_roots_are_ambiguous(sheet_file, runner):
    from derivations.cli import main

    path = sheet_file('title = "t"\n[given]\nalpha = 0.34\nbeta = 0.28\n[[problems]]\n'
                      'id = "P"\n[[problems.asks]]\nid = "k"\n'
                      'equation = "C_oh = k_N * (1 - (k_N^(-alpha) - 1) * beta / alpha)'
                      '^(-1/beta) - 1"\nsolve_for = "k_N"\nbind = { C_oh = "1" }\n')
    result = runner.invoke(main, ["solve", str(path)])
    assert result.exit_code == 2 and "several numeric roots" in result.stderr


def test_float_formats_against_python_struct():
    import struct

    from derivations.solver import engine

    answers = engine.solution_of(load("lecture_examples")).answers
    fp32 = struct.unpack(">f", int("0" + "10000000" + "10010010000111111011011", 2)
                         .to_bytes(4, "big"))[0]
    fp16 = struct.unpack(">e", int("0" + "10000" + "1001001000", 2).to_bytes(2, "big"))[0]
    nearest = struct.unpack(">e", struct.pack(">e", 3.14159265358979))[0]
    assert answers["L10.fp32"].as_float() == fp32
    assert answers["L10.fp16"].as_float() == fp16 == 3.140625
    assert answers["L10.nearest"].as_float() == nearest
    assert math.isclose(answers["L10.error"].as_float(), nearest - 3.14159265358979,
                        rel_tol=1e-9)
    assert answers["L11.fp16_max"].as_float() == 65504.0
    assert answers["L11.bf16_max"].as_float() == (2 - 2**-7) * 2.0**127
    assert answers["L11.fp16_eps"].as_float() == 2.0**-10
    assert answers["L11.bf16_eps"].as_float() == 2.0**-7
    assert answers["L11.int8_max"].as_float() == 127
