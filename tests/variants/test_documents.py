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


CONSTANT_ASK = """
[[problems.asks]]
id = "six"
text = "A constant"
expr = "6"
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from click.testing import CliRunner

    root = tmp_path_factory.mktemp("pool")
    sheet = root / "sheet.toml"
    # one ask that is the same in every variant: the key lists it once, above the table
    sheet.write_text(small({"pool = 5": "pool = 3"}) + CONSTANT_ASK, encoding="utf-8")
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


def test_answer_key_has_one_row_per_variant_and_the_constants_once(built):
    """Before: a table of givens, then tables of four answers each, every variant spread
    over them, and columns that never change repeated in every row."""
    out = built[0]
    text = " ".join(raw_text(out / "sheet-key.pdf").split())
    assert "salt test-salt" in text
    intro, table = text.split("the sheet as written.", 1)[1].split(" Variant ", 1)
    assert "The same in every variant. P.six = 6" in intro and "P.six" not in table
    header, _ = table.split(" v00 ", 1)
    assert header.split()[:5] == ["N", "D", "bw", "P.C", "P.bytes"]
    rows = re.findall(r"\b(v\d\d) (.*?)(?= v\d\d |$)", table)
    variants = json.loads((out / "sheet.variants.json").read_text())["variants"]
    assert [vid for vid, _ in rows] == [v["id"] for v in variants]
    for (_, row), variant in zip(rows, variants, strict=True):
        assert variant["givens"]["b_w"] + ":" in row  # fp16: 2 B/parameter
        mantissa = variant["answers"]["P.C"]["display"].split(" × ")[0]
        # the same digits, with any trailing zeros the column's figures add (3 as 3.00)
        assert re.search(rf"(^| ){re.escape(mantissa)}(\.0+|0*) ", row), (mantissa, row)


def test_a_key_column_shows_every_value_to_the_same_figures():
    """Trailing zeros are true digits of exact values, so a column keeps them."""
    import sympy as sp

    from derivations.numbers import column, text

    values = [sp.Rational(153, 100) * 10**24, sp.Rational(16482, 10000) * 10**24,
              sp.Integer(3 * 10**12), sp.Rational(34, 10) * 10**12]
    assert [text(d) for d in column(values[:2], 4)] == ["1.530 × 10^24", "1.648 × 10^24"]
    assert [text(d) for d in column(values[2:], 6)] == ["3.0 × 10^12", "3.4 × 10^12"]
    assert [text(d) for d in column([sp.Integer(8), sp.Integer(16)], 4)] == ["8", "16"]


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


def test_the_key_type_shrinks_as_columns_are_added():
    from derivations.variants.key import MAX_COLUMNS, size

    sizes = [size(n) for n in range(2, MAX_COLUMNS + 1)]
    order = ["small", "footnotesize", "scriptsize"]
    assert sizes[0] == "small" and sizes[-1] == "scriptsize"
    assert [order.index(s) for s in sizes] == sorted(order.index(s) for s in sizes)


def test_a_pool_larger_than_a_chunk_is_typeset_in_chunks_and_put_together(
        runner, tmp_path, monkeypatch):
    """A thousand variants in one document ran past TeX's time limit: chunks of
    `CHUNK` variants, typeset on two processes, cut per variant, and joined for print."""
    from derivations.variants import documents

    monkeypatch.setattr(documents, "CHUNK", 2)
    sheet = tmp_path / "sheet.toml"
    sheet.write_text(small({"pool = 5": "pool = 4"}), encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(main, ["variants", str(sheet), "-o", str(out), "-j", "2"])
    assert result.exit_code == 0, result.output
    assert "typesetting (key, solutions, questions): 7/7" in result.stderr  # key, 2 x 3
    variants = json.loads((out / "sheet.variants.json").read_text())["variants"]
    ids = [v["id"] for v in variants]
    assert ids == ["v00", "v01", "v02", "v03", "v04"]
    for variant in variants:
        solution = pdf_text(out / f"sheet-{variant['id']}.pdf")
        assert f"Variant {variant['id']}" in solution
        assert variant["answers"]["P.C"]["display"].replace("10^", "10") in solution
        assert not any(f"Variant {o}" in solution for o in ids if o != variant["id"])
    for combined in ("sheet-variants.pdf", "sheet-variants-questions.pdf"):
        text = pdf_text(out / combined)
        places = [text.index(f"Variant {vid}") for vid in ids]
        assert places == sorted(places), combined  # every variant, in order
    assert not list(out.glob("*-0000.pdf"))  # the chunks stay in the scratch folder
