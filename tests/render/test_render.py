"""Real PDFs from a real TeX engine, read back with pdftotext; golden .tex; safety."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from derivations.cli import main
from derivations.fingerprint import shipped_templates
from derivations.pipeline import build
from derivations.render import jinja as render
from derivations.render.build import BuildError, Target
from tests.conftest import PROBLEMS, SHIPPED, pdf_text

GOLDEN = Path(__file__).parent / "golden"
SHEETS = SHIPPED

pytestmark = pytest.mark.tex


@pytest.fixture(scope="session")
def shipped(tmp_path_factory) -> Path:
    """Every shipped sheet and the cheat sheet, compiled once (two jobs)."""
    out = tmp_path_factory.mktemp("build")
    targets = [Target(name, out, sheet=PROBLEMS / f"{name}.toml") for name in SHEETS]
    targets.append(Target("cheatsheet", out))
    status = build(targets, jobs=2, on_warning=SHIPPED_WARNINGS.append)
    assert set(status.values()) == {"built"}
    return out


#: What building the shipped sheets warned about (TeX's overfull lines, glyphs).
SHIPPED_WARNINGS: list[str] = []


def test_no_shipped_line_runs_past_the_margin(shipped):
    """Read from TeX's log: before the givens tables wrapped and the answer boxes could
    move to their own line, gpu_memory's table stuck out 179 pt (off the paper) and three
    of dlp_week4's true/false items 30-116 pt."""
    assert shipped.is_dir()
    assert [w for w in SHIPPED_WARNINGS if "wider than the text" in w] == []


def test_an_overfull_line_in_the_log_is_a_located_warning():
    from derivations.render.compile import overfull_lines

    tex = "%@tpl _solution_body.tex.j2:19\nA & B \\\\\n"
    log = ("Overfull \\hbox (179.30008pt too wide) in alignment at lines 2--2\n"
           "Overfull \\hbox (0.4pt too wide) in paragraph at lines 2--2\n")
    assert overfull_lines(tex, "x.pdf", log) == [
        "x.pdf: a line is 179 pt wider than the text (generated line 2, from "
        "_solution_body.tex.j2:19)"]


@pytest.mark.parametrize("sheet,fragments", [
    ("genai_week4", ["C = 1.648 × 1024 FLOP", "D = 7.544 × 1012 tokens",
                     "C = 3.033 × 1024 FLOP", "x = 2.644 epochs",
                     "54 GiB", "36 MiB", "r = ⌊8⌋", "r= 8", "18 874 368 parameters",
                     "Sensitive: d ln D/d ln L = −65.8"]),
    ("dlp_week4", ["S = 15 625 steps", "Phead = 16 384 parameters", "28 GB",
                   "False", "True"]),
    ("lecture_examples", ["nGPU = 27 GPUs", "8.64 × 1019 FLOP", "2.749 × 1014 FLOP",
                          "8.248 × 1014 FLOP", "(49, −20, 127, −111)",
                          "(44, −31, 127, −128)", "z = −9", "Mtrain = 1290 GB = 1.29 TB",
                          "kN = 0.3053", "xfp = 3.1415927", "xfp = 3.140625"]),
    ("gpu_memory", ["Mstates = 208 GB", "Nd = 5 GPUs", "Nd = 3 GPUs",
                    "MKV = 26.84 GB = 25 GiB", "u = 37.5 %"]),
])
def test_solution_pdfs_show_the_results(shipped, sheet, fragments):
    text = pdf_text(shipped / f"{sheet}.pdf")
    for fragment in fragments:
        assert fragment in text, fragment
    assert (shipped / f"{sheet}.tex").exists()


def test_solution_pdf_shows_steps_and_plots(shipped):
    text = pdf_text(shipped / "genai_week4.pdf")
    assert "Where to find." in text and "epochs" in text
    assert "Predicted loss of the model of E1 against training tokens" in text
    tex = (shipped / "genai_week4.tex").read_text()
    assert tex.count(r"\addplot") == 3
    assert r"\begin{semilogxaxis}" in tex
    lecture = (shipped / "lecture_examples.tex").read_text()
    assert "xbar stacked" in lecture and lecture.count(r"\addlegendentry") == 4


def test_cheatsheet_lists_every_formula(shipped):
    from derivations.library import FORMULAS

    text = pdf_text(shipped / "cheatsheet.pdf").replace(" ", "")
    for formula_id in FORMULAS:
        assert formula_id.replace("_", "") in text.replace("_", "") or formula_id in text


