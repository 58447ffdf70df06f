"""The answer key of a pool: one row per variant, with the givens that vary and every
answer that varies; what is the same in every variant is listed once above the table.

Why this shape: a marker looks a student's variant up and reads across one row. The
first key spread one variant over six pages (four answers per table) and repeated in
every row the columns that never change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from derivations.numbers import Digits, column
from derivations.present.display import GIVEN_SIG, displayed, given_display
from derivations.present.shown import Displayed, Shown, scaled, unit_label
from derivations.present.view import GivenValue, Symbol
from derivations.sheet.model import Sheet
from derivations.sheet.randomness import fixed_given
from derivations.solver.solution import Answer, given_unit
from derivations.variants.draw import ordered
from derivations.variants.pool import Pool

#: Columns of one table (the variant's id included) before the answers continue in a
#: second table; the type shrinks with the count (see `size`), landscape A4.
MAX_COLUMNS = 15


@dataclass(frozen=True)
class KeyColumn:
    """One column of the key: its heading, the unit its digits are in, a cell per row."""

    heading: Any  # a given's Symbol, or an answer id
    unit: str
    cells: list[Any]
    is_given: bool = False


def key_context(sheet: Sheet, pool: Pool) -> dict[str, Any]:
    """What `answer_key.tex.j2` shows: the constant answers once, then the tables."""
    assert sheet.variants is not None
    variants = pool.variants
    givens = [_given_column(name, variants) for name in (r.name for r in ordered(sheet))]
    answers, constant = [], []
    for answer_id, first in variants[0].solution.answers.items():
        each = [v.solution.answers[answer_id] for v in variants]
        if all(_same(a.value, first.value) for a in each):
            constant.append({"id": answer_id, "value": GivenValue(displayed(first))})
        else:
            answers.append(_answer_column(answer_id, each))
    varying = [c for c in givens if len({repr(cell) for cell in c.cells}) > 1]
    tables = []
    room = MAX_COLUMNS - 1 - len(varying)
    for start in range(0, max(len(answers), 1), max(room, 4)):
        columns = (varying if start == 0 else []) + answers[start:start + max(room, 4)]
        tables.append({"columns": columns, "size": size(len(columns) + 1),
                       "rows": [{"variant": v.id, "cells": [c.cells[i] for c in columns]}
                                for i, v in enumerate(variants)]})
    fixed = [c for c in givens if c not in varying]
    return {"tables": tables, "constant": constant, "fixed": fixed,
            "count": len(variants), "salt": sheet.variants.salt}


def size(columns: int) -> str:
    """The LaTeX type size that fits `columns` columns of 4-figure numbers across a
    landscape A4 page (measured on the shipped pools: no overfull line)."""
    if columns <= 8:
        return "small"
    if columns <= 11:
        return "footnotesize"
    return "scriptsize"


def _same(a: Any, b: Any) -> bool:
    return bool(a == b) if isinstance(a, bool) or isinstance(b, bool) else a == b


def _given_column(name: str, variants: list) -> KeyColumn:
    """A drawn given's digits in the unit its author wrote, all to the same figures (a
    given with a label, such as a data type, as the givens table shows it)."""
    values, labelled, units = [], [], []
    for variant in variants:
        drawn = variant.solution.sheet
        given = fixed_given(name, drawn.given, drawn.problems)
        assert given is not None
        value = variant.solution.given_values[given.key]
        units.append(given_unit(given))
        values.append(scaled(value, units[-1]))
        labelled.append(GivenValue(given_display(value, given), given.label))
    if any(cell.label for cell in labelled) or any(isinstance(v, tuple) for v in values):
        return KeyColumn(Symbol(name), "", labelled, is_given=True)
    return KeyColumn(Symbol(name), unit_label(units[0]), _cells(column(values, GIVEN_SIG)),
                     is_given=True)


def _cells(digits: list[Digits]) -> list[GivenValue]:
    return [GivenValue(Displayed(values=(Shown(d, "1"),))) for d in digits]


def _answer_column(answer_id: str, each: list[Answer]) -> KeyColumn:
    """Digits in the first answer's display unit, all to the same figures; a vector or
    a true/false answer as the solution shows it."""
    first = each[0]
    if isinstance(first.value, bool | tuple):
        return KeyColumn(answer_id, "", [GivenValue(displayed(a)) for a in each])
    unit = first.display_unit
    digits = column([scaled(a.value, unit) for a in each], first.sig)
    return KeyColumn(answer_id, unit_label(unit), _cells(digits))
