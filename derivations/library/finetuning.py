"""Fine-tuning: full copies, adapters, LoRA and classification heads."""

from __future__ import annotations

from derivations.library.core import Formula, Mistake
from derivations.library.symbols import syms

K, N, b_w, M_K, M, P = syms("K N b_w M_K M P")
m, d_model, n_layers, r, d_in, d_out, n_labels, P_head = syms(
    "m d_model n_layers r d_in d_out n_labels P_head")

HU = "Hu et al. 2021, LoRA: Low-Rank Adaptation of LLMs"
HOULSBY = "Houlsby et al. 2019, Parameter-Efficient Transfer Learning"

FORMULAS = [
    Formula(
        id="full_finetune_copies",
        title="Memory of K fully fine-tuned copies",
        topic="finetuning",
        lhs="M_K",
        rhs=K * N * b_w,
        source=HU,
        example={"K": "100", "N": "175e9", "b_w": "2"},
    ),
    Formula(
        id="adapter_params",
        title="Parameters of full-rank updates to chosen matrices",
        topic="finetuning",
        lhs="P",
        rhs=m * d_model**2 * n_layers,
        source=HOULSBY,
        example={"m": "2", "d_model": "12288", "n_layers": "96"},
        mistakes=(Mistake("forgot_layers", m * d_model**2,
                          "You counted one layer; every layer has its own matrices."),),
    ),
    Formula(
        id="lora_params",
        title="LoRA trainable parameters",
        topic="finetuning",
        lhs="P",
        rhs=m * r * (d_in + d_out) * n_layers,
        source=HU,
        example={"m": "2", "r": "4", "d_in": "12288", "d_out": "12288", "n_layers": "96"},
        mistakes=(
            Mistake("one_lora_matrix", m * r * d_out * n_layers,
                    "You counted one LoRA matrix per projection: $A$ ($r \\times d_in$) and $B$ "
                    "($d_out \\times r$) both train, so it is $r(d_in + d_out)$ per projection."),
            Mistake("forgot_layers", m * r * (d_in + d_out),
                    "You counted one layer; LoRA is applied in every layer."),
        ),
        note="Each adapted matrix $W$ gets $BA$ with $A$: $r \\times d_in$ and $B$: "
             "$d_out \\times r$.",
    ),
    Formula(
        id="lora_memory",
        title="LoRA memory (solve for the rank that fits)",
        topic="finetuning",
        lhs="M",
        rhs=m * r * (d_in + d_out) * n_layers * b_w,
        source=HU,
        example={"m": "1", "r": "8", "d_in": "12288", "d_out": "12288", "n_layers": "96",
                 "b_w": "2"},
    ),
    Formula(
        id="classification_head_params",
        title="Classification-head weights (no bias)",
        topic="finetuning",
        lhs="P_head",
        rhs=d_model * n_labels,
        source="One linear layer from the model dimension to the labels",
        example={"d_model": "2048", "n_labels": "8"},
        mistakes=(
            Mistake("bias_counted", (d_model + 1) * n_labels,
                    "You included the bias (one per label); the question excludes it."),
            Mistake("bias_subtracted", d_model * n_labels - d_model,
                    "The weight matrix is $d_model \\times n_labels$; nothing is subtracted "
                    "for bias."),
        ),
    ),
    Formula(
        id="classification_head_params_bias",
        title="Classification-head parameters with bias",
        topic="finetuning",
        lhs="P_head",
        rhs=(d_model + 1) * n_labels,
        source="One linear layer from the model dimension to the labels",
        example={"d_model": "2048", "n_labels": "8"},
        mistakes=(Mistake("bias_forgotten", d_model * n_labels,
                          "You left out the bias: one per label."),),
    ),
]
