"""Words in answers (`read.words`): truth words and numbers in words."""

from __future__ import annotations

import pytest

from derivations.read.words import number_words, truth


@pytest.mark.parametrize("text,value", [
    ("True", True), ("false.", False), ("yes, because C > 1e21", True), ("not true", False),
    ("true or false", "both true and false are given"), ("no 5", None), ("maybe", None),
])
def test_truth(text, value):
    assert truth(text) == value


@pytest.mark.parametrize("text,value", [
    ("seven", (7, "")), ("forty-two GPUs", (42, "GPUs")),
    ("one hundred and twenty", (120, "")), ("a thousand steps", (1000, "steps")),
    ("two million three hundred thousand", (2_300_000, "")), ("tokens", None),
])
def test_number_words(text, value):
    assert number_words(text) == value
