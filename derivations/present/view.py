"""What a solution sheet and a cheat sheet show, as format-neutral data.

Every decision (which steps, which units, how a number is rounded, which tag an
answer gets, which notes and warnings) is made here, once. The values are plain
dataclasses: strings are prose (each output escapes them for itself), and the math
pieces (`Equation`, `Symbol`, `Displayed`, `GivenValue`, `Example`) keep sympy
expressions and rounded digits. A writer per format spells them out: the LaTeX
templates through `render.latex`, an HTML writer through its own printer, never a
second rounding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from derivations.library import QUANTITIES, TOPICS, Formula, by_topic, formula, quantity
from derivations.library.units import default_display
from derivations.present.display import displayed, given_display, in_unit, sensitivity_notes
from derivations.present.plots import PlotData
from derivations.present.prose import Prose, markup, prose
from derivations.present.shown import Displayed, Shown, unit_label
from derivations.present.text import STEP_LABELS
from derivations.sheet.model import Ask, Given, Problem, Sheet
from derivations.solver.solution import Answer, Solution
from derivations.solver.substitution import evaluate

#: Tags that make compute, loss, epochs and memory easy to find in a sheet.
#: A sheet's topic tag from a library topic (`derive formulas --topic`) or one of the
#: tags' own words (`loss`, `epochs`): one vocabulary, every library topic has a tag.
TAGS = {"compute": "compute", "scaling": "loss", "loss": "loss", "epochs": "epochs",
        "memory": "memory", "finetuning": "memory", "training": "training",
        "quantization": "quantization", "formats": "formats", "systems": "systems",
        "architecture": "architecture", "parallelism": "parallelism",
        "inference": "inference"}
TAG_ORDER = ["compute", "loss", "epochs", "memory", "training", "quantization", "formats",
             "systems", "architecture", "parallelism", "inference"]
EXAMPLE_SIG = 4    # figures shown in a cheat sheet's worked example


@dataclass(frozen=True)
class Equation:
    """A sympy equation, relation or expression to typeset (`aligned`: one `&=` row;
    `kind`: the step it shows, `formula`, `rearranged`, ..., for outputs that label rows)."""

    expr: sp.Basic
    aligned: bool = False
    kind: str = ""

    @property
    def label(self) -> str:
        """The step's name as the terminal writes it (`formula`, `rearranged`, ...)."""
        return STEP_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class Symbol:
    """A quantity's name, typeset from the library's spelling when it has one."""

    name: str


@dataclass(frozen=True)
class GivenValue:
    """A given as its table shows it: the value, with an optional label before it."""

    shown: Displayed
    label: str = ""


@dataclass(frozen=True)
class Example:
    """A cheat sheet's worked example: `N = 6.7e10, D = 4.1e12 => C = 1.648e24 FLOP`."""

    inputs: tuple[tuple[str, sp.Expr], ...]
    lhs: str
    result: Shown
    sig: int = EXAMPLE_SIG


@dataclass(frozen=True)
class Note:
    text: Prose  # prose with inline math (`$M_w$`), spelled by each output
    warning: bool = False


@dataclass(frozen=True)
class AskView:
    id: str
    anchor: str
    heading: str
    symbol: Symbol
    tag: str
    rows: list[Equation]
    result: Displayed
    notes: list[Note]
    verdict: str = ""
    claim: Prose = Prose(())
    value: Any = None  # float in the canonical unit (bool, list): what programs read
    unit: str = ""     # the canonical unit of `value`


@dataclass(frozen=True)
class PlotView:
    """A plot as numbers in the plotted unit; each format draws it its own way."""

    kind: str
    title: str
    x_label: str
    y_label: str
    log_x: bool = False
    curve: tuple[tuple[float, float], ...] = ()
    marks: list[dict[str, Any]] = field(default_factory=list)
    bars: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class ProblemView:
    id: str
    title: str
    statement: Prose
    givens: list[dict[str, Any]]
    asks: list[AskView]
    plots: list[PlotView] = field(default_factory=list)


def solution_context(solution: Solution, plots: list[PlotData],
                     variant: str = "") -> dict[str, Any]:
    """Everything the solution templates need, computed once (`variant`: the id shown
    in the header and put in link targets, so many variants fit in one document)."""
    sheet = solution.sheet
    assert isinstance(sheet, Sheet)
    problems = [problem_view(solution, p, [d for d in plots if d.spec.after == p.id], variant)
                for p in sheet.problems]
    index = {tag: [a for p in problems for a in p.asks if a.tag == tag] for tag in TAG_ORDER}
    return {
        "title": sheet.title, "course": sheet.course, "name": sheet.name, "variant": variant,
        "givens": given_rows(solution, sheet.given),
        "problems": problems,
        "index": {tag: asks for tag, asks in index.items() if asks},
        "loose_plots": [plot_view(d) for d in plots if not d.spec.after],
    }


