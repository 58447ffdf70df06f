"""Institution templates: an instructor's folder is searched first, file by file."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from derivations.cli import main
from derivations.fingerprint import shipped_templates
from derivations.pipeline import build
from derivations.render.build import Target
from tests.conftest import pdf_text

GOLDEN = Path(__file__).parent / "golden"
HEADER = "Department of Worked Examples"


def tiny_png() -> bytes:
    """A valid 2x2 red PNG, written by hand so that no imaging library is needed."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def department_preamble(folder: Path) -> Path:
    """A folder holding only a changed `_preamble.tex.j2` (a running header and a logo)."""
    folder.mkdir(parents=True, exist_ok=True)
    preamble = (shipped_templates() / "_preamble.tex.j2").read_text()
    preamble += ("\\usepackage{fancyhdr}\\pagestyle{fancy}\\fancyhead[L]{" + HEADER + "}"
                 "\\fancyhead[R]{\\includegraphics[height=5mm]{logo.png}}\n")
    (folder / "_preamble.tex.j2").write_text(preamble)
    (folder / "logo.png").write_bytes(tiny_png())
    return folder


def images_in(pdf: Path) -> int:
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True,
                             text=True, check=True).stdout.splitlines()
    return len(listing) - 2  # two header lines


def test_template_folders_put_the_instructor_first(tmp_path):
    from derivations.render.jinja import template_folders

    assert template_folders(tmp_path) == [tmp_path, shipped_templates()]
    assert template_folders() == [shipped_templates()]


def test_shipped_templates_are_the_top_level_folder_in_a_checkout():
    assert (shipped_templates() / "solution.tex.j2").is_file()


@pytest.mark.tex
def test_cli_templates_override_one_file_and_fall_back_for_the_rest(tmp_path, runner):
    folder = department_preamble(tmp_path / "dept")
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(GOLDEN / "small.toml"), "-o", str(out), "-q",
                                  "--templates", str(folder)])
    assert result.exit_code == 0, result.output
    text = pdf_text(out / "small.pdf")
    assert HEADER in text
    assert images_in(out / "small.pdf") >= 1  # the logo, copied beside the .tex
    assert "Worked solutions" in text  # solution.tex.j2 came from the shipped folder


@pytest.mark.tex
def test_sheet_output_templates_relative_to_the_sheet(tmp_path, runner):
    department_preamble(tmp_path / "course" / "tpl")
    sheet = tmp_path / "course" / "small.toml"
    sheet.write_text((GOLDEN / "small.toml").read_text() + '\n[output]\ntemplates = "tpl"\n')
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(sheet), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert HEADER in pdf_text(out / "small.pdf")
    # a changed institution template is a changed input: the PDF is rebuilt
    (tmp_path / "course" / "tpl" / "_preamble.tex.j2").write_text(
        (tmp_path / "course" / "tpl" / "_preamble.tex.j2").read_text().replace(HEADER, "Other"))
    assert build([Target("small", out, sheet=sheet)]) == {"small": "built"}
    assert "Other" in pdf_text(out / "small.pdf")


def test_missing_template_folder_in_a_sheet_is_located(tmp_path, runner):
    sheet = tmp_path / "small.toml"
    text = (GOLDEN / "small.toml").read_text()
    sheet.write_text(text + '\n[output]\ntemplates = "nowhere"\n')
    line = text.count("\n") + 3
    result = runner.invoke(main, ["build", str(sheet), "-o", str(tmp_path / "o"), "-q",
                                  "--tex-only"])
    assert result.exit_code == 2
    assert f"{sheet}:{line}: [output.templates] templates folder 'nowhere'" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "o" / "small.tex").exists()


def test_unknown_output_key_is_refused(tmp_path, runner):
    sheet = tmp_path / "small.toml"
    sheet.write_text((GOLDEN / "small.toml").read_text() + '\n[output]\ntemplate = "x"\n')
    result = runner.invoke(main, ["solve", str(sheet)])
    assert result.exit_code == 2
    assert "unknown key 'template' (did you mean 'templates'?)" in result.stderr


def test_missing_cli_template_folder_is_a_usage_error(tmp_path, runner):
    result = runner.invoke(main, ["build", str(GOLDEN / "small.toml"), "--templates",
                                  str(tmp_path / "none")])
    assert result.exit_code == 2


def test_copied_shipped_folder_is_a_valid_override(tmp_path):
    folder = tmp_path / "all"
    shutil.copytree(shipped_templates(), folder)
    out = tmp_path / "out"
    build([Target("small", out, sheet=GOLDEN / "small.toml", tex_only=True)])
    plain = (out / "small.tex").read_text()
    build([Target("small", out, sheet=GOLDEN / "small.toml", tex_only=True,
                  templates=folder)])
    assert (out / "small.tex").read_text() == plain
