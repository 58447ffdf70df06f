"""The formula library: every formula of every topic, looked up by id.

The library knows nothing of sheets, rendering or files; the engine, the renderer and
the checker all read the same `Formula` objects, so a formula changed here changes
solutions, cheat sheets and grading at once.
"""

from __future__ import annotations

from derivations.errors import UnknownName, suggest
from derivations.library import (
    architecture,
    compute,
    finetuning,
    formats,
    inference,
    memory,
    parallelism,
    quantization,
    scaling,
    systems,
    training,
)
from derivations.library.core import Formula, Mistake
from derivations.library.symbols import QUANTITIES, Quantity, quantity

#: Topics in the order a course meets them (also the order of cheat sheet sections).
TOPICS: dict[str, str] = {
    "compute": "Compute",
    "scaling": "Scaling laws and loss",
    "memory": "Memory",
    "finetuning": "Fine-tuning",
    "training": "Training loop",
    "quantization": "Quantization",
    "formats": "Number formats",
    "systems": "Sizing a run: KV cache, ZeRO, throughput",
    "architecture": "Parameters from the architecture: attention, MLP, embeddings, experts",
    "parallelism": "Training at scale: parallelism and communication",
    "inference": "Inference and cost",
}

_MODULES = (compute, scaling, memory, finetuning, training, quantization, formats,
            systems, architecture, parallelism, inference)

FORMULAS: dict[str, Formula] = {f.id: f for module in _MODULES for f in module.FORMULAS}


def formula(formula_id: str) -> Formula:
    """The formula with this id; unknown ids raise with the closest ids."""
    try:
        return FORMULAS[formula_id]
    except KeyError:
        close = suggest(formula_id, FORMULAS)
        raise UnknownName("formula", formula_id, close) from None


def by_topic(topics: list[str] | None = None) -> list[Formula]:
    """Formulas of the given topics (all when None), in library order."""
    wanted = topics or list(TOPICS)
    for topic in wanted:
        if topic not in TOPICS:
            raise UnknownName("topic", topic, suggest(topic, TOPICS))
    return [f for f in FORMULAS.values() if f.topic in wanted]


__all__ = ["FORMULAS", "TOPICS", "QUANTITIES", "Formula", "Mistake", "Quantity", "by_topic",
           "formula", "quantity"]
