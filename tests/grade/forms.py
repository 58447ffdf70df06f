"""How people write a number: the notations a correct value is written in, generated.

Each writer takes a value in a unit's own scale (`350` for 350 GB) and returns the
text, or None when the notation does not apply. The notations follow the standards
the reader claims to read: LaTeX math, siunitx (`\\num`, `\\SI`, `\\qty`, prefixes),
CLDR digit groupings and decimal marks (en, de, fr, de-CH), SI and IEC prefixes with
plurals, Unicode superscripts and times signs, scale words, and remarks after a value.
Nothing here is imported from `derivations`: forms are checked against values
computed in the tests, never against the code under test.
"""

from __future__ import annotations

import math
from collections.abc import Callable

SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
Writer = Callable[[float], "str | None"]


def mantissa(value: float, figures: int) -> tuple[str, int]:
    text, exponent = f"{value:.{figures - 1}e}".split("e")
    return text, int(exponent)


def rounded(value: float, figures: int) -> float:
    if value == 0:
        return 0.0
    return round(value, figures - 1 - math.floor(math.log10(abs(value))))


def plain(value: float, figures: int) -> str:
    """Rounded to `figures` significant figures, fixed notation, no padding zeros."""
    if value == 0:
        return "0"
    decimals = max(figures - 1 - math.floor(math.log10(abs(value))), 0)
    text = f"{rounded(value, figures):.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def grouped(value: float, separator: str, decimal: str = ".", figures: int = 7) -> str:
    """Digits grouped in threes (CLDR): `15,625`, `1.234,5`, `15 625`, `15’625`."""
    text = plain(value, figures)
    whole, _, part = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return separator.join(groups) + (decimal + part if part else "")


def scientific_forms(unit: str) -> list[tuple[str, Writer]]:
    """Notations of a number with a power of ten, each followed by `unit` (may be '')."""
    tail = f" {unit}" if unit else ""
    m = mantissa
    return [
        ("e", lambda v: f"{m(v, 4)[0]}e{m(v, 4)[1]}{tail}"),
        ("E_space", lambda v: f"{m(v, 4)[0]} E{m(v, 4)[1]}{tail}"),
        ("x10_caret", lambda v: f"{m(v, 4)[0]} x 10^{m(v, 4)[1]}{tail}"),
        ("times_superscript", lambda v: f"{m(v, 4)[0]} × 10{str(m(v, 4)[1]).translate(SUPERSCRIPT)}"
                                        f"{tail}"),
        ("cdot_unicode", lambda v: f"{m(v, 4)[0]}·10^{m(v, 4)[1]}{tail}"),
        ("latex_times", lambda v: f"${m(v, 4)[0]} \\times 10^{{{m(v, 4)[1]}}}${tail}"),
        ("latex_cdot_text", lambda v: f"$${m(v, 4)[0]} \\cdot 10^{{{m(v, 4)[1]}}}"
                                      + (f"\\,\\text{{{unit}}}" if unit else "") + "$$"),
        ("latex_paren", lambda v: f"\\({m(v, 4)[0]}\\times10^{{{m(v, 4)[1]}}}\\)" + tail),
        ("siunitx_num", lambda v: f"\\num{{{m(v, 4)[0]}e{m(v, 4)[1]}}}{tail}"),
        ("boxed", lambda v: f"$\\boxed{{{m(v, 4)[0]} \\times 10^{{{m(v, 4)[1]}}}}}${tail}"),
        ("approx_latex", lambda v: f"$\\approx {m(v, 3)[0]} \\times 10^{{{m(v, 3)[1]}}}$"
                                   f"{tail}"),
        ("remark_rounded", lambda v: f"{m(v, 4)[0]}e{m(v, 4)[1]}{tail} (rounded)"),
        ("remark_sf", lambda v: f"{m(v, 4)[0]}e{m(v, 4)[1]}{tail}, to 4 s.f."),
        ("bold", lambda v: f"**{m(v, 4)[0]}e{m(v, 4)[1]}**{tail}"),
    ]


def grouping_forms(unit: str) -> list[tuple[str, Writer]]:
    """Whole numbers with the digit groupings of CLDR locales and LaTeX."""
    tail = f" {unit}" if unit else ""
    forms: list[tuple[str, Writer]] = []
    for name, separator in (("comma", ","), ("space", " "), ("thin", "\u2009"),
                            ("narrow_nbsp", "\u202f"), ("apostrophe", "'"),
                            ("typographic_apostrophe", "’"), ("period_de", ".")):
        forms.append((f"group_{name}", lambda v, s=separator: grouped(v, s) + tail
                      if v >= 10_000 and v == int(v) else None))
    forms.append(("latex_group_brace", lambda v: f"${grouped(v, '{,}')}${tail}"
                  if v >= 10_000 and v == int(v) else None))
    forms.append(("latex_group_thin", lambda v: f"${grouped(v, chr(92) + ',')}${tail}"
                  if v >= 10_000 and v == int(v) else None))
    forms.append(("siunitx_grouped", lambda v: f"\\num{{{int(v)}}}{tail}"
                  if v == int(v) else None))
    return forms


def decimal_forms(unit: str, figures: int = 4) -> list[tuple[str, Writer]]:
    """A number of ordinary size written with its decimals, in several locales."""
    tail = f" {unit}" if unit else ""
    return [
        ("fixed", lambda v: f"{plain(v, figures)}{tail}"),
        ("decimal_comma", lambda v: f"{plain(v, figures).replace('.', ',')}{tail}"
         if "." in plain(v, figures) and len(plain(v, figures).split(".")[1]) != 3
         else None),
        ("latex_fixed", lambda v: f"${plain(v, figures)}$" + tail),
        ("latex_decimal_comma", lambda v: f"${plain(v, figures).replace('.', '{,}')}$" + tail
         if "." in plain(v, figures) and len(plain(v, figures).split(".")[1]) != 3
         else None),
        ("name_equals", lambda v: f"x = {plain(v, figures)}{tail}"),
        ("tilde", lambda v: f"~{plain(v, figures)}{tail}"),
        ("remark_words", lambda v: f"{plain(v, figures)}{tail}, rounded"),
        ("remark_paren", lambda v: f"{plain(v, figures)}{tail} (approx.)"),
    ]


def unit_forms(unit_words: list[str], figures: int = 4) -> list[tuple[str, Writer]]:
    """A value written with each of several spellings of one unit (grammar, not list)."""
    forms: list[tuple[str, Writer]] = []
    for word in unit_words:
        forms.append((f"unit[{word}]", lambda v, w=word: f"{plain(v, figures)} {w}"))
        forms.append((f"latex_unit[{word}]",
                      lambda v, w=word: f"${plain(v, figures)}\\,\\mathrm{{{w}}}$"
                      if w.isalpha() else None))
    return forms


def siunitx_units(pairs: list[tuple[str, str]], figures: int = 4) -> list[tuple[str, Writer]]:
    """`\\SI{350}{\\giga\\byte}`, `\\qty{326}{\\gibi\\byte}`, `\\SI{350}{GB}`."""
    forms: list[tuple[str, Writer]] = []
    for name, spelled in pairs:
        forms.append((f"SI[{name}]", lambda v, s=spelled: f"\\SI{{{plain(v, figures)}}}{{{s}}}"))
        forms.append((f"qty[{name}]",
                      lambda v, s=spelled: f"$\\qty{{{plain(v, figures)}}}{{{s}}}$"))
    return forms
