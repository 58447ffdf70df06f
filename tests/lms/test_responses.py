"""LMS reports read back: each response is marked against the variant its question
came from, with diagnoses and carried-forward, and grade files are written."""

from __future__ import annotations

import csv
import io
import json
import tomllib

import pytest

from derivations.cli import main
from tests.conftest import PROBLEMS, ROOT

FIXTURES = ROOT / "tests" / "fixtures"
SHEET = PROBLEMS / "dlp_week4.toml"


@pytest.fixture(scope="module")
def pool(tmp_path_factory):
    from click.testing import CliRunner

    out = tmp_path_factory.mktemp("pool")
    result = CliRunner().invoke(main, ["variants", str(SHEET), "-o", str(out), "--no-pdf", "-q"])
    assert result.exit_code == 0, result.output
    return out / "dlp_week4.variants.json"


def graded(runner, report: str, pool) -> dict:
    result = runner.invoke(main, ["check", str(SHEET), str(FIXTURES / report), "--variants",
                                  str(pool), "--format", "json"])
    assert result.exit_code == 1, result.output  # not everyone is right
    return {s["student"]: s for s in json.loads(result.stdout)["students"]}


def test_moodle_responses_report(runner, pool):
    students = graded(runner, "moodle_responses_dlp_week4.csv", pool)
    assert list(students) == ["s001", "s002", "s003"]
    assert students["s002"]["variant"] == "v07+v11"
    # only the quiz's questions are marked
    assert set(students["s001"]["answers"]) == {"Q1.steps", "Q3.bytes", "Q4.bytes"}
    assert all(a["verdict"] == "correct" for a in students["s001"]["answers"].values())
    q1 = students["s002"]["answers"]["Q1.steps"]
    assert q1["verdict"] == "wrong" and q1["diagnosis"] == "forgot_accumulation"
    assert q1["expected"] == 3907  # ceil(500000 / (32 * 4)): v07's own numbers
    s3 = students["s003"]["answers"]
    assert s3["Q3.bytes"]["diagnosis"] == "wrong_dtype"
    assert s3["Q4.bytes"]["verdict"] == "carried-forward"


def test_canvas_student_analysis_report(runner, pool):
    students = graded(runner, "canvas_student_analysis_dlp_week4.csv", pool)
    assert list(students) == ["s004", "s005", "9003"]  # sis_id, else the Canvas id
    assert students["s004"]["score"] == 2 and students["s004"]["variant"] == "v03"
    assert students["s005"]["answers"]["Q1.steps"]["diagnosis"] == "forgot_accumulation"
    assert students["9003"]["answers"]["Q1.steps"]["verdict"] == "correct"
    assert students["9003"]["answers"]["Q3.bytes"]["verdict"] == "missing"


def test_report_to_gradebook(runner, pool, tmp_path):
    out = tmp_path / "grades.csv"
    result = runner.invoke(main, ["check", str(SHEET), str(FIXTURES / "moodle_responses_"
                                                           "dlp_week4.csv"),
                                  "--variants", str(pool), "--gradebook", "moodle", "-o",
                                  str(out)])
    assert result.exit_code == 1
    rows = list(csv.reader(io.StringIO(out.read_text())))
    # s003: two right, and Q3 in fp16 bytes (wrong_dtype), credited as the sheet says
    credit = tomllib.loads(SHEET.read_text())["grading"]["credit"]["wrong_dtype"]
    assert rows[1][:2] == ["s001", "3.0"] and rows[3][:2] == ["s003", str(2 + credit)]
    assert "forgot" in rows[2][2] or "micro-batches" in rows[2][2]


@pytest.mark.parametrize(("edit", "fragment"), [
    (lambda t: t.replace('"Question 1",', '"Question 9",', 1), "no 'Question 1' column"),
    (lambda t: t.replace("[dlp_week4.Q1.steps.v03]", "[other.Q1.steps.v03]"),
     "belongs to sheet 'other'"),
    (lambda t: t.replace("[dlp_week4.Q3.bytes.v11]", "[dlp_week4.Q9.bytes.v11]"),
     "names no answer of the sheet"),
])
def test_bad_reports_are_located(runner, pool, tmp_path, edit, fragment):
    report = tmp_path / "r.csv"
    report.write_text(edit((FIXTURES / "moodle_responses_dlp_week4.csv").read_text()))
    result = runner.invoke(main, ["check", str(SHEET), str(report), "--variants", str(pool)])
    assert result.exit_code == 2, result.output
    assert fragment in result.stderr and "r.csv" in result.stderr


