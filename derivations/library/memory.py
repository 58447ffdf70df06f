"""Memory: bytes for weights, gradients, optimizer states and activations."""

from __future__ import annotations

import sympy as sp

from derivations.library.core import Formula, Mistake
from derivations.library.symbols import syms

N, b_w, b_g, b_o = syms("N b_w b_g b_o")
M_w, M_g, M_o, M_a, M_train, M_inf, M_gpu, n_gpu, M, P = syms(
    "M_w M_g M_o M_a M_train M_inf M_gpu n_gpu M P")
b, n_layers, n_ctx, d_model, n_heads, k_ckpt = syms("b n_layers n_ctx d_model n_heads k_ckpt")
C, D = syms("C D")
PER_LAYER = n_ctx * b * d_model * (34 + 5 * n_heads * n_ctx / d_model)  # bytes, 16-bit

EAI = "Anthony et al. 2023, Transformer Math 101 (EleutherAI)"
KORTHIKANTI = "Korthikanti et al. 2022, Reducing Activation Recomputation"

#: Bytes per parameter of each storage type (a sheet writes `{ dtype = "fp16" }`).
DTYPE_BYTES: dict[str, sp.Rational] = {
    "fp32": sp.Integer(4),
    "tf32": sp.Integer(4),
    "fp16": sp.Integer(2),
    "bf16": sp.Integer(2),
    "int8": sp.Integer(1),
    "fp8": sp.Integer(1),
    "int4": sp.Rational(1, 2),
}

#: Optimizer-state bytes per parameter, without the fp32 master copy.
OPTIMIZER_BYTES: dict[str, sp.Rational] = {
    "adamw": sp.Integer(8),      # momentum + variance, fp32 each
    "adam": sp.Integer(8),
    "adam8bit": sp.Integer(2),   # bitsandbytes: 1 byte each
    "sgd_momentum": sp.Integer(4),
    "sgd": sp.Integer(0),
}

#: Mixed-precision training keeps an fp32 copy of the weights with the optimizer.
MASTER_COPY_BYTES = sp.Integer(4)

