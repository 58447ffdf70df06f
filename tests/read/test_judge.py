"""The one judge of figures written (`read.judge`), rule by rule, with the ranges worked
out by hand: `6.48 × 10^12` stands for 6.475 .. 6.485 × 10^12."""

from __future__ import annotations

from fractions import Fraction

import mpmath
import pytest

from derivations.read.judge import (
    Figure,
    agrees,
    figures_agree,
    holds_to_figures,
    rounds_to,
)
from derivations.read.lexicon import APPROX, EQUAL

F = Fraction


def _written(text: str) -> tuple[Fraction, Fraction]:
    """A decimal as written and half a unit in its last place (by hand, not the reader)."""
    decimals = len(text.split(".")[1]) if "." in text else 0
    return F(text), F(1, 2 * 10 ** decimals)


@pytest.mark.parametrize("value,written,holds", [
    ("6.4849", "6.48", True), ("6.475", "6.48", True), ("6.4749", "6.48", False),
    ("6.4899", "6.48", True),    # three figures: cut, not rounded (1.6482 -> 1.64 too)
    ("6.4951", "6.48", False),
    ("18.87", "18", False),      # two figures: 18 for 18.87 is a slip, not a cut
    ("18.4", "18", True),
])
def test_a_figure_stands_for_the_values_that_round_or_cut_to_it(value, written, holds):
    assert rounds_to(mpmath.mpf(value), _written(written)) is holds


def test_two_sides_agree_and_say_how():
    exact = Figure(mpmath.mpf("6.4821"), None, "6 N D")
    assert agrees(exact, Figure(mpmath.mpf("6.48"), _written("6.48"), "6.48"), EQUAL, 0.01) \
        == "to the figures written"
    assert agrees(exact, Figure(mpmath.mpf("6.4821"), None, "x"), EQUAL, 0.01) == "exactly"
    far = Figure(mpmath.mpf("6.52"), _written("6.52"), "6.52")
    assert agrees(exact, far, EQUAL, 0.01) is None          # 0.6% off, and `=`
    assert agrees(exact, far, APPROX, 0.01).startswith("within the sheet's tolerance")


def test_a_side_of_rounded_intermediates_agrees_by_its_range():
    # 0.99 × 1.90 = 1.881 with 1.90 standing for 1.895 .. 1.905: 1.876 .. 1.886
    computed = Figure(mpmath.mpf("1.881"), None, "0.99 L", (mpmath.mpf("1.87605"),
                                                             mpmath.mpf("1.88595")))
    assert agrees(computed, Figure(mpmath.mpf("1.8858"), None, "x"), EQUAL, 0.01) == \
        "to the rounding of the values used"
    assert agrees(computed, Figure(mpmath.mpf("1.89"), None, "x"), EQUAL, 0.0) is None


def test_written_figures_in_one_unit_agree_when_their_ranges_meet():
    gib = F(2**30, 10**9)  # 326 GiB in GB
    assert figures_agree((F(350), F(1, 2)), (F(326) * gib, F(1, 2) * gib), EQUAL, 0.01)
    assert not figures_agree((F(350), F(1, 2)), (F(999) * gib, F(1, 2) * gib), EQUAL, 0.01)


def test_an_answer_holds_to_its_figures_with_a_little_slack():
    assert holds_to_figures(7.5443e12, 7.54e12, 0.005e12)
    assert holds_to_figures(7.5443e12, 7.55e12, 0.005e12, slack=1e-3)   # 0.08% off
    assert not holds_to_figures(7.5443e12, 7.6e12, 0.05e12, slack=1e-3)  # 0.7% off
