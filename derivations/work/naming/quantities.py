"""What a symbol in a write-up stands for: a given, an answer, or an input of a formula.

Students name quantities their own way: `D'` for the new token count, `L'` for the
target loss, `N'` for the larger model, `M` for E6's memory reused in E7, `D` for the
tokens a problem solves for. The rules, per problem section (documented in
docs/check-work.md):

1. A symbol the section *computes* (left side of a chain that reaches a number, or the
   symbol isolated after `→`) is that problem's answer whose id or solved-for symbol
   it is (`x` -> `extra_epochs` solved for x; `D` in E3 -> `E3.D_new`); a primed one
   also matches an answer named after its letter (`L'` -> `L_target`).
2. A primed symbol (`D'`, `C'`) is a *new quantity of the same kind*: the latest
   answer, in this problem or an earlier one, solved for or named after that letter.
3. Otherwise: the problem's given of that name (its library spelling included:
   `d_{\\rm model}` is `d_model`, `\\alpha` is `alpha`), then an answer of this problem,
   then the latest earlier answer of that name or solved-for symbol, then an input
   of this problem's formulas (`M` bound to E6's memory in E7).
4. A subscript that names a problem is that problem's quantity (`L_{E1}`); another
   subscript on a letter (`L_{new}`, `D_2`) marks a new quantity of that letter, as a
   prime does.
Anything else is the student's own symbol: it has the values the write-up gives it
and no sheet value.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import mpmath
import sympy as sp

from derivations.read.values import mpf
from derivations.sheet.mathtext import GREEK
from derivations.solver.solution import Answer, Solution


@dataclass(frozen=True)
class KnownValue:
    """A value of the sheet as check-work knows it: a given, an answer or an input, and
    how a message names it."""

    key: str            # given:E4.N, answer:E2.D_new, input:E7.M
    label: str          # how a message names it
    value: sp.Expr | None
    unit: str
    answer: str | None = None

    def number(self) -> mpmath.mpf | None:
        return _number(self.value) if self.value is not None else None


@lru_cache(maxsize=4096)
def _number(value: sp.Expr) -> mpmath.mpf | None:
    if isinstance(value, sp.Rational):
        return mpf(value.p) / value.q if value.q != 1 else mpf(value.p)
    try:
        return mpmath.mpf(str(sp.N(value, 45)))
    except (TypeError, ValueError):
        return None


class SheetQuantities:
    """The sheet's givens, answers and formula inputs, looked up by written names."""

    def __init__(self, solution: Solution) -> None:
        sheet = solution.sheet
        self.order = [p.id for p in sheet.problems]
        self.answers: dict[str, list[Answer]] = {p: [] for p in self.order}
        self.names: dict[str, set[str]] = {p: set() for p in self.order}
        for answer in solution.answers.values():
            if isinstance(answer.value, sp.Expr):
                self.answers[answer.problem].append(answer)
            self.names[answer.problem] |= {answer.ask, answer.unknown.name,
                                           _letter(answer.ask)} - {""}
        self.sheet_givens: dict[str, sp.Expr] = {}
        self.problem_givens: dict[str, dict[str, sp.Expr]] = {p: {} for p in self.order}
        for key, value in solution.given_values.items():
            if not isinstance(value, sp.Expr):
                continue
            parts = key.split(".")
            if parts[0] == "given":
                self.sheet_givens[parts[1]] = value
            elif parts[0] == "problems" and parts[2] == "given":
                self.problem_givens[parts[1]][parts[3]] = value
        self.aliases = _library_aliases()

    def lookup(self, problem: str | None, name: str, computed: bool) -> KnownValue | None:
        name = self.aliases.get(name, name)
        base = name.rstrip("'")
        primed = base != name
        if problem is None or problem not in self.answers:
            value = self.sheet_givens.get(name)
            return _given(name, value) if value is not None else None
        own = self.answers[problem]
        earlier = [a for p in reversed(self.order[:self.order.index(problem)])
                   for a in reversed(self.answers[p])]
        if computed:
            found = _first(own, lambda a: a.ask == name or a.unknown.name == base or (
                primed and _letter(a.ask) == base))
            if found:
                return _answer(found)
        if primed:
            found = _first(own + earlier, lambda a: a.unknown.name == base or
                           _letter(a.ask) == base)
            return _answer(found) if found else None
        givens = {**self.sheet_givens, **self.problem_givens[problem]}
        if name in givens:
            return _given(name if name in self.sheet_givens and name not in
                          self.problem_givens[problem] else f"{problem}.{name}",
                          givens[name])
        found = _first(own, lambda a: a.ask == name or a.unknown.name == name) or \
            _first(earlier, lambda a: a.ask == name) or \
            _first(earlier, lambda a: a.unknown.name == name)
        if found:
            return _answer(found)
        for answer in own:
            if name in answer.inputs and isinstance(answer.inputs[name], sp.Expr):
                return KnownValue(f"input:{problem}.{name}", name, answer.inputs[name],
                                answer.unit)
        return self._subscripted(problem, name, computed)

    def numbers(self) -> list[mpmath.mpf]:
        """Every given and answer value of the sheet, as numbers (for the ranges of
        figures a write-up rounds from them)."""
        found = [_number(v) for v in [*self.sheet_givens.values(),
                                      *(v for p in self.problem_givens.values()
                                        for v in p.values()),
                                      *(a.value for p in self.answers.values() for a in p)]]
        return [v for v in found if v is not None]

    def names_answer(self, problem: str | None, name: str, answer_id: str) -> bool:
        """Does a name written before a stated answer (`N_opt` in `Answer: N_opt =
        3.2e10`) name this answer?"""
        try:
            found = self.lookup(problem, name.replace(" ", ""), True)
        except (KeyError, ValueError):
            return False
        return found is not None and found.answer == answer_id

    def _subscripted(self, problem: str, name: str, computed: bool) -> KnownValue | None:
        """`L_{E1}`: L of problem E1; `L_{new}`, `D_2`: a new quantity of its letter,
        like `L'` (rule 2), when no given or answer has the whole name."""
        head, _, sub = name.partition("_")
        if not sub or not head or "_" in sub:
            return None
        if sub in self.answers and sub != problem:
            return self.lookup(sub, head, False)
        if len(head) == 1 or head in GREEK:
            return self.lookup(problem, head + "'", computed)
        return None

    def answer_quantity(self, answer_id: str) -> KnownValue | None:
        problem = answer_id.split(".")[0]
        found = _first(self.answers.get(problem, []), lambda a: a.id == answer_id)
        return _answer(found) if found else None