def test_cheatsheet_examples_are_computed(shipped):
    text = pdf_text(shipped / "cheatsheet.pdf")
    assert "C = 1.648 × 1024 FLOP" in text  # 6 * 67e9 * 4.1e12


def write_sheet(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


HOSTILE = r"""\input{/etc/passwd} \write18{touch MARKER} # % _ { } ^ ~ \$ & \\"""


def test_hostile_prose_renders_as_literal_text(tmp_path):
    marker = tmp_path / "pwned"
    prose = HOSTILE.replace("MARKER", str(marker))
    text = (GOLDEN / "small.toml").read_text()
    text = text.replace('title = "Golden sheet"', f"title = '''{prose}'''")
    text = text.replace('statement = "A 7B model trained on 140B tokens."',
                        f"statement = '''{prose}'''")
    sheet = write_sheet(tmp_path, "hostile", text)
    build([Target("hostile", tmp_path / "out", sheet=sheet)])
    shown = pdf_text(tmp_path / "out" / "hostile.pdf")
    assert r"\input{/etc/passwd}" in shown
    assert r"\write18{touch" in shown
    assert "# % _ { } ^ ~ $ &" in shown  # \$ is how prose writes a dollar sign
    assert "root:" not in shown
    assert not marker.exists()


def test_golden_tex(tmp_path):
    out = tmp_path / "out"
    build([Target("small", out, sheet=GOLDEN / "small.toml", tex_only=True)])
    produced = (out / "small.tex").read_text()
    golden = GOLDEN / "small.tex"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(produced)
    assert produced == golden.read_text(), "run with UPDATE_GOLDEN=1 after a deliberate change"


def test_rebuilds_are_byte_identical(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        build([Target("small", out, sheet=GOLDEN / "small.toml")])
    assert (first / "small.tex").read_bytes() == (second / "small.tex").read_bytes()
    assert (first / "small.pdf").read_bytes() == (second / "small.pdf").read_bytes()


def test_unchanged_inputs_are_not_rebuilt(tmp_path):
    sheet = write_sheet(tmp_path, "inc", (GOLDEN / "small.toml").read_text())
    out = tmp_path / "out"
    assert build([Target("inc", out, sheet=sheet)]) == {"inc": "built"}
    stamp = (out / "inc.pdf").stat().st_mtime_ns
    assert build([Target("inc", out, sheet=sheet)]) == {"inc": "up to date"}
    assert (out / "inc.pdf").stat().st_mtime_ns == stamp
    sheet.write_text(sheet.read_text().replace("N = 7e9", "N = 8e9"))
    assert build([Target("inc", out, sheet=sheet)]) == {"inc": "built"}
    assert "C = 6.72 × 1021 FLOP" in pdf_text(out / "inc.pdf")


@pytest.fixture
def templates(tmp_path) -> Path:
    """An instructor's folder holding only a copy of solution.tex.j2, which a test may
    break; every other template falls back to the shipped one."""
    folder = tmp_path / "templates"
    folder.mkdir()
    shutil.copy(shipped_templates() / "solution.tex.j2", folder)
    return folder


def built_once(tmp_path: Path, templates: Path | None = None) -> tuple[Path, bytes]:
    out = tmp_path / "out"
    build([Target("small", out, sheet=GOLDEN / "small.toml", templates=templates)], force=True)
    return out, (out / "small.pdf").read_bytes()


def break_line(template: Path, after: str, insert: str) -> int:
    lines = template.read_text().split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith(after)) + 1
    lines.insert(index, insert)
    template.write_text("\n".join(lines))
    return index + 1


def test_tex_error_names_template_line_and_keeps_previous_pdf(tmp_path, templates):
    out, before = built_once(tmp_path, templates)
    line = break_line(templates / "solution.tex.j2", r"\begin{document}", r"\undefinedmacro")
    with pytest.raises(BuildError) as info:
        build([Target("small", out, sheet=GOLDEN / "small.toml", templates=templates)])
    message = str(info.value)
    assert f"(template solution.tex.j2:{line})" in message
    assert "Undefined control sequence" in message and r"\undefinedmacro" in message
    assert (out / "small.pdf").read_bytes() == before
    assert (out / "small.log").exists()


def test_template_error_is_located_and_keeps_previous_pdf(tmp_path, templates):
    out, before = built_once(tmp_path, templates)
    line = break_line(templates / "solution.tex.j2", r"\begin{document}", r"\VAR{nonexistent}")
    with pytest.raises(BuildError) as info:
        build([Target("small", out, sheet=GOLDEN / "small.toml", templates=templates)])
    assert f"template error in solution.tex.j2:{line}" in str(info.value)
    assert "nonexistent" in str(info.value)
    assert (out / "small.pdf").read_bytes() == before


def test_cli_build_failure_exits_2_without_traceback(tmp_path, runner, templates):
    break_line(templates / "solution.tex.j2", r"\begin{document}", r"\BLOCK{if}")
    result = runner.invoke(main, ["build", str(GOLDEN / "small.toml"), "-o",
                                  str(tmp_path / "o"), "-q", "--templates", str(templates)])
    assert result.exit_code == 2
    assert "template error in solution.tex.j2" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "o" / "small.pdf").exists()