def plot_view(data: PlotData) -> PlotView:
    spec = data.spec
    if spec.kind == "bars":
        return PlotView("bars", spec.title, spec.x_label, spec.y_label,
                        bars=[{"label": label, "value": value} for label, value in data.bars])
    marks = [{"point": (x, y), "label": label} for x, y, label in data.marks]
    return PlotView("sweep", spec.title, spec.x_label, spec.y_label, log_x=spec.log_x,
                    curve=data.curve, marks=marks)


def problem_view(solution: Solution, problem: Problem, plots: list[PlotData],
                 variant: str = "") -> ProblemView:
    asks = [ask_view(solution.answers[f"{problem.id}.{a.id}"], a.text, tag_of(problem, a),
                     variant) for a in problem.asks]
    return ProblemView(problem.id, problem.title, prose(problem.statement, solution, problem),
                       given_rows(solution, problem.given), asks,
                       [plot_view(d) for d in plots])


def tag_of(problem: Problem, ask: Ask) -> str:
    if ask.topic:
        return TAGS.get(ask.topic, ask.topic)
    if problem.topic:
        return TAGS.get(problem.topic, problem.topic)
    if ask.formula:
        return TAGS.get(formula(ask.formula).topic, "")
    return ""


def anchor_of(answer_id: str, variant: str = "") -> str:
    """A link target made of letters, digits, `-` and `:` only (`ans:E2-D-new`,
    `ans:v07:E2-D-new` in a document holding many variants)."""
    prefix = f"ans:{variant}:" if variant else "ans:"
    return prefix + "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in answer_id)


def ask_view(answer: Answer, heading: str, tag: str, variant: str = "") -> AskView:
    rows = [Equation(s.expr, aligned=True, kind=s.kind) for s in answer.steps
            if s.expr is not None and s.kind != "result"]
    notes = [Note(markup(s.text)) for s in answer.steps if s.text]
    notes += [Note(markup(text), warning=True) for text in sensitivity_notes(answer)]
    verdict = ""
    if answer.is_bool:
        verdict = "True" if answer.value else "False"
    return AskView(id=answer.id, anchor=anchor_of(answer.id, variant), heading=heading,
                   symbol=Symbol(answer.unknown.name), tag=tag, rows=rows, result=displayed(answer),
                   notes=notes, verdict=verdict, claim=markup(answer.claim),
                   value=answer.as_float(), unit=answer.unit)


def given_rows(solution: Solution, givens: dict[str, Given]) -> list[dict[str, Any]]:
    rows = []
    for given in givens.values():
        value = solution.given_values.get(given.key)
        if value is None:
            continue
        known = QUANTITIES.get(given.name)
        rows.append({
            "symbol": Symbol(given.name),
            "value": GivenValue(given_display(value, given), given.label),
            "meaning": known.meaning if known else "",
        })
    return rows


def cheatsheet_context(topics: list[str] | None) -> dict[str, Any]:
    """The formula library grouped by topic, each formula with a worked example."""
    sections = []
    chosen = by_topic(topics)
    for topic, title in TOPICS.items():
        formulas = [formula_view(f) for f in chosen if f.topic == topic]
        if formulas:
            sections.append({"title": title, "formulas": formulas})
    return {"sections": sections, "count": len(chosen)}


def formula_view(item: Formula) -> dict[str, Any]:
    symbols = [{"symbol": Symbol(n), "meaning": quantity(n).meaning,
                "unit": unit_label(quantity(n).unit)} for n in item.symbols]
    return {"id": item.id, "title": item.title, "equation": Equation(item.equation),
            "symbols": symbols, "source": markup(item.source), "note": markup(item.note),
            "example": example_of(item)}


def example_of(item: Formula) -> Example:
    """The formula evaluated at its example values by the engine."""
    from derivations.sheet.expr import parse

    values = {n: parse(t).build(lambda name: QUANTITIES[name].symbol)
              for n, t in item.example.items()}
    result = evaluate(item.rhs, {quantity(n).symbol: v for n, v in values.items()})
    unit = quantity(item.lhs).unit
    return Example(tuple(values.items()), item.lhs,
                   in_unit(result, default_display(unit), EXAMPLE_SIG))
