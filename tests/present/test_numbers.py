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
