"""Systems: the memory and compute engineers check before a run (KV cache, ZeRO, MFU)."""

from __future__ import annotations

import sympy as sp

from derivations.library.core import Formula, Mistake
from derivations.library.symbols import syms

N, D, T, n_gpu, F_gpu, u = syms("N D T n_gpu F_gpu u")
b, n_layers, n_ctx, b_w, b_g = syms("b n_layers n_ctx b_w b_g")
n_kv, d_head, M_kv, k_os, n_dp, M_ms, M_gpu, M_a = syms(
    "n_kv d_head M_kv k_os n_dp M_ms M_gpu M_a")
C_tok, R_tok = syms("C_tok R_tok")
P_big, M_cpu, n_node, M_w = syms("P_big M_cpu n_node M_w")

RAJBHANDARI = "Rajbhandari et al. 2020, ZeRO: Memory Optimizations (section 5)"
POPE = "Pope et al. 2022, Efficiently Scaling Transformer Inference (KV cache)"
CHOWDHERY = "Chowdhery et al. 2022, PaLM (appendix B: model FLOPs utilization)"
KAPLAN = "Kaplan et al. 2020, Scaling Laws for Neural Language Models"
STATES = (b_w + b_g + k_os) * N  # weights, gradients and optimizer states of the model
DEEPSPEED = ("DeepSpeed's ZeRO-3 memory estimator (runtime/zero/stage3.py; docs: Memory "
             "Requirements)")
ACCELERATE = ("Hugging Face Accelerate, Model memory estimator (accelerate estimate-memory): "
              "the largest layer is the least memory that loads a model")
ZERO_NOTE = ("$K$ counts every optimizer byte per parameter: 12 for Adam in mixed precision "
             "(fp32 master copy, momentum and variance).")

