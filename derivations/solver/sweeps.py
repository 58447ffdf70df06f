"""Sweeps: a sheet solved again with one given replaced by a vector of sample points.

A plot's curve is the same computation as the answer it illustrates, never a second
copy of a formula: the engine solves the sheet with the swept given as a vector, and
every answer that depends on it comes back as a vector too. A point whose exact value
would be a radical is held to 50 digits (`solver.approximate`): a curve is drawn, never
read to more than a few figures, and a sheet's plot is solved 41 times over for every
variant of a pool. The present stage converts the values to the plotted unit.
"""

from __future__ import annotations

import dataclasses
import math
from decimal import Decimal
from fractions import Fraction

from derivations.errors import DomainError, SpecError
from derivations.numbers import decimal_text, round_figures, to_float
from derivations.sheet.expr import parse
from derivations.sheet.model import Given, Plot, Sheet
from derivations.solver import engine
from derivations.solver.solution import Solution

SAMPLES = 41


def sweep(solution: Solution, plot: Plot) -> tuple[list[Fraction], tuple]:
    """The sample points of `plot.x` and the exact values of `plot.y` at each."""
    sheet = solution.sheet
    assert isinstance(sheet, Sheet) and plot.start is not None and plot.stop is not None
    start = engine.value_of(solution, plot.start.text, f"{plot.key}.from")
    stop = engine.value_of(solution, plot.stop.text, f"{plot.key}.to")
    try:
        xs = sample_points(to_float(start), to_float(stop), plot.log_x)
    except DomainError as exc:
        raise SpecError(sheet.file, f"{plot.key}.from", str(exc),
                        sheet.line_of(f"{plot.key}.from")) from None
    swept = _with_given(sheet, plot, xs)
    problem = plot.y.split(".", 1)[0]
    try:
        ys = engine.solution_of(swept, problem, approximate=True).answers[plot.y].value
    except KeyError:
        raise SpecError(sheet.file, f"{plot.key}.y", f"no answer {plot.y!r} to plot",
                        sheet.line_of(f"{plot.key}.y")) from None
    if not isinstance(ys, tuple):
        raise SpecError(sheet.file, f"{plot.key}.x", f"{plot.y} does not depend on {plot.x}",
                        sheet.line_of(f"{plot.key}.x"))
    return xs, ys


def sample_points(start: float, stop: float, log: bool) -> list[Fraction]:
    """Evenly spaced (or log-spaced) points, as short exact decimals.

    Log spacing is computed on the exponents, so any positive limits a float can hold
    give finite points; limits beyond floats (or a linear range whose width is) are
    refused.
    """
    if not (math.isfinite(start) and math.isfinite(stop)):
        raise DomainError("the plot's limits must be finite numbers (within about 1e308)")
    if log and (start <= 0 or stop <= 0):
        raise DomainError("a logarithmic axis needs positive limits")
    if not log and not math.isfinite(stop - start):
        raise DomainError("the plot's range is too wide for a linear axis (use log_x)")
    points = []
    low, high = (math.log10(start), math.log10(stop)) if log else (start, stop)
    for i in range(SAMPLES):
        t = i / (SAMPLES - 1)
        value = 10 ** (low + (high - low) * t) if log else start + (stop - start) * t
        points.append(round_figures(Decimal(value), 6))
    return points


def _decimal(value: Fraction) -> str:
    """A sample point as the short decimal it was made from (exact: 6 digits)."""
    return decimal_text(Decimal(value.numerator) / Decimal(value.denominator))


def _with_given(sheet: Sheet, plot: Plot, xs: list[Fraction]) -> Sheet:
    """The sheet with given `plot.x` (`D` or `L5.k_N`) replaced by the sample points."""
    values = parse("[" + ", ".join(_decimal(x) for x in xs) + "]")
    problem_id, _, name = plot.x.rpartition(".")
    if not problem_id:
        if name not in sheet.given:
            raise SpecError(sheet.file, f"{plot.key}.x", f"no sheet given {name!r} to sweep",
                            sheet.line_of(f"{plot.key}.x"))
        return dataclasses.replace(sheet, given={**sheet.given, name: Given(name, values)})
    problems = []
    for problem in sheet.problems:
        if problem.id == problem_id:
            if name not in problem.given:
                raise SpecError(sheet.file, f"{plot.key}.x", f"problem {problem_id} has no "
                                f"given {name!r} to sweep", sheet.line_of(f"{plot.key}.x"))
            problem = dataclasses.replace(problem, given={**problem.given,
                                                          name: Given(name, values)})
        problems.append(problem)
    return dataclasses.replace(sheet, problems=tuple(problems))
