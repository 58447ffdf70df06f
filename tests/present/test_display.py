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


def solve_warnings(runner, sheet, text: str) -> list[str]:
    """The warning lines of `derive solve` on a sheet written with `text`."""
    from derivations.cli import main

    sheet.write_text(text)
    result = runner.invoke(main, ["solve", str(sheet)])
    assert result.exit_code == 0, result.output
    return [line for line in result.stderr.splitlines() if line.startswith("warning:")]


def test_a_unit_word_after_a_placeholder_that_prints_it_is_warned(tmp_path, runner):
    sheet = tmp_path / "dbl.toml"
    warned = solve_warnings(runner, sheet, (
        'title = "t"\n[given]\nN = 7e9\nD = 1.4e11\n'
        'n_dp = { value = 8, unit = "GPU" }\n[[problems]]\nid = "P"\n'
        'statement = "On {{n_dp}} GPUs, or {{n_dp|number}} GPUs, {{N}} weights."\n'
        '[[problems.asks]]\nid = "C"\nformula = "training_compute"\n'))
    assert warned == [f"warning: {sheet}:8: [problems.P.statement] {{{{n_dp}}}} already "
                      "prints its unit and 'GPUs' follows it; write {{n_dp|number}} GPUs "
                      "for the digits alone"]


def test_a_placeholder_outside_a_statement_is_warned(tmp_path, runner):
    """Only statements quote givens: `{{M_gpu}}` in a title printed raw, unwarned."""
    sheet = tmp_path / "title.toml"
    warned = solve_warnings(runner, sheet, (
        'title = "On {{N}} parameters"\n[given]\nN = 7e9\nD = 1.4e11\n'
        '[[problems]]\nid = "P"\nstatement = "A {{N}} model."\n'
        '[[problems.asks]]\nid = "C"\ntext = "Compute of {{N}}"\n'
        'formula = "training_compute"\n'))
    assert warned == [
        f"warning: {sheet}:1: [title] {{{{N}}}} is printed as typed: only a statement "
        "quotes givens; write the value here",
        f"warning: {sheet}:10: [problems.P.asks.C.text] {{{{N}}}} is printed as typed: only a "
        "statement quotes givens; write the value here"]


def test_a_claim_compares_values_in_the_units_the_reader_saw(solved):
    """gpu_memory's G1.fits: 13e9 parameters x 16 B = 208e9 B, against the 80 GB GPU;
    both sides in GB, as the answer above it and the givens table show them."""
    from derivations.present.printing import latex, text

    answer = solved["gpu_memory"].answers["G1.fits"]
    substituted = next(s.expr for s in answer.steps if s.kind == "substituted")
    assert text(substituted) == f"{13e9 * 16 / 1e9:.0f} GB <= 80 GB"
    assert latex(substituted) == r"\num{208}~\text{GB} \leq \num{80}~\text{GB}"


def test_the_answer_line_names_the_quantity_the_derivation_solved_for(solved):
    """`x = 2.644 epochs` under `x = log(...)`, not `extra_epochs = ...`: every answer
    line repeats the left side of the derivation's last row, in every sheet."""
    from derivations.present.view import ask_view

    checked = 0
    for solution in solved.values():
        for answer in solution.answers.values():
            rows = [s.expr for s in answer.steps if s.expr is not None
                    and s.kind in ("substituted", "rearranged", "rounded")]
            if answer.is_bool or not rows or not hasattr(rows[-1], "lhs"):
                continue
            lhs = rows[-1].lhs
            if type(lhs).__name__ != "Symbol":  # a substituted relation starts with a number
                continue
            assert ask_view(answer, "", "").symbol.name == lhs.name, answer.id
            checked += 1
    assert checked > 40


@pytest.mark.parametrize("expr,written", [
    ("-A/N**alpha - E + L", "L - E - A/N**alpha"),
    ("-M_a + M_gpu", "M_gpu - M_a"),
    ("-x - y", "-x - y"),  # nothing added: sympy's order stays
    ("a - b + c", "a + c - b"),
])
def test_sums_are_written_as_a_textbook_writes_them(expr, written):
    import sympy as sp

    from derivations.present.printing import text

    names = {n: sp.Symbol(n, positive=True) for n in ("A", "N", "alpha", "E", "L", "M_a",
                                                     "M_gpu", "x", "y", "a", "b", "c")}
    value = sp.sympify(expr, locals=names)  # test input written here, not untrusted
    assert text(value) == written
    assert sp.simplify(sp.sympify(written, locals=names) - value) == 0


def test_an_operator_name_is_spaced_from_its_neighbours_in_mathml():
    """TeX puts a thin space between `d`, `ln` and `D` (Ord-Op-Ord); MathML has no
    such rule, so `d ln D` ran together as `dlnD` in the page."""
    from derivations.present.mathml import math_mathml
    from derivations.sheet.mathtext import parse as parse_math

    marked = math_mathml(parse_math(r"\mathrm{d}\ln D/\mathrm{d}\ln L"))
    assert marked.count('<mspace width="0.1667em"/>') == 4
    assert math_mathml(parse_math(r"\max(a, b)")).count("mspace") == 0


def test_a_fraction_in_an_exponent_is_written_with_a_slash():
    """`x^{\\frac{1}{β}}` sets the fraction two sizes down, unreadable in E2.D_new."""
    import sympy as sp

    from derivations.present.mathml import mathml
    from derivations.present.printing import latex

    B, L, E, beta = sp.symbols("B L E beta", positive=True)
    rearranged = (B / (L - E)) ** (1 / beta)
    assert latex(rearranged).endswith(r"^{1/\beta}") and r"\frac{1}{\beta}" not in \
        latex(rearranged)
    assert "<mo>/</mo><mi>β</mi></mrow></msup>" in mathml(rearranged)
    assert latex(sp.Symbol("x") ** sp.Rational(1, 2)) == r"\sqrt{x}"  # a root stays a root
