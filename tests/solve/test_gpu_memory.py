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
    from derivations.solve import engine

    return engine.solve(load("gpu_memory")).answers


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
