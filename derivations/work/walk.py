"""One pass over a write-up's chains, in order, with the student's values in hand.

See `checking` for the idea. Per chain: the statements between `→` are equations;
each `→` is a rearrangement (checked by sympy); inside a statement each neighbouring
pair is a formula (both sides symbolic: checked at the sheet's values), a
substitution (symbols on one side: evaluated with the write-up's own values) or
arithmetic (numbers on both sides). Labels such as `L(N, D)` are skipped over.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

import mpmath

from derivations.limits import LimitError
from derivations.present.prose import plain
from derivations.read import judge
from derivations.read.lexicon import APPROX
from derivations.read.nodes import Chain, Num, Term
from derivations.read.tokens import ReadError
from derivations.read.values import (
    Undefined,
    Unknown,
    compute,
    numbers_in,
    symbols_in,
    sympy_value,
    units_of,
    written_value,
)
from derivations.work import relations
from derivations.work.chains import (
    answer_text,
    power_of_ten,
    ratio_words,
    relation_sign,
    relation_text,
    rounded_significands,
    shortened,
    significand,
    split_statements,
    term_lines,
    unit_words,
)
from derivations.work.explain import Clues, Earlier, explain
from derivations.work.marks import Relation, computed_names, is_bare, numeric, read_rows
from derivations.work.quantities import KnownValue
from derivations.work.ranges import Ranges, Value
from derivations.work.spelling import spell
from derivations.work.targets import Targets

SAME_AT_SHEET = mpmath.mpf("1e-9")


class Walk:
    """One write-up's pass: the relations found, the write-up's own values (by
    quantity), the results written so far (for rounding and carried-forward), the
    equation tags and whether they held, and the final answer found per ask."""

    def __init__(self, checker: Any, writeup: Any) -> None:
        self.checker, self.writeup = checker, writeup
        self.q = checker.quantities
        self.tolerance = checker.tolerance
        self.relations: list[Relation] = []
        self.values: dict[str, Value] = {}
        # results written so far, by their significant digits (`6.48` finds 6.48 × 10^12)
        self.results: dict[str, tuple[Earlier, int | None]] = {}
        # the same results by their significant digits rounded to fewer figures
        # (`3.3` repeats 3.33 × 10^24): for carried-forward marks only, never for ranges
        self.rounded_results: dict[str, tuple[Earlier, int | None]] = {}
        self.tags: dict[str, tuple[int, bool]] = {}
        self.finals: dict[str, tuple[int, str]] = {}
        self.computed: dict[str | None, set[str]] = {}
        self.problem: str | None = None
        self.taint: int | None = None
        self.chain_values: list[mpmath.mpf] = []  # computed values of the current chain
        self.own_latest: dict[str, str] = {}  # a symbol of the write-up's own -> its key
        self.provisional: set[str] = set()  # answers found only by position so far
        self.by_position = False
        self.ranges = Ranges(checker.quantities.numbers(), self.results, self.values)
        self.targets = Targets(checker.quantities, checker.grader.keys, checker.tolerance)

    # -- driving ---------------------------------------------------------------------
    def run(self) -> None:
        parsed = [(run, *read_rows(run)) for run in self.writeup.runs]
        for run, chains, _ in parsed:
            self.computed.setdefault(run.problem, set()).update(computed_names(chains))
        for run, chains, errors in parsed:
            self.problem = run.problem
            for error in errors:
                self.unread(run, error)
            for chain in chains:
                self.chain(chain, run)

    def unread(self, run: Any, error: ReadError) -> None:
        line = run.line + run.source[:error.offset or 0].count("\n")
        text = self.writeup.lines[line - 1].strip() if line <= len(self.writeup.lines) \
            else run.source
        self.relations.append(Relation(line, run.problem, "unread", shortened(text), None,
                                       reason=f"not read: {error}"))

    # -- names and values --------------------------------------------------------------
    def quantity(self, name: str) -> tuple[str, KnownValue | None]:
        found = self.q.lookup(self.problem, name,
                              name in self.computed.get(self.problem, set()))
        return (found.key if found else f"own:{self.problem}:{name}"), found

    def student(self, name: str) -> mpmath.mpf | None:
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
        key, found = self.quantity(name)
        if found is not None:
            return found.number()
        own = self.values.get(self.value_key(name))
        return own.value if own is not None else None

    def sheet(self, name: str) -> mpmath.mpf | None:
        _, found = self.quantity(name)
        return found.number() if found else None

    def taint_of(self, node: Any) -> int | None:
        lines = [v.taint for name in symbols_in(node)
                 if (v := self.values.get(self.value_key(name))) and v.taint]
        lines += [taint for _, _, _, taint in self.matched(node) if taint]
        return min(lines) if lines else None

    def matched(self, node: Any) -> list[tuple[Num, Earlier, int, int | None]]:
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

    # -- chains --------------------------------------------------------------------------
    def chain(self, chain: Chain, run: Any) -> None:
        """Check one chain; arithmetic that fails in an unforeseen way marks the
        chain "not checked" with the reason, and the walk goes on."""
        try:
            self.check_chain(chain, run)
        except (ArithmeticError, ValueError, TypeError, RecursionError, LimitError) as exc:
            self.relations.append(Relation(run.line, self.problem, "symbolic",
                                           shortened(run.source), None, reason=(
                                               "not checked: the checker could not evaluate "
                                               f"this ({type(exc).__name__})")))

    def check_chain(self, chain: Chain, run: Any) -> None:  # long: the walk over one chain
        lines = term_lines(chain, run)
        used = [self.tags[t] for t in run.uses if t in self.tags]
        self.taint = next((line for line, held in used if not held), None)
        self.chain_values = []
        start_count = len(self.relations)
        statements = split_statements(chain)
        previous: tuple[Term, Term, bool | None] | None = None
        for number, kept in enumerate(statements):
            target = self.target_of(chain, kept)
            self.add(self.as_answer(chain, kept, target, lines), None)
            terms = [chain.terms[i] for i in kept]
            if number and previous and len(terms) >= 2:
                self.add(self.rearrangement(previous, terms[0], terms[1], lines[kept[1]]),
                         None)
            for k in range(len(terms) - 1):
                if number and k == 0 and previous:
                    continue
                sign = relation_sign(chain, kept[k], kept[k + 1])
                relation = self.pair(terms[k], terms[k + 1], sign, lines[kept[k + 1]],
                                     target=target)
                if relation is not None and relation.kind == "numeric":
                    self.add(relation, self.taint_of(terms[k].node) or
                             self.taint_of(terms[k + 1].node))
                else:
                    self.add(relation, None)
            if len(terms) >= 2:
                held = [r.holds for r in self.relations[start_count:]]
                previous = (terms[0], terms[1], all(h is not False for h in held))
            self.assign(chain, kept, lines, target)
        for index, sign, aside in chain.asides:
            self.add(self.pair(chain.terms[index], aside, sign, lines[index], target=None,
                               aside=True), None)
        if chain.tag:
            true = all(r.holds is not False for r in self.relations[start_count:])
            self.tags[chain.tag] = (lines[0], true)

    def add(self, relation: Relation | None, inputs: int | None) -> None:
        if relation is None:
            return
        if relation.holds is False:
            self.taint = self.taint or relation.line
        elif relation.holds and (self.taint or inputs):
            source = self.taint or inputs
            if source is not None and source < relation.line:
                relation.follows_from = source  # a false step on the same line marks it
            self.taint = self.taint or inputs
        self.relations.append(relation)

    def target_of(self, chain: Chain, statement: list[int]) -> str | None:
        """The answer a statement computes (`work.targets`)."""
        head = chain.terms[statement[0]]
        named = self.quantity(head.node.name) if is_bare(head) else None  # type: ignore
        firm = set(self.finals) - self.provisional
        found = self.targets.find(chain, statement, self.problem, firm, named,
                                  named is not None and named[0] in self.values,
                                  self.student, self.written_or_sheet,
                                  {k[7:]: v.value for k, v in self.values.items()
                                   if k.startswith("answer:") and k[7:] in firm})
        if found is not None and self.targets.by_position and found in self.provisional:
            return None  # taken by position already; only a name or a value replaces it
        self.by_position = self.targets.by_position
        return found

    def as_answer(self, chain: Chain, statement: list[int], target: str | None,
                  lines: list[int]) -> Relation | None:
        """`2 × d_model × 4 × 96 × 2 bytes = ...` computing E6.bytes: is the first
        expression the sheet's quantity (at the sheet's values)?"""
        first = chain.terms[statement[0]]
        if target is None or is_bare(first) or not symbols_in(first.node):
            return None
        found = self.q.answer_quantity(target)
        if found is None or found.number() is None:
            return None
        try:
            value = compute(first.node, self.sheet)
        except (Unknown, Undefined) as exc:
            return Relation(lines[statement[0]], self.problem, "symbolic",
                            f"{target} = {shortened(spell(first.node))}", None,
                            reason=f"not checked: {exc}")
        expected = found.number()
        holds = abs(value - expected) <= SAME_AT_SHEET * abs(expected) or \
            abs(value - expected) <= mpmath.mpf(self.tolerance) * abs(expected)
        reason = (f"read as {target} (the {unit_words(found.unit)} this section "
                  f"computes); at the sheet's values it is {relations.show(value)}")
        if not holds:
            reason += f", but the sheet's {target} is {relations.show(expected)}" + \
                ratio_words(expected, value).replace("right side", "expression").replace(
                    "the left", "the sheet's value") + self.known_mistake(target, value)
        return Relation(lines[statement[0]], self.problem, "symbolic",
                        f"{target} = {shortened(spell(first.node))}", bool(holds), "",
                        relations.show(value), reason)

    def assign(self, chain: Chain, tail: list[int], lines: list[int], target: str | None
               ) -> None:
        """The value a statement of a chain gives its head symbol (or its answer) for
        later lines."""
        numbers = [k for k in tail if numeric(chain.terms[k])]
        if not numbers:
            return
        last = chain.terms[numbers[-1]]
        try:
            value = compute(last.node, self.student)
            computed = [(k, compute(chain.terms[k].node, self.student)) for k in numbers
                        if written_value(chain.terms[k].node) is None]
            true = self.true_value(chain.terms[computed[-1][0]], computed[-1][1]) \
                if computed else self.true_value(last, value)
        except (Unknown, Undefined):
            return
        head = chain.terms[tail[0]]
        key = self.quantity(head.node.name)[0] if is_bare(head) else (  # type: ignore
            f"answer:{target}" if target else None)
        taint = self.taint or self.taint_of(last.node)
        entry = Value(value, computed[-1][1] if computed else value, lines[numbers[-1]],
                      taint, last.text, true)
        if key is not None and not key.startswith("given:"):
            self.values[key] = entry
            if key.startswith("own:") and is_bare(head):
                self.own_latest[head.node.name] = key  # type: ignore[union-attr]
        if target is not None and key is not None and key.startswith("own:"):
            self.values[f"answer:{target}"] = entry
        if target is not None and (target not in self.finals or (
                target in self.provisional and not self.by_position)):
            self.finals[target] = (lines[numbers[-1]], answer_text(last, value, chain.unit))
            self.provisional.discard(target)
            if self.by_position:
                self.provisional.add(target)

    # -- one relation ------------------------------------------------------------------
    def pair(self, a: Term, b: Term, sign: str, line: int, target: str | None,
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
        key, found = self.quantity(name)
        own = False
        if key.startswith("given:") and found is not None:
            expected, source = found.number(), "the sheet gives"
        elif key in self.values and self.values[key].line != line:
            expected, own = self.values[key].value, True
            source = f"line {self.values[key].line} gave"
        else:
            return None
        try:
            figure = self.figure(b)
        except (Unknown, Undefined) as exc:
            return self.not_checked(a, b, sign, line, "numeric", exc)
        sheet = judge.Figure(expected, None, name)  # type: ignore[arg-type]
        how = judge.agrees(sheet, figure, sign, self.tolerance)
        reason = f"{source} {name} = {relations.show(expected, 6)}"
        if how is None and own:  # `k_N = 0.25` after `k_N = 0.5`: another case
            return Relation(line, self.problem, "numeric", relation_text(a, sign, b), None,
                            spell(b.node), relations.show(expected),
                            f"not checked: a new value for {name} ({reason}), read as "
                            "another case")
        return Relation(line, self.problem, "numeric", relation_text(a, sign, b), how is not None,
                        spell(b.node), relations.show(expected), reason if how is None else
                        f"{reason}; holds {how}")

    def arithmetic(self, a: Term, b: Term, sign: str, line: int, target: str | None,
                   aside: bool, shown: str | None = None) -> Relation:
        kinds = [{u.kind if u.kind != "count" else u.unit for u in units_of(t.node)}
                 for t in (a, b)]
        if kinds[0] and kinds[1] and not kinds[0] & kinds[1]:
            return Relation(line, self.problem, "numeric", relation_text(a, sign, b), None,
                            reason="not checked: the two sides are in different units ("
                                   + " and ".join(", ".join(sorted(k)) for k in kinds) + ")")
        try:
            left, right = self.figure(a), self.figure(b)
        except (Unknown, Undefined) as exc:
            return self.not_checked(a, b, sign, line, "numeric", exc)
        written_text = shown or relation_text(a, sign, b)  # as written, before any swap
        if right.written is None and left.written is not None:
            a, b, left, right = b, a, right, left
        how = judge.agrees(left, right, sign, self.tolerance) or \
            self.bare_in_unit(a, b, left, right, sign)
        if left.written is None:
            self.chain_values.append(left.value)
            if right.written is not None:
                earlier = Earlier(right.written[0], left.value, line, right.text,
                                  self.true_value(a, left.value))
                entry = (earlier, self.taint or (line if how is None else None))
                self.results[significand(right.written[0])] = entry
                for shorter in rounded_significands(right.written[0]):
                    self.rounded_results[shorter] = entry
        if how is not None:
            return Relation(line, self.problem, "numeric", written_text, True,
                            right.text, relations.show(left.value, 6), f"holds {how}")
        clues = self.clues(a, left, target, aside)
        words = [u.word for u in units_of(b.node)]
        why = explain(a.node, left, right, words[0] if words else "", clues)
        shown = spell(a.node)
        reason = f"{shown if len(shown) < 40 else 'the left side'} is " \
                 f"{relations.show(left.value, 6)}, not {right.text}" + (f": {why}" if why else "")
        return Relation(line, self.problem, "numeric", written_text, False, right.text,
                        relations.show(left.value, 6), reason)

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
            how = judge.agrees(left, right.scaled(unit[0].factor), sign, self.tolerance)
        else:
            how = judge.agrees(left.scaled(unit[0].factor), right, sign, self.tolerance)
        return f"{how}, the bare number read in {unit[0].word}" if how else None

    def clues(self, a: Term, left: judge.Figure, target: str | None, aside: bool) -> Clues:
        unrounded = {}
        for name in symbols_in(a.node):
            value = self.values.get(self.quantity(name)[0])
            if value is not None and value.exact != value.value:
                unrounded[name] = Earlier(Fraction(0), value.exact, value.line, value.text)
        chain_values = [v for v in self.chain_values if v != left.value] if aside else []
        sheet = self.sheet_formula(target) if target and not aside else None
        key = self.checker.grader.keys.get(target) if target and not aside else None
        mistakes = [(v.value, v.feedback) for v in key.slips] if key else []
        return Clues(self.student, [(n, e, s) for n, e, s, _ in self.matched(a.node)],
                     unrounded, chain_values, sheet, self.tolerance, mistakes)

    def sheet_formula(self, answer_id: str) -> tuple[str, mpmath.mpf] | None:
        """The sheet's value of an answer from the write-up's own earlier values."""
        carried = self.checker.carried(answer_id)
        found = self.q.answer_quantity(answer_id)
        if carried is None:
            value = found.number() if found else None
            return (answer_id, value) if value is not None else None
        expr, placeholders = carried
        numbers: dict[str, mpmath.mpf] = {}
        for placeholder, other in placeholders.items():
            mine = self.values.get(f"answer:{other}")
            sheet = self.q.answer_quantity(other)
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
            left, right = compute(a.node, self.sheet), compute(b.node, self.sheet)
        except (Unknown, Undefined) as exc:
            return self.not_checked(a, b, sign, line, "symbolic", exc)
        tolerance = mpmath.mpf(self.tolerance) if sign == APPROX else SAME_AT_SHEET
        holds = abs(left - right) <= tolerance * max(abs(left), abs(right))
        names = sorted(symbols_in(a.node) | symbols_in(b.node))
        at = ", ".join(f"{n} = {relations.show(self.sheet(n))}" for n in names[:6])  # type: ignore
        if holds:
            reason = f"holds at the sheet's values ({at})"
        else:
            reason = (f"at the sheet's values ({at}) the left side is {relations.show(left)} "
                      f"and the right side {relations.show(right)}{ratio_words(left, right)}")
            if is_bare(a):
                found = self.quantity(a.node.name)[1]  # type: ignore[union-attr]
                reason += self.known_mistake(found.answer if found else None, right)
        return Relation(line, self.problem, "symbolic", relation_text(a, sign, b),
                        bool(holds), "", relations.show(right), reason)

    def known_mistake(self, answer_id: str | None, value: mpmath.mpf) -> str:
        """`; a known mistake: ...` when a wrong formula's value is one the library knows
        for that answer (the grader's list), else ''."""
        key = self.checker.grader.keys.get(answer_id) if answer_id else None
        for slip in key.slips if key else []:
            if slip.value and abs(value - slip.value) <= 1e-9 * abs(slip.value):
                return f"; a known mistake: {plain(slip.feedback)}"
        return ""

    def rearrangement(self, previous: tuple[Term, Term, bool | None], lhs: Term, rhs: Term,
                      line: int) -> Relation:
        from derivations.work.rearranging import check_rearrangement

        return check_rearrangement(self, previous, lhs, rhs, line)

    def figure(self, term: Term) -> judge.Figure:
        """A side's value with its figures as written, and the range the roundings it
        uses allow (`work.ranges`)."""
        written = written_value(term.node)
        span = None if written is not None else judge.span(
            term.node, self.student, self.ranges.literal,
            lambda name: self.ranges.symbol(self.value_key(name)))
        return judge.Figure(compute(term.node, self.student), written, spell(term.node), span)

    def true_value(self, term: Term, computed: mpmath.mpf) -> mpmath.mpf:
        """The exact value a side stands for (every rounding before it undone)."""
        found = self.ranges.true_value(term.node, self.student,
                                       self.value_key)
        return found if found is not None else computed

    def not_checked(self, a: Term, b: Term, sign: str, line: int, kind: str,
                    exc: Exception) -> Relation:
        if isinstance(exc, Unknown):
            why = f"{exc.name} is neither a quantity of the sheet nor given a value earlier"
        else:
            why = str(exc)
        return Relation(line, self.problem, kind, relation_text(a, sign, b), None,
                        reason=f"not checked: {why}")
