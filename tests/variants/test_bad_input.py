"""Bad [random] and [variants] tables, rosters and assignments: one located line,
exit code 2, no partial output."""

from __future__ import annotations

from pathlib import Path

import pytest

from derivations.cli import main
from tests.variants.sheets import small

N_RANGE = "N = { from = 1e9, to = 9e9, step = 1e9 }"


@pytest.mark.parametrize(("changes", "fragment"), [
    ({'D = { choice = [1e11, 2e11, 3e11] }': "D = { choice = [] }"},
     "[random.D.choice] a choice needs at least one value"),
    ({N_RANGE: "N = { from = 1e9, to = 9e9, step = 3e9 }"},
     "[random.N.step] step 3E+9 does not divide the range"),
    ({N_RANGE: "N = { from = 1e9, to = 9e9, step = 1e9, exclude = [2.5e9] }"},
     "[random.N.exclude] 2.5E+9 is not on the grid"),
    ({N_RANGE: "N = { from = 1e9, to = 9e9 }"}, "[random.N] a range needs from, to and step"),
    ({N_RANGE: "M = { from = 1e9, to = 9e9, step = 1e9 }"}, "[random.M] 'M' has no fixed value"),
    ({N_RANGE: "N = { from = 1e9, to = 9e9, step = 1e9, seed = 3 }"},
     "[random.N.seed] unknown key 'seed'"),
    ({'salt = "test-salt"': 'salt = ""'}, "[variants.salt] a salt is needed"),
    ({"pool = 5": "pool = 0"}, "[variants.pool] pool is a whole number from 1 to 1000"),
    ({"pool = 5": 'pool = 5\ndistinct_by = ["X"]'}, "[variants.distinct_by] 'X' is not in"),
    ({'require = ["P.C > 1e20"]': 'require = ["P.C >"]'}, "[variants.require] 'P.C >'"),
    ({'require = ["P.C > 1e20"]': 'require = ["P.C > P.nope"]'},
     "[variants.require] 'P.C > P.nope': unknown given 'nope'"),
    ({"pool = 5": "pool = 5\nmax_elasticity = -1"}, "[variants.max_elasticity] expected a"),
    ({'statement = "A model of {{N}}': 'statement = "A model of {{Q}}'},
     "[problems.P.statement] {{Q}} names no given"),
    ({'statement = "A model of {{N}}': 'statement = "A model of {{N|round}}'},
     "the only option is |number"),
])
def test_bad_tables_are_located(runner, tmp_path, changes, fragment):
    sheet = tmp_path / "bad.toml"
    sheet.write_text(small(changes), encoding="utf-8")
    result = runner.invoke(main, ["variants", str(sheet), "-o", str(tmp_path / "out"),
                                  "--no-pdf"])
    assert result.exit_code == 2, result.output
    assert fragment in result.stderr, result.stderr
    assert "bad.toml:" in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "variants"


@pytest.mark.parametrize(("name", "fragment"), [
    # was exit 3: Decimal's NaN cannot be compared
    ("max_elasticity_nan.toml", ":17: [variants.max_elasticity] expected a positive number"),
    # was a 310-digit count of grid values in the message
    ("grid_step_1e-300.toml", ":10: [random.N.step] about 10^309 values on the grid; at most"),
])
def test_hostile_variant_tables_are_located_in_one_short_line(runner, tmp_path, name, fragment):
    result = runner.invoke(main, ["variants", str(FIXTURES / name), "-o", str(tmp_path / "out"),
                                  "--no-pdf"])
    assert result.exit_code == 2, result.output
    assert fragment in result.stderr and len(result.stderr) < 200, result.stderr
    assert not (tmp_path / "out").exists()


def test_max_elasticity_inf_means_no_limit(runner, tmp_path):
    sheet = tmp_path / "inf.toml"
    sheet.write_text(small({"pool = 5": "pool = 2\nmax_elasticity = inf"}))
    result = runner.invoke(main, ["variants", str(sheet), "-o", str(tmp_path / "out"),
                                  "--no-pdf", "-q"])
    assert result.exit_code == 0, result.output


