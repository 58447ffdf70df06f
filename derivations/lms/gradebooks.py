"""Grade-import files: what `derive check --gradebook canvas|moodle|gradescope` writes.

Each is a `grade.gradebook.Writer` (one student at a time) producing the CSV an LMS
imports. The id columns the LMS matches students on are written byte for byte (an id
such as `@jdoe` or `+44123` must match its account); every other text cell is
neutralised for spreadsheets (`safe_cell`), since TAs open these files in spreadsheet
programs before uploading them.

- Canvas (Grades, Import): `Student, ID, SIS User ID, SIS Login ID, Section,
  <assignment>`; rows are matched on `ID` or `SIS User ID` (see CanvasGradebook).
- Moodle (Grades, Import, CSV file): `ID number, <sheet> grade, <sheet> feedback`; map
  `ID number` to the user field of that name, the two others to the grade item and
  its feedback.
- Gradescope (the assignment's Upload grades): `Name, SID, Email, Score`, every cell
  quoted so that an id such as 00123 stays text.
"""

from __future__ import annotations

from derivations.grade.gradebook import Writer, write_csv_rows
from derivations.grade.tally import Tally
from derivations.grade.verdicts import StudentResult
from derivations.present.text import plain


def feedback_text(result: StudentResult) -> str:
    """One line per answer that is not right, for the LMS's feedback column."""
    if result.note:
        return f"Not graded: {result.note}"
    lines = [f"{aid}: {v.verdict}" + (f" ({plain(v.feedback)})" if v.feedback else "")
             for aid, v in result.answers.items()
             if v.verdict not in ("correct", "correct-with-rounding")]
    return " | ".join(lines) or "All answers correct."


class CanvasGradebook(Writer):
    def head(self) -> str:
        return write_csv_rows([["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                                self.sheet]])

    def student(self, result: StudentResult) -> str:
        """Canvas matches a row on `ID` (its user id) or `SIS User ID`. From a Student
        Analysis report both are known and the name is shown; a student without an SIS
        id (whose id is then the Canvas id) gets it in `ID`, never in `SIS User ID`. From
        a class CSV the one id is the SIS id."""
        who = result.identity
        if who:
            row = [who.get("name") or result.student, who.get("id", ""),
                   who.get("sis_id", "")]
        else:
            row = [result.student, "", result.student]
        return write_csv_rows([[*row, "", "", "" if result.note else result.score]],
                              exact={1, 2})


class MoodleGradebook(Writer):
    def head(self) -> str:
        return write_csv_rows([["ID number", f"{self.sheet} grade", f"{self.sheet} feedback"]])

    def student(self, result: StudentResult) -> str:
        return write_csv_rows([[result.student, "" if result.note else result.score,
                                feedback_text(result)]], exact={0})


class GradescopeGradebook(Writer):
    def head(self) -> str:
        return write_csv_rows([["Name", "SID", "Email", "Score"]], quote_all=True)

    def student(self, result: StudentResult) -> str:
        return write_csv_rows([[result.student, str(result.student), "",
                                "" if result.note else result.score]], quote_all=True,
                              exact={1})

    def tail(self, tally: Tally) -> str:
        return ""


GRADEBOOKS: dict[str, type[Writer]] = {"canvas": CanvasGradebook, "moodle": MoodleGradebook,
                                       "gradescope": GradescopeGradebook}