FORMULAS = [
    Formula(
        id="kv_cache_memory",
        title="KV-cache memory",
        topic="systems",
        lhs="M_kv",
        rhs=2 * n_layers * n_kv * d_head * n_ctx * b * b_w,
        source=POPE,
        example={"n_layers": "40", "n_kv": "40", "d_head": "128", "n_ctx": "4096", "b": "1",
                 "b_w": "2"},
        mistakes=(Mistake("kv_one_tensor", n_layers * n_kv * d_head * n_ctx * b * b_w,
                          "Keys and values are both cached: multiply by 2."),
                  Mistake("kv_one_layer", 2 * n_kv * d_head * n_ctx * b * b_w,
                          "Every layer keeps its own keys and values: multiply by the "
                          "number of layers."),),
        note="Grows linearly with context and batch; grouped-query attention shrinks $n_kv$.",
    ),
    Formula(
        id="zero0_memory",
        title="Model states per GPU, plain data parallelism",
        topic="systems",
        lhs="M_ms",
        rhs=STATES,
        source=RAJBHANDARI,
        example={"b_w": "2", "b_g": "2", "k_os": "12", "N": "13e9"},
        note=ZERO_NOTE,
    ),
    Formula(
        id="zero1_memory",
        title="Model states per GPU, ZeRO stage 1 (optimizer states sharded)",
        topic="systems",
        lhs="M_ms",
        rhs=(b_w + b_g + k_os / n_dp) * N,
        source=RAJBHANDARI,
        example={"b_w": "2", "b_g": "2", "k_os": "12", "N": "13e9", "n_dp": "8"},
        mistakes=(Mistake("zero_sharded_all", STATES / n_dp,
                          "Stage 1 shards only the optimizer states; weights and gradients "
                          "stay whole on every GPU."),),
    ),
    Formula(
        id="zero2_memory",
        title="Model states per GPU, ZeRO stage 2 (+ gradients sharded)",
        topic="systems",
        lhs="M_ms",
        rhs=(b_w + (b_g + k_os) / n_dp) * N,
        source=RAJBHANDARI,
        example={"b_w": "2", "b_g": "2", "k_os": "12", "N": "13e9", "n_dp": "8"},
        mistakes=(Mistake("zero_sharded_all", STATES / n_dp,
                          "Stage 2 shards gradients and optimizer states; the weights stay "
                          "whole on every GPU."),),
    ),
    Formula(
        id="zero3_memory",
        title="Model states per GPU, ZeRO stage 3 (+ weights sharded)",
        topic="systems",
        lhs="M_ms",
        rhs=STATES / n_dp,
        source=RAJBHANDARI,
        example={"b_w": "2", "b_g": "2", "k_os": "12", "N": "13e9", "n_dp": "8"},
        mistakes=(Mistake("zero_not_sharded", STATES,
                          "Stage 3 shards all model states: divide by the data-parallel "
                          "GPUs."),
                  Mistake("deepspeed_18_bytes", 18 * N / n_dp,
                          "18 bytes per parameter is DeepSpeed's estimator (it keeps fp32 "
                          "gradients); mixed precision with bf16 gradients is $b_w + b_g + "
                          "K$."),),
    ),
    Formula(
        id="deepspeed_zero3_gpu",
        title="GPU memory for model states, DeepSpeed's ZeRO-3 estimate",
        topic="systems",
        lhs="M_ms",
        rhs=4 * P_big + 18 * N / n_gpu,
        source=DEEPSPEED,
        example={"P_big": "1.05e9", "N": "70e9", "n_gpu": "64"},
        mistakes=(Mistake("mixed_precision_16_bytes", 4 * P_big + 16 * N / n_gpu,
                          "DeepSpeed's estimator counts 18 bytes per parameter (fp32 "
                          "gradients), not mixed precision's 16."),
                  Mistake("largest_layer_forgotten", 18 * N / n_gpu,
                          "ZeRO-3 gathers one whole layer at a time: add its 4 bytes per "
                          "parameter."),),
        note="The largest layer is gathered in full (4 bytes per parameter) while it runs.",
    ),
    Formula(
        id="deepspeed_zero3_offload_optimizer",
        title="GPU memory with the optimizer offloaded to the CPU (DeepSpeed ZeRO-3)",
        topic="systems",
        lhs="M_ms",
        rhs=4 * P_big + 2 * N / n_gpu,
        source=DEEPSPEED,
        example={"P_big": "1.05e9", "N": "70e9", "n_gpu": "64"},
        mistakes=(Mistake("optimizer_kept", 4 * P_big + 18 * N / n_gpu,
                          "With the optimizer offloaded only the 2-byte weights stay on the "
                          "GPU."),),
    ),
    Formula(
        id="deepspeed_zero3_offload_all",
        title="GPU memory with parameters and optimizer offloaded (DeepSpeed ZeRO-3)",
        topic="systems",
        lhs="M_ms",
        rhs=4 * P_big,
        source=DEEPSPEED,
        example={"P_big": "1.05e9"},
        note="Only the layer being computed is on the GPU.",
    ),
    Formula(
        id="deepspeed_zero3_cpu_offload",
        title="CPU memory per node, everything offloaded (DeepSpeed ZeRO-3)",
        topic="systems",
        lhs="M_cpu",
        rhs=sp.Rational(3, 2) * 18 * N / n_node,
        source=DEEPSPEED + ", zero-initialised, with its buffer factor 1.5",
        example={"N": "70e9", "n_node": "8"},
        mistakes=(Mistake("buffer_forgotten", 18 * N / n_node,
                          "DeepSpeed's estimate adds half again as buffer (factor 1.5)."),),
    ),
    Formula(
        id="largest_layer_memory",
        title="Least memory that loads a model layer by layer",
        topic="systems",
        lhs="M_w",
        rhs=P_big * b_w,
        source=ACCELERATE,
        example={"P_big": "1.05e9", "b_w": "2"},
        note="With Accelerate's automatic device map the other layers wait in CPU memory or "
             "on disk: slow, but it runs.",
    ),
    Formula(
        id="zero3_gpus",
        title="Fewest GPUs for ZeRO stage 3",
        topic="systems",
        lhs="n_dp",
        rhs=sp.ceiling(STATES / (M_gpu - M_a)),
        source=RAJBHANDARI + "; whole GPUs: round up",
        example={"b_w": "2", "b_g": "2", "k_os": "12", "N": "13e9", "M_gpu": "80e9",
                 "M_a": "30e9"},
        mistakes=(Mistake("not_rounded_up", STATES / (M_gpu - M_a),
                          "A fraction of a GPU does not exist: round up."),
                  Mistake("activations_ignored", sp.ceiling(STATES / M_gpu),
                          "Each GPU also holds its own activations: only $M_gpu - M_a$ is "
                          "left for the sharded states."),),
        requires=((M_gpu > M_a, "the activations alone fill a GPU: M_a must be below "
                   "M_GPU (recompute activations or use a smaller batch)"),),
        note="Activations are not sharded by ZeRO: each GPU keeps those of its own batch.",
    ),
    Formula(
        id="inference_flops_per_token",
        title="Inference FLOPs per generated token",
        topic="systems",
        lhs="C_tok",
        rhs=2 * N,
        source=KAPLAN,
        example={"N": "13e9"},
        mistakes=(Mistake("training_flops_for_inference", 6 * N,
                          "Generating a token is one forward pass: $2N$, not the $6N$ of "
                          "training."),),
    ),
    Formula(
        id="model_flops_utilization",
        title="Model FLOPs utilization (MFU)",
        topic="systems",
        lhs="u",
        rhs=6 * N * R_tok / (n_gpu * F_gpu),
        source=CHOWDHERY,
        example={"N": "13e9", "R_tok": "12000", "n_gpu": "8", "F_gpu": "312e12"},
        note="Counts 6N FLOPs per token (no recomputation), against peak throughput.",
    ),
    Formula(
        id="training_time",
        title="Training time from MFU",
        topic="systems",
        lhs="T",
        rhs=6 * N * D / (n_gpu * F_gpu * u),
        source=CHOWDHERY,
        example={"N": "13e9", "D": "2.6e11", "n_gpu": "64", "F_gpu": "312e12", "u": "0.45"},
    ),
]
