"""Parameters from the architecture: attention with grouped-query heads, plain and gated
MLPs, norms, tied and untied embeddings, mixture of experts.

Conventions, stated once: no biases (Llama, Mistral, Mixtral); two RMSNorm gains per
layer and one after the last layer (`d` each; a LayerNorm with bias has `2d`); `d_head =
d_model / n_heads`, so the key and value projections are `d_model x d_model n_kv /
n_heads`. llm-analysis counts the same way but always with two MLP matrices of its
config's `ffn_embed_dim` (tests/library/test_peer.py shows both counts).
"""

from __future__ import annotations

from derivations.library.core import Formula, Mistake
from derivations.library.symbols import syms

d_model, d_ff, n_heads, n_kv, n_layers, n_vocab = syms("d_model d_ff n_heads n_kv n_layers "
                                                       "n_vocab")
n_exp, k_exp, P_attn, P_mlp, P_layer, P_lact, P_emb, N, N_act, C, D = syms(
    "n_exp k_exp P_attn P_mlp P_layer P_lact P_emb N N_act C D")

AINSLIE = "Ainslie et al. 2023, GQA: Training Generalized Multi-Query Transformer Models"
SHAZEER = "Shazeer 2020, GLU Variants Improve Transformer (SwiGLU: three matrices)"
TOUVRON = "Touvron et al. 2023, Llama 2 (architecture: RMSNorm, SwiGLU, GQA, untied)"
FEDUS = "Fedus et al. 2022, Switch Transformers; Jiang et al. 2024, Mixtral of Experts"
LLAMA2_70B = {"d_model": "8192", "n_heads": "64", "n_kv": "8", "d_ff": "28672",
              "n_layers": "80", "n_vocab": "32000"}
NORMS = 2 * d_model  # two RMSNorm gains per layer

