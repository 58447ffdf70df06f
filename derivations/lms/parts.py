"""Pieces shared by the Moodle numerical and cloze writers: question text, general
feedback with plot files, and the known mistakes as non-overlapping answers."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lxml import etree

from derivations.grade.keys import AnswerKey
from derivations.lms.literal import literal
from derivations.numbers import compact, fixed
from derivations.present.questions import questions_context
from derivations.present.view import ask_view, plot_view, tag_of
from derivations.render import jinja
from derivations.sheet.model import Ask, Problem, Sheet
from derivations.solver.solution import Solution


def text_element(parent: etree._Element, tag: str, text: str, fmt: str | None = None) -> None:
    """A Moodle `<tag format=..><text>..</text></tag>`; HTML and plain text pass through
    `lms.literal`, so nothing meant literally reaches Moodle's math filters as math."""
    node = etree.SubElement(parent, tag)
    if fmt is not None:
        node.set("format", fmt)
    etree.SubElement(node, "text").text = literal(text) if fmt is not None else text


@dataclass
class Drawn:
    """One variant being exported, with what every question of it shares, computed
    once: its plots, its answer keys (the known mistakes) and its handout view."""

    vid: str
    solution: Solution
    plots: list[Any]
    _keys: dict[str, AnswerKey] | None = None
    _context: dict[str, Any] | None = None

    @property
    def keys(self) -> dict[str, AnswerKey]:
        if self._keys is None:
            from derivations.grade.grader import Grader

            self._keys = Grader(self.solution).keys
        return self._keys

    @property
    def context(self) -> dict[str, Any]:
        if self._context is None:
            self._context = questions_context(self.solution, self.plots, self.vid)
        return self._context


def question_html(drawn: Drawn, problem_id: str, answer_id: str | None) -> str:
    """The statement, the written givens and the ask, as the handout page shows them
    (`answer_id` None: the problem alone, for a cloze question)."""
    solution, vid, context = drawn.solution, drawn.vid, drawn.context
    problem = next(p for p in context["problems"] if p["id"] == problem_id)
    ask = next((a for a in problem["asks"] if a.id == answer_id), None)
    # the tag ties an LMS response to its answer and variant
    tag = f"{solution.sheet.name}.{answer_id or problem_id}.{vid}"
    return jinja.render("moodle_question.html.j2", {**context, "p": problem, "a": ask,
                                                    "tag": tag})


def general_feedback(drawn: Drawn, problem: Problem, asks: list[Ask] | None = None
                     ) -> tuple[str, list[tuple[str, bytes]]]:
    """The worked solution of some asks (all of the problem's by default) as the web
    page shows it, and the problem's plots as SVG files the HTML shows through
    `@@PLUGINFILE@@` (Moodle keeps files of a question as `<file>` elements)."""
    solution, vid = drawn.solution, drawn.vid
    views = [ask_view(solution.answers[f"{problem.id}.{a.id}"], a.text, tag_of(problem, a), vid)
             for a in (asks or problem.asks)]
    files = []
    for data in drawn.plots:
        if data.spec.after == problem.id:
            svg = jinja.render("plot.svg.j2", {"plot": plot_view(data)})
            files.append((f"{data.spec.id}.svg", svg.encode("utf-8")))
    return jinja.render("fragment.html.j2", {"asks": views, "files": files}), files


def feedback(question: etree._Element, made: tuple[str, list[tuple[str, bytes]]]) -> None:
    """`<generalfeedback>` with its text and the files it shows."""
    text, files = made
    node = etree.SubElement(question, "generalfeedback", format="html")
    etree.SubElement(node, "text").text = text
    for name, data in files:
        item = etree.SubElement(node, "file", name=name, path="/", encoding="base64")
        item.text = base64.b64encode(data).decode("ascii")


@dataclass(frozen=True)
class WrongAnswer:
    """One wrong answer an LMS question names: its value (in the question's unit), the
    share of the points it earns, and its feedback (prose markup, `$...$`)."""

    value: float
    tolerance: float
    share: float
    feedback: str


