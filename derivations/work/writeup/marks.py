"""What the checker says about one line: a `Relation`, and reading runs into chains.

Shared by the walk over a write-up and the rearrangement check, below both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from derivations.present.text import plain
from derivations.read.grammar import read_formula, read_until_prose
from derivations.read.lexicon import unit_word
from derivations.read.nodes import Chain, Label, Sym, Term, Unit
from derivations.read.tokens import ReadError
from derivations.read.values import has_label, symbols_in
from derivations.work.writeup.document import Run

HOLDS, FALSE, FOLLOWS, UNREAD, UNCHECKED = "holds", "false", "follows", "unread", "unchecked"


@dataclass
class Relation:
    """One checked relation (or one unread formula) of a write-up."""

    line: int
    problem: str | None
    kind: str                 # numeric, symbolic, unread
    text: str
    holds: bool | None
    written: str = ""
    evaluated: str = ""
    reason: str = ""
    follows_from: int | None = None
    math: str = ""  # the relation as read, in `sheet.mathtext`'s subset, for the reports

    @property
    def reason_text(self) -> str:
        """The reason in plain Unicode (text, JSON); `reason` itself is prose markup,
        its formulas in `$…$` for the reports to typeset."""
        return plain(self.reason)

    @property
    def mark(self) -> str:
        if self.kind == "unread":
            return UNREAD
        if self.holds is None:
            return UNCHECKED
        if not self.holds:
            return FALSE
        return FOLLOWS if self.follows_from else HOLDS

    def as_json(self) -> dict[str, Any]:
        return {"line": self.line, "problem": self.problem, "kind": self.kind,
                "text": self.text, "holds": self.holds, "mark": self.mark,
                "written": self.written, "evaluated": self.evaluated,
                "reason": self.reason_text, "follows_from": self.follows_from}


def read_rows(run: Run) -> tuple[list[Chain], list[ReadError]]:
    """The chains of a run, and what was not read. An aligned block (`\\\\` between
    rows) loses only the rows that are not read (`F = 312\\,\\text{PF}` must not
    drop the block), each reported with its own error; other runs are all or nothing."""
    source, errors = run.source, list[ReadError]()
    for _ in range(20):
        try:
            return read_run(Run(run.line, source, run.problem, run.uses, run.plain)), errors
        except ReadError as exc:
            errors.append(exc)
            row = _row_at(source, exc.offset)
            if row is None:
                return [], errors
            start, end = row
            source = source[:start] + " " * (end - start) + source[end:]
    return [], errors


def _row_at(source: str, offset: int | None) -> tuple[int, int] | None:
    """The span of the aligned row holding `offset` (between `\\\\` separators)."""
    if offset is None or "\\\\" not in source:
        return None
    starts = [0] + [m.end() for m in re.finditer(r"\\\\", source)]
    ends = [m.start() for m in re.finditer(r"\\\\", source)] + [len(source)]
    for start, end in zip(starts, ends, strict=True):
        if start <= offset <= end and source[start:end].strip():
            return start, end
    return None


def read_run(run: Run) -> list[Chain]:
    """The chains of a run; a plain-text run is read from where its math starts, and
    again after each stretch of prose (`So C = 6ND = 1.6e24, and L = 1.90.`)."""
    if not run.plain:
        return [_named(c) for c in read_formula(run.source) if c.relations or c.asides]
    text = re.sub(r"^\s*(?:[-*+•]|\d+[.)])\s+", "", run.source)
    text = re.sub(r"(?<![\w}])~=?\s*(?=[\w.(\\])", "≈ ", text)  # `C ~ 6ND` means about
    text = re.sub(r"(?<![\w)])\*\*|\*\*(?![\w(])", " ", text)  # Markdown bold, not `2**14`
    found: list[Chain] = []
    for _ in range(20):  # stretches of math in one line
        try:
            chains, rest = _first_math(text)
        except ReadError:
            if found:
                return found  # what was read stands; the rest of the line is prose
            raise
        found += chains
        if rest is None or not _RELATION_SIGN.search(text[rest:]):
            return found
        text = text[rest:]
    return found


_RELATION_SIGN = re.compile(r"=|≈|→|⇒|->")


def _first_math(text: str) -> tuple[list[Chain], int | None]:
    """The first stretch of `text` that reads as relations, and where it ends."""
    starts = [0] + [m.end() for m in re.finditer(r":\s*|\s+", text)]
    error: ReadError | None = None
    for start in starts[:40]:
        try:
            chains, stop = read_until_prose(text[start:])
        except ReadError as exc:
            error = error or exc
            if not exc.offset:
                continue
            try:  # prose after the math (`1 param = 4 bytes (how?`): read up to it
                chains, stop = read_formula(text[start:start + exc.offset].rstrip(" ([")), \
                    exc.offset
            except ReadError:
                continue
        chains = [_named(c) for c in chains if c.relations]
        if chains and not isinstance(chains[0].terms[0].node, Label):
            return chains, None if stop is None else start + stop
    if error is not None and re.search(r"\d", text):
        raise error
    return [], None


def _named(chain: Chain) -> Chain:
    """A chain's head names what it computes: `L(N, D) = ...` is L, `\\text{batch size}
    = 16` is a named value, `\\text{Iteration} = ...` counts steps, and a unit in the
    name (`\\text{memory (in GB)}`, `\\text{no. of params}`) is the unit of the result."""
    head = chain.terms[0]
    if isinstance(head.node, Unit) and head.node.kind != "scale":
        chain.unit = head.node
        chain.terms[0] = Term(Sym(head.node.word), head.text)
    elif isinstance(head.node, Label):
        words = re.findall(r"[A-Za-z]+", head.node.name)
        for k, word in enumerate(words):
            found = unit_word(word)
            if found and found[2] != "scale" and (k == 0 or words[k - 1].lower() != "per"):
                chain.unit = Unit(word, found[0], found[1], found[2])
                break
        chain.terms[0] = Term(Sym(head.node.name), head.text)
    return chain


def is_bare(term: Term) -> bool:
    return isinstance(term.node, Sym)


def numeric(term: Term) -> bool:
    """Numbers only: no symbol and no word (`\\frac{\\text{dataset}}{64}` is not)."""
    return not symbols_in(term.node) and not has_label(term.node)


def computed_names(chains: list[Chain]) -> set[str]:
    """Symbols a section computes: chain heads reaching a number, symbols after →."""
    names: set[str] = set()
    for chain in chains:
        head: Term | None = chain.terms[0]
        for k, term in enumerate(chain.terms):
            if k and chain.relations[k - 1] == "→":
                head = term
            if head is not None and is_bare(head) and term is not head and numeric(term):
                names.add(head.node.name)  # type: ignore[union-attr]
            if k and chain.relations[k - 1] == "→" and is_bare(term):
                names.add(term.node.name)  # type: ignore[union-attr]
    return names
