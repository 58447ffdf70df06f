"""The Python API: `from derivations import solve, load`, and notebook displays."""

from __future__ import annotations

import html
import json
import math
import subprocess
import sys
import xml.dom.minidom
from collections.abc import Mapping

import pytest
import sympy

from derivations import load, solve
from tests.conftest import PROBLEMS, ROOT

N, D, E, A, B, ALPHA, BETA = 67e9, 4.1e12, 1.69, 406.4, 410.7, 0.34, 0.28
D_NEW = (B / (0.99 * (E + A / N**ALPHA + B / D**BETA) - E - A / N**ALPHA)) ** (1 / BETA)


@pytest.fixture(scope="module")
def solved():
    return solve(PROBLEMS / "genai_week4.toml")


def test_solve_is_a_read_only_mapping_with_values_in_canonical_units(solved):
    assert isinstance(solved, Mapping)
    answer = solved["E2.D_new"]
    assert math.isclose(answer.value, D_NEW, rel_tol=1e-12)
    assert answer.unit == "token" and answer.display == "7.544 × 10^12 tokens"
    assert [s["kind"] for s in answer.steps][:2] == ["formula", "rearranged"]
    with pytest.raises(TypeError):
        solved["E2.D_new"] = answer  # type: ignore[index]


def test_solve_accepts_toml_text_and_one_problem():
    text = (PROBLEMS / "genai_week4.toml").read_text()
    only = solve(text, problem="E1")
    assert list(only) == ["E1.C", "E1.L"]
    assert math.isclose(only["E1.C"].value, 6 * N * D, rel_tol=1e-12)
    assert load(str(PROBLEMS / "dlp_week4.toml")).name == "dlp_week4"


def test_mimebundle_has_every_format(solved):
    bundle = solved["E2.D_new"]._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/latex", "text/html", "application/json"}
    assert bundle["text/plain"].startswith("E2.D_new")
    latex = bundle["text/latex"]
    assert latex.startswith("$$\\begin{aligned}") and latex.endswith("\\end{aligned}$$")
    assert "\\num" not in latex and "7.544 \\times 10^{12}" in latex
    assert bundle["application/json"]["display"] == "7.544 × 10^12 tokens"
    page = bundle["text/html"]
    xml.dom.minidom.parseString(page)  # well-formed
    assert '<section id="E2.D_new"' in page and "<math" in page and "<mfrac>" in page
    assert json.loads(page.split('data-value="')[1].split('"')[0]) == pytest.approx(D_NEW)


def test_whole_sheet_bundle(solved):
    bundle = solved._repr_mimebundle_()
    assert set(bundle["application/json"]["answers"]) == set(solved)
    assert bundle["text/html"].count("<section") == len(solved)


def test_numbers_in_mathml_use_our_digits_and_a_true_minus():
    from derivations.present.mathml import mathml
    from derivations.solver.solution import Literal

    shown = html.unescape(mathml(Literal("x", -sympy.Rational(75, 10**14))))
    assert "<mn>\u22127.5</mn>" in shown and "<mn>\u221213</mn>" in shown


def test_html_escapes_text(sheet_file):
    path = sheet_file('title = "t"\n[given]\nN = 7e9\nD = 1.4e11\n[[problems]]\nid = "P"\n'
                      '[[problems.asks]]\nid = "C"\nformula = "training_compute"\n'
                      '[[problems.asks]]\nid = "k"\nkind = "truefalse"\n'
                      'claim = "<script>alert(1)</script>"\nanswer = true\n'
                      'justification = "</section><b>x</b> & \\"q\\""\n')
    page = solve(path)._repr_mimebundle_()["text/html"]
    assert "<script>" not in page and "</section><b>" not in page
    assert "&lt;/section&gt;&lt;b&gt;" in page


def test_a_repr_never_raises(solved):
    answer = solved["E1.C"]
    answer._answer = None  # type: ignore[assignment]
    bundle = answer._repr_mimebundle_()
    assert set(bundle) == {"text/plain"} and "cannot be displayed" in bundle["text/plain"]


def test_importing_derivations_does_not_import_sympy():
    code = "import sys, derivations; print('sympy' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, check=True)
    assert result.stdout.strip() == "False"
