"""Where things go in an inline SVG plot: axes, ticks, the curve, marks and bars.

The plot's numbers come from `present.plots` through the view (`PlotView`, floats in
the plotted unit); this module only maps them to pixels and picks round tick values,
the job pgfplots does for the PDF. `templates/_plot.html.j2` draws the result. The
SVG has a viewBox and no fixed width, so it shrinks with a phone's screen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from derivations.numbers import Digits, digits, round_figures
from derivations.present.view import PlotView

WIDTH, HEIGHT = 640, 360
LEFT, RIGHT, TOP, BOTTOM = 78, 24, 34, 54
BAR_HEIGHT = 150
PALETTE = ("#1f4e99", "#c0392b", "#2e8b57", "#d68910", "#7d3c98", "#117a8b", "#6e2c00")


@dataclass(frozen=True)
class Tick:
    at: float     # pixel position along its axis
    label: Digits


@dataclass(frozen=True)
class Bar:
    x: float
    width: float
    color: str
    label: str
    value: Digits


@dataclass(frozen=True)
class Layout:
    """Pixel geometry of one plot (the SVG's user units)."""

    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    curve: str = ""                       # polyline points "x,y x,y ..."
    marks: list[tuple[float, float, str]] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)


def layout(plot: PlotView) -> Layout:
    """The geometry of a sweep or a bar plot."""
    return _bars(plot) if plot.kind == "bars" else _sweep(plot)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round values (1, 2 or 5 times a power of ten apart) covering [low, high]."""
    if high <= low:
        high = low + (abs(low) or 1.0)
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.floor(low / step + 1e-9) * step
    ticks: list[float] = []
    value = first
    while value <= high + step * 1e-9 or len(ticks) < 2:
        ticks.append(round(value / step) * step)
        value += step
    if ticks[-1] < high - step * 1e-9:
        ticks.append(ticks[-1] + step)
    return ticks


def log_ticks(low: float, high: float) -> list[float]:
    """Powers of ten covering [low, high] (with 2 and 5 between when that is few)."""
    first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
    decades = [10.0 ** e for e in range(first, last + 1)]
    if len(decades) > 3:
        return decades
    return [m * d for d in decades for m in (1, 2, 5) if low <= m * d <= high] or decades


def label(value: float) -> Digits:
    """A tick value's digits, spelled by the project's number printer."""
    import sympy as sp

    return digits(sp.Rational(round_figures(Decimal(value), 6)), 3)


def _sweep(plot: PlotView) -> Layout:
    xs = [x for x, _ in plot.curve] + [m["point"][0] for m in plot.marks]
    ys = [y for _, y in plot.curve] + [m["point"][1] for m in plot.marks]
    x_values = log_ticks(min(xs), max(xs)) if plot.log_x else nice_ticks(min(xs), max(xs))
    y_values = nice_ticks(min(ys), max(ys))
    x_low, x_high = min(x_values[0], min(xs)), max(x_values[-1], max(xs))
    y_low, y_high = y_values[0], y_values[-1]
    right, bottom = WIDTH - RIGHT, HEIGHT - BOTTOM

    def px(x: float) -> float:
        if plot.log_x:
            span = math.log10(x_high) - math.log10(x_low)
            t = (math.log10(x) - math.log10(x_low)) / span if span else 0.5
        else:
            t = (x - x_low) / (x_high - x_low) if x_high > x_low else 0.5
        return round(LEFT + t * (right - LEFT), 2)

    def py(y: float) -> float:
        t = (y - y_low) / (y_high - y_low) if y_high > y_low else 0.5
        return round(bottom - t * (bottom - TOP), 2)

    return Layout(
        WIDTH, HEIGHT, LEFT, right, TOP, bottom,
        x_ticks=[Tick(px(v), label(v)) for v in x_values if x_low <= v <= x_high],
        y_ticks=[Tick(py(v), label(v)) for v in y_values],
        curve=" ".join(f"{px(x)},{py(y)}" for x, y in plot.curve),
        marks=[(px(m["point"][0]), py(m["point"][1]), m["label"]) for m in plot.marks])


def _bars(plot: PlotView) -> Layout:
    total = sum(max(0.0, b["value"]) for b in plot.bars) or 1.0
    ticks = nice_ticks(0.0, total)
    right = WIDTH - RIGHT
    scale = (right - LEFT) / ticks[-1]
    bars, at = [], float(LEFT)
    for index, bar in enumerate(plot.bars):
        width = max(0.0, bar["value"]) * scale
        bars.append(Bar(round(at, 2), round(width, 2), PALETTE[index % len(PALETTE)],
                        bar["label"], label(bar["value"])))
        at += width
    return Layout(WIDTH, BAR_HEIGHT + 64 + 24 * ((len(bars) + 2) // 3), LEFT, right, TOP,
                  BAR_HEIGHT, x_ticks=[Tick(round(LEFT + v * scale, 2), label(v))
                                       for v in ticks], bars=bars)
