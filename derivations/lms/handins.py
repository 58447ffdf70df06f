"""Giving checked hand-ins back to the LMS, in the formats its importers read.

Moodle (an assignment with "Offline grading worksheet" and "Feedback files" enabled):
- **the grading worksheet** (View all submissions → Download grading worksheet; upload
  it back with "Upload grading worksheet"). Moodle's importer
  (mod/assign/feedback/offline/importgradeslib.php) needs the columns `Identifier`
  (`Participant 12345`), `Grade` and `Last modified (grade)`, and reads the
  feedback plugins' columns by their names (`Feedback comments`). The worksheet the
  instructor downloaded is filled in place (`--worksheet`): every column and row kept,
  only Grade and Feedback comments written, so that Moodle matches each row; without
  it a worksheet with those columns is written, `Last modified (grade)` as `-`.
- **the feedback-files zip** ("Upload multiple feedback files in a zip"): Moodle's
  importer (mod/assign/feedback/file/importziplib.php) finds the participant in each
  folder name split on `_` (full name, participant id, plugin type, plugin name), so
  each report goes into the student's folder exactly as the download named it.

Canvas takes grades as a gradebook CSV (Grades → Import; rows matched on `ID`, the
user id in each submission's file name) and has no bulk upload of feedback files: the
reports are written one per student, named `lastfirst_userid_...` like the download,
to be attached by hand in SpeedGrader.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from derivations.errors import SpecError
from derivations.files import csv_reader
from derivations.grade.gradebook import write_csv_rows

WORKSHEET = ["Identifier", "Full name", "Grade", "Maximum Grade", "Last modified (grade)",
             "Feedback comments"]
FIXED_TIME = (2026, 1, 1, 0, 0, 0)  # zip entries carry no clock time: the same input
#                                     gives the same bytes


@dataclass(frozen=True)
class Returned:
    """One student's result as the LMS takes it back."""

    key: str             # participant id (Moodle) or user id (Canvas)
    name: str
    folder: str          # the download's folder (Moodle) or file prefix (Canvas)
    score: float | None  # None: nothing could be checked
    max: float
    comment: str
    pages: tuple[tuple[str, bytes], ...] = ()  # report file name, content


def moodle_worksheet(rows: Sequence[Returned], downloaded: str | None, file: str = "") -> str:
    """The grading worksheet, filled (`downloaded`: the instructor's own download)."""
    by_id = {f"Participant {r.key}": r for r in rows}
    if downloaded is None:
        return write_csv_rows([WORKSHEET, *([f"Participant {r.key}", r.name, _grade(r),
                                             r.max, "-", r.comment] for r in rows)],
                              exact={0, 4})
    table = list(csv_reader(downloaded))
    if not table or "Identifier" not in table[0] or "Grade" not in table[0]:
        raise SpecError(file, "", "not a Moodle grading worksheet: the first row must name "
                        "'Identifier' and 'Grade' columns (View all submissions → Grading "
                        "action → Download grading worksheet)", 1)
    head = table[0]
    if "Feedback comments" not in head:
        head.append("Feedback comments")
    who, grade, comment = (head.index(n) for n in ("Identifier", "Grade",
                                                   "Feedback comments"))
    for row in table[1:]:
        row += [""] * (len(head) - len(row))
        found = by_id.get(row[who].strip())
        if found is not None:
            row[grade], row[comment] = _grade(found), found.comment
    return write_csv_rows(table, exact={who})


def unmatched(rows: Sequence[Returned], downloaded: str) -> list[str]:
    """Students of the zip that the downloaded worksheet does not list."""
    table = list(csv_reader(downloaded))
    column = table[0].index("Identifier") if table and "Identifier" in table[0] else 0
    listed = {row[column].strip() for row in table[1:] if len(row) > column}
    return [f"{r.name} (Participant {r.key})" for r in rows if f"Participant {r.key}"
            not in listed]


def feedback_zip(rows: Sequence[Returned]) -> bytes:
    """Each student's reports in their download folder, for Moodle to import."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for row in rows:
            for name, content in row.pages:
                info = zipfile.ZipInfo(f"{safe_part(row.folder)}/{safe_part(name)}", FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, content)
    return out.getvalue()


def canvas_gradebook(rows: Sequence[Returned], assignment: str) -> str:
    """Canvas's import CSV: `Student, ID, SIS User ID, SIS Login ID, Section, <assignment>`."""
    return write_csv_rows([["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                            assignment],
                           *([r.name, r.key, "", "", "", _grade(r)] for r in rows)],
                          exact={1})


def _grade(row: Returned) -> str | float:
    return "" if row.score is None else row.score


def safe_part(name: str) -> str:
    """A name as one path part: no separators, no parent, no control characters."""
    cleaned = "".join("_" if ch in "/\\:" or ord(ch) < 32 else ch for ch in name).strip()
    return cleaned if cleaned not in ("", ".", "..") else "_"

