"""Moodle cloze (embedded answers): one question per problem and variant, so that all
parts of a problem are asked with the same variant's givens.

Each ask becomes a NUMERICAL part, `{1:NUMERICAL:=value:tolerance#feedback~%0%wrong:
tolerance#feedback}`, with the same right value, tolerance and known mistakes as the
numerical questions (`lms.moodle`), in the display unit written after the box (cloze
parts take no units); a true/false ask becomes `{1:MULTICHOICE:=true#...~false#...}`.
Moodle's multianswer parser treats `}`, `#`, `~`, `/`, `"` and `\\` as syntax, so every
feedback text has them escaped with a backslash (and is HTML-escaped first).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from lxml import etree

from derivations.grade.keys import AnswerKey
from derivations.library.units import UNITS
from derivations.lms.parts import (
    Drawn,
    earning,
    feedback,
    general_feedback,
    mistakes,
    moodle_fraction,
    percent_text,
    question_html,
    text_element,
)
from derivations.present.shown import unit_label
from derivations.present.text import plain
from derivations.sheet.model import Problem, Sheet
from derivations.solver.solution import Answer

_SYNTAX = re.compile(r'([}#~/"\\])')


def escape(text: str) -> str:
    """Feedback as literal text inside a cloze part."""
    return _SYNTAX.sub(r"\\\1", html.escape(" ".join(text.split()), quote=False))


def literal(markup: str) -> str:
    """HTML with every `{` as an entity: sheet text can never open a cloze part."""
    return markup.replace("{", "&#123;")


def part(key: AnswerKey, answer: Answer, where: str, skipped: list[str],
         earned: Callable[[tuple[str, ...], float], float]) -> str:
    """One embedded answer: the right value, then each known mistake with the sheet's
    credit for it (the curve and `other` credit are the numerical questions' only:
    `derive check` applies them to a cloze quiz's responses report)."""
    if isinstance(answer.value, bool):
        right, wrong = ("true", "false") if answer.value else ("false", "true")
        return (f"{{1:MULTICHOICE:={right}#{escape('Correct.')}~{wrong}#"
                f"{escape('Not so: see the worked solution.')}}}")
    factor = float(UNITS[key.display_unit].factor) if key.display_unit in UNITS else 1.0
    expected = key.expected / factor
    tolerance = abs(expected) * key.tolerance
    pieces = [f"={expected!r}:{tolerance!r}#{escape('Correct.')}"]
    for item in mistakes(key, 1 / factor, expected, tolerance, where, skipped, earned):
        fraction = percent_text(moodle_fraction(item.share))
        pieces.append(f"%{fraction}%{item.value!r}:{item.tolerance!r}"
                      f"#{escape(plain(item.feedback))}")
    return "{1:NUMERICAL:" + "~".join(pieces) + "}"


def question(sheet: Sheet, drawn: Drawn, problem: Problem, skipped: list[str]
             ) -> etree._Element | None:
    """A cloze question for `problem` in variant `vid` (None if no part fits)."""
    solution, vid, keys = drawn.solution, drawn.vid, drawn.keys
    parts = []
    for ask in problem.asks:
        answer_id = f"{problem.id}.{ask.id}"
        answer = solution.answers[answer_id]
        if isinstance(answer.value, tuple):
            skipped.append(f"{answer_id} {vid}: a list answer has no cloze form")
            continue
        unit = "" if isinstance(answer.value, bool) else unit_label(answer.display_unit)
        label = literal(html.escape(ask.text or answer_id))
        where = f"{answer_id} {vid}"
        parts.append(f"<p><strong>{html.escape(answer_id)}</strong>: {label} "
                     f"{part(keys[answer_id], answer, where, skipped, earning(sheet, ask))} "
                     f"{html.escape(unit)}</p>")
    if not parts:
        return None
    node = etree.Element("question", type="cloze")
    text_element(node, "name", f"{problem.id} {vid}")
    intro = literal(question_html(drawn, problem.id, None))
    text_element(node, "questiontext", intro + "\n" + "\n".join(parts), "html")
    feedback(node, general_feedback(drawn, problem))
    etree.SubElement(node, "penalty").text = "0.3333333"
    etree.SubElement(node, "hidden").text = "0"
    etree.SubElement(node, "idnumber").text = f"{sheet.name}.{problem.id}.{vid}"
    return node
