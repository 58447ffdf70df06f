"""One sheet with the things that were spelled wrong, rendered into every format and
read back: a given written in GB, a placeholder that prints its unit, a true/false
comparison of GB values, a long meaning in the givens table and a rearranged sum.

Expected spellings are written here from the sheet (13e9 parameters x 16 B = 208 GB;
the GPU holds 80 GB), never taken from the code under test."""

from __future__ import annotations

import json
import re

import pytest

from derivations.cli import main
from tests.conftest import pdf_text

pytestmark = pytest.mark.tex

SHEET = """title = "Spelling: a 13B model on 80 GB GPUs"
[given]
N = 13e9
b_w = { dtype = "bf16" }
b_g = { dtype = "bf16" }
k_os = { optimizer = "adamw", mixed_precision = true }
M_gpu = { value = 80, unit = "GB" }
M_a = { value = 28.5, unit = "GB" }

[[problems]]
id = "S1"
title = "States against one GPU"
statement = "Model states of {{N}} on one {{M_gpu}} GPU, next to {{M_a}} of activations."

[[problems.asks]]
id = "states"
text = "Model states per GPU"
formula = "zero0_memory"
unit = "GB"

[[problems.asks]]
id = "fits"
text = "Do they fit?"
kind = "truefalse"
claim = "The model states fit in one GPU's memory."
holds = "states <= M_gpu"

[[problems.asks]]
id = "gpus"
text = "GPUs for the states next to the activations"
formula = "zero3_gpus"
"""

STATES_GB = 13e9 * (2 + 2 + 12) / 1e9  # 208


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    from click.testing import CliRunner

    root = tmp_path_factory.mktemp("spelling")
    sheet = root / "spelling.toml"
    sheet.write_text(SHEET, encoding="utf-8")
    runner = CliRunner()
    for args in (["build", str(sheet), "--format", "all", "-o", str(root), "-q"],
                 ["export", "moodle", str(sheet), "-o", str(root / "quiz.xml"), "-q"]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
    texts = {"text": runner.invoke(main, ["solve", str(sheet)]).output,
             "json": runner.invoke(main, ["solve", str(sheet), "--format", "json"]).output,
             "latex": runner.invoke(main, ["solve", str(sheet), "--format", "latex"]).output}
    return root, texts


def test_the_expected_values_are_what_the_test_says():
    import math

    assert STATES_GB == 208
    assert math.ceil(208 / (80 - 28.5)) == 5  # ZeRO-3 GPUs for the states and activations


def test_a_gb_given_reads_in_gb_in_tables_and_statements(outputs):
    """Substituted steps stay in base units (bytes), where the arithmetic needs no
    conversion; what a reader is told (statement, givens table) is in GB."""
    root, texts = outputs
    givens_row = re.compile(r"MGPU 80 GB\b")
    for shown in (pdf_text(root / "spelling.pdf"), pdf_text(root / "spelling-questions.pdf")):
        assert "one 80 GB GPU, next to 28.5 GB of activations" in shown
        assert givens_row.search(shown), shown[:400]
    html = (root / "spelling.html").read_text()
    assert re.search(r"<mn>80</mn><mspace[^>]*/><mtext>GB</mtext>", html)


def test_a_claim_compares_in_the_units_shown(outputs):
    root, texts = outputs
    assert f"{STATES_GB:.0f} GB <= 80 GB" in texts["text"]
    assert rf"\num{{{STATES_GB:.0f}}}~\text{{GB}} &\le \num{{80}}~\text{{GB}}" in texts["latex"]
    assert f"{STATES_GB:.0f} GB ≤ 80 GB" in pdf_text(root / "spelling.pdf")
    html = (root / "spelling.html").read_text()
    assert re.search(rf"<mn>{STATES_GB:.0f}</mn><mspace[^>]*/><mtext>GB</mtext></mrow>"
                     r"<mo>(≤|&#x2264;)</mo><mrow><mn>80</mn>", html)


def test_the_answer_line_repeats_the_derivations_symbol(outputs):
    root, texts = outputs
    assert "answer       M_ms = 208 GB" in texts["text"]  # M_ms, the formula's name
    assert "Mstates = 208 GB" in pdf_text(root / "spelling.pdf")
    solved = json.loads(texts["json"])
    assert solved["answers"]["S1.gpus"]["display"] == "5 GPUs"


def test_a_rearranged_sum_reads_as_a_textbook_writes_it(outputs):
    _, texts = outputs
    assert "M_gpu - M_a" in texts["text"] and "-M_a + M_gpu" not in texts["text"]


def test_the_quiz_quotes_the_given_as_written(outputs):
    root, _ = outputs
    import html

    quiz = html.unescape((root / "quiz.xml").read_text())
    assert re.search(r"one <math[^>]*><mrow><mrow><mn>80</mn><mspace[^>]*/><mtext>GB</mtext>",
                     quiz)


def test_no_placeholder_or_unit_is_doubled(outputs):
    root, texts = outputs
    for shown in (texts["text"], pdf_text(root / "spelling.pdf"),
                  pdf_text(root / "spelling-questions.pdf")):
        assert "{{" not in shown and "GB GB" not in shown and "GPUs GPUs" not in shown
