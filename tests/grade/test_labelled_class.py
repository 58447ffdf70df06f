"""The grader on a labelled class computed independently (`labelled_class`): it reads
correct answers in every notation, rejects wrong ones, names known mistakes, and never
blames garbage on a cause. The targets are those of the one-reader issue."""

from __future__ import annotations

import pytest

from tests.grade.labelled_class import measure


@pytest.fixture(scope="module")
def rates(solved):
    return measure(solved)


def test_correct_answers_are_rarely_rejected(rates):
    assert rates["right"] > 800
    assert rates["false_reject"] <= 0.02, "\n".join(rates["failures"][:30])


def test_wrong_answers_are_almost_never_accepted(rates):
    assert rates["wrong"] > 300
    assert rates["false_accept"] <= 0.005, "\n".join(rates["failures"][:30])


def test_known_mistakes_are_named_whatever_the_notation(rates):
    assert rates["mistakes"] > 200
    assert rates["named_rate"] >= 0.98, "\n".join(rates["failures"][:30])


def test_garbage_gets_no_confident_diagnosis(rates):
    assert rates["garbage"] > 150
    assert rates["confident"] == 0, "\n".join(rates["failures"][:30])
