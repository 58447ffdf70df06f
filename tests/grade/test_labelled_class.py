"""The grader on a labelled class: reads correct answers, rejects wrong ones, names mistakes."""

from __future__ import annotations

import pytest

from derivations.present.display import display_text
from tests.grade.labelled_class import measure


@pytest.fixture(scope="module")
def rates(solved):
    displays = {name: {aid: display_text(a) for aid, a in solved[name].answers.items()}
                for name in ("genai_week4", "dlp_week4")}
    return measure(solved, displays)


def test_correct_answers_are_rarely_rejected(rates):
    assert rates["right"] > 300
    assert rates["false_reject"] <= 0.03, "\n".join(rates["failures"][:20])


def test_wrong_answers_are_almost_never_accepted(rates):
    assert rates["wrong"] > 100
    assert rates["false_accept"] <= 0.005, "\n".join(rates["failures"][:20])


def test_every_known_mistake_is_named(rates):
    assert rates["mistakes"] > 10
    assert rates["named_rate"] == 1.0, "\n".join(rates["failures"][:20])


def test_garbage_gets_no_confident_diagnosis(rates):
    assert rates["garbage"] > 50
    assert rates["confident"] == 0, "\n".join(rates["failures"][:20])
