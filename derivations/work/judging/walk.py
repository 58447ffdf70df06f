"""One pass over a write-up's chains, in order, with the student's values in hand.

See `checking` for the idea. Per chain: the statements between `→` are equations;
each `→` is a rearrangement (checked by sympy); inside a statement each neighbouring
pair is a formula (both sides symbolic: checked at the sheet's values), a
substitution (symbols on one side: evaluated with the write-up's own values) or
arithmetic (numbers on both sides), each decided by the `RelationMarker`
(`work.judging.relation`).
Labels such as `L(N, D)` are skipped over. The walk takes the sheet as `SheetFacts`
(data), never the checker that made it.
"""

from __future__ import annotations

from derivations.limits import LimitError
from derivations.read.nodes import Chain, Term
from derivations.read.tokens import ReadError
from derivations.read.values import Undefined, Unknown, compute, written_value
from derivations.work.judging.ledger import Ledger, SheetFacts
from derivations.work.judging.ranges import Value
from derivations.work.judging.relation import RelationMarker
from derivations.work.naming.targets import Targets
from derivations.work.writeup.chains import (
    answer_text,
    relation_sign,
    shortened,
    split_statements,
    term_lines,
)
from derivations.work.writeup.document import Run, Writeup
from derivations.work.writeup.marks import Relation, computed_names, is_bare, numeric, read_rows


