"""The training loop: optimizer steps, micro-batches and tokens per step."""

from __future__ import annotations

from derivations.library.core import Formula, Mistake
from derivations.library.symbols import syms

S, n_samples, b, g, n_dev, n_micro, T_step, n_ctx = syms(
    "S n_samples b g n_dev n_micro T_step n_ctx")

HF = "Gradient accumulation as in Hugging Face Trainer"

FORMULAS = [
    Formula(
        id="steps_per_epoch",
        title="Optimizer steps per epoch",
        topic="training",
        lhs="S",
        rhs=n_samples / (b * g * n_dev),
        source=HF,
        example={"n_samples": "1e6", "b": "16", "g": "4", "n_dev": "1"},
        mistakes=(Mistake("forgot_accumulation", n_samples / (b * n_dev),
                          "You counted micro-batches: with gradient accumulation the weights "
                          "update once every $g$ micro-batches."),),
        note="The weights update once per optimizer step, many times per epoch.",
    ),
    Formula(
        id="micro_batches_per_epoch",
        title="Micro-batches per device per epoch",
        topic="training",
        lhs="n_micro",
        rhs=n_samples / (b * n_dev),
        source=HF,
        example={"n_samples": "1e6", "b": "16", "n_dev": "1"},
    ),
    Formula(
        id="tokens_per_step",
        title="Tokens per optimizer step",
        topic="training",
        lhs="T_step",
        rhs=b * g * n_dev * n_ctx,
        source=HF,
        example={"b": "16", "g": "4", "n_dev": "8", "n_ctx": "2048"},
    ),
]
