"""Sensitivity notes and unit labels (`present.display`, `present.shown`): every
number in a note is spelled by the spellers, the same way as everywhere else (a note
once printed `3.25e + 03`); expected spellings are formatted here with Python."""

from __future__ import annotations

import re

import pytest

from derivations.present.display import sensitivity_notes
from derivations.present.shown import unit_label


def _three_figures(x: float) -> str:
    shown = float(f"{x:.3g}")
    text = f"{shown:.0f}" if abs(shown) >= 100 else f"{shown:.3g}"
    return text.replace("-", "−")


def test_notes_spell_elasticities_to_three_figures_and_shifts_to_a_tenth(solved):
    notes = {aid: (answer, sensitivity_notes(answer))
             for name in ("lecture_examples", "genai_week4")
             for aid, answer in solved[name].answers.items()}
    fragile = {aid: pair for aid, pair in notes.items() if pair[1]}
    assert "L10.error" in fragile and "E2.D_new" in fragile
    for answer, texts in fragile.values():
        for note in texts:
            assert not re.search(r"\de\s*[+−-]", note), note  # no exponent syntax
        shifted = [s for s in answer.sensitivities if s.shift]
        for item, note in zip(shifted, texts, strict=False):
            assert f"= {_three_figures(item.elasticity)}$" in note
            assert f"{item.shift * 100:+.1f}%".replace("-", "−") in note


def test_unit_labels():
    assert unit_label("1") == "" and unit_label("") == ""
    assert unit_label("byte") == "B"
    assert unit_label("furlong") == "furlong"


def test_a_given_is_shown_in_the_unit_its_author_wrote(solved):
    from derivations.present.prose import prose
    from derivations.present.text import displayed_text, prose_text
    from derivations.present.view import given_rows

    solution = solved["gpu_memory"]
    sheet = solution.sheet
    rows = {r["symbol"].name: r["value"] for r in given_rows(solution, sheet.given)}
    assert sheet.given["M_gpu"].unit == "GB"
    assert displayed_text(rows["M_gpu"].shown) == "80 GB"  # not 8 × 10^10 B
    quoted = prose("one {{M_gpu}} GPU", solution, None)
    assert prose_text(quoted) == "one 80 GB GPU"


@pytest.mark.parametrize("mantissa,exponent,unit,label", [
    ("1", 0, "sample", "sample"), ("1.0", 0, "sample", "samples"), ("8", 0, "sample", "samples"),
    ("0", 0, "step", "steps"), ("1", 3, "token", "tokens"), ("−1", 0, "GPU", "GPU"),
    ("31.35", 0, "day", "days"), ("1", 0, "day", "day"), ("1", 0, "GB", "GB"),
    ("1", 0, "byte", "B"), ("2", 0, "s", "s"),
])
def test_unit_words_follow_the_number(mantissa, exponent, unit, label):
    """CLDR's English rule: singular for exactly one written without decimals."""
    from derivations.numbers import Digits
    from derivations.present.shown import Shown, shown_unit

    assert shown_unit(Shown(Digits(mantissa, exponent, True), unit)) == label


def test_one_sample_in_the_givens_table(solved):
    from derivations.present.text import displayed_text
    from derivations.present.view import given_rows

    solution = solved["gpu_memory"]
    rows = {r["symbol"].name: r["value"] for r in given_rows(solution, solution.sheet.given)}
    assert displayed_text(rows["b"].shown) == "1 sample"


def test_a_unit_word_after_a_placeholder_that_prints_it_is_warned(tmp_path, runner):
    from derivations.cli import main

    sheet = tmp_path / "dbl.toml"
    sheet.write_text('title = "t"\n[given]\nN = 7e9\nD = 1.4e11\n'
                     'n_dp = { value = 8, unit = "GPU" }\n[[problems]]\nid = "P"\n'
                     'statement = "On {{n_dp}} GPUs, or {{n_dp|number}} GPUs, {{N}} weights."\n'
                     '[[problems.asks]]\nid = "C"\nformula = "training_compute"\n')
    result = runner.invoke(main, ["solve", str(sheet)])
    assert result.exit_code == 0, result.output
    warned = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert warned == [f"warning: {sheet}:8: [problems.P.statement] {{{{n_dp}}}} already "
                      "prints its unit and 'GPUs' follows it; write {{n_dp|number}} GPUs "
                      "for the digits alone"]
