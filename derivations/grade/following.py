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
from collections.abc import Mapping

from derivations.grade.keys import AnswerKey, CarriedSlip
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