def mistakes(key: AnswerKey, scale: float, expected: float, tolerance: float, where: str,
             skipped: list[str], earned: Callable[[tuple[str, ...], float], float]
             ) -> list[WrongAnswer]:
    """Known mistakes (and the general slips the credit table names, `lms.credit`) as
    wrong answers, merged where they coincide, kept apart from the right answer and
    from each other. `earned(diagnoses, relative error)` is the share a value earns."""
    groups: list[tuple[float, list[str], list[str]]] = []
    for value, diagnosis, said in sorted(wrong_values(key, earned), key=lambda v: v[0]):
        value *= scale
        if groups and abs(value - groups[-1][0]) <= key.slip_tolerance * abs(value):
            if said not in groups[-1][1]:
                groups[-1][1].append(said)
            groups[-1][2].append(diagnosis)
            continue
        groups.append((value, [said], [diagnosis]))
    found = []
    for index, (value, feedbacks, diagnoses) in enumerate(groups):
        gap = abs(value - expected) - tolerance
        if gap <= 0 or value == expected:
            skipped.append(f"{where}: the mistake '{feedbacks[0]}' gives a value within "
                                  "the right answer's tolerance; left out")
            continue
        limit = [key.slip_tolerance * abs(value), gap / 2]
        for other in (index - 1, index + 1):
            if 0 <= other < len(groups):
                limit.append(abs(groups[other][0] - value) / 2)
        text = feedbacks[0] if len(feedbacks) == 1 else \
            "Either: " + " Or: ".join(feedbacks[:4])
        share = earned(tuple(diagnoses), abs(value - expected) / abs(expected))
        found.append(WrongAnswer(value, min(limit), share, text))
    return found


#: Powers of ten a general `power_of_ten` slip is written out for (a unit prefix off
#: by one or two steps, or a power of ten dropped), when the credit table names it.
POWERS = (-12, -9, -6, -3, -2, -1, 1, 2, 3, 6, 9, 12)


def wrong_values(key: AnswerKey, earned: Callable[[tuple[str, ...], float], float]
                 ) -> list[tuple[float, str, str]]:
    """(value, diagnosis, feedback) of every known mistake, and of the general slips
    whose credit differs from what any other wrong value earns (so that an LMS awards
    them what `derive check` does)."""
    from derivations.grade.grader import generic_slip

    found = [(slip.value, slip.diagnosis, slip.feedback) for slip in key.slips]
    if not key.expected:
        return found
    factors = {"sign": [-1.0], "factor_of_2": [2.0, 0.5],
               "power_of_ten": [10.0**k for k in POWERS],
               "decimal_binary": [f for base in (2**10 / 1e3, 2**20 / 1e6, 2**30 / 1e9)
                                  for f in (base, 1 / base)] if key.unit == "byte" else []}
    for diagnosis, ratios in factors.items():
        for ratio in ratios:
            value = key.expected * ratio
            said = generic_slip(value, key)
            if said[0] == diagnosis and earned((diagnosis,), abs(ratio - 1)) \
                    != earned(("",), abs(ratio - 1)):
                found.append((value, diagnosis, said[1]))
    return found


#: The grades Moodle allows an answer, as fractions of the question's mark:
#: question_bank::ensure_fraction_options_initialised() (question/engine/bank.php).
#: Its XML importer refuses any other (match_grade_options, 'error' mode, to 1e-5).
MOODLE_FRACTIONS = (1.0, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4,
                    0.3333333, 0.3, 0.25, 0.2, 0.1666667, 0.1428571, 0.125, 0.1111111,
                    0.1, 0.05, 0.0)


def moodle_fraction(share: float) -> float:
    """The largest grade Moodle allows at or below `share` (1/3 is 0.3333333): an LMS
    never awards more than `derive check` would."""
    return next(f for f in MOODLE_FRACTIONS if f <= share + 5e-8)


def percent_text(fraction: float) -> str:
    """A Moodle XML `fraction` attribute: percent, as its own export writes it."""
    return fixed(fraction * 100, 5).rstrip("0").rstrip(".")


def earning(sheet: Sheet, ask: Ask) -> Callable[[tuple[str, ...], float], float]:
    """`earned(diagnoses, relative error)`: the share the sheet's policy gives a wrong
    value of this ask (`grade.credit`, as `derive check` marks it)."""
    from derivations.grade import credit

    credits = credit.table(sheet.grading, ask)
    return lambda diagnoses, error: credit.for_wrong(sheet.grading, credits, diagnoses,
                                                     error).share


def rounded_note(where: str, share: float, fraction: float) -> str | None:
    """Why an LMS answer earns less than `derive check` gives, or None."""
    if abs(share - fraction) < 5e-8:
        return None
    return (f"{where}: credit {compact(share)} is not a grade Moodle allows; written as "
            f"{percent_text(fraction)}% (the allowed grade below it)")
