"""`derive test`: written question tests pass and fail as written, generated tests
cover every path on every variant, and `derive variants` refuses a pool that fails.

The compute sheet's answer is 6 N D = 6 × 7e9 × 1.4e11 = 5.88e21 FLOP; its library
mistakes are the forward pass only (2 N D = 1.96e21) and the backward only (4 N D =
3.92e21), written here by hand.
"""

from __future__ import annotations

from functools import partial

import pytest

from derivations.cli import main
from tests.conftest import COMPUTE_SHEET, PROBLEMS

TESTS = """
[grading.credit]
forward_only = 0.5

[[tests]]
answer = "P.C"
text = "5.88e21 FLOP"
verdict = "correct"
credit = 1

[[tests]]
answer = "P.C"
text = "1.96e21"
verdict = "wrong"
diagnosis = "forward_only"
credit = 0.5
feedback = "forward pass"

[[tests]]
answer = "P.C"
text = "{P.C:2} FLOP"
verdict = "correct"
"""


def sheet_with(tmp_path, extra: str):
    head, problems = COMPUTE_SHEET.split("[[problems]]", 1)
    path = tmp_path / "sheet.toml"
    path.write_text(head + extra + "\n[[problems]]" + problems)
    return path


def test_written_and_generated_tests_pass(runner, tmp_path):
    result = runner.invoke(main, ["test", str(sheet_with(tmp_path, TESTS))])
    assert result.exit_code == 0, result.output
    assert "3 written and" in result.output and "all pass" in result.output
    generated = int(result.output.split(" written and ")[1].split()[0])
    # exact, garbage, far value, two near misses, two library mistakes at least
    assert generated >= 7


def test_a_failing_test_is_a_row_and_exit_1(runner, tmp_path):
    wrong = TESTS + """
[[tests]]
answer = "P.C"
text = "3.92e21"
verdict = "wrong"
diagnosis = "forward_only"
"""
    result = runner.invoke(main, ["test", str(sheet_with(tmp_path, wrong))])
    assert result.exit_code == 1
    row = next(line for line in result.output.splitlines() if "3.92e21" in line)
    assert "tests.#4" in row and "diagnosis backward_only, expected forward_only" in row
    assert "1 FAILED" in result.output


def test_credit_is_checked(runner, tmp_path):
    stingy = TESTS.replace("forward_only = 0.5", "forward_only = 0.25")
    result = runner.invoke(main, ["test", str(sheet_with(tmp_path, stingy))])
    assert result.exit_code == 1
    assert "credit 0.25, expected 0.5" in result.output


@pytest.mark.parametrize(("extra", "message"), [
    ('[[tests]]\nanswer = "P.X"\ntext = "1"', "no answer 'P.X'"),
    ('[[tests]]\nanswer = "P.C"\ntext = "1"\nverdict = "right"', "expected one of correct"),
    ('[[tests]]\nanswer = "P.C"\ntext = "1"\ndiagnosis = "forward"', "mistake id"),
    ('[[tests]]\nanswer = "P.C"\ntext = "1"\nvariant = "seven"', "variant id"),
    ('[[tests]]\nanswer = "P.C"\ntext = "1"\nvariant = "v07"', "no variant 'v07'"),
])
def test_bad_tests_are_located(runner, tmp_path, extra, message):
    result = runner.invoke(main, ["test", str(sheet_with(tmp_path, extra))])
    assert result.exit_code == 2, result.output
    assert message in result.output


def dlp_with_test(tmp_path, verdict: str):
    """dlp_week4 with one more test on every variant: its own Q1.steps is `verdict`."""
    path = tmp_path / "dlp_week4.toml"
    path.write_text((PROBLEMS / "dlp_week4.toml").read_text() + f"""
[[tests]]
answer = "Q1.steps"
text = "{{Q1.steps}}"
variant = "all"
verdict = "{verdict}"
""")
    return path


