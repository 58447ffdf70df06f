"""What the engine produces: answers with their steps, independent of any output format.

These objects are the contract between the engine and everything that prints or
checks: text and JSON output, the LaTeX renderer and the grader all read `Solution`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import sympy as sp

from derivations.library import QUANTITIES
from derivations.library.units import UNITS, default_display
from derivations.numbers import digits as to_digits
from derivations.numbers import to_float
from derivations.sheet.expr import Value
from derivations.sheet.model import Given

if TYPE_CHECKING:
    from derivations.sheet.model import Sheet



class Literal(sp.Symbol):
    """A number shown in a substituted step, standing where its symbol stood.

    Why not substitute the number itself: sympy would multiply `6 * 67e9 * 4.1e12`
    out at once and the reader would never see the substitution. A Literal is an
    atom, so the expression keeps its shape; its name starts with the symbol it
    replaces, so factors stay in the order the formula had.
    """

    value: Value
    unit: str  # the unit to show the value in (`GB`); `1` shows the bare canonical number

    def __new__(cls, symbol_name: str, value: Value, unit: str = "1") -> Literal:
        # sympy caches symbols by name: the name must differ when the value does.
        # Rationals spell themselves (stable across processes, so equations holding
        # them can be cached on disk); other values use their hash, since printing a
        # large radical just to name it would be slow.
        tag = (str(value.p) if value.q == 1 else f"{value.p}/{value.q}") \
            if isinstance(value, sp.Rational) else f"#{hash(value):x}"
        # Telling sympy the sign up front saves it deducing facts about the atom.
        known = {}
        if not isinstance(value, tuple) and value.is_number:
            known = {"positive": True} if value.is_positive else {"real": True}
        shown_in = f"|{unit}" if unit != "1" else ""
        obj = super().__new__(cls, f"{symbol_name}|{tag}{shown_in}", **known)
        obj.value = value
        obj.unit = unit
        return obj

    @property
    def precedence(self) -> int:
        """Bind like a product (so bases and negatives get parentheses)."""
        from sympy.printing.precedence import PRECEDENCE

        if isinstance(self.value, tuple):
            return PRECEDENCE["Atom"]
        if self.value.is_negative:
            return PRECEDENCE["Add"]
        digits = to_digits(self.value, 6)
        # 6.7 x 10^10 is a product: bracket it in products and powers
        return PRECEDENCE["Add"] if digits.exponent else PRECEDENCE["Atom"]


def decimal_literal(value: sp.Rational) -> sp.Expr:
    """Keep `0.99` looking like 0.99 in symbolic steps (sympy would print 99/100)."""
    return value if value.is_Integer else Literal("", value)


@dataclass(frozen=True)
class Step:
    """One line of a derivation.

    Attributes:
        kind: `formula`, `rearranged`, `substituted`, `result`, `integer`, `derivative`,
            `relation`, or `note` (prose in `text`).
        expr: the sympy object the line shows (an `Eq` or a relation); None for notes.
        text: prose for notes.
    """

    kind: str
    expr: sp.Basic | None = None
    text: str = ""


@dataclass(frozen=True)
class Sensitivity:
    """How strongly an answer reacts to one of its inputs.

    Attributes:
        symbol: the input's name.
        elasticity: d ln(answer) / d ln(input), at the sheet's values.
        rounded_input: the input rounded to 3 significant figures.
        shift: relative change of the answer when that rounded input is used.
    """

    symbol: str
    elasticity: float
    rounded_input: sp.Expr | None = None
    shift: float | None = None


@dataclass(frozen=True)
class Answer:
    """The engine's answer to one ask.

    Attributes:
        id: `PROBLEM.ASK`, the stable answer id.
        value: exact sympy value, a tuple of them (vector), or a bool (true/false).
        unit: canonical unit (`byte`), `1` for pure numbers, `` for true/false.
        display_unit: unit to show the value in (`GiB`).
        sig: significant figures to show.
        unknown: the symbol solved for.
        steps: the derivation.
        expression: the answer as an expression of its inputs (for checking).
        inputs: the exact values substituted, by symbol name.
        sensitivities: elasticities of the answer, by input, largest first.
        fragile: True when some |elasticity| exceeds the threshold.
        formula: library formula id, if any.
        claim: the statement judged, for true/false asks.
        integer: `floor`, `ceil` or `round` when the value is a rounded count.
    """

    id: str
    value: Value | bool
    unit: str
    display_unit: str
    sig: int
    unknown: sp.Symbol
    steps: tuple[Step, ...]
    expression: sp.Expr | None = None
    inputs: dict[str, Value] = field(default_factory=dict)
    sensitivities: tuple[Sensitivity, ...] = ()
    fragile: bool = False
    formula: str | None = None
    claim: str = ""
    integer: str | None = None  # how the value was rounded to a whole number, if it was

    @property
    def problem(self) -> str:
        return self.id.split(".")[0]

    @property
    def ask(self) -> str:
        return self.id.split(".", 1)[1]

    @property
    def is_bool(self) -> bool:
        return isinstance(self.value, bool)

    @property
    def is_vector(self) -> bool:
        return isinstance(self.value, tuple)

    def as_float(self) -> float | bool | list[float]:
        """The value in the canonical unit as JSON-ready floats."""
        if isinstance(self.value, bool):
            return self.value
        if isinstance(self.value, tuple):
            return [to_float(v) for v in self.value]
        return to_float(self.value)


@dataclass(frozen=True)
class Solution:
    """Every answer of a sheet, in sheet order, keyed by answer id."""

    sheet: Sheet
    answers: dict[str, Answer]
    given_values: dict[str, Value] = field(default_factory=dict)
    used_givens: frozenset[str] = frozenset()  # keys of the givens some answer needed

    def for_problem(self, problem_id: str) -> list[Answer]:
        return [a for a in self.answers.values() if a.problem == problem_id]


def given_unit(given: Given) -> str:
    """The unit a given is shown in: the one its author wrote (`80 GB`, not
    `8 × 10^10 B`), else its quantity's display unit."""
    if given.unit in UNITS:
        return given.unit
    known = QUANTITIES.get(given.name)
    return default_display(known.unit if known else "1")
