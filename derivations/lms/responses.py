"""Reading what an LMS gives back: a Moodle quiz "Responses" report or a Canvas quiz
"Student Analysis" report, both downloaded as CSV.

Every question derive exports carries its tag, `[SHEET.ANSWER.VARIANT]`, at the end of
its text; both reports repeat the question text (Moodle in the `Question N` columns,
Canvas in the headers of the question columns), which is how a response is tied to its
answer id and variant even when each student drew different variants.

Columns read (everything else is ignored):
- Moodle: the student is `ID number`, else `Username`, else `Email address` (the first
  present and not empty); for each slot N, `Question N` (with the tag) and
  `Response N`. Download the report with "Question text" and "Response" ticked.
- Canvas: the student is `sis_id`, else `id`; each column whose header is `<question
  id>: <question text>` with the tag holds that question's responses (a student who
  did not draw the question has the cell empty).

One student never stops the class: with retries allowed a report lists every attempt,
and one attempt per student is graded (`ATTEMPTS`: the last finished by default), with
a note naming it; Moodle's "Overall average" footer and a row without an id are
skipped with a located note.
"""

from __future__ import annotations

import csv
import dataclasses
import re
from datetime import datetime
from pathlib import Path

from derivations.errors import SpecError
from derivations.files import csv_reader
from derivations.grade.grader import Grader
from derivations.grade.runner import Submission
from derivations.grade.verdicts import StudentResult, verdict
from derivations.variants.grading import VariantGraders

TAG = re.compile(r"\[([A-Za-z][A-Za-z0-9_]*)\.([A-Za-z][A-Za-z0-9_]*\.[A-Za-z][A-Za-z0-9_]*)"
                 r"\.(v\d{2,4})\]")
MOODLE_IDS = ("ID number", "Username", "Email address")
CANVAS_IDS = ("sis_id", "id")
#: Which attempt of a student with several is graded: the first or last started
#: (Moodle's `Started on`, Canvas's `attempt`; else the order of the rows), or the one
#: the LMS scored best (`Grade/…`, `score`). Unfinished Moodle attempts count only
#: when a student has no finished one.
ATTEMPTS = ("last", "first", "best")


def is_report(text: str, path: Path) -> bool:
    """Is this file a Moodle Responses or Canvas Student Analysis report (a CSV whose
    header is one of theirs)?"""
    if path.suffix.lower() != ".csv":
        return False
    first = next(csv.reader([text.split("\n", 1)[0]]), [])
    return kind(first) is not None


def kind(header: list[str]) -> str | None:
    """`moodle` or `canvas` when the CSV header is one of those reports, else None."""
    names = [h.strip() for h in header]
    if any(re.fullmatch(r"Response \d+", n) for n in names):
        return "moodle"
    if {"name", "id", "sis_id"} <= set(names):
        return "canvas"
    return None


def read_responses(text: str, file: str, sheet: str, answer_ids: list[str],
                   attempt: str = "last", notes: list[str] | None = None
                   ) -> tuple[list[Submission], list[str]]:
    """The responses (each answer with the variant its question came from), and the
    answer ids the quiz asked (in sheet order). `notes` collects what was skipped or
    chosen (which attempt was graded), each with its file and line."""
    notes = [] if notes is None else notes
    reader = csv_reader(text)
    try:
        rows = [(reader.line_num, r) for r in reader if any(c.strip() for c in r)]
    except csv.Error as exc:
        raise SpecError(file, "", f"malformed CSV: {exc}", reader.line_num or None) from None
    if not rows:
        raise SpecError(file, "", "empty file")
    header = [h.strip() for h in rows[0][1]]
    which = kind(header)
    read = _moodle if which == "moodle" else _canvas
    chosen = _attempts(header, rows[1:], MOODLE_IDS if which == "moodle" else CANVAS_IDS,
                       file, attempt, notes)
    found = read(header, chosen, file, sheet, set(answer_ids), notes)
    from_v00 = sum(1 for r in found for v in r.variants.values() if v == "v00")
    if from_v00:
        notes.append(f"{file}: {from_v00} responses come from v00, the sheet as written "
                     "(whose solutions derive build publishes): graded against it")
    if not found:
        raise SpecError(file, "", "no student rows after the header")
    asked = set().union(*(r.answers for r in found))
    if which == "moodle":
        asked |= {tag[0] for line, cells in rows[1:] for index, name in enumerate(header)
                  if re.fullmatch(r"Question \d+", name)
                  if (tag := _tag(_cell(cells, index), sheet, set(answer_ids), file, line))}
    else:
        asked |= {tag[0] for name in header if (tag := _tag(name, sheet, set(answer_ids),
                                                            file, 1))}
    return found, [aid for aid in answer_ids if aid in asked]


