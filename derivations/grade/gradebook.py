"""Answer files in, grades out: CSV / JSON / TOML parsing and text / JSON / CSV output.

Pure functions of text: the CLI reads and writes the files. A class CSV has a
`student` column and one column per answer id (`E2.D_new`); a JSON or TOML file holds
one student (`{"student": "s1", "answers": {...}}` or just the answers) or a list.
"""

from __future__ import annotations

import csv
import io
import json
import tomllib
from collections.abc import Collection, Iterator, Sequence
from typing import Any

from derivations.errors import SpecError, suggest
from derivations.files import csv_reader
from derivations.grade.tally import Tally
from derivations.grade.verdicts import StudentResult
from derivations.numbers import compact, fixed
from derivations.present.text import plain

Submission = tuple[str, dict[str, Any]]


def read_answers(text: str, file: str, answer_ids: list[str]
                 ) -> Sequence[Submission] | CsvAnswers:
    """Parse an answers file by its extension; raises SpecError with the location."""
    if file.lower().endswith(".csv"):
        return _from_csv(text, file, answer_ids)
    if file.lower().endswith(".json"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SpecError(file, "", f"malformed JSON: {exc.msg} (column {exc.colno})",
                            exc.lineno) from None
        except RecursionError:
            raise SpecError(file, "", "JSON nested too deeply") from None
    elif file.lower().endswith(".toml"):
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise SpecError(file, "", f"malformed TOML: {exc}") from None
        except RecursionError:
            raise SpecError(file, "", "TOML nested too deeply") from None
    else:
        raise SpecError(file, "", "answers must be a .csv, .json or .toml file")
    items = data if isinstance(data, list) else [data]
    return [_from_mapping(item, file, answer_ids, index) for index, item in enumerate(items)]




def _from_csv(text: str, file: str, answer_ids: list[str]) -> CsvAnswers:
    answers = CsvAnswers(text, file, answer_ids)
    answers.validate()
    return answers


class CsvAnswers:
    """The rows of a class CSV, read twice: once to check it, once, lazily, to grade.

    Why two passes: a malformed row is reported (with its line) before any grade is
    written, and the rows are never all held in memory as dictionaries at once.
    Refused: a missing, repeated or empty column name, a row with more cells than the
    header, an unterminated quote, the same student twice, no student rows. A row
    with fewer cells than the header leaves the answers after it missing.
    """

    def __init__(self, text: str, file: str, answer_ids: list[str]) -> None:
        self.text, self.file, self.answer_ids = text, file, answer_ids
        self.columns: list[str] = []
        self.count = 0

    def __len__(self) -> int:
        return self.count

    def _rows(self) -> Iterator[tuple[int, list[str]]]:
        reader = csv_reader(self.text)
        try:
            self.columns = _header(next(reader, None), self.file, self.answer_ids)
            for cells in reader:
                if any(cell.strip() for cell in cells):
                    yield reader.line_num, cells
        except csv.Error as exc:
            raise SpecError(self.file, "", f"malformed CSV: {exc}",
                            reader.line_num or None) from None

    def validate(self) -> None:
        seen: dict[str, int] = {}
        for line, cells in self._rows():
            if len(cells) > len(self.columns):
                raise SpecError(self.file, "", f"this row has {len(cells)} cells but the "
                                f"header names {len(self.columns)} columns (a comma inside "
                                "an answer needs quotes)", line)
            student = self._student(line, cells)
            if student in seen:
                raise SpecError(self.file, "", f"student {student!r} appears twice (first "
                                f"on line {seen[student]}); which answers count?", line)
            seen[student] = line
        self.count = len(seen)
        if not self.count:
            raise SpecError(self.file, "", "no student rows after the header")

    def _student(self, line: int, cells: list[str]) -> str:
        index = self.columns.index("student")
        name = cells[index] if index < len(cells) else ""
        return name if name.strip() else f"row {line}"  # an id is compared exactly

    def __iter__(self) -> Iterator[Submission]:
        for line, cells in self._rows():
            row = dict(zip(self.columns, cells, strict=False))
            row.pop("student", None)
            yield self._student(line, cells), row


def _header(header: list[str] | None, file: str, answer_ids: list[str]) -> list[str]:
    columns = [name.strip() for name in header or []]
    if "student" not in columns:
        raise SpecError(file, "", "the first row must name the columns, with a 'student' "
                        "column and one column per answer id (e.g. E2.D_new)", 1)
    for index, name in enumerate(columns):
        if not name:
            raise SpecError(file, "", f"column {index + 1} of the header has no name", 1)
        if columns.count(name) > 1:
            raise SpecError(file, name, f"column {name!r} appears {columns.count(name)} "
                            "times in the header; which one counts?", 1)
    _check_ids([c for c in columns if c != "student"], file, answer_ids, 1)
    return columns


def _from_mapping(item: Any, file: str, answer_ids: list[str], index: int) -> Submission:
    if not isinstance(item, dict):
        raise SpecError(file, f"#{index + 1}", "expected an object of answer id -> answer")
    student = str(item.get("student", f"student {index + 1}"))
    answers = item.get("answers", {k: v for k, v in item.items() if k != "student"})
    if not isinstance(answers, dict):
        raise SpecError(file, f"#{index + 1}.answers", "expected an object of answer id -> answer")
    if "variant" in answer_ids and "answers" in item and "variant" in item:
        answers = {**answers, "variant": item["variant"]}  # graded against that variant
    _check_ids(list(answers), file, answer_ids, None)
    return student, {k: _cell(v) for k, v in answers.items()}


def _cell(value: Any) -> str | bool | None:
    """An answer from JSON/TOML as the text a student would have typed."""
    if isinstance(value, str | bool) or value is None:
        return value
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)  # numbers, and TOML dates (graded as unparsed)


