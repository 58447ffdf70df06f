"""The Python API's objects: a solved sheet and its answers, displayable in notebooks.

`derivations.solve(...)` returns a `SolvedSheet`, a read-only mapping from answer id to
`SolvedAnswer`. Both implement `_repr_mimebundle_` with text/plain (the terminal text),
text/latex (`$$\\begin{aligned}...\\end{aligned}$$`), text/html (MathML) and
application/json (the `derive solve --format json` object): every format is written
from the same present-stage data (the HTML by the very template that lays out an answer
on the web pages), and a repr never raises.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from derivations.present import printing
from derivations.present.display import displayed
from derivations.present.text import answer_json, answer_text, display_text, solution_text
from derivations.present.view import AskView, ask_view, tag_of
from derivations.solver.solution import Answer, Solution


def _safe_bundle(make: Any, name: Any) -> dict[str, Any]:
    """`make()`, or a readable message when it fails: a repr must never raise."""
    try:
        return make()
    except Exception as exc:  # noqa: BLE001 - a repr must never raise in a notebook
        try:
            label = name()
        except Exception:  # noqa: BLE001
            label = "answer"
        return {"text/plain": f"{label} (cannot be displayed: {type(exc).__name__}: {exc})"}


class SolvedAnswer:
    """One answer: `value` (float in the canonical unit, or bool, or list), `exact`
    (the sympy value), `unit`, `display`, `steps`."""

    def __init__(self, answer: Answer, view: AskView | None = None) -> None:
        self._answer = answer
        self._view = view

    @property
    def id(self) -> str:
        return self._answer.id

    @property
    def value(self) -> float | bool | list[float]:
        return self._answer.as_float()

    @property
    def exact(self) -> Any:
        return self._answer.value

    @property
    def unit(self) -> str:
        return self._answer.unit

    @property
    def display(self) -> str:
        return display_text(self._answer)

    @property
    def steps(self) -> list[dict[str, str]]:
        return answer_json(self._answer)["steps"]

    def __repr__(self) -> str:
        return f"<{self.id} = {self.display}>"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return _safe_bundle(lambda: {
            "text/plain": answer_text(self._answer),
            "text/latex": answer_latex(self._answer),
            "text/html": answers_html([self._view or ask_view(self._answer, "", "")]),
            "application/json": answer_json(self._answer),
        }, lambda: self.id)


class SolvedSheet(Mapping[str, SolvedAnswer]):
    """A solved sheet: answer id -> `SolvedAnswer`, in sheet order (read-only)."""

    def __init__(self, solution: Solution) -> None:
        self.solution = solution
        views = _views(solution)
        self._answers = {aid: SolvedAnswer(a, views.get(aid))
                         for aid, a in solution.answers.items()}

    def __getitem__(self, answer_id: str) -> SolvedAnswer:
        return self._answers[answer_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._answers)

    def __len__(self) -> int:
        return len(self._answers)

    def __repr__(self) -> str:
        return f"<solved sheet {self.solution.sheet.name}: {len(self)} answers>"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        answers = self.solution.answers.values()
        return _safe_bundle(lambda: {
            "text/plain": solution_text(self.solution),
            "text/latex": "\n\n".join(answer_latex(a) for a in answers),
            "text/html": answers_html([a._view or ask_view(a._answer, "", "")
                                       for a in self._answers.values()]),
            "application/json": {"sheet": self.solution.sheet.name,
                                 "answers": {a.id: answer_json(a) for a in answers}},
        }, lambda: repr(self))


def answer_latex(answer: Answer) -> str:
    """`$$\\begin{aligned}...\\end{aligned}$$` (several notebook front ends render `$$`
    but not `\\[`)."""
    rows = [printing.latex_aligned(s.expr, plain_numbers=True) for s in answer.steps
            if s.expr is not None and s.kind != "result"]
    rows.append(rf"{printing.symbol_latex(answer.unknown.name)} &= \boxed{{"
                rf"{printing.displayed_latex(displayed(answer), plain=True)}}}")
    return "$$\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}$$"


def _views(solution: Solution) -> dict[str, AskView]:
    """Each answer's view with its heading and tag from the sheet (as on the pages)."""
    views = {}
    for problem in getattr(solution.sheet, "problems", ()):
        for ask in problem.asks:
            answer = solution.answers.get(f"{problem.id}.{ask.id}")
            if answer is not None:
                views[answer.id] = ask_view(answer, ask.text, tag_of(problem, ask))
    return views


def answers_html(views: list[AskView]) -> str:
    """Answers as an HTML fragment: `templates/fragment.html.j2`, which includes the
    `_answer.html.j2` of the web pages (MathML steps, boxed result, warnings)."""
    from derivations.render.jinja import render

    return render("fragment.html.j2", {"asks": views})
