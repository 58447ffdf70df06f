"""HTML pages: `derive build --format html`, read back as markup (the browser tests in
test_browser.py look at the rendered pages)."""

from __future__ import annotations

import json
import math

import pytest

from derivations import numbers
from derivations.cli import main
from derivations.render import svg
from tests.conftest import PROBLEMS, SHIPPED, written_for_students
from tests.render.pages import Page, leaked, solved_json

SHEETS = SHIPPED
ALLOWED_TAGS = {
    # page
    "html", "head", "meta", "title", "style", "body", "main", "header", "nav", "article",
    "section", "h1", "h2", "h3", "p", "strong", "em", "span", "div", "a", "table", "thead",
    "tbody", "tr", "th", "td", "ol", "li", "figure", "figcaption", "code",
    # MathML Core
    "math", "mrow", "mi", "mn", "mo", "mtext", "mfrac", "msup", "msub", "msubsup", "mover",
    "msqrt", "mroot", "mspace", "mtable", "mtr", "mtd",
    # SVG
    "svg", "line", "text", "tspan", "rect", "polyline", "circle",
}


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    out = tmp_path_factory.mktemp("html")
    from click.testing import CliRunner

    result = CliRunner().invoke(main, ["build", "--format", "html", "-o", str(out), "-q",
                                       *[str(PROBLEMS / f"{n}.toml") for n in SHEETS]])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module", name="solved_json")
def solved_json_fixture():
    return solved_json(SHEETS)


@pytest.mark.parametrize("name", SHEETS)
def test_pages_are_well_formed_self_contained_and_script_free(pages, name):
    for suffix in ("", "-questions"):
        text = (pages / f"{name}{suffix}.html").read_text(encoding="utf-8")
        page = Page(text)
        assert not page.errors, page.errors[:3]
        assert page.tags() <= ALLOWED_TAGS, page.tags() - ALLOWED_TAGS
        for tag, attrs in page.elements:
            assert not any(k.startswith("on") for k in attrs), (tag, attrs)
            assert not attrs.get("href", "#").strip().lower().startswith(("javascript", "http"))
            assert "src" not in attrs
        assert "<mfenced" not in text and "@import" not in text and "url(" not in text
    assert not list(pages.glob(f"{name}*.pdf"))  # html only: no TeX ran


@pytest.mark.parametrize("name", SHEETS)
def test_every_answer_is_a_section_with_the_json_value(pages, solved_json, name):
    sections = Page((pages / f"{name}.html").read_text(encoding="utf-8")).sections()
    answers = solved_json[name]["answers"]
    assert list(sections) == list(answers)
    for aid, answer in answers.items():
        value = json.loads(sections[aid]["data-value"])
        assert sections[aid]["data-unit"] == answer["unit"]
        if isinstance(answer["value"], list):
            assert value == pytest.approx(answer["value"], rel=1e-12)
        else:
            assert value == answer["value"] or math.isclose(value, answer["value"],
                                                              rel_tol=1e-12)


def test_steps_and_numbers_are_the_pdf_ones(pages):
    text = (pages / "genai_week4.html").read_text(encoding="utf-8")
    page = Page(text)
    # the same labelled steps as the terminal, the digits of the shared printer
    for label in ("formula", "rearranged", "substituted", "answer"):
        assert f'<span class="step-kind">{label}</span>' in text
    assert "<mn>7.544</mn><mo>×</mo><msup><mn>10</mn><mn>12</mn></msup>" in text
    assert "<mo>\u2212</mo>" in text and "<mo>-</mo>" not in text
    assert "17/50" not in page.text and "·10" not in page.text
    assert 'class="boxed"' in text and "Sensitive: dln" in page.text  # MathML: d ln D_new/d ln L
    assert text.count("<svg") == 2 and "<polyline" in text  # the full and the phone layout


@pytest.mark.parametrize("name", SHEETS)
def test_question_pages_show_no_derived_value(pages, solved_json, name):
    page = Page((pages / f"{name}-questions.html").read_text(encoding="utf-8"))
    found, checked = leaked(solved_json[name], page.text,
                            written_for_students(name))
    assert not found
    assert checked > 5
    assert "rearranged" not in page.text and "substituted" not in page.text
    assert not page.sections()
    assert "answer-box" in str(page.elements)


HOSTILE = "<script>alert(1)</script></section><b onmouseover=x>&amp; \"q\" 'a' javascript:alert(2)"


def hostile_sheet() -> str:
    h = json.dumps(HOSTILE)
    return f"""title = {h}
course = {h}
[given]
N = {{ value = 7e9, label = {h} }}
D = 1.4e11
[[problems]]
id = "P"
title = {h}
statement = {h}
[[problems.asks]]
id = "C"
text = {h}
formula = "training_compute"
[[problems.asks]]
id = "k"
kind = "truefalse"
claim = {h}
answer = true
justification = {h}
[[plots]]
id = "p"
after = "P"
kind = "sweep"
show = "question"
title = {h}
x = "D"
y = "P.C"
from = 1e11
to = 2e11
x_label = {h}
y_label = {h}
marks = [{{ x = "D", y = "P.C", label = {h} }}]
[[plots]]
id = "b"
kind = "bars"
title = {h}
x_label = {h}
bars = [{{ label = {h}, value = "P.C" }}]
"""