def test_every_variant_of_a_pool(runner, tmp_path):
    """The written test for all variants fills in each variant's own answer."""
    path = dlp_with_test(tmp_path, "correct")
    result = runner.invoke(main, ["test", str(path), "-q"])
    assert result.exit_code == 0, result.output
    out = runner.invoke(main, ["test", str(path)])
    # the sheet's own tests (four on v00, one on every variant) and this one
    assert "86 written and" in out.output and "on 41 variant(s)" in out.output


def test_variants_refuses_a_pool_whose_tests_fail(runner, tmp_path):
    path = dlp_with_test(tmp_path, "wrong")
    out = tmp_path / "out"
    result = runner.invoke(main, ["variants", str(path), "-o", str(out), "--no-pdf", "-q"])
    assert result.exit_code == 1
    assert "nothing written" in result.output
    assert not (out / "dlp_week4.variants.json").exists()
    skipped = runner.invoke(main, ["variants", str(path), "-o", str(out), "--no-pdf", "-q",
                                   "--no-tests"])
    assert skipped.exit_code == 0 and (out / "dlp_week4.variants.json").exists()


def test_generated_texts_read_back_as_written():
    """A generated answer is written in the question's unit to the figures asked, and
    a failure says what differed."""
    from derivations.grade.grader import Grader
    from derivations.grade.question_tests import Case, failure, written_text
    from derivations.pipeline import parse_sheet
    from derivations.solver import engine

    path = PROBLEMS / "genai_week4.toml"
    grader = Grader(engine.solution_of(parse_sheet(path.read_text(), path)))
    key = grader.keys["E4.bytes_one"]  # 175e9 x 2 B = 350 GB
    assert written_text(key, 350e9, 3) == "3.50e2 GB"
    assert written_text(key, 350e9) == "350.0 GB"
    got = grader.grade("s", {"E4.bytes_one": "3.50e2 GB"}).answers["E4.bytes_one"]
    case = Case("v00", "E4.bytes_one", "3.50e2 GB", "test", verdict="wrong", credit=0.5)
    assert failure(case, got) == "verdict correct, expected wrong; credit 1, expected 0.5"


def test_a_library_change_that_moves_a_mark_fails_the_written_test(runner, tmp_path,
                                                                   monkeypatch):
    """After an upgrade in which `forward_only` became another equation (here 3 N D),
    the sheet's test that named it for 2 N D fails with the row that says so."""
    import dataclasses

    from derivations.grade import keys
    from derivations.library import FORMULAS

    formula = FORMULAS["training_compute"]  # 6 N D; 3 N D is half of it
    changed = tuple(dataclasses.replace(m, rhs=formula.rhs / 2)
                    if m.id == "forward_only" else m for m in formula.mistakes)
    monkeypatch.setitem(FORMULAS, "training_compute",
                        dataclasses.replace(formula, mistakes=changed))
    keys._mistaken_forms.cache_clear()
    try:
        result = runner.invoke(main, ["test", str(sheet_with(tmp_path, TESTS)),
                                      "--written-only"])
    finally:
        keys._mistaken_forms.cache_clear()
    assert result.exit_code == 1
    row = next(line for line in result.output.splitlines() if "tests.#2" in line)
    assert "expected forward_only" in row


def test_every_core_gives_the_same_report():
    """Marking a pool's tests on two processes reports what one process does."""
    from derivations.cli.testing import drawn_grader
    from derivations.pipeline import read_sheet
    from derivations.variants.pool import build_pool
    from derivations.variants.tested import mark

    sheet = read_sheet(PROBLEMS / "dlp_week4.toml")
    sources = {v.id: partial(drawn_grader, v) for v in build_pool(sheet, 9).variants}
    serial, parallel = (mark(sources, sheet.tests, jobs=jobs) for jobs in (1, 2))
    assert (serial.written, serial.generated, serial.variants) == \
        (parallel.written, parallel.generated, parallel.variants)
    assert serial.generated > 300 and serial.variants == 10
    assert serial.coincidences == parallel.coincidences
    assert [f.why for f in serial.failures] == [f.why for f in parallel.failures] == []
