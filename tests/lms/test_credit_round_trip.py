"""The sheet's credit survives the Moodle round trip: every answer the export writes is
worth, in Moodle, the grade `derive check` gives the same response read back from
Moodle's Responses report (rounded down to a grade Moodle allows, and said so).

The responses are the exported answers' own values (and a far value for `*`), so the
test does not trust the grader to know which value is which mistake.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from lxml import etree

from derivations.cli import main
from derivations.lms.parts import MOODLE_FRACTIONS, moodle_fraction
from tests.conftest import COMPUTE_SHEET

POLICY = """[grading]
curve = [[0.05, 0.5]]
[grading.credit]
power_of_ten = 0.35
forward_only = 0.75
other = 0.1
"""


def test_moodle_fractions_round_down():
    assert moodle_fraction(0.35) == 0.3333333
    assert moodle_fraction(1 / 3) == 0.3333333
    assert moodle_fraction(0.75) == 0.75
    assert moodle_fraction(0.04) == 0.0
    assert all(moodle_fraction(f) == f for f in MOODLE_FRACTIONS)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    from click.testing import CliRunner

    folder = tmp_path_factory.mktemp("credit")
    sheet = folder / "credit.toml"
    head, problems = COMPUTE_SHEET.split("[[problems]]", 1)
    sheet.write_text(head + POLICY + "[[problems]]" + problems)
    xml = folder / "credit.xml"
    result = CliRunner().invoke(main, ["export", "moodle", str(sheet), "-o", str(xml)])
    assert result.exit_code == 0, result.output
    return sheet, etree.parse(str(xml)), result.output


def test_the_export_writes_the_credit_and_notes_the_rounding(exported):
    _, tree, output = exported
    fractions = {a.get("fraction") for a in tree.iter("answer")}
    assert {"100", "75", "33.33333", "50", "10"} <= fractions
    assert "credit 0.35 is not a grade Moodle allows; written as 33.33333%" in output
    star = [a for a in tree.iter("answer") if a.findtext("text") == "*"]
    assert len(star) == 1 and star[0].get("fraction") == "10"


def test_every_answer_round_trips_through_the_responses_report(exported, runner, tmp_path):
    sheet, tree, _ = exported
    question = next(q for q in tree.iter("question") if q.get("type") == "numerical")
    text = question.findtext("questiontext/text")
    answers = list(question.iter("answer"))
    expected_value = float(answers[0].findtext("text"))
    rows = io.StringIO()
    out = csv.writer(rows)
    out.writerow(["Last name", "First name", "ID number", "State", "Question 1", "Response 1"])
    wanted = {}
    for index, answer in enumerate(answers):
        written = answer.findtext("text")
        value = 7.77 * expected_value if written == "*" else float(written)
        if index and value == expected_value:  # a band of the curve: inside it, off centre
            value += 0.6 * float(answer.findtext("tolerance"))
        student = f"s{index:02d}"
        out.writerow(["S", str(index), student, "Finished", text, repr(value)])
        wanted[student] = float(answer.get("fraction")) / 100
    report = tmp_path / "responses.csv"
    report.write_text(rows.getvalue())
    result = runner.invoke(main, ["check", str(sheet), str(report), "--format", "json"])
    assert result.exit_code == 1, result.output
    graded = {s["student"]: s["answers"]["P.C"]["points"]
              for s in json.loads(result.stdout)["students"]}
    assert graded.keys() == wanted.keys()
    for student, fraction in wanted.items():
        # Moodle's grade is derive's, rounded down to an allowed grade
        assert moodle_fraction(graded[student]) == pytest.approx(fraction), student
    assert sorted(set(graded.values())) == [0.1, 0.35, 0.5, 0.75, 1.0]
