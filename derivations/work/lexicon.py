"""The words and signs of written math the checker knows, in one place.

Why a separate module: the tokenizer, the document reader (which glues `trillion
tokens` written after a display formula onto it) and the report all need the same
idea of what a unit, a scale word or a relation sign is.
"""

from __future__ import annotations

from fractions import Fraction

from derivations.grade.answers import scale_of, unit_name
from derivations.library.units import UNITS
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
_KINDS = {"byte": "byte", "FLOP": "FLOP", "second": "time"}
_PREFIXED_BYTES = {"KB", "MB", "GB", "TB", "KiB", "MiB", "GiB", "TiB"}


def unit_word(word: str) -> tuple[str, Fraction, str] | None:
    """(canonical unit, factor, kind) for a unit or scale word, None for prose.

    The words and factors are the answer reader's and the library's (`grade.answers`,
    `library.units`), so `derive check` and `check-work` read `GB`, `tokens` or `hours`
    alike. Kinds: `scale` (trillion), `byte`, `FLOP`, `time`, or `count` (tokens,
    parameters, epochs...). Byte prefixes are case-sensitive here (`Gb` is a gigabit;
    `kB` is allowed). A single letter is never a unit word (`B` is a constant, `s` a
    symbol); `\\text{s}` is read as seconds by the tokenizer.
    """
    if len(word) < 2:
        return None
    scale = scale_of(word)
    if scale is not None:
        return ("1", Fraction(scale), "scale") if len(word) > 2 else None
    name = unit_name(word)
    if name in _PREFIXED_BYTES and word not in (name, "kB"):
        return None
    if name is not None:
        unit = UNITS[name]
        return unit.canonical, unit.factor, _KINDS.get(unit.canonical, "count")
    if word.lower() in LABELS:
        return "1", Fraction(1), "count"
    return None


def bytes_in(word: str) -> Fraction:
    """How many bytes a byte unit word holds (`GiB`: 2^30)."""
    return UNITS[unit_name(word) or word].factor


#: Short words that end a formula written in prose (`L = 1.90 by 1%`).
STOP_WORDS = {"by", "of", "is", "to", "in", "at", "so", "as", "we", "if", "or", "an", "on",
              "be", "it", "us", "my", "do", "vs"}

FUNCTIONS = {"log", "ln", "exp", "sqrt", "lg", "log2", "log10"}
