"""Compute: how many floating-point operations training and inference cost."""

from __future__ import annotations

import sympy as sp

from derivations.library.core import Formula, Mistake
from derivations.library.symbols import syms

C, C_fwd, C_bwd, N, D = syms("C C_fwd C_bwd N D")
tau, T, n_gpu, F_gpu, u, H_gpu, C_pfd = syms("tau T n_gpu F_gpu u H_gpu C_pfd")
m_rows, p_inner, n_cols = syms("m_rows p_inner n_cols")
b, n_layers, n_ctx, d_model, n_heads, C_seq = syms("b n_layers n_ctx d_model n_heads C_seq")

KAPLAN = "Kaplan et al. 2020, Scaling Laws for Neural Language Models"
EAI = "Anthony et al. 2023, Transformer Math 101 (EleutherAI)"
PF_DAY = sp.Integer(10) ** 15 * 86400

FORMULAS = [
    Formula(
        id="training_compute",
        title="Training compute",
        topic="compute",
        lhs="C",
        rhs=6 * N * D,
        source=KAPLAN,
        example={"N": "67e9", "D": "4.1e12"},
        mistakes=(
            Mistake("forward_only", 2 * N * D,
                    "You counted only the forward pass ($2ND$); training adds the backward "
                    "pass ($4ND$), so $C = 6ND$."),
            Mistake("backward_only", 4 * N * D,
                    "You counted only the backward pass ($4ND$); add the forward pass ($2ND$)."),
        ),
        note="2ND for the forward pass (one multiply and one add per parameter and token) "
        "plus 4ND for the backward pass.",
    ),
    Formula(
        id="forward_compute",
        title="Forward-pass compute",
        topic="compute",
        lhs="C_fwd",
        rhs=2 * N * D,
        source=KAPLAN,
        example={"N": "7e9", "D": "1e12"},
    ),
    Formula(
        id="backward_compute",
        title="Backward-pass compute",
        topic="compute",
        lhs="C_bwd",
        rhs=4 * N * D,
        source=KAPLAN,
        example={"N": "7e9", "D": "1e12"},
        note="Gradients with respect to both the weights and the layer inputs: twice the forward.",
    ),
    Formula(
        id="compute_from_throughput",
        title="Compute from throughput and time",
        topic="compute",
        lhs="C",
        rhs=tau * T,
        source=EAI,
        example={"tau": "1.2e17", "T": "8.64e5"},
    ),
    Formula(
        id="cluster_throughput",
        title="Aggregate throughput of a cluster",
        topic="compute",
        lhs="tau",
        rhs=n_gpu * F_gpu * u,
        source=EAI,
        example={"n_gpu": "1024", "F_gpu": "312e12", "u": "0.4"},
        note="Real throughput is below the advertised peak: $u$ is the achieved fraction.",
    ),
    Formula(
        id="pflop_days",
        title="PFLOP-days to FLOP",
        topic="compute",
        lhs="C",
        rhs=PF_DAY * C_pfd,
        source="Brown et al. 2020 (GPT-3), compute in PFLOP-days",
        example={"C_pfd": "1"},
        note="One PFLOP-day is $10^{15}$ FLOP/s sustained for 86,400 s.",
    ),
    Formula(
        id="gpu_hours",
        title="GPU-hours",
        topic="compute",
        lhs="H_gpu",
        rhs=n_gpu * T / 3600,
        source=EAI,
        example={"n_gpu": "256", "T": "604800"},
    ),
    Formula(
        id="matmul_flops",
        title="FLOPs of a matrix product",
        topic="compute",
        lhs="C_mm",
        rhs=2 * m_rows * p_inner * n_cols,
        source="Standard count: p multiplies and p-1 adds per output entry",
        example={"m_rows": "4096", "p_inner": "4096", "n_cols": "2048"},
    ),
    Formula(
        id="transformer_forward_flops",
        title="Transformer forward FLOPs per batch",
        topic="compute",
        lhs="C_seq",
        rhs=b * n_layers * (24 * n_ctx * d_model**2 + 4 * n_ctx**2 * d_model
                            + 3 * n_heads * n_ctx**2),
        source="Narayanan et al. 2021 / Coppock, Deep Learning at Scale (lecture)",
        example={"b": "1", "n_layers": "80", "n_ctx": "2048", "d_model": "8192",
                 "n_heads": "64"},
        note="Matrix products of attention and MLP ($24nd^2$), attention scores and "
        "values ($4n^2d$), softmax ($3Hn^2$).",
    ),
    Formula(
        id="training_flops_per_batch",
        title="Training FLOPs per batch (forward + backward)",
        topic="compute",
        lhs="C_step",
        rhs=3 * C_seq,
        source="Backward pass costs twice the forward pass",
        example={"C_seq": "2.75e14"},
        mistakes=(Mistake("forward_only", C_seq,
                          "You gave the forward pass only; the backward pass adds twice "
                          "as much."),),
    ),
]