class Walk:
    """One write-up's pass: the relations found (each marked by `RelationMarker`), the
    equation tags and whether they held, and the final answer found per ask. The
    write-up's own values live in the `Ledger`, shared with the judge."""

    def __init__(self, facts: SheetFacts, writeup: Writeup) -> None:
        self.facts, self.writeup = facts, writeup
        self.ledger = Ledger(facts, where=writeup.where)
        self.judge = RelationMarker(facts, self.ledger)
        self.relations: list[Relation] = []
        self.tags: dict[str, tuple[int, bool]] = {}
        self.finals: dict[str, tuple[int, str]] = {}
        self.provisional: set[str] = set()  # answers found only by position so far
        self.by_position = False
        self.targets = Targets(facts.quantities, facts.keys, facts.tolerance)

    # -- driving ---------------------------------------------------------------------
    def run(self) -> None:
        parsed = [(run, *read_rows(run)) for run in self.writeup.runs]
        for run, chains, _ in parsed:
            self.ledger.computed.setdefault(run.problem, set()).update(computed_names(chains))
        for run, chains, errors in parsed:
            self.ledger.problem = run.problem
            for error in errors:
                self.unread(run, error)
            for chain in chains:
                self.chain(chain, run)

    def unread(self, run: Run, error: ReadError) -> None:
        line = run.line + run.source[:error.offset or 0].count("\n")
        text = self.writeup.lines[line - 1].strip() if line <= len(self.writeup.lines) \
            else run.source
        self.relations.append(Relation(line, run.problem, "unread", shortened(text), None,
                                       reason=f"not read: {error}"))

    # -- chains --------------------------------------------------------------------------
    def chain(self, chain: Chain, run: Run) -> None:
        """Check one chain; arithmetic that fails in an unforeseen way marks the
        chain "not checked" with the reason, and the walk goes on."""
        try:
            self.check_chain(chain, run)
        except (ArithmeticError, ValueError, TypeError, RecursionError, LimitError) as exc:
            self.relations.append(Relation(run.line, self.ledger.problem, "symbolic",
                                           shortened(run.source), None, reason=(
                                               "not checked: the checker could not evaluate "
                                               f"this ({type(exc).__name__})")))

    def check_chain(self, chain: Chain, run: Run) -> None:  # long: the walk over one chain
        lines = term_lines(chain, run)
        used = [self.tags[t] for t in run.uses if t in self.tags]
        self.ledger.taint = next((line for line, held in used if not held), None)
        self.ledger.chain_values = []
        start_count = len(self.relations)
        statements = split_statements(chain)
        previous: tuple[Term, Term, bool | None] | None = None
        for number, kept in enumerate(statements):
            target = self.target_of(chain, kept)
            self.add(self.judge.as_answer(chain, kept, target, lines), None)
            terms = [chain.terms[i] for i in kept]
            if number and previous and len(terms) >= 2:
                follows = None if previous[2] else \
                    self.relations[-1].line if self.relations else None
                self.add(self.judge.rearrangement(previous, terms[0], terms[1],
                                                  lines[kept[1]], follows), None)
            for k in range(len(terms) - 1):
                if number and k == 0 and previous:
                    continue
                sign = relation_sign(chain, kept[k], kept[k + 1])
                relation = self.judge.pair(terms[k], terms[k + 1], sign, lines[kept[k + 1]],
                                     target=target)
                if relation is not None and relation.kind == "numeric":
                    self.add(relation, self.ledger.taint_of(terms[k].node) or
                             self.ledger.taint_of(terms[k + 1].node))
                else:
                    self.add(relation, None)
            if len(terms) >= 2:
                held = [r.holds for r in self.relations[start_count:]]
                previous = (terms[0], terms[1], all(h is not False for h in held))
            self.assign(chain, kept, lines, target)
        for index, sign, aside in chain.asides:
            self.add(self.judge.pair(chain.terms[index], aside, sign, lines[index], target=None,
                               aside=True), None)
        if chain.tag:
            true = all(r.holds is not False for r in self.relations[start_count:])
            self.tags[chain.tag] = (lines[0], true)

    def add(self, relation: Relation | None, inputs: int | None) -> None:
        if relation is None:
            return
        if relation.holds is False:
            self.ledger.taint = self.ledger.taint or relation.line
        elif relation.holds and (self.ledger.taint or inputs):
            source = self.ledger.taint or inputs
            if source is not None and source < relation.line:
                relation.follows_from = source  # a false step on the same line marks it
            self.ledger.taint = self.ledger.taint or inputs
        self.relations.append(relation)

    def target_of(self, chain: Chain, statement: list[int]) -> str | None:
        """The answer a statement computes (`work.naming.targets`)."""
        head = chain.terms[statement[0]]
        named = self.ledger.quantity(head.node.name) if is_bare(head) else None  # type: ignore
        firm = set(self.finals) - self.provisional
        found = self.targets.find(chain, statement, self.ledger.problem, firm, named,
                                  named is not None and named[0] in self.ledger.values,
                                  self.ledger.student, self.ledger.written_or_sheet,
                                  {k[7:]: v.value for k, v in self.ledger.values.items()
                                   if k.startswith("answer:") and k[7:] in firm})
        if found is not None and self.targets.by_position and found in self.provisional:
            return None  # taken by position already; only a name or a value replaces it
        self.by_position = self.targets.by_position
        return found

    def assign(self, chain: Chain, tail: list[int], lines: list[int], target: str | None
               ) -> None:
        """The value a statement of a chain gives its head symbol (or its answer) for
        later lines."""
        numbers = [k for k in tail if numeric(chain.terms[k])]
        if not numbers:
            return
        last = chain.terms[numbers[-1]]
        try:
            value = compute(last.node, self.ledger.student)
            computed = [(k, compute(chain.terms[k].node, self.ledger.student)) for k in numbers
                        if written_value(chain.terms[k].node) is None]
            true = self.judge.true_value(chain.terms[computed[-1][0]], computed[-1][1]) \
                if computed else self.judge.true_value(last, value)
        except (Unknown, Undefined):
            return
        head = chain.terms[tail[0]]
        key = self.ledger.quantity(head.node.name)[0] if is_bare(head) else (  # type: ignore
            f"answer:{target}" if target else None)
        taint = self.ledger.taint or self.ledger.taint_of(last.node)
        entry = Value(value, computed[-1][1] if computed else value, lines[numbers[-1]],
                      taint, last.text, true)
        if key is not None and not key.startswith("given:"):
            self.ledger.values[key] = entry
            if key.startswith("own:") and is_bare(head):
                self.ledger.own_latest[head.node.name] = key  # type: ignore[union-attr]
        if target is not None and key is not None and key.startswith("own:"):
            self.ledger.values[f"answer:{target}"] = entry
        if target is not None and (target not in self.finals or (
                target in self.provisional and not self.by_position)):
            self.finals[target] = (lines[numbers[-1]], answer_text(last, value, chain.unit))
            self.provisional.discard(target)
            if self.by_position:
                self.provisional.add(target)

