"""Sensitivity notes and unit labels (`present.display`, `present.shown`): every
number in a note is spelled by the spellers, the same way as everywhere else (a note
once printed `3.25e + 03`); expected spellings are formatted here with Python."""

from __future__ import annotations

import re

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
