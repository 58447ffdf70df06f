"""The words and signs of written math the checker knows, in one place.

Why a separate module: the tokenizer, the document reader (which glues `trillion
tokens` written after a display formula onto it) and the report all need the same
idea of what a unit, a scale word or a relation sign is.
"""

from __future__ import annotations

from fractions import Fraction

GREEK = {"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε",
         "varepsilon": "ε", "zeta": "ζ", "eta": "η", "theta": "θ", "kappa": "κ",
         "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "rho": "ρ", "sigma": "σ",
         "tau": "τ", "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
         "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Sigma": "Σ",
         "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω"}
GREEK_LETTERS = {letter: name for name, letter in GREEK.items() if name != "varepsilon"
                 and name != "varphi"}

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

#: Scale words multiply: `6.48 trillion` is 6.48 × 10^12.
SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12,
          "quadrillion": 10**15}
#: Byte units and their size in bytes; the kind of a decimal or binary slip is told
#: from these (`325.96 GB` for 3.5 × 10^11 bytes is the size in GiB).
BYTES = {"B": 1, "byte": 1, "bytes": 1, "KB": 10**3, "kB": 10**3, "MB": 10**6,
         "GB": 10**9, "TB": 10**12, "PB": 10**15, "KiB": 2**10, "MiB": 2**20,
         "GiB": 2**30, "TiB": 2**40, "PiB": 2**50}
BINARY_TWIN = {"KB": "KiB", "kB": "KiB", "MB": "MiB", "GB": "GiB", "TB": "TiB",
               "PB": "PiB"}
BINARY_TWIN.update({binary: decimal for decimal, binary in list(BINARY_TWIN.items())
                    if decimal != "kB"})
#: Compute units in FLOP.
FLOPS = {"flop": 1, "flops": 1, "gflop": 10**9, "gflops": 10**9, "tflop": 10**12,
         "tflops": 10**12, "pflop": 10**15, "pflops": 10**15, "eflop": 10**18,
         "eflops": 10**18, "zflop": 10**21, "zflops": 10**21}
#: Time units in seconds, with the spelling the answer reader knows.
TIMES = {"second": (1, "s"), "seconds": (1, "s"), "s": (1, "s"), "h": (3600, "h"),
         "sec": (1, "s"), "secs": (1, "s"),
         "minute": (60, "min"), "minutes": (60, "min"), "min": (60, "min"),
         "hour": (3600, "h"), "hours": (3600, "h"), "hrs": (3600, "h"),
         "day": (86400, "day"), "days": (86400, "day"), "week": (604800, "week"),
         "weeks": (604800, "week")}
#: Words that name what is counted; they label a number without changing it.
COUNTS = {"token": "token", "tokens": "token", "parameter": "parameter",
          "parameters": "parameter", "params": "parameter", "param": "parameter",
          "weights": "parameter", "epoch": "epoch", "epochs": "epoch", "step": "step",
          "steps": "step", "sample": "sample", "samples": "sample", "gpu": "GPU",
          "gpus": "GPU", "layers": "layer", "layer": "layer", "nats": "1", "nat": "1",
          "matrices": "1", "matrix": "1", "tasks": "1", "task": "1", "models": "1",
          "copies": "1", "iterations": "step", "iteration": "step"}


def unit_word(word: str) -> tuple[str, Fraction, str] | None:
    """(canonical unit, factor, kind) for a unit or scale word, None for prose.

    Kinds: `scale` (trillion), `byte`, `FLOP`, or a count (`token`, `parameter`, ...).
    Byte prefixes are case-sensitive (`Mb` is not a megabyte); words are not. A single
    letter is never a unit here (`B` is a constant, `s` a symbol); `\\text{s}` is read
    as seconds by the tokenizer.
    """
    if len(word) < 2:
        return None
    if word in BYTES:
        return "byte", Fraction(BYTES[word]), "byte"
    lower = word.lower()
    if lower in ("byte", "bytes"):
        return "byte", Fraction(1), "byte"
    if lower in SCALES:
        return "1", Fraction(SCALES[lower]), "scale"
    if lower in FLOPS:
        return "FLOP", Fraction(FLOPS[lower]), "FLOP"
    if lower in COUNTS:
        return COUNTS[lower], Fraction(1), "count"
    if lower in TIMES:
        return "second", Fraction(TIMES[lower][0]), "time"
    return None


#: Short words that end a formula written in prose (`L = 1.90 by 1%`).
STOP_WORDS = {"by", "of", "is", "to", "in", "at", "so", "as", "we", "if", "or", "an", "on",
              "be", "it", "us", "my", "do", "vs"}

FUNCTIONS = {"log", "ln", "exp", "sqrt", "lg", "log2", "log10"}
