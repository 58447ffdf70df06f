"""Elasticities (`solver.sensitivity`): d ln f / d ln x, checked against exponents and
finite differences computed here with floats."""

from __future__ import annotations

import math

import pytest
import sympy as sp

from derivations.solver.sensitivity import elasticities, monomial_exponents, sensitivity

N, D, L, E = sp.symbols("N D L E", positive=True)


def test_a_product_reads_its_exponents_off():
    assert monomial_exponents(6 * N * D, {N, D}) == {N: 1, D: 1}
    assert monomial_exponents(N ** sp.Rational(-34, 100) * 406, {N}) == \
        {N: sp.Rational(-34, 100)}
    assert monomial_exponents(N + D, {N, D}) is None


def test_an_elasticity_matches_a_finite_difference():
    # D from the Chinchilla data term: D = (B / (L - E))^(1/beta), beta = 0.28
    f = (sp.Integer(411) / (L - E)) ** (1 / sp.Float(0.28))
    symbolic = elasticities(f, (E, L))[L]
    at = {L: 1.85, E: 1.69}
    value = float(symbolic.subs(at))

    def g(x: float) -> float:
        return (411 / (x - 1.69)) ** (1 / 0.28)

    h = 1e-7
    numeric = (math.log(g(1.85 * (1 + h))) - math.log(g(1.85 * (1 - h)))) / (2 * h)
    assert value == pytest.approx(numeric, rel=1e-5)
    assert value == pytest.approx(-1.85 / (0.28 * (1.85 - 1.69)), rel=1e-9)


def test_the_largest_elasticity_comes_first_and_says_what_rounding_does():
    f = (sp.Integer(411) / (L - E)) ** (1 / sp.Float(0.28)) * N
    values = {L: sp.Rational(18523, 10000), E: sp.Rational(169, 100), N: sp.Integer(7)}
    found = sensitivity(f, values, f.subs(values))
    assert [s.symbol for s in found][0] == "L"
    first = found[0]
    assert first.rounded_input == sp.Rational(185, 100)  # L to 3 significant figures
    exact = (411 / (1.8523 - 1.69)) ** (1 / 0.28)
    moved = (411 / (1.85 - 1.69)) ** (1 / 0.28)
    assert first.shift == pytest.approx(moved / exact - 1, rel=1e-9)
