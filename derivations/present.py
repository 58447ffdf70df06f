"""Solutions as text, JSON and LaTeX fragments: pure functions of a `Solution`.

Rounding for display happens here (through `numbers.digits`), never earlier. Memory
answers are always shown in both decimal (GB) and binary (GiB) units, because
confusing the two is the most common memory slip.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sympy as sp

from derivations import printing
from derivations.library.units import CANONICAL, UNITS, best_byte_units
from derivations.numbers import Digits, digits, to_float
from derivations.solution import Answer, Solution, Step

STEP_LABELS = {
    "formula": "formula",
    "rearranged": "rearranged",
    "substituted": "substituted",
    "result": "result",
    "integer": "whole number",
    "derivative": "derivative",
    "relation": "claim",
    "note": "note",
}


@dataclass(frozen=True)
class Shown:
    """One value in one unit, rounded for display."""

    digits: Digits
    unit: str

    def text(self) -> str:
        unit = unit_label(self.unit)
        return f"{self.digits.text()} {unit}".rstrip()

    def latex(self) -> str:
        unit = unit_label(self.unit)
        number = rf"\num{{{self.digits.siunitx()}}}"
        return number + (rf"~\text{{{printing.escape_latex(unit)}}}" if unit else "")


def unit_label(unit: str) -> str:
    """How a unit is written next to a number ('' for pure numbers)."""
    if unit in ("1", ""):
        return ""
    return CANONICAL.get(unit, unit)


def in_unit(value: sp.Expr, unit: str, sig: int) -> Shown:
    """`value` (canonical) expressed in display unit `unit`, to `sig` figures."""
    factor = UNITS[unit].factor if unit in UNITS else 1
    scaled = value / sp.Rational(factor.numerator, factor.denominator) if factor != 1 else value
    return Shown(digits(scaled, sig), unit)


def shown_values(answer: Answer) -> list[Shown]:
    """The answer in its display unit, then (for bytes) in the other unit family."""
    assert not isinstance(answer.value, bool | tuple)
    first = in_unit(answer.value, answer.display_unit, answer.sig)
    if answer.unit != "byte":
        return [first]
    decimal, binary = best_byte_units(to_float(answer.value))
    extra = [u for u in (decimal, binary) if u not in (answer.display_unit, "B")]
    return [first, *[in_unit(answer.value, u, answer.sig) for u in dict.fromkeys(extra)]]


def display_text(answer: Answer) -> str:
    """`1.648 × 10^24 FLOP`, `3.5 × 10^11 B = 350 GB = 325.96 GiB`, `true`, `[49, ...]`."""
    if isinstance(answer.value, bool):
        return "true" if answer.value else "false"
    if isinstance(answer.value, tuple):
        unit = unit_label(answer.display_unit)
        items = ", ".join(in_unit(v, answer.display_unit, answer.sig).digits.text()
                          for v in answer.value)
        return f"[{items}] {unit}".rstrip()
    return " = ".join(s.text() for s in shown_values(answer))


def display_latex(answer: Answer) -> str:
    """The boxed-result LaTeX of an answer (math mode)."""
    if isinstance(answer.value, bool):
        return r"\text{" + ("true" if answer.value else "false") + "}"
    if isinstance(answer.value, tuple):
        unit = unit_label(answer.display_unit)
        items = ",\\ ".join(in_unit(v, answer.display_unit, answer.sig).latex()
                            for v in answer.value)
        tail = rf"~\text{{{printing.escape_latex(unit)}}}" if unit else ""
        return rf"\left({items}\right){tail}"
    return " = ".join(s.latex() for s in shown_values(answer))


def sensitivity_notes(answer: Answer) -> list[str]:
    """Warnings for a fragile answer: its largest elasticity, and what rounding does.

    Only inputs whose 3-figure rounding actually changes them get a rounding
    sentence (E = 1.69 is already exact); if none does, the largest elasticity is
    still reported, since any error in that input is amplified.
    """
    if not answer.fragile:
        return []
    notes = []
    for item in answer.sensitivities:
        if item.shift is None or item.rounded_input is None or item.shift == 0:
            continue
        rounded = digits(item.rounded_input, 3).text()
        notes.append(
            f"Sensitive: d ln {answer.ask} / d ln {item.symbol} = {item.elasticity:.3g}. "
            f"Rounding {item.symbol} to 3 significant figures ({rounded}) moves "
            f"{answer.ask} by {item.shift * 100:+.1f}%: keep full precision in {item.symbol}.")
    if not notes:
        top = answer.sensitivities[0]
        notes.append(f"Sensitive: d ln {answer.ask} / d ln {top.symbol} = "
                     f"{top.elasticity:.3g}; a 1% error in {top.symbol} moves {answer.ask} "
                     f"by about {abs(top.elasticity):.0f}%.")
    return notes


def step_text(step: Step) -> str:
    body = printing.text(step.expr) if step.expr is not None else ""
    prose = " ".join(step.text.split())
    if prose and body:
        return f"{body}    ({prose})"
    return body or prose


def answer_text(answer: Answer) -> str:
    lines = [f"{answer.id}" + (f": {answer.claim}" if answer.claim else "")]
    for step in answer.steps:
        if step.kind == "result":
            continue
        lines.append(f"    {STEP_LABELS[step.kind]:<12} {step_text(step)}")
    lines.append(f"    {'answer':<12} {answer.ask} = {display_text(answer)}")
    lines += [f"    {'warning':<12} {note}" for note in sensitivity_notes(answer)]
    return "\n".join(lines)


def solution_text(solution: Solution) -> str:
    """The whole solution as readable plain text (the `--format text` output)."""
    sheet = solution.sheet
    out = [f"{sheet.title}" + (f" ({sheet.course})" if sheet.course else ""), ""]
    current = None
    for answer in solution.answers.values():
        if answer.problem != current:
            current = answer.problem
            title = sheet.problem(current).title
            out.append(f"== {current}" + (f": {title}" if title else ""))
        out.append(answer_text(answer))
    return "\n".join(out) + "\n"


def answer_json(answer: Answer) -> dict[str, Any]:
    data: dict[str, Any] = {
        "value": answer.as_float(),
        "unit": answer.unit,
        "display": display_text(answer),
        "latex": display_latex(answer),
        "steps": [{"kind": s.kind, "latex": printing.latex(s.expr) if s.expr is not None
                   else "", "text": s.text} for s in answer.steps],
    }
    if answer.claim:
        data["claim"] = answer.claim
    if answer.sensitivities:
        data["elasticities"] = {s.symbol: s.elasticity for s in answer.sensitivities}
    notes = sensitivity_notes(answer)
    if notes:
        data["notes"] = notes
    return data


def solution_json(solution: Solution) -> str:
    """The `--format json` output; its shape is the contract in DESIGN.md."""
    sheet = solution.sheet
    data = {"sheet": sheet.name, "title": sheet.title, "course": sheet.course,
            "answers": {aid: answer_json(a) for aid, a in solution.answers.items()}}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def solution_latex(solution: Solution) -> str:
    """Each answer as a LaTeX `align*` block (needs amsmath and siunitx)."""
    blocks = []
    for answer in solution.answers.values():
        rows = [printing.latex_aligned(s.expr) for s in answer.steps
                if s.expr is not None and s.kind != "result"]
        rows.append(rf"{printing.symbol_latex(answer.ask)} &= \boxed{{{display_latex(answer)}}}")
        aligned = " \\\\\n  ".join(rows)
        blocks.append(f"% {answer.id}\n\\begin{{align*}}\n  {aligned}\n\\end{{align*}}")
    return "\n".join(blocks) + "\n"
