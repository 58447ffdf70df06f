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
from typing import Any

from derivations.errors import SpecError, suggest
from derivations.grade.grader import StudentResult, summarise

Submission = tuple[str, dict[str, Any]]


def read_answers(text: str, file: str, answer_ids: list[str]) -> list[Submission]:
    """Parse an answers file by its extension; raises SpecError with the location."""
    if file.lower().endswith(".csv"):
        return _from_csv(text, file, answer_ids)
    if file.lower().endswith(".json"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SpecError(file, "", f"malformed JSON: {exc.msg} (column {exc.colno})",
                            exc.lineno) from None
    elif file.lower().endswith(".toml"):
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise SpecError(file, "", f"malformed TOML: {exc}") from None
    else:
        raise SpecError(file, "", "answers must be a .csv, .json or .toml file")
    items = data if isinstance(data, list) else [data]
    return [_from_mapping(item, file, answer_ids, index) for index, item in enumerate(items)]


MAX_CELL = 64 * 2**20  # a huge cell is read (and graded as unparsed), not refused


def _from_csv(text: str, file: str, answer_ids: list[str]) -> list[Submission]:
    csv.field_size_limit(MAX_CELL)
    reader = csv.DictReader(io.StringIO(text))
    try:
        return _rows(reader, file, answer_ids)
    except csv.Error as exc:
        raise SpecError(file, "", f"malformed CSV: {exc}", reader.line_num or None) from None


def _rows(reader: csv.DictReader, file: str, answer_ids: list[str]) -> list[Submission]:
    columns = reader.fieldnames or []
    if "student" not in columns:
        raise SpecError(file, "", "the first row must name the columns, with a 'student' "
                        "column and one column per answer id (e.g. E2.D_new)", 1)
    _check_ids([c for c in columns if c != "student"], file, answer_ids, 1)
    rows = []
    for row in reader:
        student = (row.get("student") or "").strip() or f"row {reader.line_num}"
        rows.append((student, {k: v for k, v in row.items() if k != "student" and k}))
    return rows


def _from_mapping(item: Any, file: str, answer_ids: list[str], index: int) -> Submission:
    if not isinstance(item, dict):
        raise SpecError(file, f"#{index + 1}", "expected an object of answer id -> answer")
    student = str(item.get("student", f"student {index + 1}"))
    answers = item.get("answers", {k: v for k, v in item.items() if k != "student"})
    if not isinstance(answers, dict):
        raise SpecError(file, f"#{index + 1}.answers", "expected an object of answer id -> answer")
    _check_ids(list(answers), file, answer_ids, None)
    return student, {k: (v if isinstance(v, str | bool) or v is None else json.dumps(v))
                     for k, v in answers.items()}


def _check_ids(given: list[str], file: str, answer_ids: list[str], line: int | None) -> None:
    for name in given:
        if name not in answer_ids:
            close = suggest(name, answer_ids)
            hint = f" (did you mean {' or '.join(map(repr, close))}?)" if close else ""
            raise SpecError(file, name, f"unknown answer id {name!r}{hint}", line)


def as_json(sheet: str, results: list[StudentResult], keys: dict) -> str:
    data = {
        "sheet": sheet,
        "students": [{"student": r.student, "score": r.score, "max": r.max,
                      "answers": {aid: v.as_json() for aid, v in r.answers.items()}}
                     for r in results],
        "summary": summarise(results, keys),
    }
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def as_csv(results: list[StudentResult]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["student", "answer", "verdict", "expected", "given", "points", "max",
                     "diagnosis", "feedback"])
    for result in results:
        for aid, v in result.answers.items():
            writer.writerow([result.student, aid, v.verdict, v.expected, v.given, v.points,
                             v.max_points, v.diagnosis, v.feedback])
    return out.getvalue()


def as_text(results: list[StudentResult], keys: dict) -> str:
    lines = []
    for result in results:
        lines.append(f"{result.student}: {result.score:g} / {result.max:g}")
        for aid, v in result.answers.items():
            lines.append(f"  {aid:<18} {v.verdict:<22} {v.points:g}/{v.max_points:g}  "
                         f"{v.feedback}")
    if len(results) > 1:
        lines.append("")
        lines.append("Summary (right / students, most common mistake):")
        summary = summarise(results, keys)
        for aid in keys:
            item = summary[aid]
            common = item["common_mistake"]
            note = f"  {common['diagnosis']} ({common['count']})" if common else ""
            lines.append(f"  {aid:<18} {item['correct']}/{item['students']}{note}")
        lines.append(f"  mean score {summary['_class']['mean_score']:.2f} / "
                     f"{summary['_class']['max']:g}")
    return "\n".join(lines) + "\n"
