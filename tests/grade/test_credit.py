"""Credit per mistake: the credit table (sheet and ask), the curve, the `other` entry,
and carried-forward credit gated on what the earlier wrong value was.

Every expected share is the policy written in the sheet below; every student value is
computed here with plain float arithmetic (Chinchilla's loss and 6 N D), never read
from the grader's keys.
"""

from __future__ import annotations

import json

import pytest

from derivations.cli import main
from derivations.grade.grader import Grader
from derivations.pipeline import parse_sheet
from derivations.solver import engine

E, A, B, ALPHA, BETA, D, P = 1.69, 406.4, 410.7, 0.34, 0.28, 1.4e12, 70e9
N = 2 * P


def loss(n: float) -> float:
    return E + A / n**ALPHA + B / D**BETA


SHEET = f"""title = "credit"
[grading]
carried_unnamed = 0.5
carried_trivial = 0.2
curve = [[0.05, 0.5], [0.2, 0.25]]
[grading.credit]
power_of_ten = 0.25
other = 0.1
[[problems]]
id = "E1"
[problems.given]
E = "{E}"
A = "{A}"
B = "{B}"
alpha = "{ALPHA}"
beta = "{BETA}"
D = "{D:g}"
P = "70e9"
[[problems.asks]]
id = "N"
expr = "2 * P"
unit = "parameter"
[[problems.asks]]
id = "L"
formula = "chinchilla_loss"
bind = {{ N = "E1.N" }}
[[problems.asks]]
id = "C"
formula = "training_compute"
bind = {{ N = "E1.N" }}
credit = {{ power_of_ten = 0.5 }}
"""


@pytest.fixture(scope="module")
def grader(tmp_path_factory):
    path = tmp_path_factory.mktemp("credit") / "credit.toml"
    path.write_text(SHEET)
    return Grader(engine.solution_of(parse_sheet(SHEET, path)))


def marks(grader, **written) -> dict[str, tuple[str, float, str]]:
    answers = {f"E1.{k}": str(v) for k, v in written.items()}
    result = grader.grade("s", answers)
    return {aid.split(".")[1]: (v.verdict, v.points, v.feedback)
            for aid, v in result.answers.items()}


def test_a_named_mistake_earns_its_credit_and_carries_in_full(grader):
    got = marks(grader, N=10 * N, L=loss(10 * N), C=6 * 10 * N * D)
    assert got["N"][:2] == ("wrong", 0.25)
    assert "25% of the points for this mistake (power_of_ten)" in got["N"][2]
    assert got["L"][:2] == ("carried-forward", 1.0)
    assert got["C"][:2] == ("carried-forward", 1.0)


def test_an_ask_overrides_the_sheet_credit(grader):
    got = marks(grader, N=N, C=6 * N * D / 10)
    assert got["N"][:2] == ("correct", 1.0)
    assert got["C"][:2] == ("wrong", 0.5)


def test_the_curve_and_the_unnamed_carry(grader):
    near = 1.07 * N  # 7% off: the 20% band of the curve; no mistake explains it
    got = marks(grader, N=near, C=6 * near * D)
    assert got["N"][:2] == ("wrong", 0.25)
    assert "within 20% of the answer" in got["N"][2]
    assert got["C"][:2] == ("carried-forward", 0.5)
    assert "not a known mistake" in got["C"][2]
    closer = marks(grader, N=1.03 * N)
    assert closer["N"][:2] == ("wrong", 0.5)


def test_other_wrong_answers_earn_the_other_credit(grader):
    got = marks(grader, N=N, L=7.3)
    assert got["L"][:2] == ("wrong", 0.1)
    assert marks(grader, N="banana")["N"][:2] == ("unparsed", 0.0)  # unread earns nothing
    assert marks(grader)["N"][:2] == ("missing", 0.0)


