"""Error carried forward, student by student: does an answer follow from the student's
own earlier answers?

An answer key knows its answer as a function of the earlier answers it is computed
from (`AnswerKey.carried`), and each known mistake's value the same way
(`AnswerKey.carried_slips`). Evaluating those functions at the student's own values
tells whether a wrong-looking number follows from an earlier slip (`grade.carried`
builds those functions once per sheet; this module evaluates them per student). It only
computes; the `Grader` turns what it finds into verdicts and credit.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

from derivations.grade.keys import AnswerKey, CarriedSlip
from derivations.grade.rounding import apply_safely
from derivations.grade.verdicts import close


def own_upstream(keys: Mapping[str, AnswerKey], upstream: list[str],
                 values: Mapping[str, float | None]) -> tuple[list[float], list[str]]:
    """The student's values for earlier answers (expected ones where they wrote
    none), and which of them differ from the expected values."""
    own, differs = [], []
    for aid in upstream:
        student, expected = values.get(aid), keys[aid].expected
        if student is None or not isinstance(expected, float):
            own.append(expected)
            continue
        own.append(student)
        if not close(student, expected, keys[aid].tolerance):
            differs.append(aid)
    return own, differs


def follows_from_own(keys: Mapping[str, AnswerKey], key: AnswerKey, given: float,
                     values: Mapping[str, float | None]) -> tuple[list[str], list[str]] | None:
    """(earlier answers the student moved, those outside their tolerance) when `given`
    is `key`'s formula at the student's own earlier values; None otherwise."""
    if key.carried is None:
        return None
    function, upstream = key.carried
    own, differs = own_upstream(keys, upstream, values)
    moved = [aid for aid, value in zip(upstream, own, strict=True)
             if values.get(aid) is not None and value != keys[aid].expected]
    if not moved:
        return None
    try:
        follow = float(function(*own))
    except (ValueError, ZeroDivisionError, OverflowError, TypeError):
        return None
    if not (math.isfinite(follow) and close(given, follow, key.tolerance)):
        return None
    return moved, differs


def carried_slip(keys: Mapping[str, AnswerKey], key: AnswerKey, given: float,
                 values: Mapping[str, float | None]) -> tuple[CarriedSlip, list[str]] | None:
    """A known mistake made on top of the student's own (wrong) earlier answers, and
    those answers."""
    for item in key.carried_slips:
        own, differs = own_upstream(keys, item.upstream, values)
        if not differs:
            continue
        try:
            follow = float(item.function(*own))
        except (ValueError, ZeroDivisionError, OverflowError, TypeError):
            continue
        if math.isfinite(follow) and close(given, follow, key.tolerance):
            return item, differs
    return None


#: How much an answer must respond to an earlier answer for that step to count, and
#: how little it may respond at the student's value before the step is hidden.
_STEP = 1e-4
_RESPONDS = 1e-6  # below this the elasticity is rounding noise
_HIDDEN = 0.01


def hides_step(keys: Mapping[str, AnswerKey], key: AnswerKey,
               values: Mapping[str, float | None]) -> str:
    """Why the student's wrong earlier answers make this one trivial, or "".

    Judged from the closed form: the answer's elasticity to each earlier answer the
    student got wrong (d ln answer / d ln earlier), at the right value and at theirs.
    A zero earlier value, a zero result, or an elasticity that falls below 1% of the
    right one (a loss term A/N^alpha that a huge N sends to nothing) means the step the
    ask tests was never really done.
    """
    if key.carried is None:
        return ""
    function, upstream = key.carried
    own, differs = own_upstream(keys, upstream, values)
    right = [keys[aid].expected for aid in upstream]
    for index, aid in enumerate(upstream):
        if aid not in differs:
            continue
        if own[index] == 0:
            return f"your {aid} is zero"
        at_right = elasticity(function, right, index)
        at_own = elasticity(function, own, index)
        if at_own is None or at_right is None:
            continue
        if at_own == 0.0 and apply_safely(function, own) == 0:
            return f"your {aid} makes this answer zero"
        if abs(at_right) >= _RESPONDS and abs(at_own) < _HIDDEN * abs(at_right):
            return f"at your {aid} this answer hardly depends on it (the step is hidden)"
    return ""


def elasticity(function: Callable[..., float], args: list[float], index: int
                ) -> float | None:
    """d ln f / d ln x_index by a central difference (0 where f is 0)."""
    centre = apply_safely(function, args)
    if centre is None:
        return None
    if centre == 0:
        return 0.0
    moved = [list(args), list(args)]
    moved[0][index] *= 1 + _STEP
    moved[1][index] *= 1 - _STEP
    up, down = apply_safely(function, moved[0]), apply_safely(function, moved[1])
    if up is None or down is None:
        return None
    return (up - down) / (2 * _STEP * centre)
