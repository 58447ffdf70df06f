"""Moodle XML: one numerical (or true/false) question per answer and variant.

Element names and defaults follow Moodle's own importer, `question/format/xml/
format.php` (import_headers, import_answer, import_numerical, import_truefalse,
import_category); docs/lms.md cites them. The XML is built with lxml (escaping is
the library's job, never string pasting) and validated against `moodle.rng`, the
RELAX NG schema of the subset we write, before it is returned.

What a question holds:
- the problem's statement and the givens written in the sheet (the handout's view:
  no derived value), then the ask with the unit to answer in;
- the right value with `fraction="100"` and an *absolute* tolerance (Moodle's
  nominal tolerance) from the sheet's relative one, 0 for whole numbers below 10^7;
- each known mistake the grader diagnoses as an answer whose feedback names it and
  whose fraction is the sheet's credit for it (`[grading.credit]`, rounded down to a
  grade Moodle allows, and noted), with a tolerance that overlaps neither the right
  answer nor another mistake; mistakes whose values coincide share one answer
  ("Either: ... Or: ..."); a mistake too close to the right value is left out and
  reported; then the credit curve's bands and a `*` answer for the `other` credit;
- units with exact multipliers relative to the display unit (GB 1, GiB 0.93132...);
- the worked solution (the web page's answer, MathML) as general feedback.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from importlib import resources

from lxml import etree

from derivations.grade.credit import percent
from derivations.grade.keys import AnswerKey
from derivations.library.units import UNITS
from derivations.lms.cloze import question as cloze_question
from derivations.lms.parts import (
    Drawn,
    earning,
    feedback,
    general_feedback,
    mistakes,
    moodle_fraction,
    percent_text,
    question_html,
    rounded_note,
    text_element,
)
from derivations.numbers import compact, exact_decimal
from derivations.present import plots as plot_data
from derivations.present.prose import markup
from derivations.present.shown import unit_label
from derivations.render.html import to_html
from derivations.sheet.model import Ask, Problem, Sheet
from derivations.solver.solution import Solution

PENALTY = "0.3333333"  # Moodle's default penalty for another try


@dataclass
class Export:
    """The XML text, how many questions it holds, and what was left out and why."""

    xml: bytes
    questions: int = 0
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # credit rounded to Moodle's grades


def schema() -> etree.RelaxNG:
    text = resources.files("derivations.lms").joinpath("moodle.rng").read_bytes()
    return etree.RelaxNG(etree.fromstring(text))


def export(sheet: Sheet, variants: list[tuple[str, Solution]], cloze: bool = False,
           tick: Callable[[], None] | None = None) -> Export:
    """Moodle XML for every answer of every variant (`[("v00", solution)]` for none);
    `cloze`: one embedded-answers question per problem and variant instead; `tick` is
    called after each question (a progress bar)."""
    quiz = etree.Element("quiz")
    result = Export(b"")
    drawn = [Drawn(vid, solution, plot_data.plot_data(solution)) for vid, solution in variants]
    for problem in sheet.problems:
        if cloze:
            _category(quiz, sheet, problem.id, "", problem.title)
            for each in drawn:
                node = cloze_question(sheet, each, problem, result.skipped)
                if tick is not None:
                    tick()
                if node is not None:
                    quiz.append(node)
                    result.questions += 1
            continue
        for ask in problem.asks:
            answer_id = f"{problem.id}.{ask.id}"
            _category(quiz, sheet, problem.id, answer_id, ask.text)
            for each in drawn:
                question = _question(sheet, each, problem, ask, result)
                if tick is not None:
                    tick()
                if question is not None:
                    quiz.append(question)
                    result.questions += 1
    tree = etree.ElementTree(quiz)
    validator = schema()
    if not validator.validate(tree):  # a bug in this module, never bad input
        raise AssertionError(f"Moodle XML does not match moodle.rng: {validator.error_log}")
    result.xml = etree.tostring(tree, xml_declaration=True, encoding="UTF-8",
                                pretty_print=True)
    return result


def _category(quiz: etree._Element, sheet: Sheet, problem: str, answer_id: str,
              heading: str) -> None:
    """`$course$/SHEET/PROBLEM/ANSWER` (or `.../PROBLEM` for cloze questions)."""
    name = answer_id or problem
    question = etree.SubElement(quiz, "question", type="category")
    text_element(question, "category", f"$course$/{sheet.name}/{problem}"
                 + (f"/{answer_id}" if answer_id else ""))
    text_element(question, "info", f"{name}: {heading}" if heading else name, "plain_text")
    etree.SubElement(question, "idnumber").text = f"{sheet.name}.{name}"


def _question(sheet: Sheet, drawn: Drawn, problem: Problem, ask: Ask, result: Export
              ) -> etree._Element | None:
    solution, vid = drawn.solution, drawn.vid
    answer_id = f"{problem.id}.{ask.id}"
    answer = solution.answers[answer_id]
    if isinstance(answer.value, tuple):
        result.skipped.append(f"{answer_id} {vid}: a list answer has no Moodle numerical form")
        return None
    kind = "truefalse" if isinstance(answer.value, bool) else "numerical"
    question = etree.Element("question", type=kind)
    text_element(question, "name", f"{answer_id} {vid}")
    text_element(question, "questiontext",
                 question_html(drawn, problem.id, answer_id), "html")
    feedback(question, general_feedback(drawn, problem, [ask]))
    etree.SubElement(question, "defaultgrade").text = compact(ask.points)
    etree.SubElement(question, "penalty").text = PENALTY
    etree.SubElement(question, "hidden").text = "0"
    etree.SubElement(question, "idnumber").text = f"{sheet.name}.{answer_id}.{vid}"
    key = drawn.keys[answer_id] if kind == "numerical" else None
    if key is None:
        for truth in (True, False):
            node = etree.SubElement(question, "answer", fraction="100" if truth is answer.value
                                    else "0", format="moodle_auto_format")
            etree.SubElement(node, "text").text = "true" if truth else "false"
            text_element(node, "feedback", "Correct." if truth is answer.value else
                  "Not so: see the worked solution.", "html")
        return question
    _numerical(question, key, f"{answer_id} {vid}", result, sheet, ask)
    return question


def _numerical(question: etree._Element, key: AnswerKey, where: str, result: Export,
               sheet: Sheet, ask: Ask) -> None:
    """The right answer, the wrong answers the grader names, the credit curve's bands
    and a `*` answer for any other number, in that order: Moodle gives a response the
    grade of the first answer whose tolerance holds it (qtype_numerical_question::
    get_matching_answer), as `derive check` tries a named mistake before the curve."""
    factor = UNITS[key.display_unit].factor if key.display_unit in UNITS else Fraction(1)
    scale = 1 / float(factor)
    expected = key.expected * scale
    tolerance = abs(expected) * key.tolerance
    earned = earning(sheet, ask)
    _answer(question, "100", expected, tolerance, "Correct.")
    for wrong in mistakes(key, scale, expected, tolerance, where, result.skipped, earned):
        _answer(question, _fraction(wrong.share, where, result), wrong.value,
                wrong.tolerance, str(to_html(markup(wrong.feedback))))
    for error, share in sheet.grading.curve:
        if share and error > key.tolerance:
            _answer(question, _fraction(share, where, result), expected,
                    abs(expected) * error, f"Not right, but within {percent(error)} of it.")
    other = earned(("",), math.inf)
    if other:
        _answer(question, _fraction(other, where, result), "*", 0.0,
                "Not right: see the worked solution.")
    units = _units(key.display_unit)
    if units:
        node = etree.SubElement(question, "units")
        for name, unit_factor in units.items():
            item = etree.SubElement(node, "unit")
            etree.SubElement(item, "multiplier").text = exact_decimal(factor / unit_factor)
            etree.SubElement(item, "unit_name").text = name
    for tag, text in (("unitgradingtype", "0"), ("unitpenalty", "0.1000000"),
                      ("showunits", "0" if units else "3"), ("unitsleft", "0")):
        etree.SubElement(question, tag).text = text


def _units(display: str) -> dict[str, Fraction]:
    """Unit names a student may write -> factor, the display unit first. Pure numbers
    have none (a `%` answer has only `%`: 8 is not 800 %)."""
    if display not in UNITS or display == "1":
        return {}
    canonical = UNITS[display].canonical
    ordered = [UNITS[display]] + [u for u in UNITS.values() if u.canonical == canonical
                                  and u.name != display and canonical != "1"]
    found: dict[str, Fraction] = {}
    for unit in ordered:
        for name in (unit_label(unit.name) or unit.name, unit.name):
            found.setdefault(name, unit.factor)
    return found


def _fraction(share: float, where: str, result: Export) -> str:
    """The answer's `fraction` attribute; a share Moodle does not allow is rounded down
    and noted once per answer id and share."""
    fraction = moodle_fraction(share)
    note = rounded_note(where.split(" ")[0], share, fraction)
    if note is not None and note not in result.notes:
        result.notes.append(note)
    return percent_text(fraction)


def _answer(question: etree._Element, fraction: str, value: float | str, tolerance: float,
            feedback: str) -> None:
    node = etree.SubElement(question, "answer", fraction=fraction, format="moodle_auto_format")
    etree.SubElement(node, "text").text = value if isinstance(value, str) else repr(value)
    text_element(node, "feedback", feedback, "html")
    etree.SubElement(node, "tolerance").text = repr(tolerance)