def _tag(text: str, sheet: str, answer_ids: set[str], file: str, line: int | None
         ) -> tuple[str, str] | None:
    match = TAG.search(text)
    if match is None:
        return None
    if match.group(1) != sheet:
        raise SpecError(file, "", f"the question {match.group(0)} belongs to sheet "
                        f"{match.group(1)!r}, not {sheet!r}", line)
    if match.group(2) not in answer_ids:
        raise SpecError(file, "", f"the question {match.group(0)} names no answer of the "
                        "sheet", line)
    return match.group(2), match.group(3)


def _student(header: list[str], cells: list[str], ids: tuple[str, ...]) -> str | None:
    for name in ids:
        if name in header:
            index = header.index(name)
            if index < len(cells) and cells[index].strip():
                return cells[index]  # an id is compared and written back exactly
    return None


def _attempts(header: list[str], rows: list, ids: tuple[str, ...], file: str, policy: str,
              notes: list[str]) -> list[tuple[int, list[str], str]]:
    """(line, cells, student id): one row per student, the attempt `policy` picks."""
    by_student: dict[str, list[tuple[int, list[str]]]] = {}
    for line, cells in rows:
        student = _student(header, cells, ids)
        if student is None:
            first = cells[0].strip() if cells else ""
            why = ("the report's average row" if first.lower().startswith("overall average")
                   else f"no student id (looked in {', '.join(ids)})")
            notes.append(f"{file}:{line}: skipped: {why}")
            continue
        by_student.setdefault(student, []).append((line, cells))
    chosen = []
    for student, attempts in by_student.items():
        line, cells = _pick(header, attempts, policy)
        if len(attempts) > 1:
            lines = ", ".join(str(n) for n, _ in attempts)
            notes.append(f"{file}:{line}: {student!r} has {len(attempts)} attempts (lines "
                         f"{lines}); graded the {policy} (line {line})")
        chosen.append((line, cells, student))
    return sorted(chosen)


def _pick(header: list[str], attempts: list[tuple[int, list[str]]], policy: str
          ) -> tuple[int, list[str]]:
    """One attempt of a student: finished ones first (Moodle's `State`), ordered by when
    they started (else by row), or by the LMS's own score for `best`."""
    if "State" in header:
        state = header.index("State")
        finished = [a for a in attempts if _cell(a[1], state).strip() == "Finished"]
        attempts = finished or attempts
    if policy == "best":
        column = next((i for i, h in enumerate(header) if h.startswith("Grade/") or
                       h == "score"), None)
        if column is not None:
            return max(attempts, key=lambda a: (_number(_cell(a[1], column)), a[0]))
    ordered = sorted(attempts, key=lambda a: (_started(header, a[1]), a[0]))
    return ordered[0] if policy == "first" else ordered[-1]


def _number(text: str) -> float:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return float("-inf")  # not scored ("-", empty): never the best


def _started(header: list[str], cells: list[str]) -> tuple[int, str]:
    """When an attempt started, as a sortable key: Moodle's `Started on` (`1 December
    2026  10:02 AM`), Canvas's `attempt` number; (0, '') when neither is readable."""
    if "Started on" in header:
        text = " ".join(_cell(cells, header.index("Started on")).split())
        try:
            return 1, datetime.strptime(text, "%d %B %Y %I:%M %p").isoformat()
        except ValueError:
            return 0, ""
    if "attempt" in header:
        return 1, _cell(cells, header.index("attempt")).strip().zfill(6)
    return 0, ""


def _moodle(header: list[str], rows: list, file: str, sheet: str, answer_ids: set[str],
            notes: list[str]) -> list[Submission]:
    slots = sorted(int(n.split()[1]) for n in header if re.fullmatch(r"Response \d+", n))
    missing = [n for n in slots if f"Question {n}" not in header]
    if missing:
        raise SpecError(file, "", f"no 'Question {missing[0]}' column: download the Responses "
                        "report with the question text, which names each question's answer "
                        "and variant", 1)
    found: list[Submission] = []
    tagged_slots: set[int] = set()
    for line, cells, student in rows:
        answers, unread = {}, {}
        for slot in slots:
            question = _cell(cells, header.index(f"Question {slot}"))
            response = _cell(cells, header.index(f"Response {slot}"))
            tagged = _slot_tag(question, response, sheet, answer_ids, file, line,
                               f"slot {slot} of {student!r}", notes)
            if tagged is None:
                loose = re.search(rf"\[{re.escape(sheet)}\.([A-Za-z]\w*\.[A-Za-z]\w*)[.\]]",
                                  question)
                if loose and loose.group(1) in answer_ids and response.strip():
                    tags = len(TAG.findall(question))
                    unread[loose.group(1)] = (response, f"the question carries {tags} tags"
                                              if tags > 1 else "the question's tag is malformed")
                continue
            tagged_slots.add(slot)
            answers[tagged[0]] = (tagged[1], response)
        submission = _submission(student, answers, line=line)
        found.append(dataclasses.replace(
            submission, answers={**{a: r for a, (r, _) in unread.items()},
                                 **submission.answers},
            unread={a: why for a, (_, why) in unread.items()}))
    for slot in slots:
        if slot not in tagged_slots:
            notes.append(f"{file}: not graded: no row's Question {slot} carries a tag, so its "
                         "responses are left out and the class is scored without it")
    return found