def _first(answers: list[Answer], test) -> Answer | None:  # noqa: ANN001 - a predicate
    return next((a for a in answers if test(a)), None)


def _letter(ask: str) -> str:
    """The letter an answer is named after: `L_target` -> L, `N_new` -> N."""
    head = ask.split("_")[0]
    return head if "_" in ask else ""


def _answer(answer: Answer) -> KnownValue:
    return KnownValue(f"answer:{answer.id}", answer.id, answer.value,  # type: ignore[arg-type]
                    answer.unit, answer.id)


def _given(name: str, value: sp.Expr) -> KnownValue:
    return KnownValue(f"given:{name}", name.split(".")[-1], value, "")


@lru_cache(maxsize=1)
def _library_aliases() -> dict[str, str]:
    """Written name -> library name, from the library's LaTeX spellings
    (`n_{\\mathrm{ctx}}` -> `n_ctx`), when the two differ."""
    from derivations.library import QUANTITIES
    from derivations.read.grammar import read_formula
    from derivations.read.nodes import Sym
    from derivations.read.tokens import ReadError

    aliases: dict[str, str] = {}
    for name, quantity in QUANTITIES.items():
        try:
            chains = read_formula(quantity.latex)
        except ReadError:
            continue
        if len(chains) == 1 and len(chains[0].terms) == 1:
            node = chains[0].terms[0].node
            if isinstance(node, Sym) and node.name != name:
                aliases.setdefault(node.name, name)
    return aliases
