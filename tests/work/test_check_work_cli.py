"""`derive check-work` end to end: text and JSON, exit codes, PDF and HTML reports read
back (pdftotext; a real browser), and bad input (exit 2, located, nothing left behind)."""

from __future__ import annotations

import json
import shutil

import pytest

from derivations.cli import main
from tests.conftest import PROBLEMS, ROOT, pdf_text
from tests.work import writeups

SEED = ROOT / "tests" / "fixtures" / "writeups" / "genai_week4_seed.md"
GENAI = str(PROBLEMS / "genai_week4.toml")


def run(runner, *args):
    return runner.invoke(main, ["check-work", *map(str, args)])


def test_text_lists_lines_marks_reasons_and_answers(runner):
    result = run(runner, GENAI, SEED)
    assert result.exit_code == 1, result.output
    out = result.output
    assert "line 41" in out and "FALSE" in out and "follows from line 41" in out
    assert "unread" in out and "first error: line 41" in out
    assert "Answers:" in out and "E5.bytes" in out and "You counted one layer" in out


def test_json_contract(runner):
    result = run(runner, GENAI, SEED, "--format", "json")
    data = json.loads(result.output)
    assert set(data) >= {"sheet", "file", "relations", "answers", "first_error"}
    assert data["sheet"] == "genai_week4"
    relation = data["relations"][0]
    assert set(relation) >= {"line", "problem", "kind", "text", "holds", "written",
                             "evaluated", "reason", "follows_from"}
    kinds = {r["kind"] for r in data["relations"]}
    assert kinds == {"numeric", "symbolic", "unread"}
    assert data["first_error"]["line"] == 41 and data["first_error"]["holds"] is False
    assert data["answers"]["E1.C"]["verdict"] == "correct"
    assert set(data["answers"]["E1.C"]) >= {"verdict", "expected", "given", "points",
                                            "feedback", "diagnosis"}


def test_a_correct_writeup_exits_0(runner, tmp_path):
    path = tmp_path / "good.md"
    path.write_text(writeups.genai_markdown())
    result = run(runner, GENAI, path)
    assert result.exit_code == 0, result.output
    assert "first error: none" in result.output


def test_a_class_of_writeups_in_one_run(runner, tmp_path):
    paths = []
    for k in range(3):
        path = tmp_path / f"s{k}.md"
        path.write_text(writeups.genai_markdown() if k else SEED.read_text())
        paths.append(path)
    result = run(runner, GENAI, *paths, "--format", "json")
    data = json.loads(result.output)
    assert data["summary"]["writeups"] == 3 and len(data["writeups"]) == 3
    assert data["writeups"][0]["first_error"]["line"] == 41
    assert data["writeups"][1]["first_error"] is None
    assert result.exit_code == 1


def test_pdf_report_shows_marks_and_reasons(runner, tmp_path):
    pdf = tmp_path / "report.pdf"
    result = run(runner, GENAI, SEED, "--report", pdf)
    assert result.exit_code == 1, result.output
    text = pdf_text(pdf)
    assert "FALSE" in text and "holds" in text and "from 41" in text
    assert "without the factor × 96" in text
    assert "unrounded value of line 35" in text
    assert "E5.bytes" in text and "You counted one layer" in text
    shutil.copy(pdf, ROOT / "build" / "check-work-seed.pdf") if (ROOT / "build").is_dir() \
        else None


def test_html_report_escapes_the_writeup(runner, tmp_path):
    path = tmp_path / "evil.md"
    path.write_text("# E1\n<script>alert(1)</script> & \\end{document}\n"
                    "$$C = 6ND = 1 \\times 10^{24}$$ <img src=x onerror=alert(1)>\n")
    page = tmp_path / "r.html"
    result = run(runner, GENAI, path, "--report", page)
    assert result.exit_code == 1, result.output
    html = page.read_text()
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    pdf = tmp_path / "r.pdf"
    assert run(runner, GENAI, path, "--report", pdf).exit_code == 1
    assert "<script>alert(1)</script>" in pdf_text(pdf)