def _slot_tag(question: str, response: str, sheet: str, answer_ids: set[str], file: str,
              line: int, where: str, notes: list[str]) -> tuple[str, str] | None:
    """The (answer id, variant) of one response, or None with a located note when the
    question's tag is missing, malformed or doubled and something was answered."""
    count = len(TAG.findall(question))
    if count > 1:
        notes.append(f"{file}:{line}: not graded: {where} carries {count} tags; an exported "
                     "question carries one")
        return None
    tagged = _tag(question, sheet, answer_ids, file, line)
    if tagged is None and response.strip():
        why = "a malformed tag" if f"[{sheet}." in question else "no tag"
        notes.append(f"{file}:{line}: not graded: {where} has {why} (an exported question "
                     f"ends with [{sheet}.ANSWER.vNN]) but an answer")
    return tagged


def _canvas(header: list[str], rows: list, file: str, sheet: str, answer_ids: set[str],
            notes: list[str]) -> list[Submission]:
    columns = {}
    for index, name in enumerate(header):
        tagged = _tag(name, sheet, answer_ids, file, 1)
        if tagged is not None:
            columns[index] = tagged
    if not columns:
        raise SpecError(file, "", "no question column names a question derive exported "
                        "(its text ends with [SHEET.ANSWER.VARIANT])", 1)
    found: list[Submission] = []
    known: list[str] = [name for name in ("name", "id", "sis_id") if name in header]
    for line, cells, student in rows:
        identity = {name: _cell(cells, header.index(name)) for name in known}
        answers = {}
        for index, (answer_id, variant) in columns.items():
            written = _cell(cells, index)
            if written.strip():
                if answer_id in answers:
                    raise SpecError(file, "", f"{student!r} answered two variants of "
                                    f"{answer_id}", line)
                answers[answer_id] = (variant, written)
        found.append(_submission(student, answers, identity, line))
    return found


def _submission(student: str, answers: dict[str, tuple[str, str]],
                identity: dict[str, str] | None = None, line: int | None = None
                ) -> Submission:
    """answer id -> (variant, written) as a submission."""
    return Submission(student, {aid: text for aid, (_, text) in answers.items()},
                      variants={aid: variant for aid, (variant, _) in answers.items()},
                      identity=identity or {}, line=line)


def _cell(cells: list[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""


class ResponseGrader:
    """Marks LMS responses, each answer against the variant its question came from.

    Answers of one variant are marked together (so carried-forward works within a
    variant); a student who drew different variants for different answers gets each
    marked by that variant's grader, merged in sheet order.
    """

    def __init__(self, base: Grader, pool: VariantGraders | None, file: str,
                 asked: list[str]) -> None:
        self.base, self.pool, self.file, self.asked = base, pool, file, asked

    def grader(self, variant: str) -> Grader:
        if variant == "v00" and (self.pool is None or "v00" not in self.pool.stored):
            return self.base
        if self.pool is None:
            raise SpecError(self.file, "", f"the responses name variant {variant}: pass the "
                            "pool with --variants NAME.variants.json")
        return self.pool.grader(variant)

    def grade(self, submission: Submission) -> StudentResult:
        student, answers = submission.student, submission.answers
        variants = sorted(set(submission.variants.values())) or ["v00"]
        verdicts = {}
        where = f"{self.file}:{submission.line}" if submission.line else self.file
        for aid, why in submission.unread.items():
            verdicts[aid] = verdict(self.base.keys[aid], "unparsed", answers[aid],
                                    f"Not graded: {where}: {why}.")
        for variant in variants:
            mine = {aid: written for aid, written in answers.items()
                    if submission.variants.get(aid) == variant}
            if self.pool is not None and variant != "v00" and variant not in self.pool.stored:
                # a tag naming a variant the pool does not have: that answer, not the class
                for aid, written in mine.items():
                    verdicts[aid] = verdict(self.base.keys[aid], "unparsed", written,
                                            f"Not graded: {where}: the question names "
                                            f"variant {variant}, which is not in the pool.")
                continue
            result = self.grader(variant).grade(student, mine)
            for aid, marked in result.answers.items():
                if aid in mine or aid not in verdicts:
                    verdicts[aid] = marked
        ordered = {aid: verdicts[aid] for aid in self.asked}  # the quiz's questions only
        return StudentResult(student, ordered, variant="+".join(variants))
