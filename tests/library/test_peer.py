"""The library side by side with llm-analysis (a peer calculator, installed with
`pip install --no-deps llm-analysis` and `fire`; see the Makefile).

Our numbers come from sheets solved by the engine, the way a user gets them; theirs from
llm-analysis's own functions on the model and GPU configs it ships. Equal within 0.1%,
or the difference is a documented convention, computed here and checked to be exactly
the difference:

- MLP: llm-analysis always counts two matrices of its config's `ffn_embed_dim` (for
  Llama-2-70B 4 x 8192, not the SwiGLU's three of 28,672), so the comparison uses our
  `mlp_parameters`; the real Llama-2-70B, with `mlp_parameters_gated` and untied
  embeddings, is the 68,976,648,192 its model card gives.
- Gradients: llm-analysis keeps them in fp32 (`master_weights_dtype_bytes = 4`): with
  Adam's 12 optimizer bytes that is DeepSpeed's 18 bytes per parameter, where the
  library's mixed-precision default is 2 + 2 + 12 = 16. Compared with b_g = 4.
- Embeddings under pipeline parallelism: llm-analysis puts them on every stage (the
  heaviest stage), the library spreads all N evenly; the transformer layers are
  compared, the embeddings named.
- Forward FLOPs: ours (`transformer_forward_flops`) counts the softmax (3 H s^2 per
  layer) and leaves out the logits; llm-analysis counts the logits (2 b s h V) and not
  the softmax.
- Latency: llm-analysis takes, per operator, the larger of compute and memory time and
  adds activation reads; the library's prefill and decode formulas are the two bounds.
  Compared per layer of MLP, where each bound is the larger one.
- Activations: with Korthikanti et al.'s conventions (scores kept, dropout masks, 16-bit
  norm inputs) llm-analysis's components give exactly 34 + 5as/h (10 + 24/t + 5as/(ht)
  without sequence parallelism); its defaults differ by flash attention, fp32 norm
  inputs and no MLP dropout mask, each term computed here.
"""

from __future__ import annotations

import logging
import math

import pytest

# Not skipped when missing: `make install` adds it, and a peer test that skips
# silently would compare nothing.
from llm_analysis.analysis import DSZeRO, LLMAnalysis
from llm_analysis.config import (
    ParallelismConfig,
    get_dtype_config_by_name,
    get_gpu_config_by_name,
    get_model_config_by_name,
)
from llm_analysis.logger import logger

from tests.library.one_ask import solve_one

logger.setLevel(logging.ERROR)

MODELS = ["upstage_Llama-2-70b-instruct-v2", "facebook_opt-13b", "NousResearch_Llama-2-7b-hf"]
A100 = "a100-sxm-80gb"


def peer(model: str, tp: int = 1, pp: int = 1, dp: int = 1) -> LLMAnalysis:
    return LLMAnalysis(get_model_config_by_name(model), get_gpu_config_by_name(A100),
                       get_dtype_config_by_name("w16a16e16"),
                       ParallelismConfig(tp_size=tp, pp_size=pp, dp_size=dp),
                       flops_efficiency=1, hbm_memory_efficiency=1)


def ours(formula: str, **given: float | str) -> float:
    """One ask of `formula`, solved by the engine from a sheet with these givens."""
    return solve_one(formula, given)


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-3)


def shape(model: str) -> dict[str, int]:
    config = get_model_config_by_name(model)
    return {"d_model": config.hidden_dim, "n_heads": config.n_head,
            "n_kv": config.num_key_value_heads, "d_ff": config.ffn_embed_dim,
            "n_layers": config.num_layers, "n_vocab": config.vocab_size}


@pytest.mark.parametrize("model", MODELS)
def test_parameter_counts(model):
    s, them = shape(model), peer(model)
    attn = ours("attention_parameters", d_model=s["d_model"], n_heads=s["n_heads"],
                n_kv=s["n_kv"])
    mlp = ours("mlp_parameters", d_model=s["d_model"], d_ff=s["d_ff"])
    layer = ours("layer_parameters", P_attn=attn, P_mlp=mlp, d_model=s["d_model"])
    emb = ours("embedding_parameters_tied", n_vocab=s["n_vocab"], d_model=s["d_model"])
    total = ours("model_parameters", n_layers=s["n_layers"], P_layer=layer, P_emb=emb,
                 d_model=s["d_model"])
    assert close(attn, them.get_num_params_per_layer_attn())
    assert close(mlp, them.get_num_params_per_layer_mlp())
    assert close(layer, them.get_num_params_per_layer())
    assert close(emb, them.get_num_params_embedding())
    assert close(total, them.get_num_params_total())


