"""The one pipeline (`derivations.pipeline`): read and solve once, build one document
without stopping the others, and pick the way a class is marked.

Expected values are computed here with plain floats from the sheet's own givens, not
read back from the engine.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from derivations import pipeline
from derivations.errors import ArgumentError, DerivationsError, SpecError
from derivations.grade.runner import SheetGrader, Submission
from derivations.lms.responses import ResponseGrader
from derivations.render.build import Target
from derivations.variants.grading import VariantGraders
from tests.conftest import PROBLEMS, ROOT

SMALL = (ROOT / "tests" / "render" / "golden" / "small.toml").read_text()
N, D = 7e9, 1.4e11  # the small sheet's givens


def test_read_sheet_locates_an_error_in_the_file(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(SMALL.replace('formula = "weight_memory"', 'formla = "weight_memory"'))
    with pytest.raises(SpecError) as caught:
        pipeline.read_sheet(bad)
    assert caught.value.file == str(bad) and "formla" in str(caught.value)
    assert caught.value.line == SMALL.splitlines().index('formula = "weight_memory"') + 1


def test_solved_is_cached_per_content_and_plots_wait_until_asked(tmp_path):
    path = tmp_path / "small.toml"
    path.write_text(SMALL)
    first = pipeline.solved(path)
    assert pipeline.solved(path) is first
    assert float(first.solution.answers["G1.C"].value) == pytest.approx(6 * N * D, rel=1e-12)
    path.write_text(SMALL.replace("N = 7e9", "N = 8e9"))
    again = pipeline.solved(path)
    assert again is not first
    assert float(again.solution.answers["G1.C"].value) == pytest.approx(6 * 8e9 * D,
                                                                        rel=1e-12)
    genai = pipeline.solved(PROBLEMS / "genai_week4.toml")
    assert genai.sheet.plots and genai._plots == []  # not swept yet
    assert len(genai.plots) == len(genai.sheet.plots)


def test_document_returns_the_error_and_leaves_no_output(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text(SMALL.replace("N = 7e9", 'N = "7e9 +"'))
    error, warnings = pipeline.document(Target("broken", tmp_path / "out", sheet=path,
                                               tex_only=True))
    assert isinstance(error, DerivationsError) and warnings == ()
    assert not (tmp_path / "out" / "broken.tex").exists()
    copy = pickle.loads(pickle.dumps(error))  # a build worker sends it back whole
    assert type(copy) is type(error) and str(copy) == str(error)


def test_document_writes_one_target(tmp_path):
    path = tmp_path / "small.toml"
    path.write_text(SMALL)
    error, _ = pipeline.document(Target("small", tmp_path, sheet=path, tex_only=True))
    assert error is None
    assert "Golden sheet" in (tmp_path / "small.tex").read_text()


@pytest.mark.parametrize("source,argument", [(None, "source"), (b"title = 'x'", "source"),
                                             ("a\0b.toml", "source"), (42, "source")])
def test_the_api_refuses_what_is_not_a_sheet(source, argument):
    with pytest.raises(ArgumentError) as caught:
        pipeline.load(source)
    assert caught.value.argument == argument


def test_the_api_solves_text_and_paths_alike(tmp_path):
    path = tmp_path / "small.toml"
    path.write_text(SMALL)
    from_text, from_path = pipeline.solve(SMALL), pipeline.solve(path)
    assert list(from_text) == list(from_path) == ["G1.C", "G1.bytes", "G1.ok"]
    assert from_text["G1.bytes"].value == from_path["G1.bytes"].value == \
        pytest.approx(2 * N, rel=1e-12)  # bytes, the canonical unit
    with pytest.raises(ArgumentError):
        pipeline.solve(SMALL, problem=3)  # type: ignore[arg-type]


def _class_csv(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "answers.csv"
    path.write_text("student,G1.C,G1.bytes,G1.ok\n" + rows)
    return path


def test_grading_run_marks_a_class_csv_against_the_sheet(tmp_path):
    sheet = tmp_path / "small.toml"
    sheet.write_text(SMALL)
    compute, weights = 6 * N * D, 2 * N / 1e9  # FLOP; GB of bf16 weights
    run = pipeline.grading_run(sheet, _class_csv(
        tmp_path, f"ann,{compute:.4e},{weights:g} GB,true\nbob,{compute * 10:.4e},,false\n"))
    assert isinstance(run.grader, SheetGrader) and not run.variants
    results = {s.student: run.grader.grade(s) for s in run.submissions}
    assert {a: v.verdict for a, v in results["ann"].answers.items()} == {
        "G1.C": "correct", "G1.bytes": "correct", "G1.ok": "correct"}
    assert results["bob"].answers["G1.C"].verdict == "wrong"
    assert results["bob"].answers["G1.bytes"].verdict == "missing"


def test_grading_run_reads_an_lms_report_with_its_own_grader():
    run = pipeline.grading_run(PROBLEMS / "dlp_week4.toml",
                               ROOT / "tests" / "fixtures" / "moodle_responses_dlp_week4.csv")
    assert isinstance(run.grader, ResponseGrader)
    assert set(run.keys) < set(pipeline.solve_file(PROBLEMS / "dlp_week4.toml").answers)
    assert all(isinstance(s, Submission) for s in run.submissions)


def test_grading_run_with_a_pool_marks_each_student_against_their_variant(tmp_path,
                                                                          runner):
    from derivations.cli import main

    result = runner.invoke(main, ["variants", str(PROBLEMS / "dlp_week4.toml"), "-o",
                                  str(tmp_path), "--pool", "3", "--no-pdf", "-q"])
    assert result.exit_code == 0, result.output
    answers = tmp_path / "a.csv"
    answers.write_text("student,variant,Q1.steps\nann,v01,1\n")
    run = pipeline.grading_run(PROBLEMS / "dlp_week4.toml", answers,
                               pool=tmp_path / "dlp_week4.variants.json")
    assert isinstance(run.grader, VariantGraders) and run.variants
    (only,) = list(run.submissions)
    assert only.variant == "v01" and "variant" not in only.answers
