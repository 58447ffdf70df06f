"""`derive analyse` from the command line: outputs, errors, and the report in a browser."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from derivations.analyse.simulate import Plan
from derivations.cli.main import main
from tests.analyse.classes import Pool
from tests.conftest import PROBLEMS
from tests.render.test_browser import ARGS, CHROMIUM, SHOTS, overflow


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    pool = Pool(tmp_path_factory.mktemp("cli"))
    return pool, pool.graded(Plan(students=120, copiers={7: "v02"}, seed=4), "class")


def _run(*args):
    return CliRunner().invoke(main, ["analyse", *map(str, args)])


def test_text_json_and_report(graded, tmp_path):
    pool, results = graded
    report = tmp_path / "analysis.html"
    text = _run(pool.sheet, results, "--variants", pool.file, "--report", report, "-q",
                "--permutations", "199")
    assert text.exit_code == 0, text.output
    for heading in ("Item analysis", "Variants", "Copied answers", "Recurring wrong values"):
        assert heading in text.output
    assert "s007 (v07): " in text.output and "v02's values" in text.output
    page = report.read_text()
    assert "<script" not in page and "<svg" in page and "s007" in page
    data = json.loads(_run(pool.sheet, results, "--variants", pool.file, "--format", "json",
                           "-q", "--permutations", "199").output)
    assert {f["student"] for f in data["copying"]["flags"]} == {"s007"}
    assert len(data["items"]) == 16 and data["students"] == 120


def test_the_pool_alone_gives_the_predicted_difficulty(graded):
    pool, _ = graded
    result = _run(pool.sheet, "--variants", pool.file, "-q")
    assert result.exit_code == 0, result.output
    assert "before any results" in result.output and "v40" in result.output
    assert "Copied answers" not in result.output


@pytest.mark.parametrize("case", ["nothing", "wrong_sheet", "not_json", "report_pdf"])
def test_bad_input_is_exit_2_with_a_message(graded, tmp_path, case):
    pool, results = graded
    other = tmp_path / "gpu_memory.toml"
    other.write_text((PROBLEMS / "gpu_memory.toml").read_text())
    junk = tmp_path / "junk.json"
    junk.write_text("[1, 2")
    args = {"nothing": [pool.sheet],
            "wrong_sheet": [other, results],
            "not_json": [pool.sheet, junk],
            "report_pdf": [pool.sheet, results, "--report", tmp_path / "r.pdf"]}[case]
    result = _run(*args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "r.pdf").exists()


@pytest.mark.browser
def test_the_report_in_a_browser(graded, tmp_path):
    from playwright.sync_api import sync_playwright

    pool, results = graded
    report = tmp_path / "analysis.html"
    assert _run(pool.sheet, results, "--variants", pool.file, "--report", report, "-q",
                "--permutations", "199").exit_code == 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for width in (390, 1280):
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(report.as_uri())
            assert overflow(page, width) == []
            bars = page.evaluate("[...document.querySelectorAll('svg rect.bar')]"
                                 ".map(r => r.getBoundingClientRect().width)")
            assert len(bars) == 16 and all(w > 0 for w in bars)
            dots = page.evaluate("document.querySelectorAll('svg circle.dot').length")
            assert dots == 41
            page.screenshot(path=str(SHOTS / f"analysis-{width}.png"), full_page=True)
            page.close()
        browser.close()
