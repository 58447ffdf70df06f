"""What a solution sheet and a cheat sheet show, as finished LaTeX pieces.

The templates hold layout only: every decision (which steps, which units, how a
number is rounded, which tag an answer gets) is made here, and every piece of LaTeX
is wrapped in `Tex` so the template environment escapes everything else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from derivations import present, printing
from derivations.library import QUANTITIES, TOPICS, Formula, by_topic, quantity
from derivations.library.units import default_display
from derivations.numbers import digits
from derivations.plots import PlotData
from derivations.solution import Answer, Solution, Value
from derivations.spec import Given, Problem, Sheet
from derivations.substitution import evaluate


class Tex(str):
    """A string that is already LaTeX: the template environment passes it unescaped."""


#: Tags that make compute, loss, epochs and memory easy to find in a sheet.
TAGS = {"compute": "compute", "scaling": "loss", "loss": "loss", "epochs": "epochs",
        "memory": "memory", "finetuning": "memory", "training": "training",
        "quantization": "quantization"}
TAG_ORDER = ["compute", "loss", "epochs", "memory", "training", "quantization"]


@dataclass(frozen=True)
class Note:
    text: str
    warning: bool = False


@dataclass(frozen=True)
class AskView:
    id: str
    label: Tex
    heading: str
    symbol: Tex
    tag: str
    rows: list[Tex]
    result: Tex
    notes: list[Note]
    verdict: str = ""
    claim: str = ""


@dataclass(frozen=True)
class PlotView:
    """A plot as pgfplots wants it: coordinates already spelled out."""

    kind: str
    title: str
    x_label: str
    y_label: str
    axis: Tex = Tex("axis")
    curve: Tex = Tex("")
    marks: list[dict[str, Any]] = field(default_factory=list)
    bars: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class ProblemView:
    id: str
    title: str
    statement: str
    givens: list[dict[str, Any]]
    asks: list[AskView]
    plots: list[PlotView] = field(default_factory=list)


def solution_context(solution: Solution, plots: list[PlotData]) -> dict[str, Any]:
    """Everything the solution template needs, computed once."""
    sheet = solution.sheet
    assert isinstance(sheet, Sheet)
    problems = [problem_view(solution, p, [d for d in plots if d.spec.after == p.id])
                for p in sheet.problems]
    index = {tag: [a for p in problems for a in p.asks if a.tag == tag] for tag in TAG_ORDER}
    return {
        "title": sheet.title, "course": sheet.course, "name": sheet.name,
        "givens": given_rows(solution, sheet.given, None),
        "problems": problems,
        "index": {tag: asks for tag, asks in index.items() if asks},
        "loose_plots": [plot_view(d) for d in plots if not d.spec.after],
    }


def plot_view(data: PlotData) -> PlotView:
    spec = data.spec
    if spec.kind == "bars":
        return PlotView("bars", spec.title, spec.x_label, spec.y_label,
                        bars=[{"label": label, "value": Tex(_coord(value))}
                              for label, value in data.bars])
    curve = Tex(" ".join(f"({_coord(x)},{_coord(y)})" for x, y in data.curve))
    marks = [{"coords": Tex(f"({_coord(x)},{_coord(y)})"), "label": label}
             for x, y, label in data.marks]
    return PlotView("sweep", spec.title, spec.x_label, spec.y_label,
                    axis=Tex("semilogxaxis" if spec.log_x else "axis"), curve=curve,
                    marks=marks)


def _coord(value: float) -> str:
    return f"{value:.6g}".replace("e+", "e")


def problem_view(solution: Solution, problem: Problem, plots: list[PlotData]) -> ProblemView:
    asks = [ask_view(solution.answers[f"{problem.id}.{a.id}"], a.text, tag_of(problem, a))
            for a in problem.asks]
    return ProblemView(problem.id, problem.title, " ".join(problem.statement.split()),
                       given_rows(solution, problem.given, problem), asks,
                       [plot_view(d) for d in plots])


def tag_of(problem: Problem, ask: Any) -> str:
    if ask.topic:
        return TAGS.get(ask.topic, ask.topic)
    if problem.topic:
        return TAGS.get(problem.topic, problem.topic)
    if ask.formula:
        from derivations.library import formula

        return TAGS.get(formula(ask.formula).topic, "")
    return ""


def ask_view(answer: Answer, heading: str, tag: str) -> AskView:
    rows = [Tex(printing.latex_aligned(s.expr)) for s in answer.steps
            if s.expr is not None and s.kind != "result"]
    notes = [Note(" ".join(s.text.split())) for s in answer.steps if s.text]
    notes += [Note(text, warning=True) for text in present.sensitivity_notes(answer)]
    verdict = ""
    if answer.is_bool:
        verdict = "True" if answer.value else "False"
    label = Tex("ans:" + re.sub(r"[^A-Za-z0-9]", "-", answer.id))
    return AskView(id=answer.id, label=label, heading=heading,
                   symbol=Tex(printing.symbol_latex(answer.ask)), tag=tag, rows=rows,
                   result=Tex(present.display_latex(answer)), notes=notes, verdict=verdict,
                   claim=answer.claim)


def given_rows(solution: Solution, givens: dict[str, Given],
               problem: Problem | None) -> list[dict[str, Any]]:
    rows = []
    for given in givens.values():
        value = solution.given_values.get(given.key)
        if value is None:
            continue
        known = QUANTITIES.get(given.name)
        rows.append({
            "symbol": Tex(printing.symbol_latex(given.name)),
            "value": Tex(value_latex(value, known.unit if known else "1", given.label)),
            "meaning": known.meaning if known else "",
        })
    return rows


def value_latex(value: Value, unit: str, label: str = "") -> str:
    if isinstance(value, tuple):
        shown = r"\left(" + ",\\ ".join(rf"\num{{{digits(v, 6).siunitx()}}}"
                                         for v in value) + r"\right)"
    else:
        shown = present.in_unit(value, default_display(unit), 6).latex()
    if label:
        shown = rf"\text{{{printing.escape_latex(label)}: }}" + shown
    return "$" + shown + "$"


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
    symbols = [{"symbol": Tex(quantity(n).latex), "meaning": quantity(n).meaning,
                "unit": present.unit_label(quantity(n).unit)} for n in item.symbols]
    return {"id": item.id, "title": item.title, "equation": Tex(printing.latex(item.equation)),
            "symbols": symbols, "source": item.source, "note": item.note,
            "example": Tex(example_latex(item))}


def example_latex(item: Formula) -> str:
    """`N = 6.7e10, D = 4.1e12 -> C = 1.648e24 FLOP`, computed by the engine."""
    values = {quantity(n).symbol: parse_example(t) for n, t in item.example.items()}
    result = evaluate(item.rhs, values)
    inputs = ", ".join(
        rf"{quantity(n).latex} = {printing.number_latex(values[quantity(n).symbol], 4)}"
        for n in item.example)
    unit = quantity(item.lhs).unit
    shown = present.in_unit(result, default_display(unit), 4).latex()
    return rf"${inputs} \;\Rightarrow\; {quantity(item.lhs).latex} = {shown}$"


def parse_example(text: str) -> Any:
    from derivations.expr import parse

    return parse(text).build(lambda name: QUANTITIES[name].symbol)


def grades_context(title: str, results: list, keys: dict) -> dict[str, Any]:
    """The class report: score histogram, success rate per answer, common mistakes."""
    from derivations.check import summarise

    summary = summarise(results, keys)
    scores: dict[float, int] = {}
    for result in results:
        scores[result.score] = scores.get(result.score, 0) + 1
    histogram = Tex(" ".join(f"({_coord(score)},{count})"
                             for score, count in sorted(scores.items())))
    rows: list[dict[str, str]] = []
    feedback: dict[str, str] = {}
    for aid in keys:
        item = summary[aid]
        common = item["common_mistake"]
        rows.append({"id": aid, "right": f"{item['correct']}/{item['students']}",
                     "rate": f"{item['rate'] * 100:.0f}%",
                     "mistake": f"{common['diagnosis']} ({common['count']})" if common else ""})
    counts: dict[str, int] = {}
    for result in results:
        for verdict in result.answers.values():
            if verdict.diagnosis:
                counts[verdict.diagnosis] = counts.get(verdict.diagnosis, 0) + 1
                feedback.setdefault(verdict.diagnosis, verdict.feedback)
    mistakes = [{"id": name, "count": count, "feedback": feedback[name]}
                for name, count in sorted(counts.items(), key=lambda item: -item[1])]
    return {"title": title, "students": len(results),
            "mean": f"{summary['_class']['mean_score']:.2f}",
            "max": f"{summary['_class']['max']:g}", "histogram": histogram, "rows": rows,
            "mistakes": mistakes}
