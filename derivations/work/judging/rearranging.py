"""`eq1 → eq2`: is the second equation the first one solved for what it isolates?

sympy decides first (`symbolic.rearrangement`, cached by expression pair); when it
cannot show the two forms equal, the sheet's values are the second opinion (both
sides agree at them, or they do not), and without sheet values three random positive
points are. A false rearrangement says what solving gives and how the written form
differs (`differs by 1`: a dropped −1). A rearrangement of an equation that was
itself false follows from it.
"""

from __future__ import annotations

import random

import mpmath
import sympy as sp

from derivations.limits import LimitError
from derivations.read.nodes import Term
from derivations.read.values import Env, Undefined, Unknown, sympy_value, to_sympy
from derivations.work.judging import symbolic
from derivations.work.writeup.marks import Relation, is_bare
from derivations.work.writeup.spelling import inline_relation, math_name, spell

SAME = mpmath.mpf("1e-9")


def check_rearrangement(previous: tuple[Term, Term, bool | None], lhs: Term, rhs: Term,
                        line: int, problem: str | None, sheet: Env, follows: int | None
                        ) -> Relation | None:
    """The mark of `previous → lhs = rhs`, or None when the second equation isolates
    no symbol of the first (then it is a relation of its own, for the caller).
    `sheet` gives the sheet's values; `follows` is the line a false first equation
    was on."""
    first_left, first_right, _ = previous
    text = (f"{spell(first_left.node)} = {spell(first_right.node)} → {spell(lhs.node)} = "
            f"{spell(rhs.node)}")
    text = text if len(text) <= 160 else text[:159] + "…"
    isolated, other = (lhs, rhs) if is_bare(lhs) else (rhs, lhs) if is_bare(rhs) else \
        (None, None)
    if isolated is None or other is None:
        return None
    try:
        left, right = to_sympy(first_left.node), to_sympy(first_right.node)
        target, written = to_sympy(isolated.node), to_sympy(other.node)
    except (Unknown, Undefined, LimitError) as exc:
        return _unchecked(problem, line, text, str(exc))
    if target not in (left - right).free_symbols:
        return None
    try:
        decided, forms = symbolic.rearrangement(left, right, target, written)
    except symbolic.NotDecided as exc:
        return _unchecked(problem, line, text, f"sympy could not rearrange ({exc})")
    if decided:
        return Relation(line, problem, "symbolic", text, True, reason=(
            f"sympy: solving the first equation for {math_name(str(target))} gives this"),
            follows_from=follows)
    opinion = _at_values(sheet, forms[0], written)
    if opinion is True:
        return Relation(line, problem, "symbolic", text, True, reason=(
            "equal to the first equation solved for "
            f"{math_name(str(target))} at the sheet's values (sympy does not show it in "
            "general)"),
            follows_from=follows)
    if opinion is None:
        return _unchecked(problem, line, text, "sympy could not decide and the sheet has no "
                          "values for its symbols")
    reason = (f"solving {inline_relation(first_left.node, '=', first_right.node)} for "
              f"{math_name(str(target))} gives {math_name(str(target))} = "
              f"{symbolic.spelled(forms[0])}")
    difference = _constant_gap(sheet, written, forms[0])
    if difference is not None:
        kind, amount = difference
        reason += (f"; the written form is that plus {amount}" if kind == "difference"
                   else f"; the written form is {amount} times that")
        if kind == "difference" and amount in (1, -1):
            reason += f" (a {'−' if amount == 1 else '+'}1 was dropped)"
    return Relation(line, problem, "symbolic", text, False, reason=reason)


def _at_values(sheet: Env, form: sp.Expr, written: sp.Expr) -> bool | None:
    """Do the two forms agree at the sheet's values (else at random points)?"""
    names = sorted({s.name for s in (form.free_symbols | written.free_symbols)})
    values = {name: sheet(name) for name in names}
    points = [values] if all(v is not None for v in values.values()) else []
    if not points:
        rng = random.Random(12)
        points = [{n: mpmath.mpf(rng.uniform(0.2, 3)) for n in names} for _ in range(3)]
    decided = False
    for point in points:
        try:
            a, b = sympy_value(form, point.get), sympy_value(written, point.get)
        except (Unknown, Undefined):
            continue
        if abs(a - b) > SAME * max(abs(a), abs(b)):
            return False
        decided = True
    return True if decided else None


def _constant_gap(sheet_value: Env, written: sp.Expr, form: sp.Expr) -> tuple[str, sp.Expr] | None:
    """("difference", 1) when written − form is the same number at several points
    (a dropped −1), ("ratio", 2) when written / form is; None otherwise."""
    names = sorted({s.name for s in (form.free_symbols | written.free_symbols)})
    sheet = {n: sheet_value(n) for n in names}
    rng = random.Random(7)
    points = [sheet] if all(v is not None for v in sheet.values()) else []
    points += [{n: (sheet[n] or 1) * mpmath.mpf(rng.uniform(0.9, 1.1)) for n in names}
               for _ in range(2)]
    gaps: dict[str, list[float]] = {"difference": [], "ratio": []}
    for point in points:
        try:
            a, b = sympy_value(written, point.get), sympy_value(form, point.get)
        except (Unknown, Undefined):
            return None
        if b == 0:
            return None
        gaps["difference"].append(float(a - b))
        gaps["ratio"].append(float(a / b))
    for kind, values in gaps.items():
        if values and max(values) - min(values) <= 1e-9 * max(1.0, abs(values[0])):
            amount = sp.nsimplify(round(values[0], 9), rational=True)
            if amount.is_Rational and amount.q <= 12 and amount not in (0, 1) or (
                    kind == "difference" and amount == 1):
                return kind, amount
    return None


def _unchecked(problem: str | None, line: int, text: str, why: str) -> Relation:
    return Relation(line, problem, "symbolic", text, None, reason=f"not checked: {why}")
