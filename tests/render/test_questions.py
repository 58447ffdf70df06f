"""Question sheets: the handout, built next to each solution PDF, with nothing derived."""

from __future__ import annotations

import json
import re

import pytest

from derivations.cli import main
from derivations.pipeline import build
from derivations.render.build import Target
from tests.conftest import PROBLEMS, SHIPPED, pdf_text, written_for_students

pytestmark = pytest.mark.tex
SHEETS = SHIPPED


@pytest.fixture(scope="module")
def handouts(tmp_path_factory):
    out = tmp_path_factory.mktemp("questions")
    targets = [Target(f"{name}-questions", out, sheet=PROBLEMS / f"{name}.toml",
                      questions=True) for name in SHEETS]
    assert set(build(targets, jobs=2).values()) == {"built"}
    return out


def pdf_form(display: str) -> str:
    """A display string as pdftotext reads a PDF (superscripts lose their caret)."""
    return display.replace("10^", "10").replace("-", "−")


@pytest.mark.parametrize("name", SHEETS)
def test_no_derived_value_appears(handouts, runner, name):
    solved = json.loads(runner.invoke(main, ["solve", str(PROBLEMS / f"{name}.toml"),
                                             "--format", "json"]).stdout)
    text = pdf_text(handouts / f"{name}-questions.pdf")
    written = written_for_students(name)
    checked = 0
    for aid, answer in solved["answers"].items():
        if isinstance(answer["value"], bool):
            continue
        for shown in answer["display"].split(" = "):
            number = shown.split(" ")[0] if "×" not in shown else shown
            # a one- or two-character count ("8", "27") or a number the instructor wrote
            # in the sheet may appear in a statement without being a leak
            candidates = [pdf_form(text) for text in {shown, number}
                          if len(text.replace(" ", "")) >= 3 and text not in written]
            for candidate in candidates:
                pattern = r"(?<![\d.])" + re.escape(candidate) + r"(?![\d])"
                assert not re.search(pattern, text), f"{aid} leaks {candidate!r}"
                checked += 1
        for step in answer["steps"]:
            if step["kind"] == "rearranged":
                assert "rearranged" not in text
    assert checked > 5


@pytest.mark.parametrize("name", SHEETS)
def test_statements_and_asks_are_there(handouts, name):
    text = pdf_text(handouts / f"{name}-questions.pdf")
    assert "Questions." in text
    assert "Worked solutions" not in text and "substituted" not in text


def test_units_and_claims_are_printed(handouts):
    text = pdf_text(handouts / "genai_week4-questions.pdf")
    assert "E2.D_new: Tokens needed for the target loss tokens" in text
    dlp = pdf_text(handouts / "dlp_week4-questions.pdf")
    assert "true / false" in dlp


def test_cli_build_writes_the_question_sheet(tmp_path, runner):
    result = runner.invoke(main, ["build", str(PROBLEMS / "dlp_week4.toml"), "-o",
                                  str(tmp_path), "-q"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "dlp_week4.pdf").exists()
    assert (tmp_path / "dlp_week4-questions.pdf").exists()


def test_given_computed_from_an_answer_is_not_shown(sheet_file, tmp_path, runner):
    path = sheet_file('title = "t"\n[given]\nN = 7e9\nD = 1.4e11\n[[problems]]\nid = "P"\n'
                      '[problems.given]\nC2 = "2 * C"\n[[problems.asks]]\nid = "C"\n'
                      'formula = "training_compute"\n', name="leak.toml")
    result = runner.invoke(main, ["build", str(path), "-o", str(tmp_path / "o"), "-q",
                                  "--tex-only"])
    assert result.exit_code == 0, result.output
    tex = (tmp_path / "o" / "leak-questions.tex").read_text()
    assert "1.176" not in tex and "C2" not in tex


def problems_split(pdf, sheet_file) -> list[str]:
    """Problems whose heading and answer boxes fall on different pages, and statements
    whose last line is left alone at the top of a page."""
    import tomllib

    from tests.conftest import pdf_lines

    sheet = tomllib.loads(sheet_file.read_text())
    lines = sorted(pdf_lines(pdf), key=lambda line: (line.page, line.top))
    found = []
    for problem in sheet["problems"]:
        pid = problem["id"]
        heading = [x.page for x in lines if x.text.startswith(f"{pid}:") or x.text == pid]
        asks = [x.page for x in lines for ask in problem.get("asks", [])
                if x.text.lstrip("• ").startswith(f"{pid}.{ask['id']}")]
        if len(set(heading + asks)) > 1:
            found.append(f"{pid} spans pages {sorted(set(heading + asks))}")
    return found


@pytest.mark.parametrize("name", SHEETS)
def test_a_problem_stays_on_one_page_with_its_answer_boxes(handouts, name):
    """Before each problem was kept together (measured, then `\\needspace`), problems
    began at the foot of a page and had their boxes on the next (figures in the README)."""
    assert problems_split(handouts / f"{name}-questions.pdf", PROBLEMS / f"{name}.toml") == []


def test_a_handout_has_a_name_and_id_line(handouts):
    text = pdf_text(handouts / "dlp_week4-questions.pdf")
    assert "Name" in text and "Student ID" in text
