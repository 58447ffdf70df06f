"""The edits of a closed form: the wrong formulas are there, and each is written so that a
sheet reads it back to the same value."""

import math

import pytest
import sympy as sp

from derivations.analyse.edits import edits, readable_by_sheets, spelled
from derivations.errors import ExpressionError
from derivations.sheet.expr import parse

N, D, E, A, B, alpha, beta = sp.symbols("N D E A B alpha beta", positive=True)
VALUES = {"N": 7e10, "D": 1.4e12, "E": 1.69, "A": 406.4, "B": 410.7, "alpha": 0.34,
          "beta": 0.28}


def _value(expression):
    found = sp.N(expression.subs({s: VALUES[s.name] for s in expression.free_symbols}))
    return float(found) if found.is_real else math.nan


def _by_name(expression):
    return {e.name: e for e in edits(expression)}


def test_the_edits_of_6ND_hold_the_mistakes_people_make():
    found = _by_name(6 * N * D)
    assert _value(found["dropped_6"].expression) == 7e10 * 1.4e12
    assert _value(found["N_for_D"].expression) == 6 * 7e10 * 7e10
    assert _value(found["reciprocal"].expression) == 1 / (6 * 7e10 * 1.4e12)
    assert "swapped_D_N" not in found  # 6DN is the same formula: not an edit


def test_the_edits_of_the_loss_drop_a_term_and_change_an_exponent():
    loss = E + A / N**alpha + B / D**beta
    found = _by_name(loss)
    assert _value(found["dropped_term_E"].expression) == \
        406.4 / 7e10**0.34 + 410.7 / 1.4e12**0.28
    exponents = found.values()  # N**alpha for N**-alpha, under whichever name came first
    assert any(_value(e.expression) == pytest.approx(1.69 + 406.4 * 7e10**0.34
                                                     + 410.7 / 1.4e12**0.28) for e in exponents)
    assert "exponent_N" in found  # N**(1/alpha) for N**-alpha
    assert all(e.expression != loss for e in found.values())


def test_numeric_exponents_are_edited():
    found = edits(N**sp.Rational(-1, 2) * D)
    assert any(e.expression == N**sp.Rational(1, 2) * D for e in found)
    assert any(e.expression == N**-2 * D for e in found)


def test_every_spelled_edit_reads_back_to_the_same_value():
    loss = (B / (E - A / N**alpha)) ** (1 / beta)
    for edit in edits(loss) + edits(6 * N * D) + edits(sp.log(D / (2 * D - N)) / sp.log(2)):
        text = spelled(edit.expression)
        assert readable_by_sheets(text), text
        expected = _value(edit.expression)
        if math.isfinite(expected):
            try:
                value = parse(text).build(lambda name: sp.Float(VALUES[name]))
            except ExpressionError:
                continue  # beyond the grammar's size limits (N ** 406): refused, not wrong
            assert float(value) == pytest.approx(expected, rel=1e-9), text


def test_ids_are_sheet_identifiers():
    for edit in edits((B / (E - A / N**alpha)) ** (1 / beta)):
        assert edit.name[0].isalpha() and all(c.isalnum() or c == "_" for c in edit.name)
        assert len(edit.name) <= 40
