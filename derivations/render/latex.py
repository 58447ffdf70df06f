"""The LaTeX writer of the view: each piece of `present.view` spelled as LaTeX.

Templates print view objects directly (`\\VAR{a.result}`); the environment's
finalize hook sends them here. Prose strings are escaped; `Tex` is LaTeX already
finished by this module (coordinates, labels) and passes unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import singledispatch
from typing import Any

from derivations.library import quantity
from derivations.present import printing
from derivations.present.display import Displayed
from derivations.present.view import Equation, Example, GivenValue, Symbol


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
    return value.latex()


@to_latex.register
def _(value: GivenValue) -> str:
    shown = value.shown.latex()
    if value.label:
        shown = rf"\text{{{printing.escape_latex(value.label)}: }}" + shown
    return "$" + shown + "$"


@to_latex.register
def _(value: Example) -> str:
    inputs = ", ".join(rf"{quantity(n).latex} = {printing.number_latex(v, value.sig)}"
                       for n, v in value.inputs)
    return rf"${inputs} \;\Rightarrow\; {quantity(value.lhs).latex} = {value.result.latex()}$"


def coordinate(value: float) -> Tex:
    """A number as pgfplots reads it (6 significant figures, `1e24`)."""
    return Tex(f"{value:.6g}".replace("e+", "e"))


def coordinates(points: Iterable[tuple[float, float]]) -> Tex:
    """`(x,y) (x,y) ...` for an `\\addplot coordinates {...}`."""
    return Tex(" ".join(f"({coordinate(x)},{coordinate(y)})" for x, y in points))
