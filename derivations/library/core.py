"""The building blocks of the formula library: quantities, formulas, known mistakes.

A `Formula` is a sympy equation `lhs = rhs` plus what a reader needs to trust it
(meaning and unit of each symbol, a source) and what a grader needs to diagnose a
wrong answer (`mistakes`: the wrong equations students actually use). Formulas are
data: the engine solves them, the renderer prints them, the checker compares against
their mistakes, and none of those need a special case per formula.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from derivations.library.symbols import quantity


class RoundHalfAway(sp.Function):
    """Round to the nearest integer, halves away from zero (what int8 quantizers do).

    Why a sympy Function: it stays unevaluated in symbolic steps (printed as
    `round(...)`) and evaluates exactly once its argument is a number.
    """

    @classmethod
    def eval(cls, x: sp.Expr) -> sp.Expr | None:
        if x.is_Number:
            return sp.sign(x) * sp.floor(abs(x) + sp.Rational(1, 2))
        return None

    def _latex(self, printer: sp.printing.latex.LatexPrinter) -> str:
        return r"\operatorname{round}\left(" + printer._print(self.args[0]) + r"\right)"

    def _sympystr(self, printer: sp.printing.str.StrPrinter) -> str:
        return "round(" + printer._print(self.args[0]) + ")"


class ClipInt8(sp.Function):
    """Clip to the int8 range [-128, 127], as `torch.clip(x, -128, 127)` does.

    Why a one-argument function rather than min(127, max(-128, x)): the bounds are
    the format's, not the formula's, and the shorter `clip(...)` keeps a substituted
    vector on a phone's screen; the bounds are stated in the formula's note.
    """

    @classmethod
    def eval(cls, x: sp.Expr) -> sp.Expr | None:
        if x.is_Number:
            return sp.Min(sp.Max(x, -128), 127)
        return None

    def _latex(self, printer: sp.printing.latex.LatexPrinter) -> str:
        return r"\operatorname{clip}\left(" + printer._print(self.args[0]) + r"\right)"

    def _sympystr(self, printer: sp.printing.str.StrPrinter) -> str:
        return "clip(" + printer._print(self.args[0]) + ")"


#: The library's functions whose value jumps (rounding, clipping): a float a hair
#: off lands on the wrong side, so they are evaluated exactly, and have no elasticity.
STEP_FUNCTIONS = (RoundHalfAway, ClipInt8)


@dataclass(frozen=True)
class Mistake:
    """A wrong equation students commonly use instead of the formula.

    Attributes:
        id: stable id (`one_lora_matrix`) that graders' reports count by.
        rhs: the wrong right-hand side, in the formula's own symbols.
        feedback: one sentence that explains the slip to the student.
    """

    id: str
    rhs: sp.Expr
    feedback: str


@dataclass(frozen=True)
class Formula:
    """One equation of the library.

    Attributes:
        id: stable id used in sheets (`chinchilla_loss`).
        title: short human title.
        topic: library module it belongs to (`scaling`).
        lhs: name of the quantity the formula defines.
        rhs: sympy expression in the symbols of `library.symbols.QUANTITIES`.
        source: paper or lecture the formula comes from.
        example: values for a one-line worked example (cheat sheets, tests).
        mistakes: wrong variants with feedback.
        note: optional caveat printed with the formula.
        requires: conditions on the inputs, each with the sentence shown when it fails
            (a target loss at or below what the model can reach, D_eff >= 2D, ...).
    """

    id: str
    title: str
    topic: str
    lhs: str
    rhs: sp.Expr
    source: str
    example: dict[str, str] = field(default_factory=dict)
    mistakes: tuple[Mistake, ...] = ()
    note: str = ""
    requires: tuple[tuple[sp.Basic, str], ...] = ()

    @property
    def lhs_symbol(self) -> sp.Symbol:
        return quantity(self.lhs).symbol

    @property
    def equation(self) -> sp.Eq:
        return sp.Eq(self.lhs_symbol, self.rhs, evaluate=False)

    @property
    def symbols(self) -> list[str]:
        """Every quantity name in the formula, the defined one first."""
        names = sorted(s.name for s in self.rhs.free_symbols)
        return [self.lhs, *[n for n in names if n != self.lhs]]