@pytest.mark.parametrize("name, content, message", [
    ("bin.md", b"\x00\x01\x02\x03", "binary file"),
    ("latin1.md", "# E1\nC = 2 \xe9\n".encode("latin-1"), "not UTF-8"),
    ("big.md", b"# E1\n" + b"C = 1 + 1 = 2\n" * 800_000, "larger than 2 MiB"),
])
def test_unreadable_files_exit_2_and_write_nothing(runner, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    out, pdf = tmp_path / "marks.json", tmp_path / "report.pdf"
    result = run(runner, GENAI, path, "-o", out, "--report", pdf)
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output
    assert not out.exists() and not pdf.exists()


@pytest.mark.parametrize("formula, reason", [
    ("\\input{/etc/passwd}", "\\input is refused"),
    ("$$C = \\def\\x{1} 2$$", "\\def is refused"),
    ("$$C = \\frac{1}{2 = 3$$", "expected"),
    ("$$C = " + "\\frac{1}{" * 60 + "2" + "}" * 60 + " = 1$$", "nested more than"),
])
def test_unread_lines_are_located(runner, tmp_path, formula, reason):
    path = tmp_path / "w.tex"
    path.write_text("\\section{E1}\n" + formula + "\n")
    result = run(runner, GENAI, path, "--format", "json")
    data = json.loads(result.output)
    unread = [r for r in data["relations"] if r["kind"] == "unread"]
    assert [r["line"] for r in unread] == [2]
    assert reason in unread[0]["reason"]


def test_huge_powers_are_not_computed(runner, tmp_path):
    path = tmp_path / "w.md"
    path.write_text("# E1\n$$C = 10^{10^{10}} = 3$$\n$$C = 2^{2^{2^{2^{2^{2}}}}}$$\n")
    result = run(runner, GENAI, path, "--format", "json")
    data = json.loads(result.output)
    assert [r["holds"] for r in data["relations"]] == [None]
    assert "10^1000" in data["relations"][0]["reason"]


def test_report_must_be_pdf_or_html(runner, tmp_path):
    result = run(runner, GENAI, SEED, "--report", tmp_path / "r.txt")
    assert result.exit_code == 2 and "--report must be" in result.output


def test_help_teaches(runner):
    result = runner.invoke(main, ["check-work", "--help"])
    assert result.exit_code == 0
    for words in ("holds", "follows from line N", "unread", "Exit code", "docs/check-work.md"):
        assert words in result.output


@pytest.mark.browser
def test_html_report_in_a_browser(runner, tmp_path):
    from playwright.sync_api import sync_playwright

    from tests.render.test_browser import ARGS, CHROMIUM, CLIPPED, SHOTS

    page_path = tmp_path / "seed.html"
    assert run(runner, GENAI, SEED, "--report", page_path).exit_code == 1
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for width in (390, 1280):
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(page_path.as_uri())
            wide = page.evaluate("document.documentElement.scrollWidth")
            assert wide <= width, f"page is {wide}px wide at {width}px"
            # nothing cut at the edge of a scroll box (the answers table was, 32 cells)
            assert page.evaluate(CLIPPED) == []
            row = page.locator("#line-41")
            assert "false" in row.inner_text()
            note = page.locator("#line-41 + tr").inner_text()
            assert "unrounded value of line 35" in note
            # the relation is typeset as read: a fraction, not `410.7/(...)` in a font of code
            if width == 1280:  # a phone shows the plain spelling, which wraps
                assert page.locator("#line-41 + tr .f-wide math mfrac").count() >= 1
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"check-work-seed-{width}.png"), full_page=True)
            page.close()
        browser.close()


def test_the_documented_json_keys_are_the_real_ones(runner):
    import re

    doc = (ROOT / "docs" / "check-work.md").read_text()
    block = doc.split("```json", 1)[1].split("```", 1)[0]
    documented = set(re.findall(r'"(\w+)":', block))
    data = json.loads(run(runner, GENAI, SEED, "--format", "json").output)
    real = set(data) | set(data["relations"][0]) | set(data["answers"]["E1.C"]) | \
        set(data["summary"])
    assert documented <= real, documented - real


def test_the_report_typesets_each_relation_as_read_and_keeps_the_reason_apart():
    """Before, a false line's note was `text: reason: ...` in the font of code."""
    from pathlib import Path

    from derivations.pipeline import solve_file
    from derivations.present.text import prose_text
    from derivations.sheet.mathtext import Math
    from derivations.work.checking import WorkChecker
    from derivations.work.output import view

    result = WorkChecker(solve_file(Path(GENAI))).check(Path(SEED))
    line = view(result)["lines"][40]  # line 41: `≈ 6.48 trillion tokens`, false
    assert line.mark == "false"
    (check,) = [c for c in line.checks if c.mark == "false"]
    assert isinstance(check.formula.parts[0], Math)
    assert "\\frac{410.7}" in check.formula.parts[0].source
    reason = prose_text(check.reason)
    assert reason.startswith("the left side is") and check.text not in reason