def _check_ids(given: list[str], file: str, answer_ids: list[str], line: int | None) -> None:
    for name in given:
        if name not in answer_ids:
            close = suggest(name, answer_ids)
            hint = f" (did you mean {' or '.join(map(repr, close))}?)" if close else ""
            raise SpecError(file, name, f"unknown answer id {name!r}{hint}", line)


def safe_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run: text starting with =, +, -, @, tab or
    carriage return gets a leading single quote (OWASP's advice for CSV injection);
    numbers we write ourselves stay numbers."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def write_csv_rows(rows: Any, quote_all: bool = False, exact: Collection[int] = ()) -> str:
    """CSV text of `rows`, every text cell neutralised for spreadsheets (see
    `safe_cell`) except the columns in `exact`: ids that derive or an LMS reads back
    by key (`@jdoe`, `+44123`, `-5`) stay byte for byte, or no one is matched; an id
    is data, never folded, stripped or prefixed. `quote_all` quotes every cell, so
    that an id such as 00123 is read back as text."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    for row in rows:
        writer.writerow([cell if k in exact else safe_cell(cell) for k, cell in enumerate(row)])
    return out.getvalue()


def printable(text: str) -> str:
    """A name as one visible line: control characters (ANSI escapes, newlines) shown
    as escapes, so a student name cannot forge lines or recolour a terminal."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


class Writer:
    """One output format of `derive check`, written one student at a time.

    `head()` before the first student, `student(result)` for each, `tail(tally)` at
    the end: a class of any size is graded and written without holding every
    verdict in memory.
    """

    def __init__(self, sheet: str, keys: dict, variants: bool = False) -> None:
        self.sheet, self.keys, self.count = sheet, keys, 0
        self.variants = variants  # a class where each student has a variant

    def head(self) -> str:
        return ""

    def student(self, result: StudentResult) -> str:
        raise NotImplementedError

    def tail(self, tally: Tally) -> str:
        return ""


class TextWriter(Writer):
    """Per student a score line and one line per answer; a class summary at the end."""

    def student(self, result: StudentResult) -> str:
        who = printable(result.student) + (f" ({result.variant})" if result.variant else "")
        if result.note:
            return f"{who}: not graded: {result.note}\n"
        lines = [f"{who}: {compact(result.score)} / {compact(result.max)}"]
        for aid, v in result.answers.items():
            lines.append(f"  {aid:<18} {v.verdict:<22} {compact(v.points)}/"
                         f"{compact(v.max_points)}  {plain(v.feedback)}")
        return "\n".join(lines) + "\n"

    def tail(self, tally: Tally) -> str:
        if tally.students <= 1:
            return ""
        lines = ["", "Summary (right / students, most common mistake):"]
        summary = tally.summary()
        for aid in self.keys:
            item = summary[aid]
            common = item["common_mistake"]
            note = f"  {common['diagnosis']} ({common['count']})" if common else ""
            lines.append(f"  {aid:<18} {item['correct']}/{item['students']}{note}")
        lines.append(f"  mean score {fixed(summary['_class']['mean_score'], 2)} / "
                     f"{compact(summary['_class']['max'])}")
        return "\n".join(lines) + "\n"


class JsonWriter(Writer):
    """`{"sheet", "students": [...], "summary"}`, the contract in DESIGN.md."""

    def head(self) -> str:
        return "{\n" + f' "sheet": {json.dumps(self.sheet, ensure_ascii=False)},\n "students": ['

    def student(self, result: StudentResult) -> str:
        data: dict[str, Any] = {"student": result.student}
        if self.variants:
            data["variant"] = result.variant or None
        if result.note:
            data["error"] = result.note
        data.update(score=result.score, max=result.max,
                    answers={aid: v.as_json() for aid, v in result.answers.items()})
        body = _indent(json.dumps(data, indent=1, ensure_ascii=False), "  ")
        self.count += 1
        return ("," if self.count > 1 else "") + "\n" + body

    def tail(self, tally: Tally) -> str:
        close = "\n ]" if self.count else "]"
        summary = _indent(json.dumps(tally.summary(), indent=1, ensure_ascii=False), " ")
        return f'{close},\n "summary": {summary.lstrip()}\n}}\n'


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line for line in text.split("\n"))


class CsvWriter(Writer):
    """One row per student and answer; text cells neutralised for spreadsheets."""

    def head(self) -> str:
        return write_csv_rows([["student", *(["variant"] if self.variants else []), "answer",
                                "verdict", "expected", "given", "points", "max", "diagnosis",
                                "feedback"]])

    def student(self, result: StudentResult) -> str:
        first = [result.student, *([result.variant] if self.variants else [])]
        if result.note:
            return write_csv_rows([[*first, "", "ungraded", "", "", 0, 0, "", result.note]])
        return write_csv_rows(
            [*first, aid, v.verdict, v.expected, v.given, v.points, v.max_points,
             v.diagnosis, plain(v.feedback)] for aid, v in result.answers.items())


WRITERS: dict[str, type[Writer]] = {"text": TextWriter, "json": JsonWriter, "csv": CsvWriter}
