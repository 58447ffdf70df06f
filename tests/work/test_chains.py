"""Pure helpers of the walk (`work.writeup.chains`): digits worked out by hand."""

from __future__ import annotations

from fractions import Fraction

import pytest

from derivations.read.grammar import read_formula
from derivations.work.writeup.chains import (
    power_of_ten,
    ratio_words,
    rounded_significands,
    significand,
    split_statements,
)


@pytest.mark.parametrize("value,digits", [
    (Fraction("6.48e12"), "648"), (Fraction("6.48"), "648"), (Fraction("-0.0305"), "-305"),
    (Fraction(1, 3), "1/3"), (Fraction(0), "0")])
def test_significand(value, digits):
    assert significand(value) == digits


def test_rounded_significands_round_half_up_to_fewer_figures():
    assert rounded_significands(Fraction("3.336")) == ["33", "334"]
    assert rounded_significands(Fraction("9.996")) == []  # every rounding adds a digit
    assert rounded_significands(Fraction("1.25")) == ["13"]


@pytest.mark.parametrize("ratio,k", [(Fraction(1000), 3), (Fraction(1, 10**12), -12),
                                     (Fraction(1), 0), (Fraction(2000), None),
                                     (Fraction(10**30), None)])
def test_power_of_ten(ratio, k):
    assert power_of_ten(ratio) == k


def test_ratio_words():
    import mpmath

    assert ratio_words(mpmath.mpf(4), mpmath.mpf(2)) == " (the right side is half the left)"
    assert ratio_words(mpmath.mpf(4), mpmath.mpf(5)) == " (the right side is 5/4 times the left)"
    assert ratio_words(mpmath.mpf(40), mpmath.mpf(41)) == " (they differ by 1)"
    assert ratio_words(mpmath.mpf(4), mpmath.mpf("4.3")) == ""


def test_statements_are_cut_at_each_implication():
    (chain,) = read_formula("C = 6 N D \\Rightarrow D = C / (6 N) = 2")
    assert split_statements(chain) == [[0, 1], [2, 3, 4]]
