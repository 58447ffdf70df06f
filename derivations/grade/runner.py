"""A grading run: submissions in, one result per student out, written as it goes.

Every answer source (a class CSV, a JSON or TOML file, a Moodle or Canvas report) is
turned into `Submission`s, and every way of marking (the sheet as written, each
student's own variant, each LMS question's variant) is a `Grader`: `grade` takes one
submission and returns one `StudentResult`. Which source and which grader a run uses
is decided once (`pipeline.grading_run`); the command only prints. A class of any
size streams: one student is read, marked, tallied and written at a time.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Mapping, Sized
from dataclasses import dataclass, field
from typing import IO, Any, Protocol

from derivations.grade.gradebook import Writer
from derivations.grade.grader import Grader
from derivations.grade.keys import AnswerKey
from derivations.grade.tally import Tally
from derivations.grade.verdicts import StudentResult
from derivations.sheet.model import Sheet

#: The column (or JSON/TOML key) naming a student's own variant.
VARIANT_COLUMN = "variant"


@dataclass(frozen=True)
class Submission:
    """One student's answers.

    Attributes:
        student: the id, exactly as written (never folded or stripped).
        answers: answer id -> what the student wrote (a string, or a TOML/JSON bool).
        variant: the variant the student says they have (a `variant` column), if any.
        variants: answer id -> the variant that answer's question came from (an LMS
            report names one per question).
    """

    student: str
    answers: Mapping[str, Any]
    variant: str | None = None
    variants: Mapping[str, str] = field(default_factory=dict)
    identity: Mapping[str, str] = field(default_factory=dict)  # see StudentResult
    line: int | None = None  # the row an LMS report gave it on, for located messages
    #: answer id -> why a response to it could not be tied to its question (a malformed
    #: tag): marked unparsed with that reason, not "No answer given"
    unread: Mapping[str, str] = field(default_factory=dict)


class AnswerGrader(Protocol):
    """Anything that marks one submission."""

    def grade(self, submission: Submission) -> StudentResult: ...


class SheetGrader:
    """Marks every student against the sheet as written."""

    def __init__(self, grader: Grader) -> None:
        self.grader = grader

    def grade(self, submission: Submission) -> StudentResult:
        return self.grader.grade(submission.student, dict(submission.answers))


class Submissions(Sized, Iterable[Submission]):
    """Rows of (student, answers) as submissions, the `variant` column split off;
    counted without being read again (a class CSV streams)."""

    def __init__(self, rows: Any) -> None:
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[Submission]:
        for student, written in self.rows:
            answers = {aid: text for aid, text in written.items() if aid != VARIANT_COLUMN}
            declared = written.get(VARIANT_COLUMN)
            variant = declared if isinstance(declared, str) and declared.strip() else None
            yield Submission(student, answers, variant)


@dataclass(frozen=True)
class GradingRun:
    """What one `derive check` marks: the sheet, the answers asked (a quiz's subset for
    an LMS report), the submissions and the grader; `variants` when each student has
    their own variant (the outputs then name it)."""

    sheet: Sheet
    keys: dict[str, AnswerKey]
    submissions: Submissions | list[Submission]
    grader: AnswerGrader
    variants: bool = False
    notes: tuple[str, ...] = ()  # located notes from reading (rows skipped, attempts chosen)


def grade_class(run: GradingRun, writer: Writer, out: IO[str], tally: Tally,
                warn: Callable[[str, str], None], step: Callable[[], None]) -> None:
    """Mark and write one student at a time. A student who could not be graded is
    passed to `warn` (student, why) and counts as not correct; `step` is called after
    each student (a progress bar)."""
    out.write(writer.head())
    for submission in run.submissions:
        result = run.grader.grade(submission)
        if submission.identity:
            result = dataclasses.replace(result, identity=submission.identity)
        if result.note:
            warn(submission.student, result.note)
            tally.all_correct = False
        else:
            tally.add(result)
        out.write(writer.student(result))
        step()
    out.write(writer.tail(tally))
