"""What a walk knows at each point of a write-up: the sheet's facts and the student's values.

`SheetFacts` is everything a walk takes from the solved sheet (quantities, answer keys,
tolerance, each answer's formula in earlier answers). It is handed over as data, so the
walk never reaches back into the `WorkChecker` that made it. `Ledger` is the write-up's
side: the value each quantity was last given (as written and before rounding), the
results written so far by their significant digits, and the problem and false line
the walk is in. Both the walk and the judge of one relation read it; only the walk and
the arithmetic it judges write to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import mpmath
import sympy as sp

from derivations.grade.keys import AnswerKey
from derivations.read.nodes import Node, Num
from derivations.read.values import numbers_in, symbols_in
from derivations.work.judging.explain import Earlier
from derivations.work.judging.ranges import Value
from derivations.work.naming.quantities import KnownValue, SheetQuantities
from derivations.work.writeup.chains import power_of_ten, significand

#: An answer as an expression of earlier answers: the expression and its placeholders.
CarriedForm = tuple[sp.Expr, dict[sp.Symbol, str]]


@dataclass(frozen=True)
class SheetFacts:
    """What a walk needs from the solved sheet, and nothing else of the checker."""

    quantities: SheetQuantities
    keys: Mapping[str, AnswerKey]
    tolerance: float
    carried: Callable[[str], CarriedForm | None]


@dataclass
class Ledger:
    """The write-up's values so far, and where the walk is (problem, false line)."""

    facts: SheetFacts
    values: dict[str, Value] = field(default_factory=dict)
    # results written so far, by their significant digits (`6.48` finds 6.48 × 10^12)
    results: dict[str, tuple[Earlier, int | None]] = field(default_factory=dict)
    # the same results by their significant digits rounded to fewer figures
    # (`3.3` repeats 3.33 × 10^24): for carried-forward marks only, never for ranges
    rounded_results: dict[str, tuple[Earlier, int | None]] = field(default_factory=dict)
    computed: dict[str | None, set[str]] = field(default_factory=dict)
    own_latest: dict[str, str] = field(default_factory=dict)  # own symbol -> its key
    problem: str | None = None
    taint: int | None = None  # the first false line the current chain follows from
    chain_values: list[mpmath.mpf] = field(default_factory=list)  # of the current chain
    #: how a line is named in a reason ("line 12"; a notebook's "cell 3, line 2")
    where: Callable[[int], str] = lambda line: f"line {line}"

    def quantity(self, name: str) -> tuple[str, KnownValue | None]:
        """The key a name's value is kept under, and the sheet's quantity if it is one."""
        found = self.facts.quantities.lookup(self.problem, name,
                                             name in self.computed.get(self.problem, set()))
        return (found.key if found else f"own:{self.problem}:{name}"), found

    def student(self, name: str) -> mpmath.mpf | None:
        """The write-up's value of a name, else the sheet's."""
        key = self.value_key(name)
        if key in self.values:
            return self.values[key].value
        found = self.quantity(name)[1]
        return found.number() if found else None

    def value_key(self, name: str) -> str:
        """Where the write-up's value of a name is kept: its own symbols (`L = 40` in
        G2) keep their value in later problems until given another one."""
        key, found = self.quantity(name)
        if found is None and key not in self.values:
            return self.own_latest.get(name, key)
        return key

    def written_or_sheet(self, name: str) -> mpmath.mpf | None:
        """The sheet's value of a quantity, else the write-up's own value of a symbol
        the sheet does not know (`34 s h L` with `s = 4096` written earlier)."""
        _, found = self.quantity(name)
        if found is not None:
            return found.number()
        own = self.values.get(self.value_key(name))
        return own.value if own is not None else None

    def sheet(self, name: str) -> mpmath.mpf | None:
        """The sheet's value of a name, or None for a symbol of the write-up's own."""
        _, found = self.quantity(name)
        return found.number() if found else None

    def taint_of(self, node: Node) -> int | None:
        """The first false line an expression's values come from, if any."""
        lines = [v.taint for name in symbols_in(node)
                 if (v := self.values.get(self.value_key(name))) and v.taint]
        lines += [taint for _, _, _, taint in self.matched(node) if taint]
        return min(lines) if lines else None

    def matched(self, node: Node) -> list[tuple[Num, Earlier, int, int | None]]:
        """Literals that repeat an earlier result (`6.48` for 6.48 × 10^12)."""
        found = []
        for literal in numbers_in(node):
            if len(re.sub(r"\D", "", literal.text).lstrip("0")) < 2 or not literal.value:
                continue
            earlier_found = self.results.get(significand(literal.value)) or \
                self.rounded_results.get(significand(literal.value))
            if earlier_found is not None:
                earlier, taint = earlier_found
                shift = power_of_ten(earlier.value / literal.value)
                if shift is not None:
                    found.append((literal, earlier, shift, taint))
        return found
