"""Dealing variants to students: `assignments.csv` (student,variant,pool).

Each row names the pool it was dealt from (`genai_week4:3f9c…`, the sheet's name and
a fingerprint of its salt), so a file cannot be read against another sheet or pool:
assigning week 4 into a folder that held week 5's file once kept five students on
their week-5 variants. A file written before that column existed is read with a
warning and bound when `assign` rewrites it.

The deal is deterministic from the salt: students are ordered by a hash of (salt,
student) and given the variants in turn, so every variant is used equally often (to
within one). A later run keeps every existing row and deals only new students, to the
least used variants, so adding a late student never moves anyone else; `--reassign`
moves one student, to a least used variant other than their current one.
"""

from __future__ import annotations

import csv
import hashlib
from collections import Counter

from derivations.errors import SpecError
from derivations.files import csv_reader
from derivations.grade.gradebook import write_csv_rows

HEADER = ["student", "variant", "pool"]


def binding(sheet_name: str, salt: str) -> str:
    """The pool an assignment belongs to: the sheet's name and a fingerprint of its
    salt (the salt itself decides the deal, so the file does not spell it out)."""
    return f"{sheet_name}:{hashlib.sha256(salt.encode()).hexdigest()[:10]}"


def _rank(salt: str, student: str, extra: str = "") -> bytes:
    return hashlib.sha256(f"{salt}|{student}|{extra}".encode()).digest()


#: Roster columns, by the export they come from, in the order grading reads a report's
#: student (`lms.responses`): a `student` column; Moodle's participants export (`ID
#: number`, else `Username`, else `Email address`); Canvas's gradebook export (`SIS User
#: ID`, else its `ID`).
ROSTER_IDS = (("student",), ("ID number", "Username", "Email address"),
              ("SIS User ID", "ID"))


def read_roster(text: str, file: str) -> list[str]:
    """Student ids from a roster: a CSV with a `student` column, or a Moodle or Canvas
    export as downloaded (see `ROSTER_IDS`; Canvas's `Points Possible` row is skipped),
    so that each id is the one grading reads from that LMS's report."""
    rows = _rows(text, file)
    header = [c.strip() for c in rows[0][1]] if rows else []
    columns = next((ids for ids in ROSTER_IDS if ids[0] in header), None)
    if columns is None:
        raise SpecError(file, "", "the roster needs a header row with a 'student' column (or "
                        "a Moodle export's 'ID number', a Canvas export's 'SIS User ID')", 1)
    indexes = [header.index(name) for name in columns if name in header]
    seen: dict[str, int] = {}
    for line, cells in rows[1:]:
        if cells and cells[0].strip() == "Points Possible":  # Canvas's second header row
            continue
        student = next((cells[i] for i in indexes if i < len(cells) and cells[i].strip()), "")
        if not student.strip():  # an id: compared exactly, never stripped
            raise SpecError(file, "", "a row without a student id (looked in "
                            f"{', '.join(columns)})", line)
        if student in seen:
            raise SpecError(file, "", f"student {student!r} appears twice (first on line "
                            f"{seen[student]})", line)
        seen[student] = line
    if not seen:
        raise SpecError(file, "", "no students after the header")
    return list(seen)


def _rows(text: str, file: str) -> list[tuple[int, list[str]]]:
    reader = csv_reader(text)
    try:
        return [(reader.line_num, cells) for cells in reader if any(c.strip() for c in cells)]
    except csv.Error as exc:
        raise SpecError(file, "", f"malformed CSV: {exc}", reader.line_num or None) from None


def read_assignments(text: str, file: str, variants: set[str], pool: str
                     ) -> tuple[dict[str, str], bool]:
    """student -> variant, checking every variant named exists in the pool and every
    row was dealt from `pool` (see `binding`); and whether the file names its pool (a
    file from before the `pool` column does not)."""
    rows = _rows(text, file)
    header = [c.strip() for c in rows[0][1]] if rows else []
    if header not in (HEADER, HEADER[:2]):
        raise SpecError(file, "", "expected the header 'student,variant,pool' (as written by "
                        "derive variants assign)", 1)
    found: dict[str, str] = {}
    for line, cells in rows[1:]:
        if len(cells) != len(header) or not cells[0].strip():
            raise SpecError(file, "", f"expected {len(header)} cells: {','.join(header)}", line)
        student, variant = cells[0], cells[1].strip()  # the id exactly as written
        if len(header) == 3 and cells[2].strip() != pool:
            raise SpecError(file, "", f"{student!r} was dealt from {cells[2].strip()!r}, not "
                            f"from {pool!r} (this sheet and salt): the assignments of another "
                            "sheet or pool; keep each sheet's in its own folder", line)
        if variant not in variants:
            raise SpecError(file, "", f"unknown variant {variant!r} for {student!r} (the pool "
                            f"has {min(variants)} to {max(variants)})", line)
        if student in found:
            raise SpecError(file, "", f"student {student!r} is assigned twice", line)
        found[student] = variant
    return found, len(header) == 3


def deal(students: list[str], variants: list[str], salt: str,
         existing: dict[str, str] | None = None) -> dict[str, str]:
    """Every student's variant: existing rows kept, new students dealt evenly."""
    assigned = dict(existing or {})
    used = Counter({v: 0 for v in variants})
    used.update(v for v in assigned.values() if v in used)
    new = sorted((s for s in students if s not in assigned), key=lambda s: _rank(salt, s))
    for student in new:
        fewest = min(used.values())
        candidates = [v for v in variants if used[v] == fewest]
        choice = candidates[int.from_bytes(_rank(salt, student, "deal"), "big")
                            % len(candidates)]
        assigned[student] = choice
        used[choice] += 1
    order = list(existing or {}) + [s for s in students if s not in (existing or {})]
    return {student: assigned[student] for student in order}


def reassign(assigned: dict[str, str], student: str, variants: list[str],
             salt: str) -> dict[str, str]:
    """The same deal with one student moved to a least used other variant."""
    if student not in assigned:
        raise SpecError("assignments", "", f"{student!r} has no assignment to change")
    current = assigned[student]
    used = Counter({v: 0 for v in variants})
    used.update(v for s, v in assigned.items() if s != student and v in used)
    others = [v for v in variants if v != current]
    if not others:
        raise SpecError("assignments", "", "the pool has one variant: nothing to change to")
    fewest = min(used[v] for v in others)
    candidates = [v for v in others if used[v] == fewest]
    changed = dict(assigned)
    changed[student] = candidates[int.from_bytes(_rank(salt, student, f"re:{current}"), "big")
                                  % len(candidates)]
    return changed


def assignments_csv(assigned: dict[str, str], pool: str) -> str:
    return write_csv_rows([HEADER, *([s, v, pool] for s, v in assigned.items())],
                          exact={0, 1})
