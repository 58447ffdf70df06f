"""Inference and cost: prefill and decode time, throughput, the roofline crossover, the
largest batch that fits, the logits buffer, GPU-hours and money.

Decoding one token reads every weight and the whole KV cache once and does 2 FLOPs per
parameter per sequence, so at small batch it is bound by memory bandwidth; prefill
processes the prompt's tokens together and is bound by compute (Pope et al. 2022).
"""

from __future__ import annotations

import sympy as sp

from derivations.library.core import Formula, Mistake
from derivations.library.symbols import syms

N, b, n_ctx, n_gpu, F_gpu, u, b_w, b_a = syms("N b n_ctx n_gpu F_gpu u b_w b_a")
M_w, M_kv, M_gpu, BW_hbm, T_pre, T_tok, R_gen = syms("M_w M_kv M_gpu BW_hbm T_pre T_tok R_gen")
n_layers, n_kv, d_head, n_vocab = syms("n_layers n_kv d_head n_vocab")
H_gpu, c_gpu, K_usd, K_1k = syms("H_gpu c_gpu K_usd K_1k")

POPE = "Pope et al. 2022, Efficiently Scaling Transformer Inference"
KIPPLY = "Chen 2022, Transformer Inference Arithmetic (kipply's blog)"
KV_PER_SEQUENCE = 2 * n_layers * n_kv * d_head * n_ctx * b_w

FORMULAS = [
    Formula(
        id="prefill_time",
        title="Prefill time (compute-bound)",
        topic="inference",
        lhs="T_pre",
        rhs=2 * N * b * n_ctx / (n_gpu * F_gpu * u),
        source=POPE,
        example={"N": "70e9", "b": "1", "n_ctx": "2048", "n_gpu": "8", "F_gpu": "312e12",
                 "u": "0.5"},
        mistakes=(Mistake("training_flops_for_prefill", 6 * N * b * n_ctx / (n_gpu * F_gpu * u),
                          "Prefill is a forward pass: $2N$ FLOPs per token, not the $6N$ of "
                          "training."),),
    ),
    Formula(
        id="decode_time_per_token",
        title="Time per generated token (memory-bound)",
        topic="inference",
        lhs="T_tok",
        rhs=(M_w + M_kv) / (n_gpu * BW_hbm),
        source=POPE + "; " + KIPPLY,
        example={"M_w": "140e9", "M_kv": "10.7e9", "n_gpu": "8", "BW_hbm": "2039e9"},
        mistakes=(Mistake("kv_cache_not_read", M_w / (n_gpu * BW_hbm),
                          "Each step reads the KV cache as well as the weights."),),
        note="A lower bound: the weights and the cache are read once per step, at full "
             "bandwidth, split evenly over the GPUs.",
    ),
    Formula(
        id="decode_throughput",
        title="Generated tokens per second",
        topic="inference",
        lhs="R_gen",
        rhs=b / T_tok,
        source=POPE,
        example={"b": "16", "T_tok": "0.0092"},
        mistakes=(Mistake("batch_ignored", 1 / T_tok,
                          "Every sequence of the batch gets a token per step: multiply by "
                          "$b$."),),
    ),
    Formula(
        id="roofline_batch",
        title="Batch at which decoding becomes compute-bound",
        topic="inference",
        lhs="b_crit",
        rhs=F_gpu * b_w / (2 * BW_hbm),
        source=KIPPLY + " (the ratio of FLOPs to memory bandwidth)",
        example={"F_gpu": "312e12", "b_w": "2", "BW_hbm": "2039e9"},
        mistakes=(Mistake("flops_per_parameter_forgotten", F_gpu * b_w / BW_hbm,
                          "A token costs 2 FLOPs per parameter: divide by 2."),),
        note="Below it a step takes the time to read the weights; above it, the time to "
             "compute. The KV cache is left out.",
    ),
    Formula(
        id="max_batch_kv",
        title="Largest batch whose KV cache fits beside the weights",
        topic="inference",
        lhs="b_max",
        rhs=sp.floor((M_gpu - M_w) / KV_PER_SEQUENCE),
        source=POPE + "; whole sequences: round down",
        example={"M_gpu": "640e9", "M_w": "140e9", "n_layers": "80", "n_kv": "8",
                 "d_head": "128", "n_ctx": "4096", "b_w": "2"},
        mistakes=(Mistake("weights_forgotten", sp.floor(M_gpu / KV_PER_SEQUENCE),
                          "The weights take their share of the memory first."),
                  Mistake("not_rounded_down", (M_gpu - M_w) / KV_PER_SEQUENCE,
                          "A batch holds whole sequences: round down."),),
        requires=((M_gpu > M_w, "the weights alone fill the memory: M_w must be below "
                   "M_GPU"),),
        note="Activations and buffers also need room: a real server keeps a margin.",
    ),
    Formula(
        id="logits_memory",
        title="Logits buffer",
        topic="inference",
        lhs="M_log",
        rhs=b * n_ctx * n_vocab * b_a,
        source="The output projection's result: one score per vocabulary entry and "
               "position",
        example={"b": "8", "n_ctx": "4096", "n_vocab": "128256", "b_a": "4"},
        mistakes=(Mistake("last_position_only", b * n_vocab * b_a,
                          "Training (and prefill) computes logits at every position: "
                          "multiply by $s$."),),
        note="fp32 logits for the loss: 4 bytes each.",
    ),
    Formula(
        id="run_cost",
        title="Cost of a run",
        topic="inference",
        lhs="K_usd",
        rhs=H_gpu * c_gpu,
        source="Price per GPU-hour times GPU-hours",
        example={"H_gpu": "853333", "c_gpu": "2"},
        note="GPU-hours from a run's time: `gpu_hours` (compute).",
    ),
    Formula(
        id="cost_per_1k_tokens",
        title="Serving cost per 1,000 generated tokens",
        topic="inference",
        lhs="K_1k",
        rhs=1000 * n_gpu * c_gpu / (3600 * R_gen),
        source="GPU-hours per token times the price, as llm-analysis reports it",
        example={"n_gpu": "8", "c_gpu": "2", "R_gen": "1740"},
        mistakes=(Mistake("one_gpu_priced", 1000 * c_gpu / (3600 * R_gen),
                          "Every GPU serving the model is paid for: multiply by "
                          "$n_{GPU}$."),),
    ),
]
