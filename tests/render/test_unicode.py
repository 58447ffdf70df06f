"""Any character an instructor types reaches the PDF, or a visible stand-in and a warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from derivations.cli import main
from derivations.present.printing import escape_latex
from derivations.present.texchars import tex_char, unsupported
from tests.conftest import pdf_text

GOLDEN = Path(__file__).parent / "golden"
STATEMENT = ("With α ≈ 0.34 and β → 0.28, 6 × N ≤ C; “quotes”, en – and em — dashes, "
             "Łukasz, Ærøskøbing, naïve, ½, ∞, ≠, ⇒, x², ℝ and a rocket 🚀.")


@pytest.mark.parametrize("char,latex", [
    ("α", r"\ensuremath{\alpha}"), ("≈", r"\ensuremath{\approx}"), ("Ł", "Ł"),
    ("—", "—"), ("“", "“"), ("×", "×"), ("→", "→"), ("Ω", r"\ensuremath{\Omega}"),
    ("\u200b", ""), ("😀", None),
])
def test_character_table(char, latex):
    assert tex_char(char) == latex


def test_escape_never_passes_tex_specials_or_unknown_characters():
    escaped = escape_latex("50% of $x_1$ {a} \\input 😀 e\u0301")  # e + combining accent
    assert escaped == (r"50\% of \$x\_1\$ \{a\} \textbackslash{}input "
                       r"\fbox{\scriptsize U+1F600} é")


def test_unsupported_lists_each_character_once():
    assert unsupported("😀 a 😀 中") == ["😀", "中"]


@pytest.mark.tex
def test_a_statement_full_of_unicode_builds_and_reads_back(tmp_path, runner):
    sheet = tmp_path / "uni.toml"
    text = (GOLDEN / "small.toml").read_text()
    sheet.write_text(text.replace('title = "Golden sheet"', 'title = "Łukasz’s sheet α ≈ β"')
                     .replace("A 7B model trained on 140B tokens.", STATEMENT))
    assert STATEMENT in sheet.read_text()
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(sheet), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert "no PDF font has U+1F680 (ROCKET)" in result.stderr
    assert f"{sheet}:" in result.stderr and "[problems.G1.statement]" in result.stderr
    shown = pdf_text(out / "uni.pdf")
    for fragment in ("α ≈ 0.34", "β → 0.28", "“quotes”", "Łukasz", "Ærøskøbing", "naïve",
                     "U+1F680", "Łukasz’s sheet"):
        assert fragment in shown, fragment