def test_cli_cheatsheet_one_topic(tmp_path, runner):
    out = tmp_path / "memory.pdf"
    result = runner.invoke(main, ["cheatsheet", "--topic", "memory", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = pdf_text(out)
    assert "Weight memory" in text and "Chinchilla loss" not in text


def test_template_origin_finds_markers_after_text():
    tex = "\\begin{document}\n%@tpl a.j2:4\nfirst; %@tpl a.j2:9\n\\bad\n"
    assert render.template_origin(tex, 4) == "a.j2:9"
    assert render.template_origin(tex, 2) == "a.j2:4"
    assert render.template_origin(tex, 1) is None


@pytest.mark.parametrize("body", [
    r"See section~\ref{s}. \section{Here}\label{s} Text.",
    r"\begin{longtable}{ll} a & b \\ \end{longtable}",
])
def test_single_pass_falls_back_to_latexmk_when_tex_asks(tmp_path, body):
    from derivations.render.compile import compile_pdf

    tex = ("\\documentclass{article}\\usepackage{longtable}\\begin{document}" + body
           + "\\end{document}\n")
    compile_pdf(tex, tmp_path / "x.pdf", single_pass=True)
    text = pdf_text(tmp_path / "x.pdf")
    assert "??" not in text
    if "ref" in body:
        assert "See section 1" in text


def entries_split(pdf: Path, formulas: dict, sections: list[str]) -> list[str]:
    """Cheat-sheet entries not wholly in one column: a formula whose id and worked
    example (`… ⇒ result`) fall in different columns or pages, an example line that
    ends in `⇒`, and section headings with nothing under them in their column."""
    from tests.conftest import pdf_lines

    lines = pdf_lines(pdf)
    # columns start where the formula ids do (each id begins its column's text)
    starts = sorted({round(line.left) for line in lines if line.text in formulas})

    def column(line) -> tuple[int, int]:
        return line.page, max(i for i, at in enumerate(starts) if at <= line.left + 1)

    lines.sort(key=lambda line: (*column(line), line.top, line.left))
    found = []
    for index, line in enumerate(lines):
        if line.text in formulas:
            after = [other for other in lines[index + 1:] if "⇒" in other.text
                     or other.text in formulas]
            if not after or "⇒" not in after[0].text \
                    or column(after[0]) != column(line):
                found.append(f"{line.text}: example not in its column")
        if line.text.rstrip().endswith("⇒"):
            found.append(f"line ends in ⇒: {line.text}")
        if line.text in sections:
            below = lines[index + 1] if index + 1 < len(lines) else None
            if below is None or column(below) != column(line):
                found.append(f"heading {line.text!r} alone at the foot of a column")
    return found


def test_no_cheat_sheet_entry_or_heading_is_split_across_columns(shipped):
    """Before each entry was one box: five headings or ids stranded at a column's foot
    and examples ending in `⇒`, their result in the next column."""
    from derivations.library import FORMULAS, TOPICS

    assert entries_split(shipped / "cheatsheet.pdf", FORMULAS, list(TOPICS.values())) == []


def test_the_split_check_sees_an_entry_across_two_columns(tmp_path):
    """The check on a sheet typeset without the boxes: it must find something."""
    from derivations.library import FORMULAS, TOPICS

    templates = tmp_path / "templates"
    templates.mkdir()
    source = (shipped_templates() / "cheatsheet.tex.j2").read_text()
    (templates / "cheatsheet.tex.j2").write_text(
        source.replace(r"\noindent\begin{minipage}{\linewidth}\raggedright", "")
              .replace(r"\end{minipage}\par\medskip", r"\par\medskip"))
    status = build([Target("cheatsheet", tmp_path / "out", templates=templates)])
    assert set(status.values()) == {"built"}
    assert entries_split(tmp_path / "out" / "cheatsheet.pdf", FORMULAS, list(TOPICS.values()))