FORMULAS = [
    Formula(
        id="weight_memory",
        title="Weight memory",
        topic="memory",
        lhs="M_w",
        rhs=N * b_w,
        source=EAI,
        example={"N": "65e9", "b_w": "4"},
        note="Depends on parameter count and dtype only: not on context length or batch.",
    ),
    Formula(
        id="parameter_memory",
        title="Memory of a set of parameters",
        topic="memory",
        lhs="M",
        rhs=P * b_w,
        source=EAI,
        example={"P": "18874368", "b_w": "2"},
    ),
    Formula(
        id="gradient_memory",
        title="Gradient memory",
        topic="memory",
        lhs="M_g",
        rhs=N * b_g,
        source=EAI,
        example={"N": "65e9", "b_g": "4"},
        note="Gradients are usually kept in the dtype of the weights.",
    ),
    Formula(
        id="optimizer_memory",
        title="Optimizer-state memory",
        topic="memory",
        lhs="M_o",
        rhs=N * b_o,
        source=EAI,
        example={"N": "65e9", "b_o": "8"},
        note="AdamW 8 B/param (fp32 momentum and variance), 8-bit Adam 2, SGD with momentum "
        "4; mixed precision adds a 4 B/param fp32 master copy.",
    ),
    Formula(
        id="activation_memory",
        title="Activation memory (16-bit, no recomputation)",
        topic="memory",
        lhs="M_a",
        rhs=n_layers * n_ctx * b * d_model * (34 + 5 * n_heads * n_ctx / d_model),
        source=KORTHIKANTI,
        example={"n_layers": "32", "n_ctx": "2048", "b": "1", "d_model": "4096",
                 "n_heads": "32"},
        note="Grows with batch and sequence length; checkpointing trades it for compute.",
    ),
    Formula(
        id="training_memory",
        title="Total training memory",
        topic="memory",
        lhs="M_train",
        rhs=M_w + M_g + M_o + M_a,
        source=EAI,
        example={"M_w": "2.6e11", "M_g": "2.6e11", "M_o": "5.2e11", "M_a": "2.5e11"},
        mistakes=(Mistake("no_optimizer", M_w + M_g + M_a,
                          "You left out the optimizer states (AdamW keeps two per parameter)."),
                  Mistake("no_gradients", M_w + M_o + M_a,
                          "You left out the gradients (one per parameter)."),
                  Mistake("no_activations", M_w + M_g + M_o,
                          "You left out the activations kept for the backward pass."),),
    ),
    Formula(
        id="inference_memory",
        title="Inference memory (rule of thumb)",
        topic="memory",
        lhs="M_inf",
        rhs=sp.Rational(6, 5) * M_w,
        source=EAI,
        example={"M_w": "1.4e10"},
        note="About 20% on top of the weights for activations and buffers.",
    ),
    Formula(
        id="gpus_needed",
        title="GPUs needed to hold a training run",
        topic="memory",
        lhs="n_gpu",
        rhs=sp.ceiling(M_train / M_gpu),
        source="Whole GPUs: round the ratio up",
        example={"M_train": "1.29e12", "M_gpu": "48e9"},
        mistakes=(Mistake("not_rounded_up", M_train / M_gpu,
                          "A fraction of a GPU does not exist: round up."),
                  Mistake("rounded_down", sp.floor(M_train / M_gpu),
                          "Rounding down leaves part of the memory without a GPU: round up."),),
    ),
    Formula(
        id="activation_memory_selective",
        title="Activation memory with selective recomputation",
        topic="memory",
        lhs="M_a",
        rhs=n_layers * n_ctx * b * d_model * 34,
        source=KORTHIKANTI + " (section 4.2)",
        example={"n_layers": "40", "n_ctx": "4096", "b": "1", "d_model": "5120"},
        mistakes=(Mistake("one_layer", n_ctx * b * d_model * 34,
                          "Every layer keeps its activations: multiply by the number of "
                          "layers."),),
        note="Attention scores are recomputed in the backward pass; 16-bit activations.",
    ),
    Formula(
        id="activation_memory_full",
        title="Activation memory with full recomputation",
        topic="memory",
        lhs="M_a",
        rhs=2 * n_layers * n_ctx * b * d_model,
        source=KORTHIKANTI + " (section 4.1)",
        example={"n_layers": "40", "n_ctx": "4096", "b": "1", "d_model": "5120"},
        mistakes=(Mistake("one_layer_input", 2 * n_ctx * b * d_model,
                          "Every layer keeps its input: multiply by the number of layers."),),
        note="Only each layer's 16-bit input is kept; the cost is one more forward pass.",
    ),
    Formula(
        id="activation_memory_checkpointed",
        title="Activation memory with a checkpoint every k layers",
        topic="memory",
        lhs="M_a",
        rhs=2 * n_ctx * b * d_model * n_layers / k_ckpt + k_ckpt * PER_LAYER,
        source="Chen et al. 2016, Training Deep Nets with Sublinear Memory Cost; "
               + KORTHIKANTI,
        example={"n_ctx": "4096", "b": "1", "d_model": "5120", "n_layers": "40",
                 "k_ckpt": "6", "n_heads": "40"},
        note="Checkpoints for $L/k$ layers plus one segment's full activations; smallest "
             "near $k = \\sqrt{L}$, so memory grows as $\\sqrt{L}$.",
    ),
    Formula(
        id="training_compute_recompute",
        title="Training compute with full recomputation",
        topic="memory",
        lhs="C",
        rhs=8 * N * D,
        source=KORTHIKANTI + " (one extra forward pass: 2ND)",
        example={"N": "13e9", "D": "2.6e11"},
        mistakes=(Mistake("recompute_not_counted", 6 * N * D,
                          "Full recomputation runs the forward pass twice: 8ND, not 6ND."),),
    ),
]