def test_variants_named_without_a_pool_is_bad_input(runner):
    result = runner.invoke(main, ["check", str(SHEET),
                                  str(FIXTURES / "moodle_responses_dlp_week4.csv")])
    assert result.exit_code == 2 and "pass the pool with --variants" in result.stderr


ATTEMPTS = FIXTURES / "moodle_responses_attempts_dlp_week4.csv"


@pytest.mark.parametrize(("attempt", "steps", "line"), [
    ("last", "correct", 2),   # the last *finished* attempt: 10:02 (11:00 is in progress)
    ("first", "wrong", 6),    # 9:00, listed last in the file: ordered by `Started on`
    ("best", "correct", 2),   # Moodle's own Grade/3.00: 3.00 against 1.00
])
def test_one_attempt_per_student_is_graded_and_named(runner, pool, attempt, steps, line):
    """Two attempts by one student stopped the class; the footer row did too."""
    result = runner.invoke(main, ["check", str(SHEET), str(ATTEMPTS), "--variants", str(pool),
                                  "--attempt", attempt, "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    graded = {s["student"]: s for s in json.loads(result.stdout)["students"]}
    assert set(graded) == {"s001", "s002", "s003"}
    assert graded["s001"]["answers"]["Q1.steps"]["verdict"] == steps
    notes = [n for n in result.stderr.splitlines() if n.startswith("note:")]
    assert f"note: {ATTEMPTS}:{line}: 's001' has 3 attempts (lines 2, 3, 6); graded the " \
           f"{attempt} (line {line})" in notes
    assert f"note: {ATTEMPTS}:7: skipped: the report's average row" in notes


def test_the_canvas_gradebook_puts_each_id_in_its_column(runner, pool, tmp_path):
    """A student without an sis_id had the Canvas user id written into 'SIS User ID',
    and the Student column held the id, not the name from the report."""
    report = tmp_path / "analysis.csv"
    text = (FIXTURES / "canvas_student_analysis_dlp_week4.csv").read_text()
    report.write_text(text.replace("Student E,9002,s005,", "Student E,9002,,"))
    grades = tmp_path / "grades.csv"
    result = runner.invoke(main, ["check", str(SHEET), str(report), "--variants", str(pool),
                                  "--gradebook", "canvas", "-o", str(grades)])
    assert result.exit_code in (0, 1), result.output
    rows = {r[0]: r for r in csv.reader(io.StringIO(grades.read_text()))}
    assert rows["Student D"][1:3] == ["9001", "s004"]
    assert rows["Student E"][1:3] == ["9002", ""]  # the Canvas id in ID, no SIS id


BAD_TAGS = FIXTURES / "moodle_responses_bad_tags_dlp_week4.csv"


def test_bad_question_tags_mark_one_answer_and_are_located(runner, pool):
    """Malformed, doubled, missing, v00 and v99 tags were silent ('No answer given'), or
    stopped the class without a file and line. Each now marks that answer, with a note."""
    result = runner.invoke(main, ["check", str(SHEET), str(BAD_TAGS), "--variants", str(pool),
                                  "--format", "json"])
    assert result.exit_code == 1, result.output
    graded = {s["student"]: s["answers"] for s in json.loads(result.stdout)["students"]}
    assert set(graded) == {"s001", "s002", "s003"}  # nobody stopped the class
    s001, s002, s003 = graded["s001"], graded["s002"], graded["s003"]
    assert s001["Q1.steps"]["verdict"] == "unparsed" and \
        f"{BAD_TAGS}:2: the question's tag is malformed" in s001["Q1.steps"]["feedback"]
    assert s002["Q3.bytes"]["verdict"] == "unparsed" and "carries 2 tags" in \
        s002["Q3.bytes"]["feedback"]
    assert s003["Q1.steps"]["verdict"] == "unparsed" and \
        f"{BAD_TAGS}:4: the question names variant v99" in s003["Q1.steps"]["feedback"]
    assert s002["Q1.steps"]["verdict"] == "correct"  # v00 is graded, with a note
    assert "Q4.bytes" not in s001  # the column that lost its tag in every row
    notes = result.stderr
    assert f"{BAD_TAGS}:2: not graded: slot 1 of 's001' has a malformed tag" in notes
    assert f"{BAD_TAGS}: not graded: no row's Question 3 carries a tag" in notes
    assert "1 responses come from v00" in notes
