"""Which answer of the sheet a statement of a write-up computes.

The rules, in order (docs/check-work.md, "Which answer a line gives"):

1. By name: a head symbol the sheet knows (`D' = ...`, `N_opt = ...`, `x = ...`) is
   that answer (`work.naming.quantities`).
2. An unnamed expression with symbols (`2 × d_model × 4 × 96 × 2 bytes = ...`) is the
   answer of its problem that it gives at the sheet's values, or that a known mistake
   gives; a term on the way (`A/N^α = 0.0847`) is no answer.
3. By position: a statement ending in a number, with no name the sheet knows, is the
   next answer of its problem in its unit not given yet, when the number is within a
   factor of 1000 of that answer (`b = 4 bytes` is no answer of 35 TB). A symbol given
   a value a second time starts another case, not another answer.
"""

from __future__ import annotations

from collections.abc import Mapping

import mpmath

from derivations.grade.keys import AnswerKey
from derivations.library.units import UNITS
from derivations.read.judge import Env
from derivations.read.nodes import Chain
from derivations.read.values import Undefined, Unknown, compute, symbols_in, units_of
from derivations.work.naming.quantities import KnownValue, SheetQuantities
from derivations.work.writeup.marks import numeric


class Targets:
    """Finds the answer a statement computes, for one sheet."""

    def __init__(self, quantities: SheetQuantities, keys: Mapping[str, AnswerKey],
                 tolerance: float) -> None:
        self.q, self.keys, self.tolerance = quantities, keys, tolerance
        self.by_position = False

    def find(self, chain: Chain, statement: list[int], problem: str | None,
             given: set[str], named: tuple[str, KnownValue | None] | None, again: bool,
             student: Env, sheet: Env,
             restating: Mapping[str, mpmath.mpf] | None = None) -> str | None:
        """The answer id, or None. `given`: answers found so far; `named`: the head's
        quantity when the head is a name; `again`: that name already had a value.
        `self.by_position` is set when the answer was only found by position (a later
        statement found by value may then take its place)."""
        self.by_position = False
        restating = restating or {}
        head = chain.terms[statement[0]]
        if named is not None and named[1] is not None:
            return named[1].answer
        if named is None and symbols_in(head.node):
            return self.by_value(head.node, problem, given, sheet)
        last = chain.terms[statement[-1]]
        if not numeric(last) or problem is None or again:
            return None
        if named is not None and _stem(named[0]) in self.q.names.get(problem, set()):
            return None  # `q_1 = 49`: an element of the vector answer q, not another answer
        units = [u.unit for k in statement for u in units_of(chain.terms[k].node)]
        unit = units[-1] if units else chain.unit.unit if chain.unit else "1"
        try:
            value = compute(last.node, student)
        except (Unknown, Undefined):
            return None
        values = [value]
        if chain.unit is not None and not units_of(last.node):  # `\text{memory (in GB)} = 28`
            values.append(value * mpmath.mpf(chain.unit.factor.numerator) /
                          chain.unit.factor.denominator)
        open_answers = [a for a in self.q.answers.get(problem, [])
                        if a.id not in given and a.unit == unit]
        if not units:  # a bare number may be any answer of its problem that it gives
            open_answers += [a for a in self.q.answers.get(problem, [])
                             if a.id not in given and a.unit != unit and self.keys.get(a.id)
                             and any(self.gives(v, self.keys[a.id]) for v in values)]
        if any(_close(v, earlier, self.tolerance) for v in values
               for a, earlier in restating.items() if a.startswith(f"{problem}.")):
            return None  # `2.08e11 / 2^30 ≈ 193.7 GiB`: an answer given again, converted
        for answer in open_answers:  # one the value is (or a known mistake of)
            key = self.keys.get(answer.id)
            if key is not None and isinstance(key.expected, float) and any(
                    self.gives(v, key) for v in values):
                return answer.id
        for answer in open_answers:  # else the next one in order, if plausible
            key = self.keys.get(answer.id)
            display = "" if units_of(last.node) else key.display_unit if key else ""
            if key is None or not isinstance(key.expected, float) or any(
                    _plausible(v, key.expected, display) for v in values):
                self.by_position = True
                return answer.id
        return None

    def gives(self, value: mpmath.mpf, key: AnswerKey) -> bool:
        """Is `value` the answer, or a known mistake's value of it (within tolerance)?"""
        return any(c and abs(value - c) <= mpmath.mpf(self.tolerance) * abs(c)
                   for c in [key.expected, *(v.value for v in key.slips)])

    def by_value(self, node: object, problem: str | None, given: set[str], sheet: Env
                 ) -> str | None:
        """Rule 2: the answer (or a known mistake of it) an expression gives."""
        try:
            value = compute(node, sheet)  # type: ignore[arg-type]
        except (Unknown, Undefined):
            return None
        units = {u.unit for u in units_of(node) if u.kind != "scale"}  # type: ignore
        for answer in self.q.answers.get(problem or "", []):
            key = self.keys.get(answer.id)
            if answer.id in given or key is None or not isinstance(key.expected, float) \
                    or (units and answer.unit not in units):
                continue
            if self.gives(value, key):
                return answer.id
        return None


def _stem(key: str) -> str:
    """The letter or name a symbol of the write-up's own is written with (`q_1`, `q'`)."""
    name = key.rsplit(":", 1)[-1]
    return name.rstrip("'").split("_")[0]


def _close(value: mpmath.mpf, expected: mpmath.mpf | float, tolerance: float) -> bool:
    return bool(expected) and abs(value - expected) <= mpmath.mpf(tolerance) * abs(expected)


def _plausible(value: mpmath.mpf, expected: float, display: str) -> bool:
    """Within a factor of 1000 of the answer, read in its canonical unit or, for a bare
    number, in the unit it is asked in (`display`: `28` for a GB question): what a slip
    can give, unlike a figure of another quantity, as `derive check` decides."""
    if not value or not expected:
        return True
    factor = UNITS[display].factor if display in UNITS else 1
    return any(mpmath.mpf("1e-3") <= abs(v / expected) <= 1000
               for v in (value, value * mpmath.mpf(factor.numerator) / factor.denominator))
