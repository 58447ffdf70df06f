"""Training at scale: activations under tensor and sequence parallelism, model states
under 3D parallelism, the pipeline bubble, and the bytes the collectives move.

Activations are 16-bit (Korthikanti et al. count bytes with 2-byte activations and a
1-byte dropout mask). Collectives are ring algorithms, as NCCL runs them on one node:
an all-reduce sends `2(n-1)/n` of the buffer from every GPU, an all-gather or a
reduce-scatter `(n-1)/n`.
"""

from __future__ import annotations

import sympy as sp

from derivations.library.core import Formula, Mistake
from derivations.library.symbols import syms

n_layers, n_ctx, b, d_model, n_heads, M_a = syms("n_layers n_ctx b d_model n_heads M_a")
t, p, m, f_bub, n_fl, b_a = syms("t_tp p_pp n_mb f_bub n_fl b_a")
N, b_w, b_g, k_os, n_dp, M_ms = syms("N b_w b_g k_os n_dp M_ms")
n, S, V, BW, t_comm = syms("n_ring S_msg V_comm BW t_comm")
n_st, e, P_ep, n_exp, k_exp, P_mlp = syms("n_st e_ep P_ep n_exp k_exp P_mlp")

KORTHIKANTI = "Korthikanti et al. 2022, Reducing Activation Recomputation (table 2)"
NARAYANAN = ("Narayanan et al. 2021, Efficient Large-Scale Language Model Training on GPU "
             "Clusters Using Megatron-LM (section 2.2)")
RAJBHANDARI = "Rajbhandari et al. 2020, ZeRO: Memory Optimizations (sections 5 and 7)"
RING = ("Patarasuk and Yuan 2009, Bandwidth Optimal All-reduce Algorithms; NCCL "
        "performance notes (bus bandwidth = 2(n-1)/n of the algorithm bandwidth)")
SHOEYBI = "Shoeybi et al. 2019, Megatron-LM (section 3: two all-reduces forward, two backward)"
LEPIKHIN = ("Lepikhin et al. 2021, GShard (expert parallelism, all-to-all dispatch and "
            "combine); Rajbhandari et al. 2022, DeepSpeed-MoE")
LAYER = n_layers * n_ctx * b * d_model
STATES = (b_w + b_g + k_os) * N

