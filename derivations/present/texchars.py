"""Which characters pdfLaTeX can typeset, and how: the table behind `escape_latex`.

Why a table in Python rather than `newunicodechar` lines in the preamble or LuaLaTeX:
the mapping then costs TeX nothing (no extra package, no font loading; LuaLaTeX with
OpenType fonts would roughly double every build), and it is decided before TeX runs,
so a character no font has becomes a visible boxed code point plus a warning naming
the sheet's file and key, never a failed build.

`PASS_THROUGH` was measured, not guessed: every character of the Latin-1, Latin
Extended-A/B, Greek, punctuation, super/subscript, currency, letterlike, arrow and
math-operator blocks was compiled with the sheets' preamble (T1 fontenc, utf8
inputenc, lmodern, textcomp); these ranges compiled, the rest raised "Unicode
character ... not set up for use with LaTeX". Greek letters and math symbols are
mapped to math-mode macros instead.
"""

from __future__ import annotations

import unicodedata

PASS_THROUGH: tuple[tuple[int, int], ...] = (
    (0x00A0, 0x0125), (0x0128, 0x0137), (0x0139, 0x013E), (0x0141, 0x0148),
    (0x014A, 0x0165), (0x0168, 0x017E), (0x0192, 0x0192), (0x01C4, 0x01D4),
    (0x01E2, 0x01E3), (0x01E6, 0x01EB), (0x01F0, 0x01F0), (0x01F4, 0x01F5),
    (0x0218, 0x021B), (0x0232, 0x0233), (0x0237, 0x0237), (0x2010, 0x2016),
    (0x2018, 0x201A), (0x201C, 0x201E), (0x2020, 0x2022), (0x2026, 0x2026),
    (0x2030, 0x2031), (0x2039, 0x203B), (0x203D, 0x203D), (0x2044, 0x2044),
    (0x204E, 0x204E), (0x2052, 0x2052), (0x20A1, 0x20A1), (0x20A4, 0x20A4),
    (0x20A6, 0x20A6), (0x20A9, 0x20A9), (0x20AB, 0x20AC), (0x20B1, 0x20B1),
    (0x2103, 0x2103), (0x2116, 0x2117), (0x211E, 0x211E), (0x2120, 0x2120),
    (0x2122, 0x2122), (0x2126, 0x2127), (0x212E, 0x212E), (0x2190, 0x2193),
)

_GREEK = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi "
          "omicron pi rho varsigma sigma tau upsilon phi chi psi omega").split()
_GREEK_CAPITALS = ("A B Gamma Delta E Z H Theta I K Lambda M N Xi O Pi P - Sigma T "
                   "Upsilon Phi X Psi Omega").split()

#: Characters typeset in math mode: Greek letters, operators, relations, arrows.
MATH: dict[str, str] = {
    **{chr(0x03B1 + i): ("o" if name == "omicron" else "\\" + name)
       for i, name in enumerate(_GREEK)},
    **{chr(0x0391 + i): (name if len(name) == 1 else "\\" + name)
       for i, name in enumerate(_GREEK_CAPITALS) if name != "-"},
    "ϑ": r"\vartheta", "ϕ": r"\phi", "ϵ": r"\epsilon", "ϱ": r"\varrho", "ϖ": r"\varpi",
    "≈": r"\approx", "≤": r"\le", "≥": r"\ge", "≠": r"\ne", "≡": r"\equiv", "∼": r"\sim",
    "≃": r"\simeq", "≅": r"\cong", "≪": r"\ll", "≫": r"\gg", "∝": r"\propto",
    "−": "-", "∓": r"\mp", "∞": r"\infty", "√": r"\surd", "∑": r"\sum", "∏": r"\prod",
    "∫": r"\int", "∂": r"\partial", "∇": r"\nabla", "∆": r"\Delta", "⋅": r"\cdot",
    "∙": r"\cdot", "∘": r"\circ", "∗": r"\ast", "∈": r"\in", "∉": r"\notin", "∋": r"\ni",
    "⊂": r"\subset", "⊆": r"\subseteq", "⊃": r"\supset", "⊇": r"\supseteq",
    "∩": r"\cap", "∪": r"\cup", "∧": r"\wedge", "∨": r"\vee",
    "∀": r"\forall", "∃": r"\exists", "∅": r"\emptyset", "′": r"{}^{\prime}",
    "″": r"{}^{\prime\prime}", "↔": r"\leftrightarrow", "⇒": r"\Rightarrow",
    "⇐": r"\Leftarrow", "⇔": r"\Leftrightarrow", "↦": r"\mapsto", "⟶": r"\longrightarrow",
    "⟹": r"\Longrightarrow", "↗": r"\nearrow", "↘": r"\searrow", "ℓ": r"\ell",
    "ℏ": r"\hbar", "ℝ": r"\mathbb{R}", "ℕ": r"\mathbb{N}", "ℤ": r"\mathbb{Z}",
    "ℚ": r"\mathbb{Q}", "ℂ": r"\mathbb{C}", "⌈": r"\lceil", "⌉": r"\rceil",
    "⌊": r"\lfloor", "⌋": r"\rfloor", "⟨": r"\langle", "⟩": r"\rangle",
    **{ch: f"^{{{d}}}" for ch, d in zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻ⁿⁱ", "0123456789+-ni", strict=True)
       if ch not in "¹²³"},
    **{ch: f"_{{{d}}}" for ch, d in zip("₀₁₂₃₄₅₆₇₈₉₊₋", "0123456789+-", strict=True)},
}

#: Invisible characters that are dropped (zero-width spaces and joiners, BOM).
DROPPED = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}


def _passes(code: int) -> bool:
    return any(low <= code <= high for low, high in PASS_THROUGH)


def tex_char(char: str) -> str | None:
    """LaTeX for one non-ASCII character, or None when no installed font has it."""
    if char in DROPPED:
        return ""
    if char in MATH:
        return r"\ensuremath{" + MATH[char] + "}"
    if _passes(ord(char)):
        return char
    return None


def replacement(char: str) -> str:
    """What a character without a glyph prints as: its code point, boxed."""
    return rf"\fbox{{\scriptsize U+{ord(char):04X}}}"


def unsupported(text: str) -> list[str]:
    """The characters of `text` that pdfLaTeX cannot typeset (each once, in order)."""
    found = [ch for ch in unicodedata.normalize("NFC", text)
             if ord(ch) > 0x7E and tex_char(ch) is None]
    return list(dict.fromkeys(found))


def describe(char: str) -> str:
    return f"U+{ord(char):04X} ({unicodedata.name(char, 'unnamed character')})"
