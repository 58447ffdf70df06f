"""Submission downloads of Moodle and Canvas, checked and handed back in the LMS's
formats; hostile archives refused member by member while the class is still checked."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from derivations.cli.main import main
from derivations.pipeline import solve_file
from derivations.work.checking import WorkChecker
from derivations.work.handins import archive as archives
from tests.conftest import PROBLEMS

HANDINS = PROBLEMS.parent / "tests" / "fixtures" / "handins"
SHEET = str(PROBLEMS / "genai_week4.toml")
SEED = PROBLEMS.parent / "tests" / "fixtures" / "writeups" / "genai_week4_seed.md"


def _run(*args):
    return CliRunner().invoke(main, ["check-work", SHEET, *map(str, args)])


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture(scope="module")
def seed_score():
    """Ada's mark, from the loose Markdown file checked alone."""
    return WorkChecker(solve_file(Path(SHEET))).check(SEED).answers.score


def test_moodle_round_trip_fills_the_downloaded_worksheet(tmp_path, seed_score):
    out = tmp_path / "out"
    result = _run(HANDINS / "moodle_submissions.zip", "-o", out, "--worksheet",
                  HANDINS / "moodle_worksheet.csv")
    assert result.exit_code == 1, result.output  # false lines found: a result, not a failure
    rows = _rows((out / "grading-worksheet.csv").read_text())
    original = _rows((HANDINS / "moodle_worksheet.csv").read_text())
    assert [list(r) for r in rows] == [list(r) for r in original]  # every column kept
    assert [r["Identifier"] for r in rows] == [r["Identifier"] for r in original]
    by_id = {r["Identifier"]: r for r in rows}
    assert float(by_id["Participant 101"]["Grade"]) == seed_score
    assert float(by_id["Participant 102"]["Grade"]) == seed_score  # the same, as a notebook
    assert by_id["Participant 104"]["Grade"] == ""
    assert "ask for the source" in by_id["Participant 104"]["Feedback comments"]
    assert "not UTF-8" in by_id["Participant 105"]["Feedback comments"] \
        or "binary" in by_id["Participant 105"]["Feedback comments"]
    assert by_id["Participant 106"]["Grade"] == ""  # no submission: row left as it was
    assert "cell 5, line 11" in by_id["Participant 102"]["Feedback comments"]
    summary = (out / "summary.txt").read_text()
    assert "Alan Turing (102): " in summary and "first error cell 5, line 11 (E2)" in summary
    assert "not read: Emmy Noether: week4.pdf" in summary


def test_the_feedback_zip_is_in_moodles_import_layout(tmp_path):
    out = tmp_path / "out"
    _run(HANDINS / "moodle_submissions.zip", "-o", out)
    with zipfile.ZipFile(HANDINS / "moodle_submissions.zip") as download:
        folders = {n.split("/")[0] for n in download.namelist() if "_assign" in n}
    with zipfile.ZipFile(out / "feedback-files.zip") as feedback:
        names = feedback.namelist()
        pages = {n: feedback.read(n).decode() for n in names}
    for name in names:
        folder, file = name.split("/")
        assert folder in folders
        # Moodle's importer: full name, participant id, plugin type, plugin name
        info = folder.split("_", 4)
        assert info[1].isdigit() and info[2] == "assignsubmission"
        assert file.endswith(".html")
    turing = next(p for n, p in pages.items() if n.startswith("Alan Turing_102"))
    assert "cell 5, line 11" in turing and "<script" not in turing
    hopper = next(p for n, p in pages.items() if n.startswith("Grace Hopper_103"))
    assert "alert(1)" not in hopper
    own = _rows((out / "grading-worksheet.csv").read_text())  # no --worksheet: our own
    assert {"Identifier", "Grade", "Last modified (grade)"} <= set(own[0])


def test_canvas_round_trip(tmp_path, seed_score):
    out = tmp_path / "out"
    result = _run(HANDINS / "canvas_submissions.zip", "-o", out)
    assert result.exit_code == 1, result.output
    rows = {r["ID"]: r for r in _rows((out / "gradebook.csv").read_text())}
    assert set(rows) == {"101", "102", "103"}
    assert float(rows["101"]["genai_week4"]) == seed_score
    assert rows["103"]["genai_week4"] == ""
    reports = sorted(p.name for p in (out / "feedback").iterdir())
    assert reports == ["lovelaceada_101_5001_feedback-week4-md.html",
                       "turingalan_LATE_102_5002_feedback-week4-ipynb.html"]
    assert "Canvas submissions: 3 students, 2 checked" in result.output


@pytest.mark.parametrize(("fixture", "flagged"), [
    ("hostile_traversal", "a path outside the archive"),
    ("hostile_symlink", "a symbolic link"),
    ("hostile_bomb", "larger than"),
    ("hostile_nested", "not opened"),
    ("hostile_duplicate", "duplicate student"),
])
def test_a_hostile_archive_marks_the_attacker_and_checks_the_class(tmp_path, fixture,
                                                                    flagged):
    out = tmp_path / "sandbox" / "out"
    out.parent.mkdir()
    result = _run(HANDINS / f"{fixture}.zip", "-o", out)
    assert result.exit_code == 1, result.output  # the class was checked
    assert flagged in result.output
    rows = {r["Identifier"]: r for r in _rows((out / "grading-worksheet.csv").read_text())}
    assert rows["Participant 101"]["Grade"] != ""  # the honest student
    written = {p.relative_to(tmp_path) for p in tmp_path.rglob("*")}
    assert all(str(p).startswith("sandbox") for p in written)  # nothing outside OUT/
    assert not (tmp_path / "evil.md").exists()


def test_names_not_in_utf8_are_read(tmp_path):
    result = _run(HANDINS / "hostile_names.zip", "-o", tmp_path / "out")
    assert "2 students, 2 checked" in result.output


def test_caps_refuse_the_archive_before_unpacking(tmp_path, monkeypatch):
    monkeypatch.setattr(archives, "MAX_TOTAL", 10 * 2**20)
    result = _run(HANDINS / "hostile_bomb.zip", "-o", tmp_path / "out")
    assert result.exit_code == 2 and "refused before unpacking" in result.output
    assert not (tmp_path / "out").exists()


def test_not_a_zip_or_no_output_folder_is_exit_2(tmp_path):
    bad = tmp_path / "x.zip"
    bad.write_bytes(b"not a zip")
    assert _run(bad, "-o", tmp_path / "o").exit_code == 2
    assert _run(HANDINS / "moodle_submissions.zip").exit_code == 2
    worksheet = tmp_path / "w.csv"
    worksheet.write_text("a,b\n1,2\n")
    result = _run(HANDINS / "moodle_submissions.zip", "-o", tmp_path / "o2", "--worksheet",
                  worksheet)
    assert result.exit_code == 2 and "not a Moodle grading worksheet" in result.output


def test_a_download_zipped_again_in_one_folder_is_read(tmp_path):
    wrapped = tmp_path / "wrapped.zip"
    with zipfile.ZipFile(HANDINS / "moodle_submissions.zip") as source, \
            zipfile.ZipFile(wrapped, "w") as out:
        for name in source.namelist():
            out.writestr(f"Week 4 (submissions)/{name}", source.read(name))
    result = _run(wrapped, "-o", tmp_path / "out")
    assert "Moodle submissions: 5 students, 3 checked" in result.output