def test_a_quoted_given_computed_from_an_answer_is_refused(runner, tmp_path):
    text = small({"{{D}}": "{{C2}}", "\n\n[[problems.asks]]\nid = \"C\"":
                  "\n[problems.given]\nC2 = \"2 * C\"\n\n[[problems.asks]]\nid = \"C\""})
    sheet = tmp_path / "leak.toml"
    sheet.write_text(text)
    result = runner.invoke(main, ["solve", str(sheet)])
    assert result.exit_code == 2 and "{{C2}} is computed from an answer" in result.stderr


def test_random_without_variants_and_variants_without_random(runner, tmp_path):
    for changes, fragment in [
        ({'[variants]\nsalt = "test-salt"\npool = 5\nrequire = ["P.C > 1e20"]\n': ""},
         "[random] a [random] table needs a [variants] table"),
    ]:
        sheet = tmp_path / "x.toml"
        sheet.write_text(small(changes))
        result = runner.invoke(main, ["solve", str(sheet)])
        assert result.exit_code == 2 and fragment in result.stderr, result.stderr
    plain = tmp_path / "plain.toml"
    plain.write_text('title = "t"\n[given]\nN = 7e9\nD = 1e11\n[[problems]]\nid = "P"\n'
                     '[[problems.asks]]\nid = "C"\nformula = "training_compute"\n')
    result = runner.invoke(main, ["variants", str(plain), "--no-pdf", "-o", str(tmp_path / "o")])
    assert result.exit_code == 2 and "no [random] and [variants] tables" in result.stderr


def test_a_random_given_no_ask_uses_is_refused(runner, tmp_path):
    text = small({"b_w = { dtype = \"bf16\" }": "b_w = { dtype = \"bf16\" }\nk = 3",
                  N_RANGE: N_RANGE + "\nk = { choice = [1, 2] }"})
    sheet = tmp_path / "unused.toml"
    sheet.write_text(text)
    result = runner.invoke(main, ["variants", str(sheet), "--no-pdf", "-o", str(tmp_path / "o")])
    assert result.exit_code == 2, result.output
    assert "[random.k] no ask uses the given 'k'" in result.stderr
    assert not list((tmp_path / "o").glob("*.json")) if (tmp_path / "o").exists() else True


def test_variants_help_shows_the_options_of_the_default_command(runner):
    shown = runner.invoke(main, ["variants", "--help"]).output
    section = shown.split("Options of `derive variants SHEET`", 1)[1]
    for option in ("--pool", "--stress", "--no-pdf", "-o, --out-dir", "--templates"):
        assert option in section, option


def test_progress_is_a_line_per_tenth_when_stderr_is_not_a_terminal(runner, tmp_path):
    """In a log or CI, click's bar printed only its label: 40 variants typeset for 20 s
    in silence. Now each tenth of a stage is a line with the time so far."""
    sheet = tmp_path / "p.toml"
    sheet.write_text(small({"pool = 5": "pool = 3"}))
    result = runner.invoke(main, ["variants", str(sheet), "-o", str(tmp_path / "out"),
                                  "--no-pdf"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("drawing")]
    assert lines and lines[-1].startswith("drawing variants: 3/3 (") and \
        lines[-1].endswith(" s)")
    quiet = runner.invoke(main, ["variants", str(sheet), "-o", str(tmp_path / "out"),
                                 "--no-pdf", "-q"])
    assert "drawing" not in quiet.stderr


def test_an_unsatisfiable_require_stops_after_the_first_draws(runner, tmp_path):
    """With pool = 1000 it once ran 25 000 solves (36 CPU minutes) before saying so."""
    from derivations.variants.pool import GIVE_UP_AFTER

    sheet = FIXTURES / "unsatisfiable_require.toml"
    result = runner.invoke(main, ["variants", str(sheet), "-o", str(tmp_path / "o"),
                                  "--no-pdf"])
    assert result.exit_code == 2, result.output
    assert f"found in {GIVE_UP_AFTER} draws" in result.stderr
    assert "Most rejected by 'require P.C > 1e40' (e.g. N = " in result.stderr
    assert not (tmp_path / "o").exists()
    stress = runner.invoke(main, ["variants", str(sheet), "--stress", "100000", "-q"])
    assert stress.exit_code == 0, stress.output
    assert f"stopped after {GIVE_UP_AFTER} draws: every one was refused" in stress.output
