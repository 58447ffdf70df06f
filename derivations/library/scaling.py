"""Scaling laws: loss as a function of size and data, and compute-optimal allocation."""

from __future__ import annotations

import sympy as sp

from derivations.library.core import Formula, Mistake
from derivations.library.symbols import syms

L, E, A, B, N, D, alpha, beta = syms("L E A B N D alpha beta")
L_red, G, N_opt, D_opt, C = syms("L_red G N_opt D_opt C")
k_N, k_D, D_eff, x = syms("k_N k_D D_eff x")
U_D, R_D, R_star = syms("U_D R_D R_star")

HOFFMANN = "Hoffmann et al. 2022, Training Compute-Optimal LLMs (Chinchilla)"
DE_VRIES = "de Vries 2023, Go smol or go home"
MUENNIGHOFF = ("The course's simplification (each repeat worth half the previous one); "
               "the fitted model is `data_constrained_tokens` (Muennighoff et al. 2023)")
MUENNIGHOFF_FIT = ("Muennighoff et al. 2023, Scaling Data-Constrained Language Models, "
                   "eq. 5 ($R_D^* = 15.4$ fitted, section 3)")
CHINCHILLA = {"E": "1.69", "A": "406.4", "B": "410.7", "alpha": "0.34", "beta": "0.28"}

FORMULAS = [
    Formula(
        id="chinchilla_loss",
        title="Chinchilla loss",
        topic="scaling",
        lhs="L",
        rhs=E + A / N**alpha + B / D**beta,
        source=HOFFMANN,
        example={**CHINCHILLA, "N": "70e9", "D": "1.4e12"},
        note="Irreducible loss $E$ plus a parameter term and a data term.",
        requires=(
            (L > E + A / N**alpha, "the loss must lie above E + A/N^alpha, what this model "
             "size reaches with unlimited data"),
            (L > E + B / D**beta, "the loss must lie above E + B/D^beta, what this much data "
             "reaches with an unlimited model"),
        ),
    ),
    Formula(
        id="reducible_loss",
        title="Reducible loss",
        topic="scaling",
        lhs="L_red",
        rhs=L - E,
        source=HOFFMANN,
        example={"L": "1.94", "E": "1.69"},
        note="$E$ is the entropy of text; $L - E$ estimates the KL divergence to the model.",
    ),
    Formula(
        id="optimal_allocation_constant",
        title="Compute-optimal allocation constant",
        topic="scaling",
        lhs="G",
        rhs=(alpha * A / (beta * B)) ** (1 / (alpha + beta)),
        source=HOFFMANN,
        example={k: v for k, v in CHINCHILLA.items() if k != "E"},
    ),
    Formula(
        id="optimal_params",
        title="Compute-optimal parameters",
        topic="scaling",
        lhs="N_opt",
        rhs=G * (C / 6) ** (beta / (alpha + beta)),
        source=HOFFMANN,
        example={"G": "0.9", "C": "5.76e23", "alpha": "0.34", "beta": "0.28"},
    ),
    Formula(
        id="optimal_tokens",
        title="Compute-optimal tokens",
        topic="scaling",
        lhs="D_opt",
        rhs=(C / 6) ** (alpha / (alpha + beta)) / G,
        source=HOFFMANN,
        example={"G": "0.9", "C": "5.76e23", "alpha": "0.34", "beta": "0.28"},
        mistakes=(Mistake("exponent_of_n_opt", (C / 6) ** (beta / (alpha + beta)) / G,
                          "You used the parameter exponent beta/(alpha+beta); tokens scale "
                          "with alpha/(alpha+beta)."),),
    ),
    Formula(
        id="tokens_per_parameter_rule",
        title="Chinchilla rule of thumb",
        topic="scaling",
        lhs="D",
        rhs=20 * N,
        source=HOFFMANN,
        example={"N": "70e9"},
        note="About 20 tokens per parameter; not true of every LLM.",
    ),
    Formula(
        id="data_scale_factor",
        title="Extra data for a smaller model at equal loss",
        topic="scaling",
        lhs="k_D",
        rhs=(1 - (k_N ** (-alpha) - 1) * beta / alpha) ** (-1 / beta),
        source=DE_VRIES,
        example={"k_N": "0.5", "alpha": "0.34", "beta": "0.28"},
        note="Starting from the compute-optimal point, where "
             "$\\alpha A/N^\\alpha = \\beta B/D^\\beta$; "
        "independent of the compute budget.",
    ),
    Formula(
        id="compute_overhead",
        title="Compute overhead of a smaller model",
        topic="scaling",
        lhs="C_oh",
        rhs=k_N * k_D - 1,
        source=DE_VRIES,
        example={"k_N": "0.5", "k_D": "2.416"},
    ),
    Formula(
        id="effective_tokens_repeated",
        title="Effective tokens from repeated data",
        topic="scaling",
        lhs="D_eff",
        rhs=2 * (1 - sp.Integer(2) ** (-(x + 1))) * D,
        source=MUENNIGHOFF,
        example={"D": "4.1e12", "x": "2"},
        mistakes=(Mistake("total_epochs", 2 * (1 - sp.Integer(2) ** (-x)) * D,
                          "You gave the total number of epochs; the question asks for the "
                          "additional epochs after the first (subtract 1)."),),
        note="Each extra pass is worth half the previous one, so $D_eff < 2D$ for any $x$.",
        requires=((D_eff < 2 * D, "repeating data yields fewer than 2D effective tokens "
                   "however many epochs: D_eff must be below 2D"),
                  (D_eff >= D, "the first epoch alone gives D effective tokens: D_eff must be "
                   "at least D")),
    ),
    Formula(
        id="data_constrained_tokens",
        title="Effective tokens from repeated data (fitted decay)",
        topic="scaling",
        lhs="D_eff",
        rhs=U_D + U_D * R_star * (1 - sp.exp(-R_D / R_star)),
        source=MUENNIGHOFF_FIT,
        example={"U_D": "4.1e12", "R_D": "2", "R_star": "15.4"},
        mistakes=(Mistake("repeats_count_fully", U_D * (1 + R_D),
                          "Repeated tokens are worth less than new ones: with $R_D^* = 15.4$ "
                          "each repetition adds less than $U_D$."),),
        note="For a few repetitions almost every repeat counts (4 epochs ~ fresh data); "
             "the course's halving model is far more pessimistic.",
    ),
]