def test_a_value_that_hides_the_step_earns_the_trivial_credit(grader):
    # N = 1e40 sends A/N^alpha to nothing: the loss is E + B/D^beta whatever N is
    got = marks(grader, N=1e40, L=loss(1e40), C=6e40 * D)
    assert got["L"][:2] == ("carried-forward", 0.2)
    assert "hardly depends" in got["L"][2]
    assert got["C"][:2] == ("carried-forward", 0.5)  # 6 N D still needs the step
    zero = marks(grader, N=0, C=0)
    assert zero["C"][:2] == ("carried-forward", 0.2)
    assert "zero" in zero["C"][2]


def test_the_default_policy_is_unchanged(tmp_path):
    """No table: a wrong answer earns nothing and a carried one everything."""
    plain = 'title = "plain"\n[[problems]]' + SHEET.split("[[problems]]", 1)[1].replace(
        "credit = { power_of_ten = 0.5 }", "")
    path = tmp_path / "plain.toml"
    path.write_text(plain)
    got = marks(Grader(engine.solution_of(parse_sheet(plain, path))), N=1.07 * N,
                C=6 * 1.07 * N * D)
    assert got["N"][:2] == ("wrong", 0.0)
    assert got["C"][:2] == ("carried-forward", 1.0)


@pytest.mark.parametrize(("table", "message"), [
    ("[grading.credit]\npower_of_tens = 0.5", "did you mean 'power_of_ten'"),
    ("[grading.credit]\npower_of_ten = 1.5", "from 0 to 1"),
    ("[grading]\ncurve = [[0.1, 0.5], [0.05, 0.25]]", "growing errors"),
    ("[grading]\nfigures = 0", "significant figures"),
])
def test_bad_policies_are_located(runner, tmp_path, table, message):
    path = tmp_path / "bad.toml"
    path.write_text('title = "bad"\n' + table + "\n[[problems]]"
                    + SHEET.split("[[problems]]", 1)[1])
    result = runner.invoke(main, ["solve", str(path)])
    assert result.exit_code == 2
    assert message in result.output and "bad.toml:" in result.output


def test_check_json_reports_the_credit(runner, tmp_path):
    path = tmp_path / "credit.toml"
    path.write_text(SHEET)
    answers = tmp_path / "a.csv"
    answers.write_text(f"student,E1.N,E1.C\ns1,{10 * N:g},{60 * N * D:g}\n")
    result = runner.invoke(main, ["check", str(path), str(answers), "--format", "json"])
    data = json.loads(result.stdout)["students"][0]
    assert data["answers"]["E1.N"]["points"] == 0.25
    assert data["answers"]["E1.C"]["verdict"] == "carried-forward"
    assert data["score"] == 1.25


def test_the_credit_rules_directly():
    """Best credit among several diagnoses, then the curve's tightest band, then other."""
    from derivations.grade import credit
    from derivations.sheet.model import Grading

    policy = Grading(credit={"sign": 0.5, "factor_of_2": 0.25, "other": 0.05},
                     curve=((0.02, 0.8), (0.1, 0.4)), carried_unnamed=0.6,
                     carried_trivial=0.3)
    table = credit.table(policy, None)
    assert credit.for_wrong(policy, table, ("factor_of_2", "sign"), 0.5).share == 0.5
    assert credit.for_wrong(policy, table, ("",), 0.015).share == 0.8
    assert credit.for_wrong(policy, table, ("",), 0.05).share == 0.4
    assert credit.for_wrong(policy, table, ("",), 0.5).share == 0.05
    assert credit.for_carried(policy, True, "").share == 1.0
    assert credit.for_carried(policy, False, "").share == 0.6
    assert credit.for_carried(policy, False, "your E1.N is zero").share == 0.3
    assert credit.percent(1 / 3) == "33.3%" and credit.percent(0.25) == "25%"


def test_every_general_mistake_is_documented():
    """docs/grading.md lists each id a credit table may name besides a formula's own."""
    from derivations.library.slips import FIGURES, GENERAL
    from tests.conftest import ROOT

    doc = (ROOT / "docs" / "grading.md").read_text()
    for name in [*GENERAL, *FIGURES]:
        assert f"`{name}`" in doc, name
