"""The one reader: table-driven readings (values computed here), and fuzzing that shows
no text can raise, hang or run (every failure is `Unparsed` with a reason)."""

from __future__ import annotations

import time
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from derivations.read.answer import Boolean, Number, Unparsed, Vector, read_answer
from derivations.read.numerals import scan
from derivations.read.units import read_unit


@pytest.mark.parametrize("text,value,alternative", [
    ("12,288", 12288, Fraction(12288, 1000)), ("1.234.567", 1234567, None),
    ("1.234,5", Fraction("1234.5"), None), ("1 234,5", Fraction("1234.5"), None),
    ("15'625", 15625, None), ("15’625", 15625, None), ("15\u2009625", 15625, None),
    ("15\u202f625.5", Fraction(31251, 2), None), ("12{,}288", 12288, Fraction(12288, 1000)),
    ("12\\,288", 12288, None), ("12,34,567", 1234567, None), ("1,00,000", 100000, None),
    ("0,28", Fraction(7, 25), None), ("3.141\u2009592", Fraction(3141592, 10**6), None),
    ("62.500", Fraction(125, 2), 62500), ("1.65 E24", Fraction(165, 100) * 10**24, None),
])
def test_numerals_follow_cldr_groupings(text, value, alternative):
    numeral = scan(text, 0)
    assert numeral is not None and numeral.end == len(text)
    assert numeral.value == value and numeral.alternative == alternative


@pytest.mark.parametrize("word,canonical,factor,bits", [
    ("GB", "byte", 10**9, False), ("GBs", "byte", 10**9, False), ("gb", "byte", 10**9, False),
    ("Gb", "byte", Fraction(10**9, 8), True), ("Gbit", "byte", Fraction(10**9, 8), True),
    ("GiB", "byte", 2**30, False), ("gibibytes", "byte", 2**30, False),
    ("PB", "byte", 10**15, False), ("Go", "byte", 10**9, False), ("kB", "byte", 1000, False),
    ("TFLOPs", "FLOP", 10**12, False), ("petaflop/s-days", "FLOP", 10**15 * 86400, False),
    ("d", "second", 86400, False), ("weeks", "second", 7 * 86400, False),
    ("hrs", "second", 3600, False), ("tokens/s", "token/s", 1, False),
    ("nats/token", "1", 1, False), ("%", "1", Fraction(1, 100), False),
])
def test_units_by_their_grammar(word, canonical, factor, bits):
    unit = read_unit(word)
    assert unit is not None and (unit.canonical, unit.factor, unit.bits) == (canonical,
                                                                            factor, bits)


@pytest.mark.parametrize("word", ["to", "go", "rounded", "MFU", "month", "A6000s", "x"])
def test_words_that_are_no_units(word):
    assert read_unit(word) is None


@pytest.mark.parametrize("text,value,factor", [
    ("$1.65 \\times 10^{24}$", Fraction(165, 100) * 10**24, None),
    ("\\num{1.65e24}", Fraction(165, 100) * 10**24, None),
    ("\\SI{350}{\\giga\\byte}", 350, 10**9), ("$15\\,625$", 15625, None),
    ("37.5\\%", Fraction(75, 2), Fraction(1, 100)), ("2¹⁴", 16384, None),
    ("1e6/64 = 15625", 15625, None), ("eight", 8, None), ("1.896 nats, rounded",
                                                         Fraction(1896, 1000), 1),
    ("37.5% MFU", Fraction(75, 2), Fraction(1, 100)), ("7.54 tn tokens", 754 * 10**10, 1),
    ("**7.5e12** tokens", 75 * 10**11, 1), ("$\\boxed{8}$", 8, None),
])
def test_answers_read_as_written(text, value, factor):
    reading = read_answer(text)
    assert isinstance(reading, Number) and reading.value == value
    assert (reading.unit.factor if reading.unit else None) == factor


def test_restatements_are_kept_to_be_judged():
    reading = read_answer("350 GB (999 GiB)")
    assert isinstance(reading, Number) and reading.restated[0].value == 999


@pytest.mark.parametrize("text,value", [("True - because it grows", True), ("✗", False),
                                        ("not true", False), ("Right", True)])
def test_truth_words(text, value):
    assert read_answer(text) == Boolean(value, text)


@pytest.mark.parametrize("text", ["True or False", "12 parsecs", "1.65e24 for 67B",
                                  "1٣", "\\input{/etc/passwd}", "e24"])
def test_unread_with_a_reason(text):
    reading = read_answer(text)
    assert isinstance(reading, Unparsed) and reading.reason


ALPHABET = st.sampled_from(list("0123456789.,'’ eE+-−×x*^/()[]{}$\\%=≈~ _ABGKMTbgikmnost"
                                "¹²⁴⁻½") + ["\\times", "\\frac", "\\num{", "\\SI{", "\\text{",
                                            "GiB", "tokens", "10^", "\u2009", "trillion"])


@settings(max_examples=400, deadline=None)
@given(parts=st.lists(ALPHABET, max_size=60))
def test_no_text_raises(parts):
    reading = read_answer("".join(parts))
    assert reading is None or isinstance(reading, Number | Boolean | Vector | Unparsed)


def test_long_texts_are_read_in_linear_time():
    """A cell at the length cap, of the characters that make regular expressions
    backtrack, is read in well under a second."""
    for pattern in ("1,", "1 ", "**", "(", "1.", "e", "$", "\\,", "a "):
        text = (pattern * 400)[:400]
        start = time.perf_counter()
        read_answer(text)
        assert time.perf_counter() - start < 0.5, pattern
