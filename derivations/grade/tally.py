"""Class statistics gathered one student at a time, so a class of any size streams.

Why a running tally: a 200,000-row class would otherwise keep every verdict of every
student in memory until the summary is printed; the summary only needs counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from derivations.grade.keys import AnswerKey
from derivations.grade.verdicts import StudentResult
from derivations.sheet.grading import VERDICTS

RIGHT = ("correct", "correct-with-rounding")


class Tally:
    """Counts per answer id (verdicts, diagnoses) and scores."""

    def __init__(self, keys: dict[str, AnswerKey]) -> None:
        self.keys = keys
        self.students = 0
        self.score_total = 0.0
        self.max = 0.0
        self.all_correct = True
        self.scores: dict[float, int] = {}
        self.verdicts = {aid: dict.fromkeys(VERDICTS, 0) for aid in keys}
        self.diagnoses: dict[str, dict[str, int]] = {aid: {} for aid in keys}
        self.mistakes: dict[str, int] = {}

    def add(self, result: StudentResult) -> None:
        if self.students == 0:
            self.max = result.max
        self.students += 1
        self.score_total += result.score
        self.scores[result.score] = self.scores.get(result.score, 0) + 1
        self.all_correct = self.all_correct and result.all_correct
        for aid, verdict in result.answers.items():
            self.verdicts[aid][verdict.verdict] += 1
            if verdict.diagnosis:
                counts = self.diagnoses[aid]
                counts[verdict.diagnosis] = counts.get(verdict.diagnosis, 0) + 1
                self.mistakes[verdict.diagnosis] = self.mistakes.get(verdict.diagnosis, 0) + 1

    def summary(self) -> dict[str, Any]:
        """Per answer id: how many got it right, and the most common diagnosed mistake."""
        summary: dict[str, Any] = {}
        for aid in self.keys:
            counts, mistakes = self.verdicts[aid], self.diagnoses[aid]
            right = sum(counts[name] for name in RIGHT)
            common = max(mistakes.items(), key=lambda item: item[1]) if mistakes else None
            summary[aid] = {
                "correct": right, "students": self.students,
                "rate": right / self.students if self.students else 0.0,
                "verdicts": dict(counts),
                "common_mistake": ({"diagnosis": common[0], "count": common[1]} if common
                                   else None),
            }
        summary["_class"] = {
            "students": self.students,
            "mean_score": self.score_total / self.students if self.students else 0.0,
            "max": self.max}
        return summary


def summarise(results: Iterable[StudentResult], keys: dict[str, AnswerKey]) -> dict[str, Any]:
    """The summary of a list of results (see `Tally.summary`)."""
    tally = Tally(keys)
    for result in results:
        tally.add(result)
    return tally.summary()
