"""Shared fixtures: the shipped sheets, solved once per test session."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from derivations.sheet.spec import load_sheet
from derivations.solver import engine

ROOT = Path(__file__).resolve().parent.parent
PROBLEMS = ROOT / "problems"
#: Every shipped sheet, so a new one is solved, built and looked at like the others.
SHIPPED = tuple(sorted(path.stem for path in PROBLEMS.glob("*.toml")))

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


def written_for_students(name: str) -> str:
    """A shipped sheet's text as far as students see it: without its question tests,
    whose answers are not a leak when a handout shows a number the sheet wrote."""
    return (PROBLEMS / f"{name}.toml").read_text().split("\n[[tests]]")[0]


def pdf_text(path: Path) -> str:
    """The text of a PDF as pdftotext reads it, white space folded."""
    result = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                            capture_output=True, text=True)
    return " ".join(result.stdout.split())


@dataclass(frozen=True)
class PdfLine:
    """One line of a PDF page as pdftotext lays it out (points, from the top left)."""

    page: int
    left: float
    top: float
    text: str
    page_width: float


def pdf_lines(path: Path) -> list[PdfLine]:
    """Every line of a PDF with its page and position (`pdftotext -bbox-layout`), in
    pdftotext's reading order (column by column)."""
    import xml.etree.ElementTree as ET

    result = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], check=True,
                            capture_output=True, text=True)
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    # a glyph without a Unicode mapping comes out as a control character, not XML
    markup = "".join(ch for ch in result.stdout if ch >= " " or ch in "\n\t")
    lines = []
    for number, page in enumerate(ET.fromstring(markup).iter(f"{{{ns['x']}}}page")):
        for line in page.iter(f"{{{ns['x']}}}line"):
            words = [w.text or "" for w in line.iter(f"{{{ns['x']}}}word")]
            lines.append(PdfLine(number + 1, float(line.get("xMin", 0)),
                                 float(line.get("yMin", 0)), " ".join(words),
                                 float(page.get("width", 0))))
    return lines


def load(name: str):
    path = PROBLEMS / f"{name}.toml"
    return load_sheet(path.read_text(encoding="utf-8"), str(path), name)


@pytest.fixture(scope="session")
def solved():
    """Solutions of every shipped sheet, by sheet name."""
    return {name: engine.solution_of(load(name)) for name in SHIPPED}


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
