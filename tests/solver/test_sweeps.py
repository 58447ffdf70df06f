"""Plot sweeps (`solver.sweeps`): the curve is the sheet solved again at sample points,
checked here against C = 6 N D computed with floats."""

from __future__ import annotations

import math

import pytest

from derivations.errors import DomainError, SpecError
from derivations.sheet.spec import load_sheet
from derivations.solver.engine import solution_of
from derivations.solver.sweeps import SAMPLES, sample_points, sweep
from tests.conftest import COMPUTE_SHEET

SHEET = COMPUTE_SHEET + """[[plots]]
id = "c"
kind = "sweep"
after = "P"
title = "compute"
x = "{x}"
y = "P.C"
from = 1e10
to = 1e12
log_x = {log}
"""


def _solution(x: str = "D", log: str = "true"):
    return solution_of(load_sheet(SHEET.format(x=x, log=log), "s.toml", "s"))


def test_the_curve_is_the_answer_at_each_sample():
    solution = _solution()
    xs, ys = sweep(solution, solution.sheet.plots[0])
    assert len(xs) == len(ys) == SAMPLES
    assert float(xs[0]) == pytest.approx(1e10) and float(xs[-1]) == pytest.approx(1e12)
    ratios = [float(b) / float(a) for a, b in zip(xs, xs[1:], strict=False)]
    assert max(ratios) == pytest.approx(min(ratios), rel=1e-4)  # log spacing
    for x, y in zip(xs, ys, strict=True):
        assert float(y) == pytest.approx(6 * 7e9 * float(x), rel=1e-12)


def test_linear_points_are_short_exact_decimals():
    points = sample_points(0.0, 1.0, log=False)
    assert points[1] == pytest.approx(1 / 40) and str(points[1]) == "1/40"
    assert all(len(str(float(p))) <= 8 for p in points)


@pytest.mark.parametrize("start,stop,log", [(0.0, 1.0, True), (-1.0, 1.0, True),
                                            (math.inf, 1.0, False), (-1e308, 1e308, False)])
def test_limits_a_sweep_cannot_use_are_refused(start, stop, log):
    with pytest.raises(DomainError):
        sample_points(start, stop, log)


def test_a_given_that_is_not_there_is_located():
    solution = _solution(x="Q")
    with pytest.raises(SpecError) as caught:
        sweep(solution, solution.sheet.plots[0])
    assert "no sheet given 'Q'" in str(caught.value) and caught.value.line
