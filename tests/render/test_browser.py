"""The HTML pages in a real browser: Debian's Chromium, driven by playwright.

Everything is asserted from the rendered page (boxes, computed text), not from the
markup. Screenshots at phone and laptop width are saved under build/screenshots/ to be
looked at. Chromium comes from scripts/install-chromium.sh (`make test` runs it);
playwright's own browser download is not used (it needs the internet).
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from derivations.cli import main
from tests.conftest import PROBLEMS, ROOT, SHIPPED, written_for_students
from tests.render.pages import leaked, solved_json, squash

pytestmark = pytest.mark.browser
SHEETS = SHIPPED
WIDTHS = (390, 1280)
SHOTS = ROOT / "build" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Chromium as the machine's tests run it: headless, no sandbox (CI runs as root), and no
# background connections (there is no network to make them to).
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pages")
    result = CliRunner().invoke(main, ["build", "--format", "html", "-o", str(out), "-q",
                                       *[str(PROBLEMS / f"{n}.toml") for n in SHEETS]])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["cheatsheet", "-o", str(out / "cheatsheet.html")])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def open_page(browser, path: Path, width: int):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(path.as_uri())
    page.evaluate("document.fonts.ready")
    return page


@pytest.fixture(scope="module", name="solved_json")
def solved_json_fixture():
    return solved_json(SHEETS)


def overflow(page, width: int) -> list[str]:
    """What makes the page wider than the screen: the page's own scroll width, and any
    element sticking out on the right, except inside a box that scrolls by itself."""
    wide = page.evaluate("document.documentElement.scrollWidth")
    sticking_out = page.evaluate("""(width) => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > width + 0.5)
        .filter(e => !e.closest('.eq, .table-wrap'))
        .map(e => e.tagName + ' ' + (e.textContent || '').slice(0, 40))""", width)
    return ([f"page is {wide} px wide"] if wide > width else []) + sticking_out


# Leaves that a box cuts in two: at its start, the ones across its right edge; scrolled
# to its end, the ones across its left edge (a whole hidden leaf is fine: the box scrolls
# to it). A cut leaf misleads: `+ 1.69` read `+ 1.6` at the edge of a phone.
CLIPPED = """() => {
  const cut = [];
  const leaves = box => [...box.querySelectorAll('*')].filter(e => !e.children.length
      && e.getClientRects().length);
  for (const box of document.querySelectorAll('body *')) {
    if (box instanceof SVGElement || getComputedStyle(box).overflowX === 'visible') continue;
    if (box.scrollWidth <= box.clientWidth) continue;
    const r = box.getBoundingClientRect(), left = r.left + box.clientLeft;
    const right = left + box.clientWidth, saved = box.scrollLeft;
    box.scrollLeft = 0;
    for (const e of leaves(box)) { const q = e.getBoundingClientRect();
      if (q.left < right - 0.5 && q.right > right + 0.5) cut.push(e.textContent.slice(0, 30)); }
    box.scrollLeft = box.scrollWidth;
    for (const e of leaves(box)) { const q = e.getBoundingClientRect();
      if (q.left < left - 0.5 && q.right > left + 0.5) cut.push(e.textContent.slice(0, 30)); }
    box.scrollLeft = saved;
  }
  for (const svg of document.querySelectorAll('svg')) {  // an SVG clips at its viewport
    if (!svg.getClientRects().length) continue;
    const s = svg.getBoundingClientRect();
    for (const t of svg.querySelectorAll('text')) { const q = t.getBoundingClientRect();
      if (q.left < s.left - 0.5 || q.right > s.right + 0.5) cut.push(t.textContent.slice(0, 30)); }
  }
  return cut;
}"""
# The smallest plot text as drawn, in CSS px (font size times the SVG's scale).
PLOT_TEXT = """() => Math.min(Infinity, ...[...document.querySelectorAll('svg text, svg tspan')]
    .filter(e => e.getClientRects().length).map(e => { const m = e.getScreenCTM();
      return Math.hypot(m.a, m.b) * parseFloat(getComputedStyle(e).fontSize); }))"""
PAGES = [f"{s}{q}" for s in SHEETS for q in ("", "-questions")] + ["cheatsheet"]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_nothing_is_cut_at_the_edge_of_a_scroll_box_and_plot_text_is_readable(
        browser, pages, name, width):
    page = open_page(browser, pages / f"{name}.html", width)
    try:
        assert page.evaluate(CLIPPED) == []
        assert page.evaluate(PLOT_TEXT) >= 10
    finally:
        page.close()


def test_the_clipping_check_sees_a_cut_equation_and_a_cut_plot_title(browser, pages):
    page = open_page(browser, pages / "genai_week4.html", 390)
    try:
        assert page.evaluate(CLIPPED) == []
        page.evaluate("""() => { const row = document.querySelector('.eq math');
            row.innerHTML += '<mtext>' + 'wide '.repeat(30) + '</mtext>'; }""")
        assert page.evaluate(CLIPPED) == ["wide " * 6]
        page.evaluate("""() => { const svg = document.querySelector('.plot-narrow svg');
            svg.innerHTML += '<text x="10" y="20">' + 'a title too long '.repeat(4)
            + '</text>'; }""")
        assert len(page.evaluate(CLIPPED)) == 2
        page.evaluate("() => document.querySelector('.plot-narrow svg').style.width = '200px'")
        assert page.evaluate(PLOT_TEXT) < 10
    finally:
        page.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_page_fits_the_screen_and_is_saved(browser, pages, name, width):
    page = open_page(browser, pages / f"{name}.html", width)
    try:
        problems = overflow(page, width)
        assert not problems, problems[:5]
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    finally:
        page.close()


def test_the_overflow_check_sees_a_wide_element_and_a_wide_equation(browser, pages):
    page = open_page(browser, pages / "genai_week4.html", 390)
    try:
        assert not overflow(page, 390)
        page.add_style_tag(content=".eq { overflow: visible; }")
        page.evaluate("""() => { const row = document.querySelector('.eq math');
            row.innerHTML += '<mtext>' + 'x'.repeat(200) + '</mtext>'; }""")
        assert overflow(page, 390)
        page.add_style_tag(content=".eq { overflow-x: auto; }")
        assert not overflow(page, 390)  # a long equation scrolls in its own box
        page.evaluate("""() => { const p = document.createElement('p');
            p.style.width = '900px'; p.textContent = 'wide'; document.body.append(p); }""")
        assert "P wide" in overflow(page, 390)
    finally:
        page.close()


@pytest.mark.parametrize("name", SHEETS)
def test_math_is_rendered_natively_with_fractions_upright(browser, pages, name):
    page = open_page(browser, pages / f"{name}.html", 1280)
    try:
        # at laptop width, every formula but the phone's broken lines is drawn
        counts = page.evaluate("""() => ({
            math: document.querySelectorAll('math:not(.eq-lines math)').length,
            sized: [...document.querySelectorAll('math:not(.eq-lines math)')].filter(m => {
                const r = m.getBoundingClientRect(); return r.width > 0 && r.height > 0;
            }).length,
            font: document.fonts.check('16px "Latin Modern Math"'),
            family: getComputedStyle(document.querySelector('math')).fontFamily})""")
        assert counts["math"] > 10 and counts["sized"] == counts["math"]
        assert counts["font"] and "Latin Modern Math" in counts["family"]
        fractions = page.evaluate("""() => [...document.querySelectorAll('mfrac')]
        .filter(f => f.getClientRects().length).map(f => {
            const [top, bottom] = [...f.children].map(c => c.getBoundingClientRect());
            return {gap: bottom.top - top.bottom, overlap: Math.min(top.right, bottom.right)
                    - Math.max(top.left, bottom.left), text: f.textContent};
        })""")
        for fraction in fractions:  # numerator above denominator, stacked over each other
            assert fraction["gap"] >= -0.5 and fraction["overlap"] > 0, fraction
    finally:
        page.close()


def test_genai_has_fractions_to_check(browser, pages):
    page = open_page(browser, pages / "genai_week4.html", 390)
    try:
        assert page.evaluate("document.querySelectorAll('mfrac').length") > 10
    finally:
        page.close()


@pytest.mark.parametrize("name", SHEETS)
def test_displayed_values_match_derive_solve(browser, pages, solved_json, name):
    page = open_page(browser, pages / f"{name}.html", 1280)
    try:
        shown = page.evaluate("""() => [...document.querySelectorAll('section')].map(s => ({
            id: s.id, value: JSON.parse(s.dataset.value), unit: s.dataset.unit,
            result: (s.querySelector('.result .boxed') || {}).textContent || null,
            verdict: (s.querySelector('.verdict') || {}).innerText || null}))""")
    finally:
        page.close()
    answers = solved_json[name]["answers"]
    assert [s["id"] for s in shown] == list(answers)
    for item in shown:
        answer = answers[item["id"]]
        assert item["unit"] == answer["unit"]
        if isinstance(answer["value"], bool):
            assert item["verdict"] == ("True" if answer["value"] else "False")
            continue
        if isinstance(answer["value"], list):
            assert item["value"] == pytest.approx(answer["value"], rel=1e-12)
        else:
            assert math.isclose(item["value"], answer["value"], rel_tol=1e-12)
        expected = answer["display"]
        if expected.startswith("["):  # a vector: (a, b, c) unit in the page
            expected = "(" + expected[1:].replace("]", ")", 1)
        assert squash(item["result"]) == squash(expected), item["id"]


@pytest.mark.parametrize("name", SHEETS)
def test_question_page_as_read_shows_no_answer(browser, pages, solved_json, name):
    page = open_page(browser, pages / f"{name}-questions.html", 390)
    try:
        text = page.evaluate("document.body.innerText")
    finally:
        page.close()
    found, checked = leaked(solved_json[name], text, written_for_students(name))
    assert not found and checked > 5
