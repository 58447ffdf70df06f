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
FONT_SIZE = 16
#: The phone layout's width in user units. Why a second layout rather than one that
#: shrinks: at 640 units a phone (about 360 px of content) shows the 16-unit text at
#: 9 px and the exponents at 7 px; at 400 units they stay above 10 px (the page shows
#: one layout or the other by a media query, so no script is needed).
NARROW_WIDTH = 400
LEGEND_COLUMN = 180
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
    legend_x: float = 0.0  # where its legend entry goes, under the plot
    legend_y: float = 0.0


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
    x_label_at: float = 0.0               # the centre of the x axis label
    x_label_size: float = FONT_SIZE


def x_label_place(label: str, left: float, right: float, width: int) -> tuple[float, float]:
    """Where the x axis label is centred, and its font size: under the plot area if it
    fits there, else under the whole plot, else smaller (never under 11 units, 10 px on
    a phone). Why estimated: an SVG cannot wrap text, and the page has no script to
    measure it; Latin Modern averages about 0.55 em per character."""
    needed = 0.55 * FONT_SIZE * len(label)
    middle = (left + right) / 2
    if middle - needed / 2 >= 4 and middle + needed / 2 <= width - 4:
        return round(middle, 2), FONT_SIZE
    size = max(11.0, min(FONT_SIZE, (width - 8) / (0.55 * max(len(label), 1))))
    return width / 2, round(size, 2)


def layout(plot: PlotView, narrow: bool = False) -> Layout:
    """The geometry of a sweep or a bar plot, at full width or for a phone."""
    width = NARROW_WIDTH if narrow else WIDTH
    return _bars(plot, width) if plot.kind == "bars" else _sweep(plot, width)


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


def _sweep(plot: PlotView, width: int) -> Layout:
    xs = [x for x, _ in plot.curve] + [m["point"][0] for m in plot.marks]
    ys = [y for _, y in plot.curve] + [m["point"][1] for m in plot.marks]
    x_values = log_ticks(min(xs), max(xs)) if plot.log_x else nice_ticks(min(xs), max(xs))
    y_values = nice_ticks(min(ys), max(ys))
    x_low, x_high = min(x_values[0], min(xs)), max(x_values[-1], max(xs))
    y_low, y_high = y_values[0], y_values[-1]
    right, bottom = width - RIGHT, HEIGHT - BOTTOM
    label_at, label_size = x_label_place(plot.x_label, LEFT, right, width)

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
        width, HEIGHT, LEFT, right, TOP, bottom,
        x_ticks=[Tick(px(v), label(v)) for v in x_values if x_low <= v <= x_high],
        y_ticks=[Tick(py(v), label(v)) for v in y_values],
        curve=" ".join(f"{px(x)},{py(y)}" for x, y in plot.curve),
        marks=[(px(m["point"][0]), py(m["point"][1]), m["label"]) for m in plot.marks],
        x_label_at=label_at, x_label_size=label_size)


def _bars(plot: PlotView, width: int) -> Layout:
    total = sum(max(0.0, b["value"]) for b in plot.bars) or 1.0
    ticks = nice_ticks(0.0, total)
    right = width - RIGHT
    label_at, label_size = x_label_place(plot.x_label, LEFT, right, width)
    scale = (right - LEFT) / ticks[-1]
    bars, at = [], float(LEFT)
    columns = legend_columns(width)
    for index, bar in enumerate(plot.bars):
        length = max(0.0, bar["value"]) * scale
        column, line = index % columns, index // columns
        bars.append(Bar(round(at, 2), round(length, 2), PALETTE[index % len(PALETTE)],
                        bar["label"], label(bar["value"]), LEFT + column * LEGEND_COLUMN,
                        BAR_HEIGHT + 54 + line * 24))
        at += length
    return Layout(width, BAR_HEIGHT + 64 + 24 * ((len(bars) + columns - 1) // columns), LEFT,
                  right, TOP, BAR_HEIGHT, x_ticks=[Tick(round(LEFT + v * scale, 2), label(v))
                                                   for v in ticks], bars=bars,
                  x_label_at=label_at, x_label_size=label_size)


def legend_columns(width: int) -> int:
    """Legend entries per line under a bar plot (three at full width, one on a phone)."""
    return max(1, (width - LEFT) // LEGEND_COLUMN)
