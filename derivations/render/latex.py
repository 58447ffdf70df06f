"""The LaTeX writer of the view: each piece of `present.view` spelled as LaTeX.

Templates print view objects directly (`\\VAR{a.result}`); the environment's
finalize hook sends them here. Prose strings are escaped; `Tex` is LaTeX already
finished by this module (coordinates, labels) and passes unchanged.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from functools import singledispatch
from typing import Any

from derivations import numbers
from derivations.library import quantity
from derivations.present import printing
from derivations.present.printing import math_latex
from derivations.present.prose import Prose
from derivations.present.shown import Displayed
from derivations.present.texchars import MATH, describe, tex_char, unsupported
from derivations.present.view import Equation, Example, GivenValue, Symbol
from derivations.sheet.mathtext import Math
from derivations.sheet.model import Sheet

MAX_PDF_STRING = 300  # characters of a title in the PDF's metadata


class Tex(str):
    """A string that is already LaTeX: the template environment passes it unescaped."""


@singledispatch
def to_latex(value: Any) -> str:
    """Prose and numbers: escaped so that they print literally."""
    if value is None:
        return ""
    return printing.escape_latex(str(value))


@to_latex.register
def _(value: Tex) -> str:
    return value


@to_latex.register
def _(value: Equation) -> str:
    return printing.latex_aligned(value.expr) if value.aligned else printing.latex(value.expr)


@to_latex.register
def _(value: Symbol) -> str:
    return printing.symbol_latex(value.name)


@to_latex.register
def _(value: Displayed) -> str:
    return printing.displayed_latex(value)


@to_latex.register
def _(value: Prose) -> str:
    return "".join(printing.escape_latex(part) if isinstance(part, str)
                   else "$" + math_latex(part) + "$" if isinstance(part, Math)
                   else "$" + printing.displayed_latex(part) + "$" for part in value.parts)


@to_latex.register
def _(value: GivenValue) -> str:
    shown = printing.displayed_latex(value.shown)
    if value.label:
        shown = rf"\text{{{printing.escape_latex(value.label)}: }}" + shown
    return "$" + shown + "$"


@to_latex.register
def _(value: Example) -> str:
    """`N = …, D = … ⇒ C = …` as one formula per input: the line may break at a comma or
    before the arrow, never after it (an example once ended in `⇒`, its result in the
    next column)."""
    inputs = ", ".join(rf"${quantity(n).latex} = {printing.number_latex(v, value.sig)}$"
                       for n, v in value.inputs)
    return (rf"{inputs} $\Rightarrow\nobreak\; {quantity(value.lhs).latex} = "
            rf"{printing.shown_latex(value.result)}$")


def coordinate(value: float) -> Tex:
    """A number as pgfplots reads it (`numbers.coordinate`: 6 figures, `1e24`)."""
    return Tex(numbers.coordinate(value))


def coordinates(points: Iterable[tuple[float, float]]) -> Tex:
    """`(x,y) (x,y) ...` for an `\\addplot coordinates {...}`."""
    return Tex(" ".join(f"({coordinate(x)},{coordinate(y)})" for x, y in points))


def text_fields(sheet: Sheet) -> Iterator[tuple[str, str]]:
    """(key, text) of every piece of prose a sheet puts into its documents."""
    yield "title", sheet.title
    yield "course", sheet.course
    for key, given in sheet.given.items():
        yield f"given.{key}.label", given.label
    for problem in sheet.problems:
        key = f"problems.{problem.id}"
        yield f"{key}.title", problem.title
        yield f"{key}.statement", problem.statement
        for name, given in problem.given.items():
            yield f"{key}.given.{name}.label", given.label
        for ask in problem.asks:
            for name in ("text", "claim", "justification"):
                yield f"{ask.key}.{name}", getattr(ask, name)
    for plot in sheet.plots:
        for name in ("title", "x_label", "y_label"):
            yield f"{plot.key}.{name}", getattr(plot, name)
        for label in [m[2] for m in plot.marks] + [b[0] for b in plot.bars]:
            yield f"{plot.key}.marks" if plot.marks else f"{plot.key}.bars", label


def glyph_warnings(sheet: Sheet) -> list[str]:
    """One warning per text field holding characters that no PDF font has."""
    warnings = []
    for key, text in text_fields(sheet):
        missing = unsupported(text)
        if missing:
            line = sheet.line_of(key)
            where = f"{sheet.file}:{line}" if line else sheet.file
            shown = ", ".join(describe(ch) for ch in missing[:3])
            more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
            warnings.append(f"{where}: [{key}] no PDF font has {shown}{more}; printed as "
                            "boxed code points")
    return warnings


def pdf_string(text: str) -> Tex:
    """Text for PDF metadata (`pdftitle`): hyperref turns it into a PDF string, where
    math and boxes are not allowed; Greek and math symbols become their names and a
    character no font has becomes `?`. Bounded, since hyperref's conversion is slow
    on long strings."""
    out = []
    for ch in unicodedata.normalize("NFC", text[:MAX_PDF_STRING]):
        if ch.isascii():
            out.append(printing.escape_latex(ch))
        elif ch in MATH:
            out.append(MATH[ch].lstrip("\\^_{}").rstrip("}") + " ")
        else:
            out.append(ch if tex_char(ch) else "?")
    return Tex("".join(out))
