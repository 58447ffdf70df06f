"""The formulas for training at scale and inference, each on its library example,
against the same arithmetic done here in plain Python."""

from __future__ import annotations

import math
from fractions import Fraction as F

import pytest

from derivations.library import formula
from derivations.sheet.spec import load_sheet
from derivations.solver import engine
from tests.library.one_ask import solve_one


def solved(formula_id: str) -> float:
    """The library example of `formula_id`, solved by the engine from a sheet."""
    return solve_one(formula_id, dict(formula(formula_id).example))


def korthikanti(layers, s, b, h, a, t, sequence_parallel):
    per_element = (34 + 5 * a * s / h) / t if sequence_parallel \
        else 10 + 24 / t + 5 * a * s / (h * t)
    return layers * s * b * h * per_element


EXPECTED = {
    "attention_parameters": 2 * 8192**2 + 2 * 8192**2 * 8 / 64,          # 150,994,944
    "mlp_parameters_gated": 3 * 8192 * 28672,
    "mlp_parameters": 2 * 4096 * 16384,
    "layer_parameters": 150994944 + 704643072 + 2 * 8192,
    "embedding_parameters_tied": 50304 * 2048,
    "embedding_parameters_untied": 2 * 32000 * 8192,
    "model_parameters": 80 * 855654400 + 524288000 + 8192,
    "moe_layer_parameters": 41943040 + 8 * 176160768 + 8 * 4096 + 2 * 4096,
    "moe_active_layer_parameters": 41943040 + 2 * 176160768 + 8 * 4096 + 2 * 4096,
    "moe_active_parameters": 32 * 394305536 + 262144000 + 4096,
    "training_compute_active": 6 * 12.9e9 * 1e12,
    "activation_memory_tp": korthikanti(80, 4096, 1, 8192, 64, 8, False),
    "activation_memory_tp_sp": korthikanti(80, 4096, 1, 8192, 64, 8, True),
    "model_states_3d": (2 + 2 + 12) * 70e9 / (8 * 4),
    "model_states_3d_zero1": (2 + 2 + 12 / 16) * 70e9 / (8 * 4),
    "model_states_3d_zero2": (2 + (2 + 12) / 16) * 70e9 / (8 * 4),
    "model_states_3d_zero3": (2 + 2 + 12) * 70e9 / (8 * 4 * 16),
    "pipeline_bubble": float(F(4 - 1, 16 + 4 - 1)),
    "pipeline_in_flight": min(4, 16),
    "pipeline_heaviest_stage": math.ceil(30 / 4),  # 8
    "expert_parallel_parameters": 32 * 8 * 176160768 / 8,
    "moe_all_to_all_volume": 2 * 2 * 1 * 4096 * 4096 * 2 * 7 / 8,
    "allreduce_volume": 2 * 7 / 8 * 140e9,
    "allgather_volume": 7 / 8 * 140e9,
    "dp_gradient_allreduce": 2 * 63 / 64 * 7e9 * 2,
    "zero3_step_volume": 3 * 63 / 64 * 7e9 * 2,
    "tp_allreduce_per_layer": 4 * 2 * 7 / 8 * 1 * 4096 * 8192 * 2,
    "communication_time": 245e9 / 300e9,
    "prefill_time": 2 * 70e9 * 1 * 2048 / (8 * 312e12 * 0.5),
    "decode_time_per_token": (140e9 + 10.7e9) / (8 * 2039e9),
    "decode_throughput": 16 / 0.0092,
    "roofline_batch": 312e12 * 2 / (2 * 2039e9),
    "max_batch_kv": math.floor((640e9 - 140e9) / (2 * 80 * 8 * 128 * 4096 * 2)),  # 372
    "logits_memory": 8 * 4096 * 128256 * 4,
    "run_cost": 853333 * 2,
    "cost_per_1k_tokens": 1000 * 8 * 2 / (3600 * 1740),
}


#: DeepSpeed's ZeRO-3 estimator (deepspeed/runtime/zero/stage3.py) and Accelerate's
#: largest layer, on their library examples.
PRESETS = {
    "deepspeed_zero3_gpu": 4 * 1.05e9 + 18 * 70e9 / 64,
    "deepspeed_zero3_offload_optimizer": 4 * 1.05e9 + 2 * 70e9 / 64,
    "deepspeed_zero3_offload_all": 4 * 1.05e9,
    "deepspeed_zero3_cpu_offload": 1.5 * 18 * 70e9 / 8,
    "largest_layer_memory": 1.05e9 * 2,
}


@pytest.mark.parametrize("formula_id", sorted(EXPECTED) + sorted(PRESETS))
def test_example_against_plain_arithmetic(formula_id):
    expected = {**EXPECTED, **PRESETS}[formula_id]
    assert solved(formula_id) == pytest.approx(expected, rel=1e-12)


def test_every_formula_of_the_new_topics_is_checked_here():
    from derivations.library import architecture, inference, parallelism

    new = {f.id for module in (architecture, parallelism, inference) for f in module.FORMULAS}
    assert new == set(EXPECTED)


def test_the_1f1b_stage_holds_all_micro_batches_when_there_are_fewer_than_stages():
    assert EXPECTED["max_batch_kv"] == 372
    sheet = load_sheet('title = "x"\n[given]\np_pp = 8\nn_mb = 3\n[[problems]]\nid = "E1"\n'
                       '[[problems.asks]]\nid = "x"\nformula = "pipeline_in_flight"\n',
                       "x.toml", "x")
    assert engine.solution_of(sheet).answers["E1.x"].value == 3


def test_the_shipped_70b_sheet_against_plain_arithmetic():
    from derivations.pipeline import read_sheet
    from tests.conftest import PROBLEMS

    answers = engine.solution_of(read_sheet(PROBLEMS / "scale_70b.toml")).answers
    got = {aid: a.as_float() for aid, a in answers.items() if not isinstance(a.value, bool)}
    n = 80 * (2 * 8192**2 + 2 * 8192**2 * 8 // 64 + 3 * 8192 * 28672 + 2 * 8192) \
        + 2 * 32000 * 8192 + 8192
    kv = 2 * 80 * 8 * 128 * 4096 * 16 * 2
    step = (2 * n + kv) / (8 * 2039e9)
    expected = {
        "A1.N": n,
        "A2.M_ms": (2 + 2 + 12 / 16) * n / (8 * 4),
        "A2.M_a": 80 * 4096 * 8192 * (34 + 5 * 64 * 4096 / 8192) / 8,
        "A2.bubble": 3 / 19,
        "A3.V_dp": 2 * 15 / 16 * n / 32 * 2,
        "A3.t_dp": 2 * 15 / 16 * n / 32 * 2 / 25e9,
        "A3.V_tp": 8 * 7 / 8 * 4096 * 8192 * 2,
        "A4.M_kv": kv,
        "A4.T_pre": 2 * n * 16 * 4096 / (8 * 312e12 * 0.5),
        "A4.T_tok": step,
        "A4.R_gen": 16 / step,
        "A4.K_1k": 1000 * 8 * 2 / (3600 * 16 / step),
        "A4.b_crit": 312e12 * 2 / (2 * 2039e9),
        "A4.b_max": (8 * 80e9 - 2 * n) // (2 * 80 * 8 * 128 * 4096 * 2),
    }
    for aid, value in expected.items():
        assert got[aid] == pytest.approx(value, rel=1e-12), aid
    assert answers["A2.fits"].value is (expected["A2.M_ms"] + expected["A2.M_a"] <= 80e9)
