"""The judge of one relation of a write-up: a formula, a substitution, arithmetic or a
rearrangement, with the reason it holds or does not.

The `Walk` decides which pairs of terms are relations and in what order; the judge
decides each one, reading names through the `Ledger` (the write-up's own values, else
the sheet's) and the figures through the one judge of written numbers
(`derivations.read.judge`). Arithmetic it judges is recorded in the ledger as a result
a later line may repeat (`6.48` for 6.48 × 10^12).
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import mpmath

from derivations.read import judge
from derivations.read.lexicon import APPROX
from derivations.read.nodes import Chain, Term
from derivations.read.values import (
    Undefined,
    Unknown,
    compute,
    symbols_in,
    sympy_value,
    units_of,
    written_value,
)
from derivations.work.judging import symbolic
from derivations.work.judging.explain import Clues, Earlier, explain
from derivations.work.judging.ledger import Ledger, SheetFacts
from derivations.work.judging.ranges import Ranges
from derivations.work.judging.rearranging import check_rearrangement
from derivations.work.writeup.chains import (
    ratio_words,
    relation_text,
    rounded_significands,
    shortened,
    significand,
    unit_words,
)
from derivations.work.writeup.marks import Relation, is_bare
from derivations.work.writeup.spelling import inline, math_name, relation_source, spell

SAME_AT_SHEET = mpmath.mpf("1e-9")


class RelationMarker:
    """Judges the relations of one write-up, one at a time."""

    def __init__(self, facts: SheetFacts, ledger: Ledger) -> None:
        self.facts, self.ledger = facts, ledger
        self.ranges = Ranges(facts.quantities.numbers(), ledger.results, ledger.values)

    def as_answer(self, chain: Chain, statement: list[int], target: str | None,
                  lines: list[int]) -> Relation | None:
        """`2 × d_model × 4 × 96 × 2 bytes = ...` computing E6.bytes: is the first
        expression the sheet's quantity (at the sheet's values)?"""
        first = chain.terms[statement[0]]
        if target is None or is_bare(first) or not symbols_in(first.node):
            return None
        found = self.facts.quantities.answer_quantity(target)
        expected = found.number() if found is not None else None
        if found is None or expected is None:
            return None
        try:
            value = compute(first.node, self.ledger.sheet)
        except (Unknown, Undefined) as exc:
            return Relation(lines[statement[0]], self.ledger.problem, "symbolic",
                            f"{target} = {shortened(spell(first.node))}", None,
                            reason=f"not checked: {exc}")
        holds = abs(value - expected) <= SAME_AT_SHEET * abs(expected) or \
            abs(value - expected) <= mpmath.mpf(self.facts.tolerance) * abs(expected)
        reason = (f"read as {target} (the {unit_words(found.unit)} this section "
                  f"computes); at the sheet's values it is {symbolic.show(value)}")
        if not holds:
            reason += f", but the sheet's {target} is {symbolic.show(expected)}" + \
                ratio_words(expected, value).replace("right side", "expression").replace(
                    "the left", "the sheet's value") + self.known_mistake(target, value)
        return Relation(lines[statement[0]], self.ledger.problem, "symbolic",
                        f"{target} = {shortened(spell(first.node))}", bool(holds), "",
                        symbolic.show(value), reason)

    # -- one relation ------------------------------------------------------------------
    def pair(self, a: Term, b: Term, sign: str, line: int, target: str | None,
             aside: bool = False) -> Relation | None:
        """`a sign b` judged, with its formula as read for the reports to typeset."""
        found = self.judged_pair(a, b, sign, line, target, aside)
        if found is None:
            return None
        return dataclasses.replace(found, math=relation_source(a.node, sign, b.node))

    def judged_pair(self, a: Term, b: Term, sign: str, line: int, target: str | None,
                    aside: bool = False) -> Relation | None:
        left, right = symbols_in(a.node), symbols_in(b.node)
        if not left and not right:
            return self.arithmetic(a, b, sign, line, target, aside)
        if is_bare(a) and not right:
            return self.stated(a, b, sign, line)
        if left and not right:
            return self.arithmetic(a, b, sign, line, target, aside)
        if right and not left:  # `1.65 × 10^24 = 6ND`: the symbols are evaluated
            return self.arithmetic(b, a, sign, line, target, aside,
                                   shown=relation_text(a, sign, b))
        return self.formula(a, b, sign, line)

    def stated(self, a: Term, b: Term, sign: str, line: int) -> Relation | None:
        """`N = 67 billion` (a given) or `L = 1.90` (a value from an earlier line)."""
        name = a.node.name  # type: ignore[union-attr]
        key, found = self.ledger.quantity(name)
        own = False
        if key.startswith("given:") and found is not None:
            expected, source = found.number(), "the sheet gives"
        elif key in self.ledger.values and self.ledger.values[key].line != line:
            expected, own = self.ledger.values[key].value, True
            source = f"{self.ledger.where(self.ledger.values[key].line)} gave"
        else:
            return None
        try:
            figure = self.figure(b)
        except (Unknown, Undefined) as exc:
            return self.not_checked(a, b, sign, line, "numeric", exc)
        sheet = judge.Figure(expected, None, name)  # type: ignore[arg-type]
        how = judge.agrees(sheet, figure, sign, self.facts.tolerance)
        reason = f"{source} {math_name(name)} = {symbolic.show(expected, 6)}"
        if how is None and own:  # `k_N = 0.25` after `k_N = 0.5`: another case
            return Relation(line, self.ledger.problem, "numeric", relation_text(a, sign, b), None,
                            spell(b.node), symbolic.show(expected),
                            f"not checked: a new value for {math_name(name)} ({reason}), read as "
                            "another case")
        return Relation(line, self.ledger.problem, "numeric", relation_text(a, sign, b),
                        how is not None, spell(b.node), symbolic.show(expected),
                        reason if how is None else f"{reason}; holds {how}")

    def arithmetic(self, a: Term, b: Term, sign: str, line: int, target: str | None,
                   aside: bool, shown: str | None = None) -> Relation:
        kinds = [{u.kind if u.kind != "count" else u.unit for u in units_of(t.node)}
                 for t in (a, b)]
        if kinds[0] and kinds[1] and not kinds[0] & kinds[1]:
            return Relation(line, self.ledger.problem, "numeric", relation_text(a, sign, b), None,
                            reason="not checked: the two sides are in different units ("
                                   + " and ".join(", ".join(sorted(k)) for k in kinds) + ")")
        try:
            left, right = self.figure(a), self.figure(b)
        except (Unknown, Undefined) as exc:
            return self.not_checked(a, b, sign, line, "numeric", exc)
        written_text = shown or relation_text(a, sign, b)  # as written, before any swap
        if right.written is None and left.written is not None:
            a, b, left, right = b, a, right, left
        how = judge.agrees(left, right, sign, self.facts.tolerance) or \
            self.bare_in_unit(a, b, left, right, sign)
        if left.written is None:
            self.ledger.chain_values.append(left.value)
            if right.written is not None:
                earlier = Earlier(right.written[0], left.value, line, right.text,
                                  self.true_value(a, left.value))
                entry = (earlier, self.ledger.taint or (line if how is None else None))
                self.ledger.results[significand(right.written[0])] = entry
                for shorter in rounded_significands(right.written[0]):
                    self.ledger.rounded_results[shorter] = entry
        if how is not None:
            return Relation(line, self.ledger.problem, "numeric", written_text, True,
                            right.text, symbolic.show(left.value, 6), f"holds {how}")
        clues = self.clues(a, left, target, aside)
        words = [u.word for u in units_of(b.node)]
        why = explain(a.node, left, right, words[0] if words else "", clues)
        shown = inline(a.node) if len(spell(a.node)) < 40 else "the left side"
        reason = f"{shown} is " \
                 f"{symbolic.show(left.value, 6)}, not {right.text}" + (f": {why}" if why else "")
        return Relation(line, self.ledger.problem, "numeric", written_text, False, right.text,
                        symbolic.show(left.value, 6), reason)

    def bare_in_unit(self, a: Term, b: Term, left: judge.Figure, right: judge.Figure,
                     sign: str) -> str | None:
        """`260 + 260 + 520 + 250 = 1290 GB`: a bare side in the unit of the other side,
        the only other reading of a relation with a unit on one side."""
        units = [[u for u in units_of(t.node) if u.kind != "scale"] for t in (a, b)]
        if bool(units[0]) == bool(units[1]):
            return None
        unit = (units[0] or units[1])
        if len(unit) != 1 or unit[0].factor == 1:
            return None
        if units[0]:
            how = judge.agrees(left, right.scaled(unit[0].factor), sign, self.facts.tolerance)
        else:
            how = judge.agrees(left.scaled(unit[0].factor), right, sign, self.facts.tolerance)
        return f"{how}, the bare number read in {unit[0].word}" if how else None

    def clues(self, a: Term, left: judge.Figure, target: str | None, aside: bool) -> Clues:
        unrounded = {}
        for name in symbols_in(a.node):
            value = self.ledger.values.get(self.ledger.quantity(name)[0])
            if value is not None and value.exact != value.value:
                unrounded[name] = Earlier(Fraction(0), value.exact, value.line, value.text)
        chain_values = [v for v in self.ledger.chain_values if v != left.value] if aside else []
        sheet = self.sheet_formula(target) if target and not aside else None
        key = self.facts.keys.get(target) if target and not aside else None
        mistakes = [(v.value, v.feedback) for v in key.slips] if key else []
        return Clues(self.ledger.student, [(n, e, s) for n, e, s, _ in self.ledger.matched(a.node)],
                     unrounded, chain_values, sheet, self.facts.tolerance, mistakes,
                     self.ledger.where)

    def sheet_formula(self, answer_id: str) -> tuple[str, mpmath.mpf] | None:
        """The sheet's value of an answer from the write-up's own earlier values."""
        carried = self.facts.carried(answer_id)
        found = self.facts.quantities.answer_quantity(answer_id)
        if carried is None:
            value = found.number() if found else None
            return (answer_id, value) if value is not None else None
        expr, placeholders = carried
        numbers: dict[str, mpmath.mpf] = {}
        for placeholder, other in placeholders.items():
            mine = self.ledger.values.get(f"answer:{other}")
            sheet = self.facts.quantities.answer_quantity(other)
            value = mine.value if mine else (sheet.number() if sheet else None)
            if value is None:
                return None
            numbers[placeholder.name] = value
        try:
            return answer_id, sympy_value(expr, lambda n: numbers.get(n))
        except (Unknown, Undefined):
            return None

    def formula(self, a: Term, b: Term, sign: str, line: int) -> Relation:
        """Both sides symbolic: does it hold at the sheet's values?"""
        try:
            left, right = compute(a.node, self.ledger.sheet), compute(b.node, self.ledger.sheet)
        except (Unknown, Undefined) as exc:
            return self.not_checked(a, b, sign, line, "symbolic", exc)
        tolerance = mpmath.mpf(self.facts.tolerance) if sign == APPROX else SAME_AT_SHEET
        holds = abs(left - right) <= tolerance * max(abs(left), abs(right))
        names = sorted(symbols_in(a.node) | symbols_in(b.node))
        at = ", ".join(f"{n} = {symbolic.show(self.ledger.sheet(n))}" for n in names[:6])  # type: ignore
        if holds:
            reason = f"holds at the sheet's values ({at})"
        else:
            reason = (f"at the sheet's values ({at}) the left side is {symbolic.show(left)} "
                      f"and the right side {symbolic.show(right)}{ratio_words(left, right)}")
            if is_bare(a):
                found = self.ledger.quantity(a.node.name)[1]  # type: ignore[union-attr]
                reason += self.known_mistake(found.answer if found else None, right)
        return Relation(line, self.ledger.problem, "symbolic", relation_text(a, sign, b),
                        bool(holds), "", symbolic.show(right), reason)

    def known_mistake(self, answer_id: str | None, value: mpmath.mpf) -> str:
        """`; a known mistake: ...` when a wrong formula's value is one the library knows
        for that answer (the grader's list), else ''."""
        key = self.facts.keys.get(answer_id) if answer_id else None
        for slip in key.slips if key else []:
            if slip.value and abs(value - slip.value) <= 1e-9 * abs(slip.value):
                return f"; a known mistake: {slip.feedback}"
        return ""

    def rearrangement(self, previous: tuple[Term, Term, bool | None], lhs: Term, rhs: Term,
                      line: int, follows: int | None) -> Relation | None:
        """`eq1 → eq2` (`work.judging.rearranging`); a pair that isolates nothing is judged as
        a relation of its own."""
        found = check_rearrangement(previous, lhs, rhs, line, self.ledger.problem,
                                    self.ledger.sheet, follows)
        if found is not None:
            first = relation_source(previous[0].node, "=", previous[1].node)
            return dataclasses.replace(found, math=f"{first} \\to "
                                                    f"{relation_source(lhs.node, '=', rhs.node)}")
        numbers_only = not symbols_in(lhs.node) and not symbols_in(rhs.node)
        relation = self.pair(lhs, rhs, "=", line, target=None) if numbers_only else None
        return relation if relation is not None else self.formula(lhs, rhs, "=", line)

    def figure(self, term: Term) -> judge.Figure:
        """A side's value with its figures as written, and the range the roundings it
        uses allow (`work.judging.ranges`)."""
        written = written_value(term.node)
        span = None if written is not None else judge.span(
            term.node, self.ledger.student, self.ranges.literal,
            lambda name: self.ranges.symbol(self.ledger.value_key(name)))
        return judge.Figure(compute(term.node, self.ledger.student), written,
                            spell(term.node), span)

    def true_value(self, term: Term, computed: mpmath.mpf) -> mpmath.mpf:
        """The exact value a side stands for (every rounding before it undone)."""
        found = self.ranges.true_value(term.node, self.ledger.student,
                                       self.ledger.value_key)
        return found if found is not None else computed

    def not_checked(self, a: Term, b: Term, sign: str, line: int, kind: str,
                    exc: Exception) -> Relation:
        if isinstance(exc, Unknown):
            why = f"{exc.name} is neither a quantity of the sheet nor given a value earlier"
        else:
            why = str(exc)
        return Relation(line, self.ledger.problem, kind, relation_text(a, sign, b), None,
                        reason=f"not checked: {why}")
