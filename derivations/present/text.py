"""The Unicode text speller, and the outputs of `derive solve` (text, JSON, LaTeX).

Rounded values (`Shown`, `Displayed`) and prose (`Prose`, markup) are spelled as
readable Unicode here (`1.648 × 10^24 FLOP`, `M_w`, `10⁻¹`), their digits by
`numbers.text`; every number comes from `present.display`, so the terminal, the JSON,
the `align*` blocks and the PDFs show the same digits.
"""

from __future__ import annotations

import json
from typing import Any

from derivations.numbers import text
from derivations.present import printing
from derivations.present.display import displayed, sensitivity_notes
from derivations.present.prose import Prose, markup
from derivations.present.shown import Displayed, Shown, shown_unit, unit_label
from derivations.sheet.mathtext import Math, MathError
from derivations.solver.solution import Answer, Solution, Step

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


def shown_text(shown: Shown) -> str:
    """`1.648 × 10^24 FLOP`."""
    return f"{text(shown.digits)} {shown_unit(shown)}".rstrip()


def displayed_text(value: Displayed) -> str:
    """`1.648 × 10^24 FLOP`, `3.5 × 10^11 B = 350 GB = 325.96 GiB`, `true`, `[49, ...]`."""
    if value.truth is not None:
        return "true" if value.truth else "false"
    if value.items:
        shown = ", ".join(text(item.digits) for item in value.items)
        return f"[{shown}] {unit_label(value.unit)}".rstrip()
    return " = ".join(shown_text(item) for item in value.values)


def display_text(answer: Answer) -> str:
    """The result of an answer as plain text."""
    return displayed_text(displayed(answer))


def display_latex(answer: Answer) -> str:
    """The boxed-result LaTeX of an answer (math mode)."""
    return printing.displayed_latex(displayed(answer))


def prose_text(value: Prose) -> str:
    """Prose as readable Unicode (terminals, JSON, CSV): `M_w`, `10⁻¹`, `×`."""
    return "".join(p if isinstance(p, str) else p.unicode() if isinstance(p, Math)
                   else displayed_text(p) for p in value.parts)


def plain(markup_text: str) -> str:
    """Prose markup with inline math as Unicode, for text outputs; text that does not
    parse (it should, see the tests) is returned as written rather than lost."""
    try:
        return prose_text(markup(markup_text))
    except MathError:
        return " ".join(markup_text.split())


def step_text(step: Step) -> str:
    body = printing.text(step.expr) if step.expr is not None else ""
    prose = plain(step.text)
    if prose and body:
        return f"{body}    ({prose})"
    return body or prose


def answer_text(answer: Answer) -> str:
    lines = [f"{answer.id}" + (f": {plain(answer.claim)}" if answer.claim else "")]
    for step in answer.steps:
        if step.kind == "result":
            continue
        lines.append(f"    {STEP_LABELS[step.kind]:<12} {step_text(step)}")
    lines.append(f"    {'answer':<12} {answer.unknown.name} = {display_text(answer)}")
    lines += [f"    {'warning':<12} {plain(note)}" for note in sensitivity_notes(answer)]
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
                   else "", "text": plain(s.text)} for s in answer.steps],
    }
    if answer.claim:
        data["claim"] = plain(answer.claim)
    if answer.sensitivities:
        data["elasticities"] = {s.symbol: s.elasticity for s in answer.sensitivities}
    notes = [plain(note) for note in sensitivity_notes(answer)]
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
        symbol = printing.symbol_latex(answer.unknown.name)
        rows.append(rf"{symbol} &= \boxed{{{display_latex(answer)}}}")
        aligned = " \\\\\n  ".join(rows)
        blocks.append(f"% {answer.id}\n\\begin{{align*}}\n  {aligned}\n\\end{{align*}}")
    return "\n".join(blocks) + "\n"
