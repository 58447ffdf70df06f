"""Display rounding: significant figures, exactness, scientific notation."""

from __future__ import annotations

import pytest
import sympy as sp

from derivations.numbers import ascii_number, digits, raised, text


@pytest.mark.parametrize("value,sig,shown", [
    (sp.Integer(15625), 4, "15 625"),
    (sp.Integer(16384), 4, "16 384"),
    (sp.Integer(18874368), 4, "18 874 368"),
    (sp.Integer(350_000_000_000), 4, "3.5 × 10^11"),
    (sp.Integer(1_648_200_000_000_000_000_000_000), 4, "1.648 × 10^24"),
    (sp.Rational(17, 50), 4, "0.34"),
    (sp.Rational(1, 3), 4, "0.3333"),
    (sp.Rational(2, 3), 2, "0.67"),
    (sp.Rational(1, 10**5), 3, "1 × 10^-5"),
    (sp.Integer(-9), 4, "-9"),
    (sp.sqrt(2), 6, "1.41421"),
    (sp.Integer(0), 4, "0"),
    (sp.Rational(2998, 1000), 3, "3.00"),
])
def test_digits(value, sig, shown):
    assert text(digits(value, sig)) == shown


def test_exactness_is_reported():
    assert digits(sp.Rational(7, 2), 4).exact
    assert not digits(sp.Rational(1, 3), 4).exact


def test_siunitx_spelling():
    assert ascii_number(digits(sp.Integer(1_648_200_000_000_000_000_000_000), 4)) == "1.648e24"


def test_raised_exponents_for_messages():
    assert raised(digits(sp.Integer(6_480_000_000_000), 3)) == "6.48 × 10¹²"
    assert raised(digits(sp.Rational(1, 10**5), 3)) == "1 × 10⁻⁵"


def test_a_tie_at_the_display_precision_is_shown_exactly():
    """2^-7 = 0.0078125 to 4 figures is 0.007812 half-even, 0.007813 half-up: either
    misstates it, so a value halfway between two roundings shows one figure more."""
    import sympy as sp

    from derivations.numbers import digits, text

    assert text(digits(sp.Rational(1, 2**7), 4)) == "0.0078125"
    assert text(digits(sp.Rational(76875, 10**4) * 10**12, 4)) == "7.6875 × 10^12"
    assert text(digits(sp.Rational(12346, 10**4), 4)) == "1.235"   # not a tie: rounded
    assert text(digits(sp.Rational(1, 3), 4)) == "0.3333"          # not exact: rounded
