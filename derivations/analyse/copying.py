"""Answers copied across variants: evidence for the instructor, never a verdict.

Each student has their own numbers, so a wrong answer equal to *another* variant's
right value (or to a rare wrong value a student of another variant wrote) is
evidence that it was copied. One match proves nothing: values meet by chance. So the
matches of a student with one other variant are counted across the asks, and the
report gives how unlikely that many chance matches are.

What counts: only answers the student's own grading left unexplained (wrong, with no
named mistake). A right answer, a named mistake and a carried-forward answer have an
honest explanation and are never counted; a target value within the tolerance of the
student's own right value is no evidence either.

The chance of one match is taken as the larger of two rates, per ask: the rate at
which unexplained answers of the class meet other variants' values (the class's own
base rate, copiers included, so it errs towards not flagging), and the share of a
wide range that the tolerance window covers (`landing_chance`). The chance of k or
more matches is the Poisson binomial tail over the student's unexplained asks, and
multiplying by the number of (student, other variant) pairs examined gives the number
of such coincidences expected in the class. Nothing goes to students: the flags are
for the instructor's report only.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field

from derivations.analyse.known import Known, tolerance
from derivations.analyse.results import ClassResults, Record
from derivations.analyse.statistics import at_least, landing_chance

RARE = 2           # a wrong value held by at most this many students is distinctive
MIN_MATCHES = 2    # never on one match
STRONG = 1e-3      # expected chance coincidences in the class: strong evidence below
MODERATE = 0.05    # moderate evidence below; nothing is flagged above


@dataclass(frozen=True)
class Match:
    answer: str
    value: float
    kind: str                 # "right value" or "wrong value"
    holders: tuple[str, ...]  # the students of the other variant who wrote it


@dataclass(frozen=True)
class CopyFlag:
    student: str
    variant: str
    source: str               # the other variant matched
    matches: tuple[Match, ...]
    examined: int             # the student's unexplained answers
    chance: float             # P(this many matches or more by chance) for this pair
    expected: float           # chance x the pairs examined: coincidences expected in class
    strength: str             # "strong" or "moderate"
    #: other variants the same answers also meet (their values lie near the source's,
    #: as a pool's variants often do): shown, never flagged on their own
    also: tuple[str, ...] = ()


@dataclass
class Copying:
    flags: list[CopyFlag] = field(default_factory=list)
    single: int = 0           # students with one match only (not flagged)
    pairs: int = 0            # (student, other variant) pairs examined
    reason: str = ""          # why nothing was examined, if so


def copied_answers(results: ClassResults, known: Mapping[str, Known]) -> Copying:
    if len(known) < 2:
        return Copying(reason="the class has no variants: every student has the same numbers")
    records = [r for r in results.records if r.variant in known]
    targets = _targets(records, known)
    found = Copying()
    matches: dict[tuple[str, str], list[Match]] = {}
    examined: dict[str, list[str]] = {}
    hits: dict[str, int] = {}
    for record in records:
        own = known[record.variant]
        examined[record.student] = [a for a, r in record.answers.items()
                                    if r.unexplained and a in own.keys]
        for aid in examined[record.student]:
            x = record.answers[aid].given
            assert x is not None
            for target in _matching(x, aid, record, own, targets):
                matches.setdefault((record.student, target[0]), []).append(target[1])
                hits[aid] = hits.get(aid, 0) + 1
    others = len(known) - 1
    found.pairs = sum(1 for r in records if examined[r.student]) * others
    rates = {}
    for aid in results.answer_ids:
        eligible = sum(1 for r in records if aid in examined[r.student])
        empirical = hits.get(aid, 0) / (eligible * others) if eligible else 0.0
        keys = [k.keys[aid] for k in known.values() if aid in k.keys]
        rates[aid] = max(empirical, landing_chance(max(tolerance(k) for k in keys))
                         if keys else 0.0)
    by_student = {r.student: r for r in records}
    singles = set()
    for (student, source), found_matches in sorted(matches.items()):
        if len(found_matches) < MIN_MATCHES:
            singles.add(student)
            continue
        chance = at_least([rates[a] for a in examined[student]], len(found_matches))
        expected = chance * found.pairs
        if expected <= MODERATE:
            found.flags.append(CopyFlag(
                student, by_student[student].variant, source, tuple(found_matches),
                len(examined[student]), chance, expected,
                "strong" if expected <= STRONG else "moderate"))
    found.flags = _best_per_student(found.flags)
    flagged = {f.student for f in found.flags}
    found.single = len(singles - flagged)
    return found


def _best_per_student(flags: list[CopyFlag]) -> list[CopyFlag]:
    """One flag per student: the variant with the strongest evidence. Variants of a
    pool lie near one another, so answers copied from v10 can meet v15's values too;
    that is the same evidence, not a second source, and is listed under `also`."""
    best: dict[str, CopyFlag] = {}
    others: dict[str, list[str]] = {}
    for flag in sorted(flags, key=lambda f: (f.expected, -len(f.matches), f.source)):
        if flag.student in best:
            others[flag.student].append(flag.source)
        else:
            best[flag.student], others[flag.student] = flag, []
    return sorted((dataclasses.replace(f, also=tuple(others[s])) for s, f in best.items()),
                  key=lambda f: (f.expected, f.student))


_Target = tuple[str, float, str, tuple[str, ...]]  # variant, value, kind, holders


def _targets(records: list[Record], known: Mapping[str, Known]
             ) -> dict[str, list[_Target]]:
    """Per ask: every variant's right value (with the students who wrote it), and the
    rare wrong values students wrote."""
    found: dict[str, list[_Target]] = {}
    for vid, variant in known.items():
        for aid, key in variant.keys.items():
            holders = tuple(r.student for r in records if r.variant == vid and aid in
                            r.answers and r.answers[aid].verdict in ("correct",
                                                                     "correct-with-rounding"))
            found.setdefault(aid, []).append((vid, key.expected, "right value", holders))
    for aid in found:
        wrong = [(r, r.answers[aid].given) for r in records
                 if aid in r.answers and r.answers[aid].verdict == "wrong"
                 and r.answers[aid].given is not None]
        key = next(k.keys[aid] for k in known.values() if aid in k.keys)
        window = tolerance(key)
        for record, value in wrong:
            assert value is not None
            same = [r.student for r, v in wrong if v is not None and _near(v, value, window)]
            if len(same) <= RARE:
                found[aid].append((record.variant, value, "wrong value", (record.student,)))
    return found


def _matching(x: float, aid: str, record: Record, own: Known,
              targets: dict[str, list[_Target]]) -> list[tuple[str, Match]]:
    """The other variants whose values this answer meets, one match per variant."""
    key = own.keys[aid]
    window = tolerance(key)
    found: dict[str, Match] = {}
    for vid, value, kind, holders in targets.get(aid, []):
        if vid == record.variant or record.student in holders or vid in found:
            continue
        if _near(x, value, window) and not _near(value, key.expected, window):
            found[vid] = Match(aid, value, kind, holders)
    return list(found.items())


def _near(a: float, b: float, window: float) -> bool:
    return abs(a - b) <= window * abs(b)
