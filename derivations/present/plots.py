"""Data for the pictures of a solution sheet, computed by the engine (TeX only draws).

The sweeps themselves (the sheet solved again over sample points) are the solver's
(`solver.sweeps`); here the values are put in the plotted unit and labelled.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from derivations.errors import SpecError
from derivations.library.units import UNITS
from derivations.numbers import figures, text, to_float
from derivations.sheet.model import Plot, Sheet
from derivations.solver import engine
from derivations.solver.solution import Solution
from derivations.solver.sweeps import sweep


@dataclass(frozen=True)
class PlotData:
    """Numbers ready for pgfplots (floats in the plotted unit)."""

    spec: Plot
    curve: tuple[tuple[float, float], ...] = ()
    marks: tuple[tuple[float, float, str], ...] = ()
    bars: tuple[tuple[str, float], ...] = ()


def plot_data(solution: Solution) -> list[PlotData]:
    """Compute every plot of the solved sheet."""
    sheet = solution.sheet
    assert isinstance(sheet, Sheet)
    return [(_sweep if plot.kind == "sweep" else _bars)(solution, plot) for plot in sheet.plots]


def _sweep(solution: Solution, plot: Plot) -> PlotData:
    sheet = solution.sheet
    assert isinstance(sheet, Sheet)
    xs, ys = sweep(solution, plot)
    scale = 1 / _factor(solution, plot)
    curve = tuple((float(x), to_float(y) * scale) for x, y in zip(xs, ys, strict=True))
    if not all(math.isfinite(y) for _, y in curve):
        raise SpecError(sheet.file, f"{plot.key}.y", f"{plot.y} is not a finite number over "
                        "the whole range", sheet.line_of(f"{plot.key}.y"))
    marks = []
    for x, y, label in plot.marks:
        xs_mark = engine.value_of(solution, x.text, f"{plot.key}.marks")
        ys_mark = engine.value_of(solution, y.text, f"{plot.key}.marks")
        pairs = zip(xs_mark, ys_mark, strict=True) if isinstance(xs_mark, tuple) \
            else [(xs_mark, ys_mark)]
        for x_value, y_value in pairs:
            y_shown = to_float(y_value) * scale
            marks.append((to_float(x_value), y_shown,
                          label or text(figures(y_shown, 3)) + plot.unit))
    return PlotData(plot, curve=curve, marks=tuple(marks))


def _factor(solution: Solution, plot: Plot) -> float:
    """Canonical units per plotted unit (GB: 1e9, %: 0.01)."""
    unit = UNITS.get(plot.unit or "1")
    if unit is None:
        sheet = solution.sheet
        assert isinstance(sheet, Sheet)
        raise SpecError(sheet.file, f"{plot.key}.unit", f"unknown unit {plot.unit!r}",
                        sheet.line_of(f"{plot.key}.unit"))
    return float(unit.factor)


def _bars(solution: Solution, plot: Plot) -> PlotData:
    scale = 1 / _factor(solution, plot)
    bars = tuple((label, to_float(engine.value_of(solution, value.text, f"{plot.key}.bars"))
                  * scale) for label, value in plot.bars)
    if any(not math.isfinite(v) for _, v in bars):
        sheet = solution.sheet
        assert isinstance(sheet, Sheet)
        raise SpecError(sheet.file, f"{plot.key}.bars", "a bar is not a finite number",
                        sheet.line_of(f"{plot.key}.bars"))
    return PlotData(plot, bars=bars)