FORMULAS = [
    Formula(
        id="attention_parameters",
        title="Attention parameters per layer (grouped-query heads)",
        topic="architecture",
        lhs="P_attn",
        rhs=2 * d_model**2 + 2 * d_model**2 * n_kv / n_heads,
        source=AINSLIE,
        example={k: LLAMA2_70B[k] for k in ("d_model", "n_heads", "n_kv")},
        mistakes=(Mistake("kv_heads_ignored", 4 * d_model**2,
                          "With grouped-query attention the key and value projections have "
                          "only $n_kv$ heads: $2 d^2 n_kv / n_heads$, not $2 d^2$."),),
        note="Query and output projections are $d \\times d$; keys and values $d \\times "
             "d\\, n_{kv}/n_{heads}$. Multi-head attention is $n_{kv} = n_{heads}$.",
    ),
    Formula(
        id="mlp_parameters_gated",
        title="Gated MLP parameters per layer (SwiGLU)",
        topic="architecture",
        lhs="P_mlp",
        rhs=3 * d_model * d_ff,
        source=SHAZEER,
        example={k: LLAMA2_70B[k] for k in ("d_model", "d_ff")},
        mistakes=(Mistake("two_mlp_matrices", 2 * d_model * d_ff,
                          "A gated MLP has three matrices (gate, up and down), not two."),),
    ),
    Formula(
        id="mlp_parameters",
        title="Plain MLP parameters per layer",
        topic="architecture",
        lhs="P_mlp",
        rhs=2 * d_model * d_ff,
        source="Vaswani et al. 2017, Attention Is All You Need (up and down projections)",
        example={"d_model": "4096", "d_ff": "16384"},
        mistakes=(Mistake("three_mlp_matrices", 3 * d_model * d_ff,
                          "A plain MLP has two matrices; three is the gated (SwiGLU) MLP."),),
    ),
    Formula(
        id="layer_parameters",
        title="Parameters of one transformer layer",
        topic="architecture",
        lhs="P_layer",
        rhs=P_attn + P_mlp + NORMS,
        source=TOUVRON,
        example={"P_attn": "150994944", "P_mlp": "704643072", "d_model": "8192"},
        note="Two RMSNorm gains of $d$ each; a LayerNorm with a bias has $2d$.",
    ),
    Formula(
        id="embedding_parameters_tied",
        title="Embedding parameters, tied input and output",
        topic="architecture",
        lhs="P_emb",
        rhs=n_vocab * d_model,
        source="Press and Wolf 2017, Using the Output Embedding to Improve Language Models",
        example={"n_vocab": "50304", "d_model": "2048"},
    ),
    Formula(
        id="embedding_parameters_untied",
        title="Embedding parameters, separate input and output",
        topic="architecture",
        lhs="P_emb",
        rhs=2 * n_vocab * d_model,
        source=TOUVRON,
        example={k: LLAMA2_70B[k] for k in ("n_vocab", "d_model")},
        mistakes=(Mistake("embedding_counted_once", n_vocab * d_model,
                          "Untied embeddings are two matrices: the input embedding and the "
                          "output projection."),),
    ),
    Formula(
        id="model_parameters",
        title="Parameters of a decoder-only model",
        topic="architecture",
        lhs="N",
        rhs=n_layers * P_layer + P_emb + d_model,
        source=TOUVRON,
        example={"n_layers": "80", "P_layer": "855654400", "P_emb": "524288000",
                 "d_model": "8192"},
        mistakes=(Mistake("embeddings_forgotten", n_layers * P_layer + d_model,
                          "The embedding matrices are parameters too: add them."),
                  Mistake("one_layer_only", P_layer + P_emb + d_model,
                          "Every layer has its own weights: multiply by the number of "
                          "layers."),),
        note="The last $d$ is the final norm's gain.",
    ),
    Formula(
        id="moe_layer_parameters",
        title="Parameters of one mixture-of-experts layer (all experts)",
        topic="architecture",
        lhs="P_layer",
        rhs=P_attn + n_exp * P_mlp + n_exp * d_model + NORMS,
        source=FEDUS,
        example={"P_attn": "41943040", "P_mlp": "176160768", "n_exp": "8",
                 "d_model": "4096"},
        mistakes=(Mistake("one_expert", P_attn + P_mlp + n_exp * d_model + NORMS,
                          "Every expert has its own MLP: all $n_exp$ of them are stored."),),
        note="The router is a $d \\times n_{exp}$ matrix. The model's total is then "
             "`model_parameters`.",
    ),
    Formula(
        id="moe_active_layer_parameters",
        title="Parameters of one mixture-of-experts layer a token uses",
        topic="architecture",
        lhs="P_lact",
        rhs=P_attn + k_exp * P_mlp + n_exp * d_model + NORMS,
        source=FEDUS,
        example={"P_attn": "41943040", "P_mlp": "176160768", "k_exp": "2", "n_exp": "8",
                 "d_model": "4096"},
        mistakes=(Mistake("all_experts_active", P_attn + n_exp * P_mlp + n_exp * d_model
                          + NORMS,
                          "Only the $k$ experts a token is routed to compute: count $k$ MLPs, "
                          "not all of them."),),
        note="Attention, norms and the router are used by every token.",
    ),
    Formula(
        id="moe_active_parameters",
        title="Parameters active per token in a mixture of experts",
        topic="architecture",
        lhs="N_act",
        rhs=n_layers * P_lact + P_emb + d_model,
        source=FEDUS,
        example={"n_layers": "32", "P_lact": "394305536", "P_emb": "262144000",
                 "d_model": "4096"},
        mistakes=(Mistake("active_embeddings_forgotten", n_layers * P_lact + d_model,
                          "Every token uses the embeddings: add them."),),
    ),
    Formula(
        id="training_compute_active",
        title="Training compute of a mixture of experts",
        topic="architecture",
        lhs="C",
        rhs=6 * N_act * D,
        source=FEDUS + "; the 6ND rule with the parameters a token uses",
        example={"N_act": "12.9e9", "D": "1e12"},
        note="Memory is set by all the parameters; compute by the active ones.",
    ),
]
