"""Reading the results `derive check --format json` wrote, as data to analyse.

A results file is untrusted input like any other (it may have been edited, or come
from another sheet): it is parsed as JSON, never evaluated, and checked entry by
entry. A file that is not results at all (not JSON, another sheet, no `students`) is
refused with its name; one malformed student is left out with a located warning and
the rest is analysed. Students of several files (sections, terms) are pooled; an id
met in two files is kept twice, labelled with each file's name.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from derivations.errors import SpecError
from derivations.files import read_text
from derivations.sheet.grading import VERDICTS
from derivations.sheet.model import Sheet

#: The verdicts that count as right (a rounding path is right, and earns its credit).
RIGHT = ("correct", "correct-with-rounding")


@dataclass(frozen=True)
class Response:
    """One answer of one student, as the grading judged it.

    Attributes:
        credit: the share of the answer's points earned (0 to 1).
        given: the value read, in the canonical unit; None when nothing was read.
        diagnosis: the named mistake, "" when none was named.
    """

    verdict: str
    credit: float
    given: float | None
    diagnosis: str = ""
    weight: float = 1.0  # the answer's points: what it weighs in the student's score

    @property
    def unexplained(self) -> bool:
        """A wrong value no known mistake explains: what the copying check and the
        search for unknown mistakes look at."""
        return self.verdict == "wrong" and not self.diagnosis and self.given is not None


@dataclass(frozen=True)
class Record:
    """One graded student: `variant` is "" for a class without variants."""

    student: str
    variant: str
    source: str
    answers: dict[str, Response]

    @property
    def score(self) -> float:
        """The share of the sheet's points earned (each answer weighs its credit)."""
        total = math.fsum(r.weight for r in self.answers.values())
        return math.fsum(r.credit * r.weight for r in self.answers.values()) / total \
            if total else 0.0


@dataclass
class ClassResults:
    sheet: str
    answer_ids: list[str]
    records: list[Record] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def variants(self) -> list[str]:
        return sorted({r.variant for r in self.records if r.variant})


def read_results(paths: Sequence[Path], sheet: Sheet) -> ClassResults:
    """The students of every results file, checked against `sheet`."""
    ids = [f"{p.id}.{a.id}" for p in sheet.problems for a in p.asks]
    found = ClassResults(sheet.name, ids)
    raw: list[tuple[str, str, str, dict[str, Response]]] = []
    for path in paths:
        raw += _students(path, sheet, ids, found.warnings)
    counts: dict[str, int] = {}
    for student, *_ in raw:
        counts[student] = counts.get(student, 0) + 1
    for student, variant, source, answers in raw:
        label = student if counts[student] == 1 else f"{student} ({source})"
        found.records.append(Record(label, variant, source, answers))
    for student, count in counts.items():
        if count > 1:
            found.warnings.append(f"student {student!r} appears {count} times (several files "
                                  "or sections); each is kept, labelled by its file")
    if not found.records:
        why = f" ({found.warnings[0]})" if found.warnings else ""
        raise SpecError(str(paths[0]), "students", f"no graded student in the results{why}")
    return found


def _students(path: Path, sheet: Sheet, ids: list[str], warnings: list[str]
              ) -> list[tuple[str, str, str, dict[str, Response]]]:
    file = str(path)
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise SpecError(file, "", f"not the JSON of `derive check --format json`: {exc.msg}",
                        exc.lineno) from None
    except RecursionError:
        raise SpecError(file, "", "JSON nested too deeply") from None
    if not isinstance(data, dict) or not isinstance(data.get("students"), list):
        raise SpecError(file, "students", "expected the JSON `derive check --format json` "
                        "writes: {\"sheet\", \"students\": [...], \"summary\"}")
    if data.get("sheet") != sheet.name:
        raise SpecError(file, "sheet", f"these are results of {data.get('sheet')!r}, not of "
                        f"the sheet {sheet.name!r}")
    students = []
    for index, entry in enumerate(data["students"]):
        where = f"{path.name}: students[{index}]"
        try:
            student = _student(entry, ids)
        except ValueError as exc:
            warnings.append(f"{where}: left out: {exc}")
            continue
        if student is None:
            warnings.append(f"{where}: left out: the student was not graded")
        else:
            name, variant, answers = student
            students.append((name, variant, path.stem, answers))
    return students


def _student(entry: Any, ids: list[str]) -> tuple[str, str, dict[str, Response]] | None:
    if not isinstance(entry, dict) or not isinstance(entry.get("student"), str):
        raise ValueError("expected {\"student\": id, \"answers\": {...}}")
    if entry.get("error"):
        return None
    variant = entry.get("variant") or ""
    if not isinstance(variant, str):
        raise ValueError("'variant' is not a variant id")
    answers = entry.get("answers")
    if not isinstance(answers, dict):
        raise ValueError("no 'answers' table")
    read = {aid: _response(answers[aid], aid) for aid in ids if aid in answers}
    unknown = [aid for aid in answers if aid not in ids]
    if unknown:
        raise ValueError(f"answer {unknown[0]!r} is not an answer of the sheet")
    return entry["student"], variant, read


def _response(item: Any, aid: str) -> Response:
    if not isinstance(item, dict) or item.get("verdict") not in VERDICTS:
        raise ValueError(f"{aid}: expected a verdict, one of {', '.join(VERDICTS)}")
    points, top = _finite(item.get("points")), _finite(item.get("max"))
    if points is None or top is None or top < 0 or not 0 <= points <= top + 1e-9:
        raise ValueError(f"{aid}: expected points from 0 to max")
    value = _finite(item.get("given"))
    diagnosis = item.get("diagnosis") or ""
    if not isinstance(diagnosis, str):
        raise ValueError(f"{aid}: the diagnosis is not an id")
    return Response(item["verdict"], points / top if top else 0.0, value, diagnosis,
                    float(top))


def _finite(value: Any) -> float | None:
    """A JSON number as a finite float; None for anything else (text, a bool, NaN)."""
    if isinstance(value, int | float) and not isinstance(value, bool) \
            and math.isfinite(value):
        return float(value)
    return None
