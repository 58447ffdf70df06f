"""One grading run (`grade.runner`): submissions in, one result per student out,
streamed; and the pieces of marking split out of the grader (`grade.following`,
`grade.kinds`, `grade.verdicts`), each checked against arithmetic done here."""

from __future__ import annotations

import io

import pytest

from derivations.grade import following, kinds
from derivations.grade.grader import Grader
from derivations.grade.runner import (
    GradingRun,
    SheetGrader,
    Submission,
    Submissions,
    grade_class,
)
from derivations.grade.tally import Tally
from derivations.grade.verdicts import StudentResult, close, verdict
from derivations.read.answer import read_answer
from derivations.sheet.spec import load_sheet
from derivations.solver.engine import solution_of
from tests.conftest import COMPUTE_SHEET

# P.T = P.C / 9e14 (seconds at 900 TFLOP/s), so T follows from a student's own C.
LINKED = COMPUTE_SHEET + """[[problems.asks]]
id = "T"
expr = "P.C / 9e14"
unit = "s"
[[problems.asks]]
id = "big"
kind = "truefalse"
claim = "More than 10^20 FLOP."
holds = "C > 1e20"
"""
C = 6 * 7e9 * 1.4e11


@pytest.fixture(scope="module")
def grader() -> Grader:
    return Grader(solution_of(load_sheet(LINKED, "linked.toml", "linked")))


def test_submissions_split_off_the_variant_and_keep_ids_byte_exact():
    rows = [(" ann ", {"P.C": "1", "variant": "v02"}), ("=bob", {"P.C": "2", "variant": " "})]
    subs = list(Submissions(rows))
    assert len(Submissions(rows)) == 2
    assert subs[0] == Submission(" ann ", {"P.C": "1"}, "v02")
    assert subs[1].student == "=bob" and subs[1].variant is None


def test_grade_class_streams_and_warns_about_a_student_it_could_not_grade(grader):
    class Noted:
        def grade(self, submission: Submission) -> StudentResult:
            if submission.student == "eve":
                return StudentResult("eve", {}, note="variant v99 is not in the pool")
            return SheetGrader(grader).grade(submission)

    class Lines:
        def head(self) -> str:
            return "head\n"

        def student(self, result: StudentResult) -> str:
            return f"{result.student} {result.score}\n"

        def tail(self, tally: Tally) -> str:
            return "tail\n"

    run = GradingRun(grader.sheet, grader.keys, [
        Submission("ann", {"P.C": f"{C:.4e}", "P.T": f"{C / 9e14:.6g} s", "P.big": "yes"}),
        Submission("eve", {}),
        Submission("bob", {"P.C": "", "P.T": "", "P.big": ""})], Noted())
    out, warned, steps = io.StringIO(), [], []
    tally = Tally(grader.keys)
    grade_class(run, Lines(), out, tally, lambda s, why: warned.append((s, why)),
                lambda: steps.append(1))  # type: ignore[arg-type]
    assert out.getvalue().splitlines() == ["head", "ann 3.0", "eve 0", "bob 0.0", "tail"]
    assert warned == [("eve", "variant v99 is not in the pool")] and len(steps) == 3
    assert not tally.all_correct


def test_an_answer_that_follows_from_the_students_own_wrong_value(grader):
    key_t = grader.keys["P.T"]
    wrong_c = C * 2
    values = {"P.C": wrong_c}
    assert following.follows_from_own(grader.keys, key_t, wrong_c / 9e14, values) == (
        ["P.C"], ["P.C"])
    assert following.follows_from_own(grader.keys, key_t, wrong_c / 9e13, values) is None
    own, differs = following.own_upstream(grader.keys, ["P.C"], {"P.C": None})
    assert own == [pytest.approx(C)] and differs == []
    result = grader.grade("s", {"P.C": f"{wrong_c:g}", "P.T": f"{wrong_c / 9e14:g}"})
    assert result.answers["P.T"].verdict == "carried-forward"


def test_true_false_and_units_are_marked_without_the_rest_of_the_sheet(grader):
    claim = grader.keys["P.big"]
    assert C > 1e20
    assert kinds.mark_bool(claim, read_answer("true")).verdict == "correct"
    assert kinds.mark_bool(claim, read_answer("false")).verdict == "wrong"
    assert kinds.mark_bool(claim, read_answer("perhaps")).verdict == "unparsed"
    seconds = grader.keys["P.T"]
    wrong = kinds.unit_problem(seconds, read_answer("120 GB"))
    assert wrong is not None and wrong.diagnosis == "wrong_unit"
    assert kinds.unit_problem(seconds, read_answer("2 min")) is None


def test_a_verdict_gets_full_points_only_when_correct(grader):
    key = grader.keys["P.C"]
    assert verdict(key, "correct", C, "ok").points == key.points
    assert verdict(key, "wrong", 1.0, "no").points == 0
    assert verdict(key, "carried-forward", C, "cf", points=0.5).points == 0.5
    assert close(1.004, 1.0, 0.005) and not close(1.006, 1.0, 0.005)
    assert close(0.001, 0.0, 0.005)
