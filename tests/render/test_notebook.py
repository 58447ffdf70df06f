"""docs/example.ipynb runs in a real Jupyter kernel, and its HTML export shows the steps."""

from __future__ import annotations

import math

import pytest

from tests.conftest import ROOT

NOTEBOOK = ROOT / "docs" / "example.ipynb"
# E = 1.69, A = 406.4, B = 410.7, alpha = 0.34, beta = 0.28, N = 1e9, L = 2.6: the tokens
# that reach L, from L = E + A/N^alpha + B/D^beta solved by hand.
D_INLINE = (410.7 / (2.6 - 1.69 - 406.4 / 1e9**0.34)) ** (1 / 0.28)


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """Run where a user would have copied it: outside the repository (it once read
    problems/genai_week4.toml relative to the repository and failed there)."""
    nbformat = pytest.importorskip("nbformat")
    from nbclient import NotebookClient

    notebook = nbformat.read(NOTEBOOK, as_version=4)
    elsewhere = tmp_path_factory.mktemp("notebook")
    NotebookClient(notebook, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(elsewhere)}}).execute()
    return notebook


def outputs(notebook, index: int) -> list[dict]:
    return notebook.cells[index].get("outputs", [])


def test_notebook_runs_and_shows_worked_steps(executed):
    errors = [o for c in executed.cells for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors, errors
    shown = outputs(executed, 1)[0]["data"]
    assert {"text/html", "text/latex", "text/plain", "application/json"} <= set(shown)
    assert '<section id="E2.D_new"' in shown["text/html"] and "<mfrac>" in shown["text/html"]
    assert "rearranged" in shown["text/plain"] and "7.544 × 10^12 tokens" in shown["text/plain"]
    inline = outputs(executed, 6)[0]["data"]["application/json"]
    assert math.isclose(inline["value"], D_INLINE, rel_tol=1e-9)


def test_html_export_shows_the_steps(executed):
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter().from_notebook_node(executed)
    for label in ("formula", "rearranged", "substituted", "answer"):
        assert f'<span class="step-kind">{label}</span>' in body
    assert "<math" in body and "<mn>7.544</mn>" in body
    assert "E2 needs 1.84 times the original training tokens" in body
