"""Mistakes the library does not know yet, proposed from the wrong values that recur.

For each ask, the wrong values no known mistake explains are compared with every small
edit of the ask's closed form (`analyse.edits`), each evaluated with the student's own
variant's numbers. An edit that at least `MIN_STUDENTS` students' values meet, more
often than chance allows, is proposed as a new named mistake: its equation, how many
students made it, and a line to paste into the ask (`mistakes = {...}`), after which
`derive check` names it. Chance: each value is taken to fall anywhere within two
decades either side of the right one (`statistics.landing_chance`); the number of
chance meetings with one edit is then Poisson, and the tail is multiplied by the
number of edits tried (`MAX_CHANCE`), so scattered garbage proposes nothing.

The values no edit explains are grouped by their ratio to the right value; a group of
`MIN_STUDENTS` or more, no wider than twice the tolerance and unlikely by the same
chance model (the tail times the number of windows in the range), is reported as a
recurring wrong value without an equation.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import sympy as sp

from derivations.analyse.edits import Edit, edits, readable_by_sheets, spelled
from derivations.analyse.known import Known, tolerance
from derivations.analyse.results import ClassResults
from derivations.analyse.statistics import landing_chance, poisson_at_least
from derivations.grade.carried import LAMBDIFY_MODULES
from derivations.solver.substitution import evaluate

MIN_STUDENTS = 3
MAX_CHANCE = 0.01  # a proposal this likely (or more) to be chance is not made

_Value = tuple[str, str, float]  # student, variant, value written


@dataclass(frozen=True)
class Proposal:
    answer: str
    edit: Edit
    students: tuple[str, ...]
    share: float                 # of the students marked on the ask
    chance: float                # that so many values meet one of the edits by accident
    also: tuple[str, ...] = ()   # other edits the same students' values meet

    @property
    def equation(self) -> str:
        """The wrong value as a sheet expression."""
        return spelled(self.edit.expression)

    @property
    def entry(self) -> str:
        """The line to add to the ask in the sheet."""
        text = self.equation
        feedback = f"Your value is what {self.edit.what} gives."
        return (f'mistakes = {{ {self.edit.name} = {{ expr = "{text}", '
                f'feedback = "{feedback}" }} }}')

    @property
    def writable(self) -> bool:
        return readable_by_sheets(self.equation)


@dataclass(frozen=True)
class Cluster:
    """A recurring wrong value no edit explains, as a ratio to the right value."""

    answer: str
    ratio: float
    students: tuple[str, ...]


@dataclass
class Unknown:
    proposals: list[Proposal] = field(default_factory=list)
    clusters: list[Cluster] = field(default_factory=list)
    examined: dict[str, int] = field(default_factory=dict)  # ask -> unexplained values


def unknown_mistakes(results: ClassResults, known: Mapping[str, Known]) -> Unknown:
    found = Unknown()
    for aid in results.answer_ids:
        values = [(r.student, r.variant, r.answers[aid].given) for r in results.records
                  if aid in r.answers and r.answers[aid].unexplained and r.variant in known
                  and aid in known[r.variant].keys]
        marked = sum(1 for r in results.records if aid in r.answers)
        found.examined[aid] = len(values)
        if len(values) < MIN_STUDENTS:
            continue
        checked = [(s, v, x) for s, v, x in values if x is not None]
        left = _propose(aid, checked, known, marked, found.proposals)
        found.clusters += _clusters(aid, left, known)
    return found


def _propose(aid: str, values: list[_Value], known: Mapping[str, Known], marked: int,
             proposals: list[Proposal]) -> list[_Value]:
    """Proposals for one ask, best supported first; returns the values left over."""
    sample = next(k for k in known.values() if aid in k.keys)
    answer = sample.solution.answers[aid]
    if answer.expression is None:
        return values
    closed = evaluate(answer.expression, {})
    tried = edits(closed)
    window = tolerance(sample.keys[aid])
    functions = [_compiled(edit.expression) for edit in tried]
    meets: list[set[int]] = [set() for _ in tried]
    per_variant: dict[str, list[float | None]] = {}
    for index, (_, vid, x) in enumerate(values):
        if vid not in per_variant:
            inputs = known[vid].solution.answers[aid].inputs
            per_variant[vid] = [function(inputs) for function in functions]
        right = known[vid].keys[aid].expected
        for number, value in enumerate(per_variant[vid]):
            if value is not None and abs(x - value) <= window * abs(value) \
                    and abs(value - right) > window * abs(right):
                meets[number].add(index)
    expected = len(values) * landing_chance(window)
    left = set(range(len(values)))
    while True:
        support = [len(m & left) for m in meets]
        best = max(range(len(tried)), key=lambda i: (support[i], -i), default=None)
        if best is None or support[best] < MIN_STUDENTS:
            break
        chance = min(1.0, poisson_at_least(expected, support[best]) * len(tried))
        if chance > MAX_CHANCE:
            break
        members = meets[best] & left
        also = tuple(tried[i].name for i in range(len(tried))
                     if i != best and meets[i] & left == members)
        proposals.append(Proposal(aid, tried[best],
                                  tuple(values[i][0] for i in sorted(members)),
                                  len(members) / marked, chance, also))
        left -= members
    return [values[i] for i in sorted(left)]


def _compiled(expression: sp.Expr) -> Callable[[Mapping[str, object]], float | None]:
    symbols = sorted(expression.free_symbols, key=lambda s: s.name)
    function = sp.lambdify(symbols, expression, modules=LAMBDIFY_MODULES)

    def value(inputs: Mapping[str, object]) -> float | None:
        try:
            found = float(function(*[float(inputs[s.name]) for s in symbols]))  # type: ignore[arg-type]
        except (KeyError, TypeError, ValueError, ArithmeticError):
            return None
        return found if math.isfinite(found) else None

    return value


def _clusters(aid: str, values: list[_Value], known: Mapping[str, Known]) -> list[Cluster]:
    """Groups of `MIN_STUDENTS` or more values at the same ratio to the right value
    (single linkage in the logarithm, links no longer than the tolerance)."""
    ratios = []
    for student, vid, x in values:
        right = known[vid].keys[aid].expected
        if right and x / right > 0:
            ratios.append((math.log(x / right), student))
    ratios.sort()
    tol = tolerance(known[values[0][1]].keys[aid]) if values else 0.0
    window = math.log1p(tol)
    found, group = [], ratios[:1]
    for previous, current in zip(ratios, ratios[1:], strict=False):
        if current[0] - previous[0] <= window:
            group.append(current)
            continue
        found.append(group)
        group = [current]
    found.append(group)
    chance = landing_chance(tol) if tol else 1.0
    return [Cluster(aid, math.exp(g[len(g) // 2][0]), tuple(sorted(s for _, s in g)))
            for g in found if len(g) >= MIN_STUDENTS and g[-1][0] - g[0][0] <= 2 * window
            and poisson_at_least(len(ratios) * chance, len(g)) / chance <= MAX_CHANCE]
