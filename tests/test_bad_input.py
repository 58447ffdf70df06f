"""Every class of bad input: one located line on stderr, exit code 2, no traceback."""

from __future__ import annotations

import pytest

from derivations.cli import main

BASE = """
title = "t"
[given]
N = 67e9
D = 4.1e12
E = 1.69
A = 406.4
B = 410.7
alpha = 0.34
beta = 0.28

[[problems]]
id = "P1"
statement = "s"

[[problems.asks]]
id = "answer"
{ask}
"""


def run(runner, sheet_file, ask: str, *extra: str, text: str | None = None):
    path = sheet_file(text if text is not None else BASE.format(ask=ask))
    result = runner.invoke(main, ["solve", str(path), *extra])
    return path, result


def assert_clean_failure(result, *fragments: str) -> str:
    assert result.exit_code == 2, result.output
    message = result.stderr.strip()
    assert "Traceback" not in result.output
    assert len(message.splitlines()) == 1, message
    for fragment in fragments:
        assert fragment in message, message
    return message


@pytest.mark.parametrize("ask,fragments", [
    ('formula = "chinchila_loss"',
     ["[problems.P1.asks.answer.formula]", "unknown formula 'chinchila_loss'",
      "did you mean 'chinchilla_loss'"]),
    ('formula = "chinchilla_loss"\nbind = { Dx = "1.9" }',
     ["[problems.P1.asks.answer.bind.Dx]",
      "unknown symbol of formula 'chinchilla_loss' to bind 'Dx'", "did you mean 'D'"]),
    ('formula = "training_compute"\nsolve_for = "Q"',
     ["unknown symbol to solve for 'Q'"]),
    ('formula = "weight_memory"',
     ["missing given 'b_w' needed by formula 'weight_memory'"]),
    ('expr = "__import__(\'os\').system(\'id\')"',
     ["[problems.P1.asks.answer.expr]", "is not allowed"]),
    ('expr = "N.__class__"', ["attribute access is not allowed"]),
    ('expr = "(lambda: 1)()"', ["not allowed"]),
    ('expr = "N * Nope"', ["missing given 'Nope'"]),
    ('expr = "E9.L"', ["unknown problem 'E9'"]),
    ('formula = "chinchilla_loss"\nsolve_for = "D"\nbind = { L = "1.7" }',
     ["no solution: the loss must lie above E + A/N^alpha", "L = 1.7"]),
    ('formula = "chinchilla_loss"\nsolve_for = "D"\nbind = { L = "1.69" }',
     ["no solution", "loss must lie above"]),
    ('formula = "effective_tokens_repeated"\nsolve_for = "x"\nbind = { D_eff = "2 * D" }',
     ["D_eff must be below 2D"]),
    ('formula = "effective_tokens_repeated"\nsolve_for = "x"\nbind = { D_eff = "3 * D" }',
     ["D_eff must be below 2D"]),
    ('formula = "training_compute"\nbind = { N = "0" }', ["N must be positive, got 0"]),
    ('formula = "training_compute"\nbind = { N = "-5" }', ["N must be positive, got -5"]),
    ('formula = "training_compute"\nunit = "GB"', ["unit 'GB' measures byte, but C is in FLOP"]),
    ('formula = "training_compute"\nunit = "GFLOPS"', ["unknown unit 'GFLOPS'"]),
    ('formula = "training_compute"\nformual = "x"', ["unknown key 'formual'"]),
    ('formula = "training_compute"\nsig = 0', ["sig (significant figures)"]),
    ('expr = "1 / (N - N)"', ["not finite"]),
    ('kind = "truefalse"\nclaim = "c"\nanswer = true', ["needs a justification"]),
    ('kind = "truefalse"\nclaim = "c"\nholds = "N > 1"\nanswer = true', ["exactly one of"]),
])
def test_bad_asks(runner, sheet_file, ask, fragments):
    _, result = run(runner, sheet_file, ask)
    assert_clean_failure(result, *fragments)


def test_error_names_file_and_line(runner, sheet_file):
    path, result = run(runner, sheet_file, 'formula = "chinchila_loss"')
    message = assert_clean_failure(result)
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1)
                if "chinchila_loss" in text)
    assert message.startswith(f"error: {path}:{line}: ")


def test_malformed_toml_gives_line_and_column(runner, sheet_file):
    _, result = run(runner, sheet_file, "", text='title = "t"\n[given\nN = 1\n')
    assert_clean_failure(result, "malformed TOML", "line 2", "column")


def test_cycle_between_givens(runner, sheet_file):
    text = BASE.format(ask='expr = "X"').replace("beta = 0.28",
                                                 'beta = 0.28\nX = "Y + 1"\nY = "2 * X"')
    _, result = run(runner, sheet_file, "", text=text)
    assert_clean_failure(result, "circular definition", "given.X -> given.Y -> given.X")


def test_cycle_between_answers(runner, sheet_file):
    text = BASE.format(ask='expr = "P1.other"') \
        + '\n[[problems.asks]]\nid = "other"\nexpr = "2 * answer"\n'
    _, result = run(runner, sheet_file, "", text=text)
    assert_clean_failure(result, "circular definition", "P1.answer -> P1.other -> P1.answer")


def test_no_problems(runner, sheet_file):
    _, result = run(runner, sheet_file, "", text='title = "t"\n')
    assert_clean_failure(result, "at least one [[problems]]")


def test_duplicate_problem_ids(runner, sheet_file):
    problem = BASE[BASE.index("[[problems]]"):].format(ask='expr = "1"')
    text = BASE.format(ask='expr = "1"') + problem
    _, result = run(runner, sheet_file, "", text=text)
    assert_clean_failure(result, "problem id 'P1' is used twice")


def test_not_utf8(runner, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_bytes(b"title = \"\xff\xfe\"\n")
    result = runner.invoke(main, ["solve", str(path)])
    assert_clean_failure(result, "not UTF-8")


def test_missing_file_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(main, ["solve", str(tmp_path / "nope.toml")])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_unknown_problem_option(runner, sheet_file):
    _, result = run(runner, sheet_file, 'expr = "1"', "--problem", "P2")
    assert_clean_failure(result, "unknown problem 'P2'", "did you mean 'P1'")


def test_failed_run_leaves_no_output_file(runner, sheet_file, tmp_path):
    out = tmp_path / "out.json"
    _, result = run(runner, sheet_file, 'formula = "nope"', "--format", "json", "-o", str(out))
    assert_clean_failure(result, "unknown formula")
    assert not out.exists()
    assert not list(tmp_path.glob(".out.json*"))