def test_no_text_field_can_make_markup(tmp_path, runner):
    sheet = tmp_path / "hostile.toml"
    sheet.write_text(hostile_sheet(), encoding="utf-8")
    result = runner.invoke(main, ["build", str(sheet), "--format", "html", "-o",
                                  str(tmp_path / "out"), "-q"])
    assert result.exit_code == 0, result.output
    for suffix in ("", "-questions"):
        text = (tmp_path / "out" / f"hostile{suffix}.html").read_text(encoding="utf-8")
        page = Page(text)
        assert not page.errors, page.errors[:3]
        assert page.tags() <= ALLOWED_TAGS
        assert "script" not in page.tags() and "b" not in page.tags()
        assert all(not k.startswith("on") for _, attrs in page.elements for k in attrs)
        assert not any(a.get("href", "").startswith("javascript") for _, a in page.elements)
        assert "<script>" not in text and "</section><b" not in text
        # the text arrives literally, as written
        assert page.text.count("<script>alert(1)</script>") >= 4
        assert "&amp; \"q\" 'a' javascript:alert(2)" in page.text
    sections = Page((tmp_path / "out" / "hostile.html").read_text()).sections()
    assert list(sections) == ["P.C", "P.k"]


def test_a_sheet_that_fails_to_solve_writes_no_page(tmp_path, runner):
    sheet = tmp_path / "broken.toml"
    sheet.write_text('title = "t"\n[given]\nN = 7e9\n[[problems]]\nid = "P"\n'
                     '[[problems.asks]]\nid = "C"\nformula = "training_compute"\n')
    result = runner.invoke(main, ["build", str(sheet), "--format", "html", "-o",
                                  str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "broken.toml" in result.stderr
    assert not list((tmp_path / "out").glob("*.html"))


def test_format_all_writes_pages_beside_pdfs_and_rebuilds_only_changes(tmp_path, runner):
    sheet = PROBLEMS / "dlp_week4.toml"
    args = ["build", str(sheet), "--format", "all", "--tex-only", "-o", str(tmp_path)]
    first = runner.invoke(main, args)
    assert first.exit_code == 0, first.output
    names = {p.name for p in tmp_path.iterdir() if not p.name.startswith(".")}
    assert names == {"dlp_week4.tex", "dlp_week4-questions.tex", "dlp_week4.html",
                     "dlp_week4-questions.html"}
    second = runner.invoke(main, args)
    assert second.stderr.count("up to date") == 4
    (tmp_path / "dlp_week4.html").write_text("<html>cut")  # a truncated page is rebuilt
    third = runner.invoke(main, args)
    assert "dlp_week4.html: built" in third.stderr


def test_cheat_sheet_page_has_every_formula(tmp_path, runner):
    from derivations.library import FORMULAS

    result = runner.invoke(main, ["cheatsheet", "-o", str(tmp_path / "c.html")])
    assert result.exit_code == 0, result.output
    page = Page((tmp_path / "c.html").read_text(encoding="utf-8"))
    assert not page.errors and page.tags() <= ALLOWED_TAGS
    ids = {a["id"] for tag, a in page.elements if tag == "section"}
    assert ids == set(FORMULAS)
    assert "⇒" in page.text and not list(tmp_path.glob("*.pdf"))


def test_nice_ticks_are_round_and_cover_the_range():
    assert svg.nice_ticks(0.0, 1290.0) == [0, 500, 1000, 1500]
    # (1.96 - 1.84) / 5 = 0.024: the next step of 1, 2 or 5 x 10^k is 0.05
    assert svg.nice_ticks(1.84, 1.96) == pytest.approx([1.8, 1.85, 1.9, 1.95, 2.0])
    assert svg.log_ticks(1e12, 2.5e13) == [1e12, 2e12, 5e12, 1e13, 2e13]
    assert svg.log_ticks(1e9, 1e14) == [1e9, 1e10, 1e11, 1e12, 1e13, 1e14]
    assert numbers.text(svg.label(2e12)) == "2 × 10^12"


def test_the_phone_layout_of_a_bar_plot_stacks_its_legend_and_fits_its_label():
    """At 400 units one legend entry per line (three at 640), and the x label placed
    and sized so that its estimated width stays inside the plot."""
    from derivations.present.view import PlotView
    from derivations.render.svg import FONT_SIZE, layout

    bars = [{"label": name, "value": value} for name, value in
            (("weights", 260.0), ("gradients", 260.0), ("AdamW states", 520.0),
             ("activations", 250.0))]
    plot = PlotView(kind="bars", title="t", x_label="model size relative to the "
                    "compute-optimal model", y_label="", bars=bars)
    wide, narrow = layout(plot), layout(plot, narrow=True)
    assert {b.legend_y for b in wide.bars[:3]} == {wide.bars[0].legend_y}
    assert len({b.legend_y for b in narrow.bars}) == 4 and {b.legend_x for b in narrow.bars} \
        == {narrow.left}
    estimated = 0.55 * narrow.x_label_size * len(plot.x_label)
    assert narrow.x_label_at - estimated / 2 >= 0 and narrow.x_label_at + estimated / 2 <= 400
    assert wide.x_label_size == FONT_SIZE