def test_the_real_llama_2_70b_with_its_gated_mlp_and_untied_embeddings():
    attn = ours("attention_parameters", d_model=8192, n_heads=64, n_kv=8)
    mlp = ours("mlp_parameters_gated", d_model=8192, d_ff=28672)
    layer = ours("layer_parameters", P_attn=attn, P_mlp=mlp, d_model=8192)
    emb = ours("embedding_parameters_untied", n_vocab=32000, d_model=8192)
    total = ours("model_parameters", n_layers=80, P_layer=layer, P_emb=emb, d_model=8192)
    assert total == 68_976_648_192  # the model card's count
    assert total / peer(MODELS[0]).get_num_params_total() == pytest.approx(1.2475, abs=1e-4)


STAGES = {0: "model_states_3d", 1: "model_states_3d_zero1", 2: "model_states_3d_zero2",
          3: "model_states_3d_zero3"}


@pytest.mark.parametrize("stage", [0, 1, 2, 3])
@pytest.mark.parametrize(("tp", "pp", "dp"), [(8, 4, 4), (2, 1, 8), (1, 2, 2)])
def test_model_states_per_gpu_under_3d_parallelism_and_zero(stage, tp, pp, dp):
    """Weights, fp32 gradients and Adam's 12 bytes of the transformer layers per GPU."""
    model = MODELS[0]
    them = peer(model, tp, pp, dp)
    zero = [DSZeRO.NONE, DSZeRO.STAGE_1, DSZeRO.STAGE_2, DSZeRO.STAGE_3][stage]
    layers = them.model_config.num_layers / pp
    weights = them.get_weight_memory_per_layer(ds_zero=zero)
    optimizer, gradients = them.get_memory_optimizer_state_and_gradient_per_layer(
        ds_zero=zero)
    theirs = layers * (weights + optimizer + gradients)
    per_layer = them.get_num_params_per_layer()
    given = {"b_w": 2, "b_g": 4, "k_os": 12, "N": per_layer * them.model_config.num_layers,
             "t_tp": tp, "p_pp": pp}
    if stage:
        given["n_dp"] = dp
    assert close(ours(STAGES[stage], **given), theirs)


def test_embeddings_sit_on_every_pipeline_stage_in_llm_analysis():
    them = peer(MODELS[0], tp=8, pp=4, dp=1)
    embedding = them.get_memory_embedding()
    assert close(embedding, them.get_num_params_embedding() * 2 / 8)  # / tp, not / tp pp


