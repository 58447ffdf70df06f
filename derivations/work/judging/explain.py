"""Why a written number is wrong: the slips a marker would look for, tried in order.

1. a byte unit read the wrong way (`325.96 GB` for 3.5 × 10^11 bytes is its size in
   GiB), also against the other values of the same chain;
2. a dropped factor (`6.04 × 10^8` is 2 × 12288 × 12288 × 96 × 2 without the × 96),
   or one counted twice;
3. an intermediate used unrounded or rounded differently (`6.48 × 10^12` comes from
   L' = 1.881, the 0.99 × 1.90 of an earlier line before it was rounded to 1.88);
4. a mistake the library knows for the answer (the grader's list: a forgotten layer
   count, one LoRA matrix instead of two, GiB for GB...);
5. the sheet's own formula for the answer, evaluated at the values the write-up uses
   (the written number is right, the expression before it is not);
6. a power of ten, or a difference of exactly 1.
Each explanation is a sentence fragment; the first that matches is given.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import mpmath

from derivations.read.judge import Figure, matches
from derivations.read.lexicon import BINARY_TWIN, bytes_in
from derivations.read.nodes import Node, Num, Sym
from derivations.read.values import Undefined, Unknown, compute, factors, mpf, replaced
from derivations.work.judging.symbolic import show
from derivations.work.writeup.spelling import math_name


@dataclass(frozen=True)
class Earlier:
    """A value written earlier: as written, as computed before it was rounded, where,
    and the exact value it stands for (every rounding before it undone, `work.judging.ranges`)."""

    value: Fraction
    exact: mpmath.mpf
    line: int
    text: str
    true: mpmath.mpf | None = None


@dataclass
class Clues:
    """What an explanation may use besides the relation itself."""

    env: Callable[[str], mpmath.mpf | None]
    earlier: list[tuple[Num, Earlier, int]]        # literals matching earlier results
    unrounded: dict[str, Earlier]                  # symbol -> its value before rounding
    chain_values: list[mpmath.mpf]                 # other computed values of the chain
    sheet_formula: tuple[str, mpmath.mpf] | None = None  # (answer, its value from ours)
    tolerance: float = 0.01
    mistakes: list[tuple[float, str]] | None = None  # the answer's known mistakes: value, text
    #: how a line is named in a reason ("line 12"; a notebook's "cell 3, line 2")
    where: Callable[[int], str] = lambda line: f"line {line}"


def explain(node: Node | None, computed: Figure, written: Figure, unit_word: str,
            clues: Clues) -> str:
    """A reason for `computed` not matching `written`, or '' when none is found."""
    for attempt in (_unit_slip, _factor, _unrounded, _library_mistake, _sheet_formula,
                    _scale):
        found = attempt(node, computed, written, unit_word, clues)
        if found:
            return found
    return ""


def _unit_slip(node: Node | None, computed: Figure, written: Figure, unit_word: str,
               clues: Clues) -> str:
    twin = BINARY_TWIN.get(unit_word)
    if not twin:
        return ""
    ratio = mpf(bytes_in(twin)) / mpf(bytes_in(unit_word))
    for k, value in enumerate([computed.value, *clues.chain_values]):
        if value and matches(value / ratio, written, clues.tolerance):
            size = show(value / mpf(bytes_in(twin)), 5)
            of = "" if k == 0 else f" of {show(value)} bytes (a value before it)"
            return (f"{written.text} is the size{of} in {twin} ({size} {twin}), written as "
                    f"{unit_word}: 1 {unit_word} is {show(bytes_in(unit_word))} bytes, 1 "
                    f"{twin} is {show(bytes_in(twin))}")
        if value and matches(value, written, clues.tolerance) and k:
            return f"{written.text} restates {show(value)}, a value computed before it"
    return ""


def _factor(node: Node | None, computed: Figure, written: Figure, unit_word: str,
            clues: Clues) -> str:
    if node is None:
        return ""
    parts = factors(node)
    if len(parts) < 2:
        return ""
    for part in parts:
        try:
            value = compute(part, clues.env)
        except (Unknown, Undefined):
            continue
        if value in (0, 1, -1):
            continue
        shown = _spell(part)
        if matches(computed.value / value, written, clues.tolerance):
            return f"{written.text} is the product without the factor × {shown}"
        if matches(computed.value * value, written, clues.tolerance):
            return f"{written.text} counts the factor × {shown} twice"
    return ""


def _unrounded(node: Node | None, computed: Figure, written: Figure, unit_word: str,
               clues: Clues) -> str:
    if node is None:
        return ""
    for literal, earlier, shift in clues.earlier:
        if earlier.exact == mpf(earlier.value):
            continue
        exact = earlier.exact / mpmath.mpf(10) ** shift
        trial = _substitute(node, literal, exact, clues)
        if trial is not None and matches(trial, written, clues.tolerance):
            return (f"{written.text} comes from {show(exact, 5)}, the unrounded value of "
                    f"{clues.where(earlier.line)}, used where {literal.text} is written")
    for name, earlier in clues.unrounded.items():
        trial = _with_symbol(node, name, earlier.exact, clues)
        if trial is not None and matches(trial, written, clues.tolerance):
            return (f"{written.text} comes from {name} = {show(earlier.exact, 5)}, its "
                    f"value before rounding to {earlier.text} in {clues.where(earlier.line)}")
    return ""


def _substitute(node: Node, literal: Num, exact: mpmath.mpf, clues: Clues
                ) -> mpmath.mpf | None:
    marker = "\x00replaced"

    def env(name: str) -> mpmath.mpf | None:
        return exact if name == marker else clues.env(name)

    try:
        return compute(replaced(node, literal, Sym(marker)), env)  # type: ignore[arg-type]
    except (Unknown, Undefined):
        return None


def _with_symbol(node: Node | None, name: str, exact: mpmath.mpf, clues: Clues
                 ) -> mpmath.mpf | None:
    if node is None:
        return None

    def env(other: str) -> mpmath.mpf | None:
        return exact if other == name else clues.env(other)

    try:
        return compute(node, env)
    except (Unknown, Undefined):
        return None


def _library_mistake(node: Node | None, computed: Figure, written: Figure, unit_word: str,
                     clues: Clues) -> str:
    """A mistake the library knows for this answer (the grader's own list)."""
    for value, feedback in clues.mistakes or []:
        if value and matches(mpmath.mpf(value), written, clues.tolerance):
            return f"{written.text} is what a known mistake gives: {feedback}"
    return ""


def _sheet_formula(node: Node | None, computed: Figure, written: Figure, unit_word: str,
                   clues: Clues) -> str:
    if clues.sheet_formula is None:
        return ""
    answer, value = clues.sheet_formula
    if matches(value, written, clues.tolerance):
        return (f"{written.text} is what the sheet's formula for {answer} gives with the "
                "values in use, so the expression before it is what is wrong")
    return ""


def _scale(node: Node | None, computed: Figure, written: Figure, unit_word: str,
           clues: Clues) -> str:
    value = computed.value
    if value == 0:
        return ""
    for power in (-12, -9, -6, -3, 3, 6, 9, 12, -2, -1, 1, 2):
        if matches(value * mpmath.mpf(10) ** power, written, clues.tolerance):
            return f"{written.text} is {show(value)} × 10^{power}: a power of ten slipped"
    for shift in (1, -1):
        if matches(value + shift, written, clues.tolerance):
            return f"{written.text} is {show(value)} {'+' if shift > 0 else '−'} 1"
    return ""


def _spell(node: Node) -> str:
    """A factor inside a reason (prose markup): a number as written, a name as math."""
    if isinstance(node, Num):
        return node.text.replace("{,}", ",")
    if isinstance(node, Sym):
        return math_name(node.name)
    return "(…)"
