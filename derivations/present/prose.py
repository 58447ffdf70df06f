"""Statements that quote givens: `a per-device batch of {{b}}` shows the variant's value.

Why: with per-student variants the numbers in a statement must follow the draw; a
statement that writes "16" by hand would contradict the givens table of every other
variant. A placeholder names a given (of the sheet, of the problem, or `P.name` of
problem P) and is replaced by that given as the givens table shows it (`{{b|number}}`:
the digits without the unit), rounded once by the view: each output spells the value
its own way (LaTeX `\\num`, MathML). Givens
computed from an answer cannot be quoted (the question sheet would leak the answer);
`sheet.spec` refuses them when the sheet is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from derivations.numbers import not_spelled
from derivations.present.display import given_display
from derivations.present.shown import Displayed, Shown, shown_unit, unit_label
from derivations.sheet.mathtext import Math, with_math
from derivations.sheet.model import Given, Problem, Sheet
from derivations.solver.solution import Solution

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)?)"
                         r"\s*(?:\|\s*(number)\s*)?\}\}")


@dataclass(frozen=True)
class Prose:
    """Text with values and formulas in it, in reading order: strings, `Displayed`
    values and inline `Math` (see `sheet.mathtext`); spelled by each target's
    speller (`present.text.prose_text`, `render.latex`, `render.html`)."""

    parts: tuple[str | Displayed | Math, ...]

    __str__ = not_spelled

    def __bool__(self) -> bool:
        """Empty prose is false, like an empty string (`{% if a.claim %}`)."""
        return any(p != "" for p in self.parts)


def markup(text: str) -> Prose:
    """Prose with inline math only (the library's notes and feedback)."""
    return Prose(tuple(with_math(" ".join(text.split()))))


def quoted_given(sheet: Sheet, problem: Problem | None, name: str) -> Given | None:
    """The given a placeholder names, seen from `problem`."""
    if "." in name:
        pid, local = name.split(".", 1)
        owner = next((p for p in sheet.problems if p.id == pid), None)
        return owner.given.get(local) if owner is not None else None
    if problem is not None and name in problem.given:
        return problem.given[name]
    return sheet.given.get(name)


def prose(text: str, solution: Solution, problem: Problem | None) -> Prose:
    """`text` (white space folded) with each `{{name}}` replaced by the given's value."""
    sheet = solution.sheet
    assert isinstance(sheet, Sheet)
    folded = " ".join(text.split())
    parts: list[str | Displayed | Math] = []
    at = 0
    for match in PLACEHOLDER.finditer(folded):
        parts.extend(with_math(folded[at:match.start()]))
        given = quoted_given(sheet, problem, match.group(1))
        assert given is not None  # checked when the sheet was read
        shown = given_display(solution.given_values[given.key], given)
        if match.group(2):  # {{b|number}}: the digits without the unit
            shown = Displayed(values=tuple(Shown(v.digits, "1") for v in shown.values),
                              items=shown.items)
        parts.append(given.label if given.label and not match.group(2) else shown)
        at = match.end()
    parts.extend(with_math(folded[at:]))
    return Prose(tuple(p for p in parts if p != ""))


_NEXT_WORD = re.compile(r"\s*([A-Za-z][A-Za-z-]*)")


def placeholder_warnings(solution: Solution) -> list[str]:
    """What `derive solve` and `derive build` warn about in a sheet's placeholders:
    ones outside a statement, which print as typed, and units printed twice."""
    return unread_placeholders(solution.sheet) + doubled_units(solution)


def unread_placeholders(sheet: Sheet) -> list[str]:
    """A warning for each `{{name}}` in a field that is printed as typed (a title, an
    ask's text, a claim): only statements quote givens, so it would print raw."""
    fields = [("title", sheet.title), ("course", sheet.course)]
    for problem in sheet.problems:
        fields.append((f"problems.{problem.id}.title", problem.title))
        for ask in problem.asks:
            fields += [(f"{ask.key}.text", ask.text), (f"{ask.key}.claim", ask.claim)]
    warnings = []
    for key, value in fields:
        found = PLACEHOLDER.search(value or "")
        if found is not None:
            line = sheet.line_of(key)
            where = f"{sheet.file}:{line}" if line else sheet.file
            warnings.append(f"{where}: [{key}] {found.group(0)} is printed as typed: only a "
                            "statement quotes givens; write the value here")
    return warnings


def doubled_units(solution: Solution) -> list[str]:
    """A warning for each `{{name}}` that prints its unit and is followed by the unit
    word again (`{{n_dp}} GPUs` read "8 GPUs GPUs"): the placeholder prints the unit
    as the givens table does; `{{n_dp|number}} GPUs` prints the digits alone."""
    sheet = solution.sheet
    assert isinstance(sheet, Sheet)
    warnings = []
    for problem in sheet.problems:
        folded = " ".join(problem.statement.split())
        key = f"problems.{problem.id}.statement"
        for match in PLACEHOLDER.finditer(folded):
            given = quoted_given(sheet, problem, match.group(1))
            after = _NEXT_WORD.match(folded, match.end())
            if match.group(2) or given is None or given.label or after is None:
                continue
            shown = given_display(solution.given_values[given.key], given)
            units = {u for v in shown.values for u in (v.unit, shown_unit(v),
                                                       unit_label(v.unit))} - {"", "1"}
            word = after.group(1)
            if word.lower() in {u.lower() for u in units} | {
                    u.lower().rstrip("s") for u in units}:
                line = sheet.line_of(key)
                where = f"{sheet.file}:{line}" if line else sheet.file
                warnings.append(f"{where}: [{key}] {match.group(0)} already prints its unit "
                                f"and {word!r} follows it; write "
                                f"{{{{{match.group(1)}|number}}}} {word} for the digits "
                                "alone")
    return warnings

