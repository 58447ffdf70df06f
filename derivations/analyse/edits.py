"""Small edits of a closed form: the wrong formulas a student may have used.

Each edit is one change a person makes by mistake, tried everywhere it applies in the
expression tree:

- drop a factor (the 6 of 6ND, a layer count), or use a factor squared;
- invert a factor (divide where the formula multiplies), or invert the whole answer;
- drop a term of a sum (total for additional, a forgotten -1), or flip its sign;
- change an exponent (its sign, its reciprocal; a number also one more or one less,
  double, half);
- swap two inputs, or use one input for another (N where D belongs).

The mistakes every answer can show (a power of ten, a factor of 2, decimal for binary
units, a given from another problem) are named by the grader already and are not
repeated here. An edit is kept once: two that give the same expression are one.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import sympy as sp

from derivations.errors import DerivationsError
from derivations.sheet.expr import parse

MAX_EDITS = 400  # a closed form of the library has a few dozen; this bounds a huge one


@dataclass(frozen=True)
class Edit:
    """A wrong closed form: `name` is an id for a sheet, `what` says it in words."""

    name: str
    what: str
    expression: sp.Expr


def edits(expression: sp.Expr) -> list[Edit]:
    """Every single edit of `expression` (over its input symbols), each distinct from
    it and from one another."""
    found: dict[sp.Expr, Edit] = {}

    def add(name: str, what: str, changed: sp.Expr) -> None:
        if len(found) < MAX_EDITS and changed != expression and changed not in found \
                and changed.free_symbols and changed.is_finite is not False:
            found[changed] = Edit(_identifier(name), what, changed)

    add("reciprocal", "the reciprocal of the answer", 1 / expression)
    for node in sp.preorder_traversal(expression):
        if isinstance(node, sp.Mul):
            for factor in node.args:
                shown = spelled(factor)
                add(f"dropped_{shown}", f"the factor {shown} left out",
                    expression.xreplace({node: node / factor}))
                add(f"inverted_{shown}", f"divided by {shown} instead of multiplied",
                    expression.xreplace({node: node / factor**2}))
                add(f"squared_{shown}", f"{shown} used twice",
                    expression.xreplace({node: node * factor}))
        elif isinstance(node, sp.Add):
            for term in node.args:
                shown = spelled(term)
                add(f"dropped_term_{shown}", f"the term {shown} left out",
                    expression.xreplace({node: node - term}))
                add(f"flipped_{shown}", f"the term {shown} with the wrong sign",
                    expression.xreplace({node: node - 2 * term}))
        elif isinstance(node, sp.Pow):
            base, power = node.args
            changes = [(-power, "its sign changed"), (1 / power, "inverted")]
            if power.is_number:
                changes += [(power + 1, "one more"), (power - 1, "one less"),
                            (2 * power, "doubled"), (power / 2, "halved")]
            for changed, how in changes:
                add(f"exponent_{spelled(base)}", f"the exponent of {spelled(base)} "
                    f"{how} ({spelled(power)} to {spelled(changed)})",
                    expression.xreplace({node: base**changed}))
    names = sorted(expression.free_symbols, key=lambda s: s.name)
    for a, b in itertools.combinations(names, 2):
        add(f"swapped_{a.name}_{b.name}", f"{a.name} and {b.name} swapped",
            expression.xreplace({a: b, b: a}))
    for a, b in itertools.permutations(names, 2):
        add(f"{b.name}_for_{a.name}", f"{b.name} used for {a.name}", expression.xreplace({a: b}))
    return list(found.values())


def spelled(expression: sp.Expr) -> str:
    """An expression as a sheet writes it (`6 * N * D`, `N ** (-0.34)`): the grammar
    of `sheet.expr`, which reads it back to the same value."""
    text = sp.sstr(expression, order="none")
    for name, ours in (("Max(", "max("), ("Min(", "min("), ("ceiling(", "ceil("),
                       ("Abs(", "abs(")):
        text = text.replace(name, ours)
    return text.replace("*", " * ").replace(" *  * ", " ** ")


def readable_by_sheets(text: str) -> bool:
    """Whether the sheet grammar accepts the spelled expression (a function sympy has
    and sheets do not is then left out of the proposal's entry)."""
    try:
        parse(text)
    except DerivationsError:
        return False
    return True


def _identifier(name: str) -> str:
    """A mistake id from a description: letters, digits and _ only, at most 40."""
    cleaned = "".join(ch if ch.isalnum() else "_" for ch in name)
    while "__" in cleaned:
        cleaned = cleaned.replace("__", "_")
    cleaned = cleaned.strip("_")[:40].rstrip("_")
    return cleaned if cleaned[:1].isalpha() else f"m_{cleaned}"
