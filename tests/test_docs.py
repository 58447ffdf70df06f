"""The documentation matches the code: its examples run and its output is real."""

from __future__ import annotations

from derivations.cli import main
from derivations.sheet.spec import load_sheet
from derivations.solver import engine
from tests.conftest import PROBLEMS, ROOT


def code_blocks(path, language: str) -> list[str]:
    """Fenced blocks of one language (`""` for unlabelled ones), in order."""
    blocks = path.read_text().split("```")[1::2]
    return [b.split("\n", 1)[1] for b in blocks if b.split("\n", 1)[0] == language]


def test_sheet_format_example_solves():
    example = code_blocks(ROOT / "docs" / "sheet-format.md", "toml")[0]
    solution = engine.solution_of(load_sheet(example, "example.toml", "example"))
    answers = solution.answers
    assert abs(answers["E2.D_new"].as_float() / 7.544071e12 - 1) < 1e-6
    # the inline equation is the library's repeated-data model, solved the same way
    assert abs(answers["E2.extra"].as_float() - 2.644013) < 1e-6
    assert answers["E2.check"].value is True


def test_readme_sample_output_is_real(runner):
    readme = (ROOT / "README.md").read_text()
    sample = next(block for block in code_blocks(ROOT / "README.md", "")
                  if "E2.D_new" in block)
    result = runner.invoke(main, ["solve", str(PROBLEMS / "genai_week4.toml"), "--problem",
                                  "E2"])
    output = " ".join(result.output.split())
    for line in sample.strip().splitlines()[:5]:
        assert " ".join(line.split()) in output, line
    assert "make build" in readme and "make test" in readme


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci


def test_sheet_format_variants_example_draws_a_pool():
    from derivations.variants.pool import build_pool

    example = next(block for block in code_blocks(ROOT / "docs" / "sheet-format.md", "toml")
                   if "[variants]" in block)
    sheet = load_sheet(example, "variants.toml", "variants")
    assert [r.name for r in sheet.random] == ["N", "D", "b_w"]
    pool = build_pool(sheet, 3)
    assert [v.id for v in pool.variants] == ["v00", "v01", "v02", "v03"]
    for variant in pool.variants[1:]:
        answers = variant.solution.answers
        assert answers["E2.D_new"].as_float() > float(variant.givens["D"])
        assert answers["E2.extra"].as_float() < 10
        assert variant.givens["D"] != "4e12"


def test_formulas_help_lists_every_library_topic(runner):
    """The help is written out (importing the library would slow `--help`), so a test
    keeps it in step with `library.TOPICS` and the sheet's tags."""
    from derivations.cli import main
    from derivations.library import TOPICS
    from derivations.present.view import TAGS

    shown = " ".join(runner.invoke(main, ["formulas", "--help"]).output.split())
    for topic in TOPICS:
        assert topic in shown and topic in TAGS, topic


def test_grading_example_runs_its_tests(runner, tmp_path):
    """docs/grading.md's example sheet: its written tests pass with derive test."""
    example = code_blocks(ROOT / "docs" / "grading.md", "toml")[0]
    path = tmp_path / "policy.toml"
    path.write_text(example)
    result = runner.invoke(main, ["test", str(path)])
    assert result.exit_code == 0, result.output
    assert "3 written and" in result.output and "all pass" in result.output
