"""The sheet as data: givens, asks, problems, plots, grading and output settings.

Plain frozen dataclasses, read from TOML by `sheet.spec` and consumed by the solver,
the views and the grader; nothing here reads files or imports sympy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from derivations.sheet.expr import Parsed
from derivations.sheet.locate import locate

DEFAULT_SIG = 4


@dataclass(frozen=True)
class Given:
    """A value a problem starts from.

    Attributes:
        name: the quantity name (`N`, `b_w`, `L_target`).
        expr: the value as a parsed expression (numbers are expressions too).
        unit: display unit the value is written in (`GB`); None for canonical.
        label: how a named value reads (`fp16`), shown in the givens table.
        key: dotted key path, for error messages.
    """

    name: str
    expr: Parsed
    unit: str | None = None
    label: str = ""
    key: str = ""


@dataclass(frozen=True)
class Claim:
    """What a true/false ask checks. Exactly one of the three is set."""

    holds: Parsed | None = None
    derivative: dict[str, str] | None = None
    answer: bool | None = None


@dataclass(frozen=True)
class SheetMistake:
    """A wrong closed form the instructor names for one ask (its `mistakes` table), as
    `derive analyse` proposes them: the grader names it like a library mistake.

    Attributes:
        id: the diagnosis id (`swapped_N_D`), also a key of the credit tables.
        expr: the wrong value, over the names of the ask's closed form (its inputs).
        feedback: what the student is told; a default names the id.
    """

    id: str
    expr: Parsed
    feedback: str = ""


@dataclass(frozen=True)
class Ask:
    """One requested answer; its answer id is `PROBLEM.ASK`."""

    id: str
    key: str
    formula: str | None = None
    equation: tuple[Parsed, Parsed] | None = None
    solve_for: str | None = None
    bind: dict[str, Parsed] = field(default_factory=dict)
    unit: str | None = None
    sig: int = DEFAULT_SIG
    integer: str | None = None
    independent_of: tuple[str, ...] = ()
    between: tuple[Parsed, Parsed] | None = None  # search interval for a numeric root
    text: str = ""
    topic: str = ""
    claim: str = ""
    truth: Claim | None = None
    justification: str = ""
    tolerance: float | None = None
    points: float = 1.0
    credit: Mapping[str, float] = field(default_factory=dict)  # over [grading.credit]
    mistakes: tuple[SheetMistake, ...] = ()  # the sheet's own named mistakes of this ask

    @property
    def is_truefalse(self) -> bool:
        return self.truth is not None


@dataclass(frozen=True)
class Problem:
    id: str
    title: str
    statement: str
    topic: str
    given: dict[str, Given]
    asks: tuple[Ask, ...]


@dataclass(frozen=True)
class Plot:
    """A picture computed by the engine and drawn by pgfplots.

    kind `sweep`: the answer `y` as the given `x` runs from `start` to `stop` (the
    sheet is re-solved with `x` replaced by the sample points), with `marks` at
    (x, y) expressions. kind `bars`: one stacked bar of `bars` (label, expression),
    in display unit `unit`.
    """

    id: str
    key: str
    kind: str
    title: str = ""
    after: str = ""
    x: str = ""
    y: str = ""
    start: Parsed | None = None
    stop: Parsed | None = None
    log_x: bool = False
    x_label: str = ""
    y_label: str = ""
    marks: tuple[tuple[Parsed, Parsed, str], ...] = ()
    bars: tuple[tuple[str, Parsed], ...] = ()
    show: str = "solution"  # or "question": also drawn on the question sheet
    unit: str = ""


@dataclass(frozen=True)
class Grading:
    """How answers are marked (the sheet's optional [grading] table; docs/grading.md).

    Attributes:
        tolerance: default relative tolerance of a numeric answer.
        carried_forward: share of the points for an answer computed correctly from
            the student's own wrong earlier answer (1 = full credit) when that earlier
            value is itself a named mistake.
        carried_unnamed: the share at most when the earlier wrong value is one no
            known mistake explains (None: `carried_forward`).
        carried_trivial: the share at most when the earlier wrong value makes this
            answer trivial (a zero, or a size that hides the step; None: no cap).
        rounding: share of the points for an answer reached by rounding an
            intermediate (correct-with-rounding).
        credit: share of the points for a wrong answer, by diagnosis id (`other`: a
            wrong answer no known mistake explains); asks may override entries.
        curve: (relative error, share) pairs: a wrong answer that no credit entry
            names earns the share of the tightest band it falls in.
        figures: None (judge by `tolerance`), a fixed number of significant figures,
            or "derived" (the figures the precision of the inputs supports).
        exact: givens a derived figures policy takes as exact although written with
            a decimal point (a fit's constants, taken as definitions).
        overclaim, underclaim: the share of the points taken off an answer right to
            its figures that claims more (fewer) figures than the policy supports.
    """

    tolerance: float = 0.01
    carried_forward: float = 1.0
    carried_unnamed: float | None = None
    carried_trivial: float | None = None
    rounding: float = 1.0
    credit: Mapping[str, float] = field(default_factory=dict)
    curve: tuple[tuple[float, float], ...] = ()
    figures: int | str | None = None
    exact: tuple[str, ...] = ()
    overclaim: float = 0.25
    underclaim: float = 0.25


@dataclass(frozen=True)
class SheetTest:
    """A written question test (`[[tests]]`): what marking `text` for `answer` must give.

    Attributes:
        answer: the answer id marked.
        text: what the student writes; `{E1.C}` is that variant's exact answer (in the
            canonical unit), `{E1.C:3}` the same to 3 significant figures.
        given: other answers the student wrote (answer id -> text), for carried
            forward paths.
        variant: a variant id, "all" (every variant of the pool), or "" (the sheet as
            written).
        verdict, diagnoses, credit, feedback: what is expected; None or empty checks
            nothing (`diagnoses`: each must be among those named; `feedback`: a
            fragment of the feedback, case-insensitive).
    """

    key: str
    answer: str
    text: str
    given: Mapping[str, str] = field(default_factory=dict)
    variant: str = ""
    verdict: str | None = None
    diagnoses: tuple[str, ...] = ()
    credit: float | None = None
    feedback: str = ""


@dataclass(frozen=True)
class RandomGiven:
    """A given drawn per variant (`[random]`): one of `choices`, or a decimal grid.

    Attributes:
        name: the given it replaces (a sheet given, or `P.name` for a problem's).
        key: dotted key path (`random.N`), for error messages.
        choices: the candidate givens of a `choice` list, each as written.
        start, step, count: the grid `start + k * step`, k = 0 .. count - 1 (exact
            decimals, so the number printed is the number solved).
        exclude: grid positions k left out.
    """

    name: str
    key: str
    choices: tuple[Given, ...] = ()
    start: Decimal = Decimal(0)
    step: Decimal = Decimal(0)
    count: int = 0
    exclude: frozenset[int] = frozenset()

    @property
    def size(self) -> int:
        """How many different values the draw can give."""
        return len(self.choices) if self.choices else self.count - len(self.exclude)


@dataclass(frozen=True)
class VariantsSpec:
    """The sheet's `[variants]` table: how a pool of numeric variants is drawn.

    Attributes:
        salt: frozen when the sheet is released; every draw is a hash of it.
        pool: how many distinct variants to deal to students (v01 ... vNN).
        distinct_by: the random givens that make two variants the same.
        require: (text, parsed relation) conditions every variant must meet.
        max_elasticity: a variant with an answer more sensitive than this is rejected.
        constant: random givens and true/false answers allowed to take one value in
            every dealt variant (otherwise that is an error: the draw stopped varying).
    """

    salt: str
    pool: int = 40
    distinct_by: tuple[str, ...] = ()
    require: tuple[tuple[str, Parsed], ...] = ()
    max_elasticity: float = 10.0
    constant: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sheet:
    """A whole problem sheet. `name` is the file stem (`genai_week4`)."""

    name: str
    title: str
    course: str
    file: str
    given: dict[str, Given]
    problems: tuple[Problem, ...]
    source: str = ""
    plots: tuple[Plot, ...] = ()
    grading: Grading = Grading()
    templates: str = ""
    random: tuple[RandomGiven, ...] = ()
    variants: VariantsSpec | None = None
    tests: tuple[SheetTest, ...] = ()

    def problem(self, problem_id: str) -> Problem:
        for problem in self.problems:
            if problem.id == problem_id:
                return problem
        raise KeyError(problem_id)

    def all_givens(self) -> list[Given]:
        """The sheet's givens, then each problem's, in the order they are written."""
        return [*self.given.values(), *(g for p in self.problems for g in p.given.values())]

    def given_at(self, key: str) -> Given:
        """The given stored under `key` (`given.N`, `problems.E1.given.N`)."""
        parts = key.split(".")
        if parts[0] == "given":
            return self.given[parts[-1]]
        return self.problem(parts[1]).given[parts[-1]]

    def ask(self, answer_id: str) -> Ask:
        """The ask behind an answer id (`E2.D_new`)."""
        problem_id, ask_id = answer_id.split(".", 1)
        for ask in self.problem(problem_id).asks:
            if ask.id == ask_id:
                return ask
        raise KeyError(answer_id)

    def line_of(self, key: str) -> int | None:
        return locate(self.source, key)
