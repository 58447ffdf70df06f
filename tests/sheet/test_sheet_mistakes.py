"""An ask's own named mistakes (`mistakes = {...}`): read, checked, named by the grader."""

import pytest
from click.testing import CliRunner

from derivations.cli.main import main
from tests.conftest import COMPUTE_SHEET

SHEET = COMPUTE_SHEET + """{mistakes}
credit = {{ {credit} = 0.5 }}
"""


def _check(tmp_path, mistakes, credit="N_for_D", answers="student,P.C\na,2.94e20\nb,1e5\n"):
    sheet = tmp_path / "s.toml"
    sheet.write_text(SHEET.format(mistakes=mistakes, credit=credit))
    csv = tmp_path / "a.csv"
    csv.write_text(answers)
    return CliRunner().invoke(main, ["check", str(sheet), str(csv)])


def test_a_sheet_mistake_is_named_and_credited(tmp_path):
    # 6 * N * N = 6 * 7e9 * 7e9 = 2.94e20
    result = _check(tmp_path, 'mistakes = { N_for_D = "6 * N * N" }')
    assert "a: 0.5 / 1" in result.output and "N_for_D" in result.output
    assert "b: 0 / 1" in result.output


def test_its_feedback_is_the_sheets(tmp_path):
    result = _check(tmp_path, 'mistakes = { N_for_D = { expr = "6 * N * N", feedback = '
                              '"You used N for D." } }')
    assert "You used N for D." in result.output


@pytest.mark.parametrize(("mistakes", "message"), [
    ('mistakes = { N_for_D = "6 * N * Q" }', "'Q' is not a symbol of P.C"),
    ('mistakes = { factor_of_2 = "12 * N * D" }', "names already"),
    ('mistakes = { N_for_D = 5 }', "expression string"),
    ('mistakes = { N_for_D = { expr = "6*N*N", hint = "x" } }', "hint"),
    ('mistakes = "6 * N * N"', "table of mistake id"),
])
def test_a_bad_entry_is_a_located_error(tmp_path, mistakes, message):
    result = _check(tmp_path, mistakes, credit="other")
    assert result.exit_code == 2
    assert message in result.output and "s.toml:" in result.output


def test_the_credit_table_knows_the_sheets_ids_and_a_typo_is_caught(tmp_path):
    result = _check(tmp_path, 'mistakes = { N_for_D = "6 * N * N" }', credit="N_for_DD")
    assert result.exit_code == 2 and "did you mean 'N_for_D'" in result.output
