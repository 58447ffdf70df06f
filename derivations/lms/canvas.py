"""Canvas: a QTI 1.2 package written by text2qti from its plain-text quiz format.

Why text2qti: it is maintained, made for Canvas, and writes the QTI manifest and
assessment Canvas imports; we only write its input text. That text is Markdown, so
every piece of sheet prose is escaped for it (backslash before Markdown punctuation,
entities for `<` and `&`): a statement cannot become an image that text2qti would read
from disk (`![x](/etc/passwd)`), a LaTeX image (`$...$`), a code block or markup.
text2qti never runs code here (its `run_code_blocks` stays off).

Numbers: Canvas rounds answers below 1e-4 to zero and text2qti prints float ranges
with 4 decimals, so each answer is scaled into a unit that puts it between 1 and 1000
(10^21 FLOP, GB, tokens x 10^12...), which the question names; the range is rounded
outwards to 4 decimals. Whole numbers that must be exact stay exact integers.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from dataclasses import dataclass, field

from derivations.library.units import UNITS, best_byte_units
from derivations.lms.literal import literal
from derivations.numbers import compact, fixed
from derivations.present.prose import prose
from derivations.present.shown import unit_label
from derivations.present.text import display_text, displayed_text, prose_text
from derivations.sheet.model import Sheet
from derivations.solver.solution import Answer, Solution

#: Python-Markdown's backslash escapes (its ESCAPED_CHARS), and `$`, which text2qti reads
#: as the start of LaTeX, and the quotes text2qti's SmartyPants would curl (`"100"`
#: stays straight); any other character is literal already.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()>#+\-.!$\"'])")
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # zip entries dated alike: the package is reproducible
EXACT_BELOW = 10**7


@dataclass
class Package:
    zip: bytes
    text: str
    questions: int = 0
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def escape(text: str) -> str:
    """Sheet prose as literal text in text2qti's Markdown: no Markdown, no LaTeX for
    text2qti, no curled quotes, and no math delimiter for Canvas to typeset
    (`lms.literal`)."""
    text = literal(" ".join(text.split())).replace("&", "&amp;").replace("<", "&lt;")
    return _MARKDOWN.sub(r"\\\1", text)


@dataclass(frozen=True)
class Scaled:
    """An answer in the unit the question asks for: value = canonical / factor."""

    value: float
    low: float
    high: float
    unit: str        # how the question names the unit ("10^21 FLOP", "GB")
    factor: float
    exact: bool


def scaled(answer: Answer, tolerance: float) -> Scaled:
    canonical = float(answer.as_float())  # type: ignore[arg-type]
    if answer.unit == "byte":
        name = best_byte_units(canonical)[0]
        factor, unit = float(UNITS[name].factor), name
    else:
        power = 3 * math.floor(math.log10(abs(canonical)) / 3) if canonical else 0
        factor = 10.0 ** power
        label = unit_label(answer.unit)
        unit = (f"10^{power} {label}".strip() if power else label) or ""
        if power and not label:
            unit = f"units of 10^{power}"
    value = canonical / factor
    exact = answer.value.is_Integer and abs(canonical) < EXACT_BELOW and factor == 1  # type: ignore[union-attr]
    spread = 0.0 if exact else abs(value) * tolerance
    low = math.floor((value - spread) * 1e4) / 1e4
    high = math.ceil((value + spread) * 1e4) / 1e4
    return Scaled(value, low, high, unit, factor, exact)


def quiz_text(sheet: Sheet, variants: list[tuple[str, Solution]], package: Package) -> str:
    lines = [f"Quiz title: {escape(sheet.title)}",
             f"Quiz description: {escape(sheet.course or sheet.title)}", ""]
    number = 0
    for problem in sheet.problems:
        for ask in problem.asks:
            answer_id = f"{problem.id}.{ask.id}"
            tolerance = ask.tolerance if ask.tolerance is not None else sheet.grading.tolerance
            lines += ["GROUP", "pick: 1", f"points per question: {compact(ask.points)}", ""]
            for vid, solution in variants:
                answer = solution.answers[answer_id]
                if isinstance(answer.value, tuple):
                    package.skipped.append(f"{answer_id} {vid}: a list answer has no Canvas "
                                           "numerical form")
                    continue
                number += 1
                text = question_text(sheet, solution, problem, ask, vid, answer)
                lines += _question(number, text, answer, tolerance)
                package.questions += 1
            lines += ["END_GROUP", ""]
    return "\n".join(lines)


def question_text(sheet: Sheet, solution: Solution, problem, ask, vid: str,
                  answer: Answer) -> str:
    """Statement, written givens and the ask, one paragraph, with the question's tag."""
    from derivations.present.questions import question_ask, written_givens
    from derivations.present.view import given_rows

    answer_ids = {f"{p.id}.{a.id}" for p in sheet.problems for a in p.asks}
    local = {a.id for a in problem.asks}
    rows = given_rows(solution, {**written_givens(sheet.given, answer_ids, set()),
                                 **written_givens(problem.given, answer_ids, local)})
    givens = "; ".join(f"{r['symbol'].name} = {displayed_text(r['value'].shown)}"
                       for r in rows)
    asked = question_ask(solution, problem, ask)
    parts = [prose_text(prose(problem.statement, solution, problem))]
    if givens:
        parts.append(f"Given: {givens}.")
    parts.append(f"{answer.id}: {asked.heading or answer.ask}"
                 + (f". Claim: {prose_text(asked.claim)}" if asked.claim else "") + ".")
    return " ".join(escape(p) for p in parts) + " " + escape(f"[{sheet.name}.{answer.id}.{vid}]")


def _question(number: int, text: str, answer: Answer, tolerance: float) -> list[str]:
    solution = escape(f"{answer.id} = {display_text(answer)}")
    if isinstance(answer.value, bool):
        right = "a" if answer.value else "b"
        return [f"{number}.  {text}", f"... {solution}", f"{'*' if right == 'a' else ''}a) True",
                f"{'*' if right == 'b' else ''}b) False", ""]
    value = scaled(answer, tolerance)
    ask = f" Answer in {escape(value.unit)}." if value.unit else ""
    if value.exact:
        response = f"= {int(round(value.value))}"
    else:
        response = f"= [{fixed(value.low, 4)}, {fixed(value.high, 4)}]"
    return [f"{number}.  {text}{ask}", f"... {solution}", response, ""]


def package(sheet: Sheet, variants: list[tuple[str, Solution]]) -> Package:
    """The QTI zip Canvas imports (Settings, Import course content, QTI .zip file)."""
    from text2qti.config import Config
    from text2qti.qti import QTI
    from text2qti.quiz import Quiz

    result = Package(b"", "")
    result.text = quiz_text(sheet, variants, result)
    policy = sheet.grading
    if policy.credit or policy.curve or any(a.credit for p in sheet.problems for a in p.asks):
        result.notes.append(
            "partial credit is not in the package: a text2qti numerical question has one "
            "answer range, worth full marks. Grade the quiz's Student Analysis report with "
            "`derive check` to apply the sheet's credit table and curve")
    config = Config()  # defaults: no code is run, no config file is read or written
    quiz = Quiz(result.text, config=config, source_name=f"{sheet.name}.txt")
    raw = QTI(quiz).zip_bytes()
    result.zip = _reproducible(raw)
    return result


def _reproducible(raw: bytes) -> bytes:
    """The same zip with fixed dates and sorted entries (byte-identical rebuilds)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, \
            zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for name in sorted(source.namelist()):
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(name))
    return out.getvalue()