@pytest.mark.parametrize("model", MODELS)
def test_kv_cache(model):
    s, them = shape(model), peer(model)
    batch, context = 4, 2048
    mine = ours("kv_cache_memory", n_layers=s["n_layers"], n_kv=s["n_kv"],
                d_head=s["d_model"] // s["n_heads"], n_ctx=context, b=batch, b_w=2)
    assert close(mine, s["n_layers"] * them.get_memory_kv_cache_per_layer(batch, context))


def test_forward_flops_differ_by_the_softmax_and_the_logits():
    model = "facebook_opt-13b"  # multi-head attention: llm-analysis validates its own count
    s, them = shape(model), peer(model)
    batch, context = 2, 2048
    mine = ours("transformer_forward_flops", b=batch, n_layers=s["n_layers"],
                n_ctx=context, d_model=s["d_model"], n_heads=s["n_heads"])
    softmax = batch * s["n_layers"] * 3 * s["n_heads"] * context**2
    logits = 2 * batch * context * s["d_model"] * s["n_vocab"]
    assert close(mine - softmax + logits, them.get_num_flops_fwd_total(batch, context))
    assert not close(mine, them.get_num_flops_fwd_total(batch, context))


@pytest.mark.parametrize("model", MODELS)
def test_prefill_and_decode_time_of_an_mlp_layer(model):
    """Prefill of 2,048 tokens is compute-bound, decoding one token memory-bound: each
    of our bounds is llm-analysis's max for that case."""
    tp = 8 if model == MODELS[0] else 1
    them = peer(model, tp=tp)
    gpu = get_gpu_config_by_name(A100)
    flops, bandwidth = gpu.peak_fp16_TFLOPS * 1e12, gpu.hbm_bandwidth_in_GB_per_sec * 1e9
    mlp = them.get_num_params_per_layer_mlp()
    prefill = ours("prefill_time", N=mlp, b=1, n_ctx=2048, n_gpu=tp, F_gpu=flops, u=1)
    assert close(prefill, them.get_latency_fwd_per_layer_mlp(1, 2048))
    # an MLP layer reads no KV cache (a quantity of the library is positive: one byte);
    # llm-analysis also reads the layer's activations for the one token, 0.01% of it
    decode = ours("decode_time_per_token", M_w=2 * mlp, M_kv=1, n_gpu=tp, BW_hbm=bandwidth)
    assert close(decode, them.get_latency_fwd_per_layer_mlp(1, 1))


def test_roofline_batch_is_llm_analysis_pivot():
    them = peer(MODELS[0])
    gpu = get_gpu_config_by_name(A100)
    mine = ours("roofline_batch", F_gpu=gpu.peak_fp16_TFLOPS * 1e12, b_w=2,
                BW_hbm=gpu.hbm_bandwidth_in_GB_per_sec * 1e9)
    assert close(mine, them.get_pivot())


def their_activations(them: LLMAnalysis, batch: int, seq: int) -> float:
    """llm-analysis's activations of one layer, with Korthikanti et al.'s conventions:
    attention scores kept (no flash attention), softmax and MLP dropout masks, 16-bit
    layer-norm inputs."""
    attention = them.get_activation_memory_per_layer_attn(
        batch, seq, is_inference=False, flash_attn=False, softmax_dropout=True)
    mlp = them.get_activation_memory_per_layer_mlp(batch, seq, is_inference=False,
                                                   with_dropout=True)
    norms = 2 * them.get_activation_memory_per_layernorm(batch, seq, dtype_bytes=2)
    return attention + mlp + norms


@pytest.mark.parametrize(("model", "tp"), [(MODELS[0], 8), ("facebook_opt-13b", 4)])
@pytest.mark.parametrize("sequence_parallel", [True, False])
def test_activation_memory_per_gpu(model, tp, sequence_parallel):
    s = shape(model)
    them = LLMAnalysis(get_model_config_by_name(model), get_gpu_config_by_name(A100),
                       get_dtype_config_by_name("w16a16e16"),
                       ParallelismConfig(tp_size=tp, sp_size=tp if sequence_parallel else 1))
    batch, seq = 2, 2048
    mine = ours("activation_memory_tp_sp" if sequence_parallel else "activation_memory_tp",
                n_layers=s["n_layers"], n_ctx=seq, b=batch, d_model=s["d_model"],
                n_heads=s["n_heads"], t_tp=tp)
    assert close(mine, s["n_layers"] * their_activations(them, batch, seq))


def test_llm_analysis_default_activations_differ_by_flash_attention_and_fp32_norms():
    """Its defaults: flash attention keeps (2sbh + 4asb) 16-bit values instead of the
    5as^2b bytes of scores, softmax and its dropout; layer-norm inputs in fp32; no MLP
    dropout mask. Those three terms, and nothing else, separate the counts."""
    model, tp = MODELS[0], 8
    s, them = shape(model), peer(model, tp=tp)
    b, seq, h, a = 2, 2048, s["d_model"], s["n_heads"]
    mine = ours("activation_memory_tp_sp", n_layers=1, n_ctx=seq, b=b, d_model=h,
                n_heads=a, t_tp=tp)
    scores = 5 * a * seq**2 * b / tp
    flash = (2 * seq * b * h + 4 * a * seq * b) * 2 / tp
    fp32_norms = 2 * seq * b * h * (4 - 2) / tp
    mlp_dropout = seq * b * h / tp
    theirs = them.get_activation_memory_per_layer(b, seq, is_inference=False)
    assert close(mine - scores + flash + fp32_norms - mlp_dropout, theirs)
