"""Pieces shared by the Moodle numerical and cloze writers: question text, general
feedback with plot files, and the known mistakes as non-overlapping answers."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from lxml import etree

from derivations.grade.keys import AnswerKey
from derivations.lms.literal import literal
from derivations.present.questions import questions_context
from derivations.present.view import ask_view, plot_view, tag_of
from derivations.render import jinja
from derivations.sheet.model import Ask, Problem
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


def mistakes(key: AnswerKey, scale: float, expected: float, tolerance: float, where: str,
             skipped: list[str]) -> list[tuple[tuple[float, float], str]]:
    """Known mistakes as (value, tolerance) and feedback (prose markup, `$...$`), merged
    where they coincide, kept apart from the right answer and from each other."""
    groups: list[tuple[float, list[str]]] = []
    for slip in sorted(key.slips, key=lambda v: v.value):
        value = slip.value * scale
        if groups and abs(value - groups[-1][0]) <= key.slip_tolerance * abs(value):
            if slip.feedback not in groups[-1][1]:
                groups[-1][1].append(slip.feedback)
            continue
        groups.append((value, [slip.feedback]))
    found = []
    for index, (value, feedbacks) in enumerate(groups):
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
        found.append(((value, min(limit)), text))
    return found
