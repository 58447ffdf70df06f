"""The short way through the answer reader (one figure and a unit word) gives exactly
the reading the whole grammar gives, on every answer of the corpus and of the
generated class."""

from __future__ import annotations

import csv

from derivations.read import answer
from tests.conftest import ROOT
from tests.grade.labelled_class import all_items


def texts() -> list[str]:
    found = [item.text for item in all_items()]
    for name in ("genai_class.csv", "dlp_class.csv", "lecture_class.csv"):
        with (ROOT / "tests" / "corpus" / "answers" / name).open(newline="") as handle:
            found += [cell for row in csv.reader(handle) for cell in row[1:] if cell]
    return found


def test_the_short_way_reads_as_the_grammar_does():
    checked = 0
    for text in set(texts()):
        cleaned, form = answer.clean(text)
        short = answer._plain_figure(cleaned, text, form)
        if short is None:
            continue
        tokens = answer.tokenize(cleaned, answer=True)
        assert short == answer._quantity(cleaned, tokens, text, form), text
        checked += 1
    assert checked > 500
