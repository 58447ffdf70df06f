"""The safe expression parser: exact numbers, the whitelist, and hostile input."""

from __future__ import annotations

from pathlib import Path

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from derivations.errors import ExpressionError
from derivations.sheet.expr import parse

VALUES = {"N": sp.Integer(7), "L": sp.Rational(3, 2), "E1.L": sp.Integer(2),
          "X": (sp.Integer(1), sp.Integer(-4))}


def value(text: str):
    return parse(text).build(lambda name: VALUES[name])


@pytest.mark.parametrize("text,expected", [
    ("0.34", sp.Rational(17, 50)),
    ("4.1e12", sp.Integer(4_100_000_000_000)),
    ("1_000", sp.Integer(1000)),
    ("0.99 * E1.L", sp.Rational(99, 50)),
    ("2^10", sp.Integer(1024)),
    ("2**10 / 4", sp.Integer(256)),
    ("-N + 3", sp.Integer(-4)),
    ("sqrt(16)", sp.Integer(4)),
    ("log2(8)", sp.Integer(3)),
    ("ceil(N / 2)", sp.Integer(4)),
    ("floor(N / 2)", sp.Integer(3)),
    ("round(2.5)", sp.Integer(3)),
    ("round(-2.5)", sp.Integer(-3)),
    ("max(abs(X))", sp.Integer(4)),
    ("min(X)", sp.Integer(-4)),
    ("max(1, 5, 2)", sp.Integer(5)),
    ("L * 2", sp.Integer(3)),
])
def test_values_are_exact(text, expected):
    assert value(text) == expected


def test_decimals_never_pass_through_binary_floats():
    assert value("0.1 + 0.2") == sp.Rational(3, 10)


def test_vectors_broadcast():
    assert value("2 * X + 1") == (sp.Integer(3), sp.Integer(-7))
    assert value("[1, 2] * [3, 4]") == (sp.Integer(3), sp.Integer(8))


def test_names_are_collected_in_order():
    assert parse("A / N**alpha + E1.L + A").names == ("A", "N", "alpha", "E1.L")


@pytest.mark.parametrize("text,reason", [
    ("__import__('os').system('id')", "not allowed"),
    ("().__class__", "attribute access is not allowed"),
    ("N.__class__", "attribute access is not allowed"),
    ("lambda: 1", "Lambda is not allowed"),
    ("[x for x in range(3)]", "ListComp is not allowed"),
    ("open('/etc/passwd')", "function 'open' is not allowed"),
    ("'text'", "is not a number"),
    ("True", "is not a number"),
    ("N if L else 1", "IfExp is not allowed"),
    ("N < 2", "comparisons are only allowed in a claim"),
    ("N; import os", "not a valid expression"),
    ("f'{N}'", "JoinedStr is not allowed"),
    ("N @ L", "operator '@' is not allowed"),
    ("N // 2", "operator '//' is not allowed"),
    ("sqrt", "must be called"),
    ("sqrt(x=1)", "keyword arguments are not allowed"),
    ("9**9**9", "exponent larger than"),
    ("", "empty expression"),
    ("1j", "is not a number"),
    ("_secret", "is not allowed"),
])
def test_refused(text, reason):
    with pytest.raises(ExpressionError) as info:
        value(text)
    assert reason in str(info.value)


def test_error_points_at_the_culprit():
    with pytest.raises(ExpressionError) as info:
        parse("N * open('x')")
    assert info.value.offset == 4
    assert "column 5" in str(info.value)


def test_malicious_expression_runs_nothing(tmp_path: Path):
    marker = tmp_path / "pwned"
    attacks = [
        f"__import__('os').system('touch {marker}')",
        f"().__class__.__base__.__subclasses__()[0]('touch {marker}')",
        f"exec(\"open('{marker}', 'w')\")",
        f"eval(\"open('{marker}', 'w')\")",
    ]
    for attack in attacks:
        with pytest.raises(ExpressionError):
            value(attack)
    assert not marker.exists()


def test_very_long_and_deep_input_is_refused():
    with pytest.raises(ExpressionError):
        parse("1+" * 5000 + "1")
    with pytest.raises(ExpressionError):
        parse("(" * 90 + "1" + ")" * 90 + "+" + "-" * 200 + "1")


def test_relations_in_claims():
    relation = parse("E1.L < 3", relation=True).build(lambda name: VALUES[name])
    assert relation == sp.true


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_arbitrary_text_raises_only_expression_errors(text):
    try:
        result = parse(text).build(lambda name: sp.Integer(1))
    except ExpressionError:
        return
    assert isinstance(result, sp.Basic | tuple)


@settings(max_examples=200, deadline=None)
@given(st.decimals(allow_nan=False, allow_infinity=False, places=6,
                   min_value=-10**9, max_value=10**9))
def test_decimal_text_is_exact(number):
    from fractions import Fraction

    parsed = value(str(number)) if number >= 0 else value(f"({number})")
    assert parsed == sp.Rational(Fraction(number).numerator, Fraction(number).denominator)
