"""What grading says of one answer and of one student, as data.

A `Verdict` is one answer's mark (its kind, points, feedback and diagnosis); a
`StudentResult` is one student's. Every consumer (reports, gradebooks, check-work,
the LMS exports' vetting) reads these, so they live apart from the grader that makes
them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from derivations.grade.keys import AnswerKey
from derivations.read import answer as parsing


@dataclass(frozen=True)
class Verdict:
    answer_id: str
    verdict: str
    expected: Any
    given: Any
    points: float
    max_points: float
    feedback: str
    diagnosis: str = ""
    alternatives: tuple[str, ...] = ()  # other diagnoses that give the same value

    def as_json(self) -> dict[str, Any]:
        from derivations.present.text import plain

        data = {"verdict": self.verdict, "expected": self.expected, "given": self.given,
                "points": self.points, "max": self.max_points, "feedback": plain(self.feedback),
                "diagnosis": self.diagnosis}
        if self.alternatives:
            data["diagnoses"] = [self.diagnosis, *self.alternatives]
        return data


@dataclass(frozen=True)
class StudentResult:
    student: str
    answers: dict[str, Verdict]
    variant: str = ""  # the student's own variant, when the class has variants
    note: str = ""     # why the student was not graded (no answers then)
    #: what an LMS report says of the student besides the id (Canvas: `name`, `id`,
    #: `sis_id`), for the gradebook that goes back to it
    identity: Mapping[str, str] = field(default_factory=dict)

    @property
    def score(self) -> float:
        return round(sum(v.points for v in self.answers.values()), 6)

    @property
    def max(self) -> float:
        return round(sum(v.max_points for v in self.answers.values()), 6)

    @property
    def all_correct(self) -> bool:
        return not self.note and all(v.verdict in ("correct", "correct-with-rounding")
                                     for v in self.answers.values())


def verdict(key: AnswerKey, kind: str, given: Any, feedback: str, diagnosis: str = "",
            points: float | None = None, alternatives: tuple[str, ...] = ()) -> Verdict:
    """A verdict on `key`'s answer; full points when correct, none otherwise unless
    `points` says."""
    if points is None:
        points = key.points if kind == "correct" else 0.0
    return Verdict(key.id, kind, key.expected, given, round(points, 6), key.points,
                   feedback, diagnosis, alternatives)


def close(a: float, b: float, tolerance: float) -> bool:
    if b == 0:
        return abs(a) <= tolerance
    return abs(a - b) <= tolerance * abs(b)


def as_boolean(parsed: parsing.Reading) -> bool | None:
    """A true/false reading of an answer (`1`/`0` count for true/false asks)."""
    if isinstance(parsed, parsing.Boolean):
        return parsed.value
    if isinstance(parsed, parsing.Number) and parsed.unit is None and parsed.value in (0, 1):
        return parsed.value == 1
    return None
