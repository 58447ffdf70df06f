"""Prose typesets its symbols: no `_`, `^` or `\\` reaches a reader of the shipped
PDFs and pages (answer ids such as E2.D_new are identifiers and are left out)."""

from __future__ import annotations

import re

import pytest

from derivations.cli import main
from derivations.library import FORMULAS
from derivations.present.prose import markup
from derivations.present.text import plain
from derivations.render.html import to_html
from derivations.render.latex import to_latex
from tests.conftest import PROBLEMS, SHIPPED, pdf_text
from tests.render.pages import Page

SHEETS = SHIPPED
ANSWER_ID = re.compile(r"\b[A-Z]+\d+\.\w+")
RAW = re.compile(r"[_^\\]")


def raw_characters(text: str) -> list[str]:
    """Places where a `_`, `^` or `\\` is left in text a person reads."""
    text = ANSWER_ID.sub("", text)
    return [text[max(0, m.start() - 30):m.end() + 30] for m in RAW.finditer(text)]


@pytest.mark.tex
def test_shipped_pdfs_and_pages_have_no_raw_math(tmp_path, runner):
    result = runner.invoke(main, ["build", "--format", "all", "-o", str(tmp_path), "-q",
                                  *[str(PROBLEMS / f"{n}.toml") for n in SHEETS]])
    assert result.exit_code == 0, result.output
    found = {}
    for name in SHEETS:
        for suffix in ("", "-questions"):
            found[f"{name}{suffix}.pdf"] = raw_characters(pdf_text(tmp_path /
                                                                   f"{name}{suffix}.pdf"))
            page = Page((tmp_path / f"{name}{suffix}.html").read_text(encoding="utf-8"))
            found[f"{name}{suffix}.html"] = raw_characters(page.text)
    for kind in ("pdf", "html"):  # the cheat sheet's notes are prose with math too
        target = tmp_path / f"cheatsheet.{kind}"
        assert runner.invoke(main, ["cheatsheet", "-o", str(target)]).exit_code == 0
        text = pdf_text(target) if kind == "pdf" else Page(target.read_text()).text
        for formula_id in sorted(FORMULAS, key=len, reverse=True):  # ids to type, not prose
            text = text.replace(formula_id, "")
        found[target.name] = raw_characters(text)
    assert not {k: v for k, v in found.items() if v}


@pytest.mark.parametrize("formula", sorted(FORMULAS), ids=str)
def test_every_library_note_and_mistake_renders_in_every_output(formula):
    item = FORMULAS[formula]
    for text in [m.feedback for m in item.mistakes] + [item.note, item.source]:
        prose = markup(text)  # parses: no raw TeX passes
        latex = to_latex(prose)
        assert "$" not in plain(text) or "\\$" in text
        page = Page(f"<p>{to_html(prose)}</p>")
        shown = page.text
        for formula_id in FORMULAS:  # a source may name another formula by its id
            shown = shown.replace(formula_id, "")
        assert not page.errors and not raw_characters(shown), (formula, text)
        assert latex.count("$") % 2 == 0
        assert not re.search(r"\\(input|def|write|include)", latex)


def test_sheet_prose_with_bad_math_is_refused(sheet_file, runner):
    path = sheet_file('title = "t"\n[given]\nN = 7e9\nD = 1e11\n[[problems]]\nid = "P"\n'
                      'statement = "Compute $\\\\input{x}$."\n[[problems.asks]]\nid = "C"\n'
                      'formula = "training_compute"\n')
    result = runner.invoke(main, ["solve", str(path)])
    assert result.exit_code == 2
    assert "[problems.P.statement] \\input is not allowed" in result.stderr


@pytest.mark.parametrize("name", SHEETS)
def test_every_diagnosis_of_the_shipped_sheets_renders(solved_all, name):
    """Feedback made at grading time (values of other problems, reciprocal factors,
    dtypes, unit slips) is markup too: it parses and renders without raw characters."""
    from derivations.grade.grader import Grader

    keys = Grader(solved_all[name]).keys
    texts = [v.feedback for key in keys.values() for v in key.slips]
    texts += [f"Expected {key.shown}." for key in keys.values() if key.shown]
    assert texts
    for text in texts:
        prose = markup(text)
        page = Page(f"<p>{to_html(prose)}</p>")
        assert not page.errors and not raw_characters(page.text), text
        assert not raw_characters(plain(text).replace("_", "")), text  # Unicode: ids keep _


@pytest.fixture(scope="module")
def solved_all():
    from derivations.sheet.spec import load_sheet
    from derivations.solver import engine

    return {name: engine.solution_of(load_sheet((PROBLEMS / f"{name}.toml").read_text(),
                                          f"{name}.toml", name)) for name in SHEETS}
