"""The question sheet's content: what students get before any answer exists.

Built from the same sheet and view pieces as the solutions, but with nothing the engine
derived: statements, the givens written in the sheet (a given computed from an answer,
`L = "0.99 * E1.L"`, is left out, it would leak the answer), each ask's heading with
the unit the answer is expected in, claims to judge, and only the plots a sheet marks
`show = "question"`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from derivations.present.plots import PlotData
from derivations.present.prose import Prose, markup, prose
from derivations.present.shown import unit_label
from derivations.present.view import given_rows, plot_view
from derivations.sheet.model import Ask, Given, Problem, Sheet
from derivations.solver.solution import Solution


@dataclass(frozen=True)
class QuestionAsk:
    id: str
    heading: str
    unit: str
    claim: Prose = Prose(())


def questions_context(solution: Solution, plots: list[PlotData],
                      variant: str = "") -> dict[str, Any]:
    """Everything the question template shows; no value derived by the engine."""
    sheet = solution.sheet
    assert isinstance(sheet, Sheet)
    shown = [d for d in plots if d.spec.show == "question"]
    answer_ids = {f"{p.id}.{a.id}" for p in sheet.problems for a in p.asks}
    problems = []
    for problem in sheet.problems:
        local = {a.id for a in problem.asks}
        problems.append({
            "id": problem.id, "title": problem.title,
            "statement": prose(problem.statement, solution, problem),
            "givens": given_rows(solution, written_givens(problem.given, answer_ids, local)),
            "asks": [question_ask(solution, problem, ask) for ask in problem.asks],
            "plots": [plot_view(d) for d in shown if d.spec.after == problem.id],
        })
    return {"title": sheet.title, "course": sheet.course, "name": sheet.name, "variant": variant,
            "givens": given_rows(solution, written_givens(sheet.given, answer_ids, set())),
            "problems": problems,
            "loose_plots": [plot_view(d) for d in shown if not d.spec.after]}


def written_givens(givens: dict[str, Given], answer_ids: set[str],
                   local: set[str]) -> dict[str, Given]:
    """The givens that do not depend on any answer."""
    return {name: g for name, g in givens.items()
            if not any(n in answer_ids or n in local for n in g.expr.names)}


def question_ask(solution: Solution, problem: Problem, ask: Ask) -> QuestionAsk:
    answer = solution.answers[f"{problem.id}.{ask.id}"]
    unit = "" if answer.is_bool else unit_label(answer.display_unit)
    return QuestionAsk(answer.id, ask.text, unit, markup(ask.claim))
