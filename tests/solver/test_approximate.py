"""Held digits for variants: the same answers as the exact route, and the exact route
wherever a held value could mislead (whole numbers, cancellation, huge values).

The reference is sympy's exact value evaluated to 80 digits, a different route from the
compiled mpmath function under test."""

from __future__ import annotations

import math

import pytest
import sympy as sp

from derivations.pipeline import read_sheet
from derivations.present.text import display_text
from derivations.solver import engine
from derivations.solver.approximate import HELD_DIGITS, exact_is_cheap, held
from derivations.variants.draw import draw
from tests.conftest import PROBLEMS

x, y = sp.symbols("x y", positive=True)


def test_a_chinchilla_root_is_held_to_its_digits():
    # D = (B / (L - E - A / N^a))^(1/b) with the paper's fitted constants
    expr = (sp.Rational(41070, 100) / (sp.Rational(235, 100) - sp.Rational(169, 100)
                                        - sp.Rational(40692, 100) / x ** sp.Rational(34, 100))
            ) ** (1 / sp.Rational(28, 100))
    value = held(expr, {x: sp.Rational(67 * 10**9)})
    exact = sp.N(expr.subs(x, 67 * 10**9), 80)
    assert value is not None and value._prec >= HELD_DIGITS * 3
    assert abs(value - exact) <= abs(exact) * sp.Float(10) ** -(HELD_DIGITS - 2)


@pytest.mark.parametrize(("expr", "values", "why"), [
    (x ** sp.Rational(1, 3) * 3, {x: sp.Integer(8)}, "a whole number (6)"),
    (sp.sqrt(x) * sp.sqrt(x) - 2, {x: sp.Integer(2)}, "cancels to zero"),
    (sp.sqrt(x) - y, {x: sp.Integer(2), y: sp.Rational(14142135623730950488, 10**19)},
     "loses its digits to cancellation"),
    (x ** sp.Rational(5, 2), {x: sp.Integer(10) ** 1300}, "beyond the size limits"),
    (sp.sqrt(x - 3), {x: sp.Integer(2)}, "not real"),
    (sp.log(x) / (x - 2), {x: sp.Integer(2)}, "not finite"),
])
def test_the_exact_route_is_taken_where_held_digits_could_mislead(expr, values, why):
    assert held(expr, values) is None, why


def test_cheap_forms_are_told_from_radicals():
    assert exact_is_cheap(6 * x * y) and exact_is_cheap(sp.ceiling(x / y) + x ** 2)
    assert not exact_is_cheap(x ** sp.Rational(1, 3)) and not exact_is_cheap(sp.log(x))
    assert not exact_is_cheap(sp.exp(x))


@pytest.mark.parametrize("name", ["genai_week4", "dlp_week4"])
def test_held_variants_show_and_store_what_exact_ones_do(name):
    """Every answer of several drawn variants: the same display and float as exact."""
    sheet = read_sheet(PROBLEMS / f"{name}.toml")
    for index in (1, 2, 3, 7):
        drawn, _ = draw(sheet, index)
        try:
            exact = engine.solution_of(drawn)
        except Exception:  # noqa: BLE001 - a refused draw is refused both ways
            with pytest.raises(Exception):  # noqa: B017
                engine.solution_of(drawn, approximate=True)
            continue
        fast = engine.solution_of(drawn, approximate=True)
        for aid, answer in exact.answers.items():
            other = fast.answers[aid]
            assert display_text(other) == display_text(answer), (index, aid)
            if isinstance(answer.value, sp.Expr):
                assert math.isclose(other.as_float(), answer.as_float(), rel_tol=1e-14)
            assert [s.symbol for s in other.sensitivities] == \
                [s.symbol for s in answer.sensitivities]


def test_a_count_from_roots_is_rounded_from_its_exact_value(sheet_file):
    """floor(sqrt(5) sqrt(20)) is 10; held to 65 digits it is 10 - 1.9e-65, which
    would round down to 9."""
    path = sheet_file("""
title = "t"
[given]
V = 5
W = 20
[[problems]]
id = "E1"
[[problems.asks]]
id = "n"
equation = "n = V^(1/2) * W^(1/2)"
integer = "floor"
""")
    answer = engine.solution_of(read_sheet(path), approximate=True).answers["E1.n"]
    assert answer.value == 10