FORMULAS = [
    Formula(
        id="activation_memory_tp",
        title="Activation memory per GPU with tensor parallelism",
        topic="parallelism",
        lhs="M_a",
        rhs=LAYER * (10 + 24 / t + 5 * n_heads * n_ctx / (d_model * t)),
        source=KORTHIKANTI,
        example={"n_layers": "80", "n_ctx": "4096", "b": "1", "d_model": "8192",
                 "n_heads": "64", "t_tp": "8"},
        mistakes=(Mistake("sequence_parallel_assumed",
                          LAYER * (34 + 5 * n_heads * n_ctx / d_model) / t,
                          "Without sequence parallelism the norms and dropouts are not "
                          "split: only $24 + 5 a s/h$ of the $34 + 5 a s/h$ is divided by "
                          "$t$."),),
        note="The $10$ bytes per element (layer norms, dropout masks, the inputs of attention "
             "and MLP) are replicated on every tensor-parallel GPU.",
    ),
    Formula(
        id="activation_memory_tp_sp",
        title="Activation memory per GPU with tensor and sequence parallelism",
        topic="parallelism",
        lhs="M_a",
        rhs=LAYER * (34 + 5 * n_heads * n_ctx / d_model) / t,
        source=KORTHIKANTI,
        example={"n_layers": "80", "n_ctx": "4096", "b": "1", "d_model": "8192",
                 "n_heads": "64", "t_tp": "8"},
        mistakes=(Mistake("not_split", LAYER * (34 + 5 * n_heads * n_ctx / d_model),
                          "Tensor and sequence parallelism split every activation across "
                          "the $t$ GPUs: divide by $t$."),),
        note="With 1F1B pipelining the first stage holds $p$ micro-batches of its $L/p$ "
             "layers: the same as all $L$ layers of one micro-batch (section 4.2.3).",
    ),
    Formula(
        id="model_states_3d",
        title="Model states per GPU under tensor, pipeline and data parallelism",
        topic="parallelism",
        lhs="M_ms",
        rhs=STATES / (t * p),
        source=NARAYANAN + "; " + RAJBHANDARI,
        example={"b_w": "2", "b_g": "2", "k_os": "12", "N": "70e9", "t_tp": "8",
                 "p_pp": "4"},
        mistakes=(Mistake("not_split_by_parallelism", STATES,
                          "Tensor and pipeline parallelism split the model over $t p$ GPUs: "
                          "each holds $1/(t p)$ of the states."),
                  Mistake("optimizer_forgotten", (b_w + b_g) * N / (t * p),
                          "The optimizer states ($K$ bytes per parameter) are model states "
                          "too."),),
        note="An even split of the layers over $p$ stages; the stage with the embeddings "
             "holds more.",
    ),
    Formula(
        id="model_states_3d_zero1",
        title="Model states per GPU, 3D parallelism with ZeRO stage 1",
        topic="parallelism",
        lhs="M_ms",
        rhs=(b_w + b_g + k_os / n_dp) * N / (t * p),
        source=RAJBHANDARI,
        example={"b_w": "2", "b_g": "2", "k_os": "12", "N": "70e9", "t_tp": "8",
                 "p_pp": "4", "n_dp": "16"},
        mistakes=(Mistake("zero1_not_sharded", STATES / (t * p),
                          "ZeRO stage 1 shards the optimizer states over the data-parallel "
                          "replicas: divide $K$ by $N_d$."),),
    ),
    Formula(
        id="model_states_3d_zero2",
        title="Model states per GPU, 3D parallelism with ZeRO stage 2",
        topic="parallelism",
        lhs="M_ms",
        rhs=(b_w + (b_g + k_os) / n_dp) * N / (t * p),
        source=RAJBHANDARI,
        example={"b_w": "2", "b_g": "2", "k_os": "12", "N": "70e9", "t_tp": "8",
                 "p_pp": "4", "n_dp": "16"},
        mistakes=(Mistake("zero2_gradients_whole", (b_w + b_g + k_os / n_dp) * N / (t * p),
                          "ZeRO stage 2 shards the gradients as well as the optimizer "
                          "states."),),
    ),
    Formula(
        id="model_states_3d_zero3",
        title="Model states per GPU, 3D parallelism with ZeRO stage 3",
        topic="parallelism",
        lhs="M_ms",
        rhs=STATES / (t * p * n_dp),
        source=RAJBHANDARI,
        example={"b_w": "2", "b_g": "2", "k_os": "12", "N": "70e9", "t_tp": "8",
                 "p_pp": "4", "n_dp": "16"},
        mistakes=(Mistake("zero3_not_sharded", STATES / (t * p),
                          "ZeRO stage 3 shards all model states over the data-parallel "
                          "replicas too: divide by $N_d$."),),
    ),
    Formula(
        id="pipeline_bubble",
        title="Pipeline bubble (fraction of a step the GPUs idle)",
        topic="parallelism",
        lhs="f_bub",
        rhs=(p - 1) / (m + p - 1),
        source=NARAYANAN,
        example={"p_pp": "4", "n_mb": "16"},
        mistakes=(Mistake("bubble_over_ideal", (p - 1) / m,
                          "$(p-1)/m$ is the idle time over the ideal time; as a fraction of "
                          "the whole step it is $(p-1)/(m+p-1)$."),),
        note="The same for GPipe and 1F1B; interleaving $v$ stages per GPU divides it by "
             "about $v$.",
    ),
    Formula(
        id="pipeline_in_flight",
        title="Micro-batches in flight on the first stage under 1F1B",
        topic="parallelism",
        lhs="n_fl",
        rhs=sp.Min(p, m),
        source=NARAYANAN,
        example={"p_pp": "4", "n_mb": "16"},
        mistakes=(Mistake("all_micro_batches", m,
                          "1F1B runs a backward pass as soon as it can: the first stage "
                          "holds at most $p$ micro-batches, not all $m$ (that is GPipe)."),),
        note="Its activation memory is this many micro-batches of its own layers.",
    ),
    Formula(
        id="pipeline_heaviest_stage",
        title="Layers on the heaviest stage of an uneven pipeline split",
        topic="parallelism",
        lhs="n_st",
        rhs=sp.ceiling(n_layers / p),
        source=NARAYANAN + "; whole layers: the slowest stage sets the pace",
        example={"n_layers": "30", "p_pp": "4"},
        mistakes=(Mistake("stage_not_rounded_up", n_layers / p,
                          "Layers are not split: the heaviest stage holds the rounded-up "
                          "share, and every stage waits for it."),),
        note="The first and last stages also hold the embeddings and the output layer.",
    ),
    Formula(
        id="expert_parallel_parameters",
        title="Expert parameters per GPU under expert parallelism",
        topic="parallelism",
        lhs="P_ep",
        rhs=n_layers * n_exp * P_mlp / e,
        source=LEPIKHIN,
        example={"n_layers": "32", "n_exp": "8", "P_mlp": "176160768", "e_ep": "8"},
        mistakes=(Mistake("experts_not_split", n_layers * n_exp * P_mlp,
                          "Expert parallelism places $n_exp/e$ experts on each GPU: divide "
                          "by $e$."),),
    ),
    Formula(
        id="moe_all_to_all_volume",
        title="Bytes each GPU sends in the all-to-alls of one MoE layer's forward pass",
        topic="parallelism",
        lhs="V_comm",
        rhs=2 * k_exp * b * n_ctx * d_model * b_a * (e - 1) / e,
        source=LEPIKHIN,
        example={"k_exp": "2", "b": "1", "n_ctx": "4096", "d_model": "4096", "b_a": "2",
                 "e_ep": "8"},
        mistakes=(Mistake("dispatch_only", k_exp * b * n_ctx * d_model * b_a * (e - 1) / e,
                          "Tokens go to their experts and come back: two all-to-alls, "
                          "dispatch and combine."),),
        note="Each token's hidden state goes to its $k$ experts; $(e-1)/e$ of them live on "
             "other GPUs. The backward pass sends as much again.",
    ),
    Formula(
        id="allreduce_volume",
        title="Bytes each GPU sends in a ring all-reduce",
        topic="parallelism",
        lhs="V_comm",
        rhs=2 * (n - 1) / n * S,
        source=RING,
        example={"n_ring": "8", "S_msg": "140e9"},
        mistakes=(Mistake("allreduce_once", (n - 1) / n * S,
                          "An all-reduce is a reduce-scatter and an all-gather: twice "
                          "$(n-1)/n$ of the buffer."),
                  Mistake("whole_buffer_per_peer", (n - 1) * S,
                          "A ring sends each GPU's share once per step, not the whole "
                          "buffer to every peer."),),
    ),
    Formula(
        id="allgather_volume",
        title="Bytes each GPU sends in a ring all-gather (or reduce-scatter)",
        topic="parallelism",
        lhs="V_comm",
        rhs=(n - 1) / n * S,
        source=RING,
        example={"n_ring": "8", "S_msg": "140e9"},
    ),
    Formula(
        id="dp_gradient_allreduce",
        title="Gradient all-reduce per step, data parallelism",
        topic="parallelism",
        lhs="V_comm",
        rhs=2 * (n_dp - 1) / n_dp * N * b_g,
        source=RING + "; " + RAJBHANDARI,
        example={"n_dp": "64", "N": "7e9", "b_g": "2"},
        mistakes=(Mistake("gradients_once", (n_dp - 1) / n_dp * N * b_g,
                          "Gradients are all-reduced: a reduce-scatter and an all-gather, "
                          "$2(n-1)/n$ of them."),),
    ),
    Formula(
        id="zero3_step_volume",
        title="Bytes each GPU sends per step under ZeRO stage 3",
        topic="parallelism",
        lhs="V_comm",
        rhs=3 * (n_dp - 1) / n_dp * N * b_w,
        source=RAJBHANDARI + " (1.5 times data parallelism)",
        example={"n_dp": "64", "N": "7e9", "b_w": "2"},
        mistakes=(Mistake("zero3_as_dp", 2 * (n_dp - 1) / n_dp * N * b_w,
                          "Stage 3 gathers the weights again in the backward pass: two "
                          "all-gathers and a reduce-scatter, $3(n-1)/n$."),),
    ),
    Formula(
        id="tp_allreduce_per_layer",
        title="Tensor-parallel bytes each GPU sends per layer and training step",
        topic="parallelism",
        lhs="V_comm",
        rhs=4 * 2 * (t - 1) / t * b * n_ctx * d_model * b_a,
        source=SHOEYBI,
        example={"t_tp": "8", "b": "1", "n_ctx": "4096", "d_model": "8192", "b_a": "2"},
        mistakes=(Mistake("forward_only", 2 * 2 * (t - 1) / t * b * n_ctx * d_model * b_a,
                          "The backward pass all-reduces too: four all-reduces per layer, "
                          "not two."),),
        note="Each all-reduce is of the layer's $b \\cdot s \\cdot h$ output activations.",
    ),
    Formula(
        id="communication_time",
        title="Time to send bytes over a link",
        topic="parallelism",
        lhs="t_comm",
        rhs=V / BW,
        source=RING,
        example={"V_comm": "245e9", "BW": "300e9"},
        mistakes=(Mistake("bits_for_bytes", 8 * V / BW,
                          "Bandwidths here are in bytes per second (GB/s), like the "
                          "volume: no factor 8."),),
        note="NVLink within a node and InfiniBand between nodes differ by an order of "
             "magnitude: use the bandwidth of the slowest link the collective crosses.",
    ),
]
