"""Shared fixtures: the shipped sheets, solved once per test session."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from derivations.sheet.spec import load_sheet
from derivations.solver import engine

ROOT = Path(__file__).resolve().parent.parent
PROBLEMS = ROOT / "problems"

#: A one-problem sheet, P.C = 6 N D = 6 × 7e9 × 1.4e11 = 5.88e21 FLOP; tests append
#: their own asks and plots.
COMPUTE_SHEET = """title = "compute"
[given]
N = 7e9
D = 1.4e11
[[problems]]
id = "P"
[[problems.asks]]
id = "C"
formula = "training_compute"
unit = "FLOP"
"""


def pdf_text(path: Path) -> str:
    """The text of a PDF as pdftotext reads it, white space folded."""
    result = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                            capture_output=True, text=True)
    return " ".join(result.stdout.split())


def load(name: str):
    path = PROBLEMS / f"{name}.toml"
    return load_sheet(path.read_text(encoding="utf-8"), str(path), name)


@pytest.fixture(scope="session")
def solved():
    """Solutions of every shipped sheet, by sheet name."""
    return {name: engine.solution_of(load(name))
            for name in ("genai_week4", "dlp_week4", "lecture_examples", "gpu_memory")}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def sheet_file(tmp_path: Path):
    """Write a sheet text to a temporary file and return its path."""
    def write(text: str, name: str = "sheet.toml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path
    return write
