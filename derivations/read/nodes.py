"""The tree a written formula is read into: numbers, symbols, units, operations, names.

Plain frozen data, made by `read.grammar` and evaluated by `read.values`; a chain is
one run of relations (`a = b ≈ c → d = e`) with its asides.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction


@dataclass(frozen=True)
class Num:
    value: Fraction
    text: str
    half: Fraction  # half a unit in the last place written
    alternative: Fraction | None = None  # `1,896` read with a decimal comma


@dataclass(frozen=True)
class Sym:
    name: str  # `N`, `D'`, `d_model`, `alpha`


@dataclass(frozen=True)
class Unit:
    word: str
    unit: str       # canonical: byte, FLOP, token, 1 (scale words) ...
    factor: Fraction
    kind: str       # byte, FLOP, count, scale


@dataclass(frozen=True)
class Op:
    kind: str  # add mul div pow neg log exp sqrt root pct ceil floor round ceil floor
    args: tuple = ()
    base: Fraction | None = None  # of a logarithm (None: natural)


@dataclass(frozen=True)
class Label:
    """Function notation naming a quantity (`L(N, D)`, `FLOPs(N, D)`): not a value."""

    name: str


Node = Num | Sym | Unit | Op | Label


@dataclass(frozen=True)
class Term:
    node: Node
    text: str  # as written


@dataclass
class Chain:
    """`t0 r1 t1 r2 t2 ...` with the relations between neighbours, and asides
    `(≈ 31.83 TB)` as (index of the term they restate, relation, term)."""

    terms: list[Term] = field(default_factory=list)
    relations: list[str] = field(default_factory=list)
    asides: list[tuple[int, str, Term]] = field(default_factory=list)
    tag: str = ""
    unit: Unit | None = None  # named by the head: `\text{memory (in GB)} = ...`
