"""The PDFs of a pool, from real TeX, read back with pdftotext."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from derivations.cli import main
from tests.conftest import pdf_text
from tests.variants.sheets import small

pytestmark = pytest.mark.tex


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from click.testing import CliRunner

    root = tmp_path_factory.mktemp("pool")
    sheet = root / "sheet.toml"
    sheet.write_text(small({"pool = 5": "pool = 3"}), encoding="utf-8")
    runs = []
    for name in ("a", "b"):
        result = CliRunner().invoke(main, ["variants", str(sheet), "-o", str(root / name), "-q"])
        assert result.exit_code == 0, result.output
        runs.append(root / name)
    return runs


def test_files_per_variant_and_byte_identical_runs(built):
    first, second = built
    names = sorted(p.name for p in first.iterdir() if p.suffix in (".pdf", ".json"))
    expected = ["sheet-key.pdf", "sheet-variants-questions.pdf", "sheet-variants.pdf",
                "sheet.variants.json"]
    for vid in ("v00", "v01", "v02", "v03"):
        expected += [f"sheet-{vid}-questions.pdf", f"sheet-{vid}.pdf"]
    assert names == sorted(expected)
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_each_variant_pdf_shows_its_own_numbers(built):
    out = built[0]
    variants = json.loads((out / "sheet.variants.json").read_text())["variants"]
    for variant in variants:
        vid = variant["id"]
        solution = pdf_text(out / f"sheet-{vid}.pdf")
        questions = pdf_text(out / f"sheet-{vid}-questions.pdf")
        compute = variant["answers"]["P.C"]["display"].replace("10^", "10")
        assert f"Variant {vid}" in solution and f"Variant {vid}" in questions
        assert compute in solution and compute not in questions
        n = variant["givens"]["N"]  # "4e9" is shown as 4 × 10^9 parameters in the statement
        shown_n = f"{n.split('e')[0]} × 10{n.split('e')[1]} parameters"
        assert f"A model of {shown_n}" in questions and f"A model of {shown_n}" in solution
        others = [v["id"] for v in variants if v["id"] != vid]
        assert not any(f"Variant {o}" in solution for o in others)


def raw_text(path) -> str:
    """pdftotext in reading order (a table row stays one line)."""
    done = subprocess.run(["pdftotext", "-raw", str(path), "-"], check=True,
                          capture_output=True, text=True)
    return done.stdout


def test_answer_key_lists_every_variant(built):
    out = built[0]
    text = " ".join(raw_text(out / "sheet-key.pdf").split())
    assert "salt test-salt" in text
    tables = text.split("the sheet as written.", 1)[1]  # after the line that explains the key
    rows = re.findall(r"\b(v\d\d) (.*?)(?= v\d\d | Variant |$)", tables)
    for variant in json.loads((out / "sheet.variants.json").read_text())["variants"]:
        mine = [row for vid, row in rows if vid == variant["id"]]
        assert len(mine) == 2, mine  # a row of givens and a row of answers
        givens, answers = mine
        assert variant["givens"]["b_w"] + ":" in givens  # fp16: 2 B/parameter
        compute = variant["answers"]["P.C"]["display"].split(" × ")[0]
        assert answers.split()[0] == compute


def test_a_failing_template_leaves_no_pdf_behind(runner, tmp_path):
    sheet = tmp_path / "sheet.toml"
    sheet.write_text(small({"pool = 5": "pool = 2"}))
    templates = tmp_path / "tpl"
    templates.mkdir()
    (templates / "variants.tex.j2").write_text("\\documentclass{article}\\begin{document}"
                                               "\\undefinedmacro\\end{document}\n")
    result = runner.invoke(main, ["variants", str(sheet), "-o", str(tmp_path / "out"),
                                  "--templates", str(templates)])
    assert result.exit_code == 2, result.output
    assert "TeX failed" in result.stderr
    assert not list((tmp_path / "out").glob("*.pdf"))
    assert not list((tmp_path / "out").glob("*.json"))
