"""Synthetic classes whose properties are known by construction.

The analysis is tested on classes where the truth is planted, not on classes read back
from its own output: who copied from which variant, which unlisted mistake which
students made, which variant was made harder. The same generator writes the class of
the shipped example report. Each student answers each numeric ask right (to 4
significant figures), with a known mistake of their own variant, with an arbitrary
wrong value (log-uniform within two decades), or not at all.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from derivations.analyse.known import Known, tolerance
from derivations.grade.gradebook import write_csv_rows
from derivations.grade.keys import AnswerKey
from derivations.grade.question_tests import written_text


@dataclass(frozen=True)
class Plan:
    """What to plant in a class.

    Attributes:
        students: how many.
        right: the chance of a right answer (per ask), before `harder`.
        named: the chance a wrong answer is a known mistake of the variant.
        missing: the chance of no answer.
        harder: variant id -> what is taken off `right` for its students.
        copiers: student index -> the variant they copy every answer from.
        planted: answer id -> (function of the variant's answer inputs giving the wrong
            value, the share of the students who make that mistake).
    """

    students: int = 120
    right: float = 0.7
    named: float = 0.3
    missing: float = 0.05
    harder: Mapping[str, float] = field(default_factory=dict)
    copiers: Mapping[int, str] = field(default_factory=dict)
    planted: Mapping[str, tuple[Callable[[Mapping[str, float]], float], float]] = \
        field(default_factory=dict)
    seed: int = 1


def student_id(index: int) -> str:
    return f"s{index:03d}"


def simulated_class(known: Mapping[str, Known], plan: Plan) -> str:
    """The class CSV (student, variant, one column per answer; no variant column for the
    sheet as written)."""
    rng = random.Random(plan.seed)
    vids = sorted(known)
    ids = [aid for aid, answer in known[vids[0]].solution.answers.items()
           if aid in known[vids[0]].keys or isinstance(answer.value, bool)]
    pooled = vids != [""]  # the sheet as written has no variant column
    rows: list[list[str]] = [["student", *(["variant"] if pooled else []), *ids]]
    for index in range(plan.students):
        vid = vids[index % len(vids)]
        source = known[plan.copiers.get(index, vid)]
        own = known[vid]
        row = [student_id(index), *([vid] if pooled else [])]
        for aid in ids:
            row.append(_answer(rng, plan, own, source, aid))
        rows.append(row)
    return write_csv_rows(rows, exact={0, 1})


def _answer(rng: random.Random, plan: Plan, own: Known, source: Known, aid: str) -> str:
    truth = source.solution.answers[aid].value
    if isinstance(truth, bool):  # a true/false ask: right or the other one
        right = rng.random() < plan.right - plan.harder.get(own.id, 0.0)
        return "true" if truth == right else "false"
    key = own.keys[aid]
    if source is not own:
        copied = source.keys[aid]
        return written_text(copied, copied.expected, None if copied.tolerance == 0 else 4)
    draw = rng.random()
    if draw < plan.missing:
        return ""
    planted = plan.planted.get(aid)
    if planted is not None and rng.random() < planted[1]:
        inputs = {n: float(v) for n, v in own.solution.answers[aid].inputs.items()
                  if not isinstance(v, tuple)}
        return written_text(key, planted[0](inputs), 4)
    if rng.random() < plan.right - plan.harder.get(own.id, 0.0):
        # a count marked exactly is written in full (16 384, not 1.638e4)
        return written_text(key, key.expected, None if key.tolerance == 0 else 4)
    named = [s for s in key.slips if _apart(s.value, key)]
    if named and rng.random() < plan.named:
        return written_text(key, rng.choice(named).value, 4)
    return written_text(key, _arbitrary(rng, key), 4)


def _apart(value: float, key: AnswerKey) -> bool:
    """Clear of the right value by five tolerances (a wrong answer stays wrong)."""
    return math.isfinite(value) and \
        abs(value - key.expected) > 5 * tolerance(key) * abs(key.expected)


def _arbitrary(rng: random.Random, key: AnswerKey) -> float:
    """A wrong value nothing explains: clear of the right one and of the variant's known
    mistakes (it may meet another variant's value by chance, as a real one may)."""
    window = 5 * tolerance(key)
    for _ in range(100):
        value = key.expected * math.exp(rng.uniform(-math.log(100), math.log(100)))
        if all(abs(value - v) > window * abs(v) for v in
               [key.expected, *(s.value for s in key.slips)]):
            return value
    return key.expected * 7.77
