"""Notebooks as write-ups: the seed write-up as a notebook gets the same false lines as
the Markdown original, located by cell; code is read, never run."""

from __future__ import annotations

import json

import nbformat
from click.testing import CliRunner

from derivations.cli.main import main
from derivations.pipeline import solve_file
from derivations.work.checking import WorkChecker
from derivations.work.writeup.marks import FALSE, UNREAD
from tests.conftest import PROBLEMS, pdf_text

ROOT = PROBLEMS.parent
SEED = ROOT / "tests" / "fixtures" / "writeups" / "genai_week4_seed.md"
NOTEBOOK = ROOT / "tests" / "fixtures" / "handins" / "genai_week4_seed.ipynb"


def _checker():
    return WorkChecker(solve_file(PROBLEMS / "genai_week4.toml"))


def test_the_notebook_has_the_markdown_originals_false_lines_by_cell():
    checker = _checker()
    markdown, book = checker.check(SEED), checker.check(NOTEBOOK)
    false_md = [r.text for r in markdown.relations if r.mark == FALSE]
    false_nb = [r.text for r in book.relations if r.mark == FALSE]
    assert false_md and false_nb == false_md
    # where each false line is: the cell holding the section, the line within it
    cells = nbformat.reads(NOTEBOOK.read_text(), as_version=4).cells
    for relation in (r for r in book.relations if r.mark == FALSE):
        place = book.writeup.where(relation.line)
        cell, line = (int(x.split()[-1]) for x in place.split(", "))
        source = cells[cell - 1].source.split("\n")[line - 1]
        assert source.strip() and cells[cell - 1].cell_type == "markdown"
        original = SEED.read_text().split("\n")[
            next(r.line for r in markdown.relations if r.text == relation.text) - 1]
        assert source == original


def test_code_is_read_as_relations_and_outputs_as_written_values():
    book = _checker().check(NOTEBOOK)
    by_place = {book.writeup.where(r.line): r for r in book.relations}
    assert by_place["cell 3, line 4"].text == "C = 6ND"          # C = 6 * N * D
    assert by_place["cell 3, line 4"].mark != FALSE
    assert by_place["cell 3, line 2"].mark != FALSE              # N = 67e9, the sheet's N
    unread = [r for r in book.relations if r.mark == UNREAD and "code" in r.reason]
    assert [book.writeup.where(r.line) for r in unread] == ["cell 4, line 3"]  # the loop
    assert "never run" in unread[0].reason


def test_code_is_never_run(tmp_path):
    marker = tmp_path / "ran"
    book = nbformat.v4.new_notebook()
    book.cells = [nbformat.v4.new_markdown_cell("# E1"),
                  nbformat.v4.new_code_cell(f"open({str(marker)!r}, 'w').write('x')\n"
                                            "C = __import__('os').system('true')")]
    path = tmp_path / "evil.ipynb"
    path.write_text(nbformat.writes(book))
    result = _checker().check(path)
    assert not marker.exists()
    assert all(r.mark == UNREAD for r in result.relations)


def test_locations_are_cells_in_every_format(tmp_path):
    runner = CliRunner()
    sheet = str(PROBLEMS / "genai_week4.toml")
    text = runner.invoke(main, ["check-work", sheet, str(NOTEBOOK)]).output
    assert "cell 5, line 11" in text and "first error: cell 5, line 11" in text
    data = json.loads(runner.invoke(main, ["check-work", sheet, str(NOTEBOOK), "--format",
                                           "json"]).output)
    assert data["first_error"]["line"] and any(r["where"] == "cell 5, line 11"
                                               for r in data["relations"])
    report = tmp_path / "r.html"
    runner.invoke(main, ["check-work", sheet, str(NOTEBOOK), "--report", str(report)])
    assert "cell 5, line 11" in report.read_text()
    pdf = tmp_path / "r.pdf"
    runner.invoke(main, ["check-work", sheet, str(NOTEBOOK), "--report", str(pdf)])
    shown = " ".join(pdf_text(pdf).split())
    assert "First error: cell 5, line 11" in shown
    assert "from cell 5," in shown and "from 5" not in shown  # by its cell, not line 52


def test_a_file_that_is_not_a_notebook_is_refused(tmp_path):
    path = tmp_path / "x.ipynb"
    path.write_text("{not json")
    result = CliRunner().invoke(main, ["check-work", str(PROBLEMS / "genai_week4.toml"),
                                       str(path)])
    assert result.exit_code == 2 and "not a Jupyter notebook" in result.output


def test_an_update_is_not_an_equation(tmp_path):
    # `D = D * 2` in code means "double D", not the false equation D = 2D
    book = nbformat.v4.new_notebook()
    book.cells = [nbformat.v4.new_markdown_cell("# E1"),
                  nbformat.v4.new_code_cell("N = 67e9\nD = 4.1e12\nD = D * 2\nC = 6 * N * D")]
    path = tmp_path / "update.ipynb"
    path.write_text(nbformat.writes(book))
    result = _checker().check(path)
    marks = {result.writeup.where(r.line): r for r in result.relations}
    assert marks["cell 2, line 3"].mark == UNREAD and "update" in marks["cell 2, line 3"].reason
    assert all(r.mark != FALSE for r in result.relations)
