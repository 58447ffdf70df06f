"""The words and signs of written math the checker knows, in one place.

Why a separate module: the tokenizer, the document reader (which glues `trillion
tokens` written after a display formula onto it) and the report all need the same
idea of what a unit, a scale word or a relation sign is.
"""

from __future__ import annotations

from fractions import Fraction

from derivations.read.units import read_unit, scale_of
from derivations.sheet.mathtext import GREEK

#: Unicode Greek letters back to their names (`α` -> alpha); ε and ϵ both epsilon.
GREEK_LETTERS = {letter: name for name, letter in GREEK.items() if name != "varphi"}
GREEK_LETTERS["ε"] = "epsilon"

#: Relation signs: `=` (equal to the precision written), `≈` (within rounding or the
#: sheet's tolerance) and `→` (the next equation is a rearrangement of this one).
EQUAL, APPROX, IMPLIES = "=", "≈", "→"
RELATION_COMMANDS = {"approx": APPROX, "simeq": APPROX, "sim": APPROX, "cong": APPROX,
                     "thickapprox": APPROX, "approxeq": APPROX, "equiv": EQUAL,
                     "to": IMPLIES, "rightarrow": IMPLIES, "Rightarrow": IMPLIES,
                     "implies": IMPLIES, "Longrightarrow": IMPLIES,
                     "longrightarrow": IMPLIES, "mapsto": IMPLIES, "iff": IMPLIES,
                     "Leftrightarrow": IMPLIES}
RELATION_CHARS = {"=": EQUAL, "≈": APPROX, "≃": APPROX, "≅": APPROX, "∼": APPROX,
                  "→": IMPLIES, "⇒": IMPLIES, "⟹": IMPLIES, "⟶": IMPLIES, "↦": IMPLIES,
                  "⇔": IMPLIES}
INEQUALITIES = {"<", ">", "≤", "≥", "≠", "≪", "≫"}
INEQUALITY_COMMANDS = {"le", "leq", "ge", "geq", "ne", "neq", "lt", "gt", "ll", "gg",
                       "lesssim", "gtrsim", "in", "notin", "subset", "propto"}

#: Words that label a number without being a unit of the sheet (`100 tasks`).
LABELS = {"layer", "layers", "matrix", "matrices", "task", "tasks", "model", "models",
          "copy", "copies", "head", "heads"}
#: The binary twin of each decimal byte unit and back (`325.96 GB` may be 325.96 GiB).
BINARY_TWIN = {"KB": "KiB", "MB": "MiB", "GB": "GiB", "TB": "TiB"}
BINARY_TWIN.update({binary: decimal for decimal, binary in list(BINARY_TWIN.items())})


def unit_word(word: str) -> tuple[str, Fraction, str] | None:
    """(canonical unit, factor, kind) for a unit or scale word, None for prose.

    Units are read by their grammar (`read.units`), so `derive check` and `check-work`
    read `GB`, `tokens`, `Gb` (gigabits) or `hours` alike. Kinds: `scale` (trillion),
    `byte`, `FLOP`, `time`, `rate`, `1`, or `count` (tokens, parameters, epochs...). A
    single letter is never a unit word here (`B` is a constant, `s` a symbol); the
    tokenizer reads `\\text{s}` as seconds and a byte `B` right after a number.
    """
    if len(word) < 2:
        return None
    scale = scale_of(word)
    if scale is not None:
        return ("1", Fraction(scale), "scale") if len(word) > 2 else None
    found = read_unit(word)
    if found is not None:
        return found.as_tuple()
    if word.lower() in LABELS:
        return "1", Fraction(1), "count"
    return None


def bytes_in(word: str) -> Fraction:
    """How many bytes a byte unit word holds (`GiB`: 2^30)."""
    found = read_unit(word)
    assert found is not None and found.canonical == "byte", word
    return found.factor


#: Words before a unit that do not change it: `2.64 extra epochs`, `18.87M trainable
#: parameters`, `15 625 optimizer steps`. (`3.64 total epochs` is read as 3.64 epochs:
#: the number, not the word, decides whether total and additional epochs were mixed.)
ADJECTIVES = {"extra", "additional", "more", "further", "trainable", "optimizer",
              "optimiser", "training", "gradient", "new", "unique", "fresh", "learnable",
              "free", "peak", "total"}

#: Short words that end a formula written in prose (`L = 1.90 by 1%`).
STOP_WORDS = {"by", "of", "is", "to", "in", "at", "so", "as", "we", "if", "or", "an", "on",
              "be", "it", "us", "my", "do", "vs"}

FUNCTIONS = {"log", "ln", "exp", "sqrt", "lg", "log2", "log10", "ceil", "floor", "round"}
