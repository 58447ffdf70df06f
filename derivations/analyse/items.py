"""Item analysis per ask, and whether the variants were equally hard.

Per ask (classical test theory, as in Crocker & Algina, *Introduction to Classical and
Modern Test Theory*, ch. 14):
- **facility**: the mean credit (0 to 1) of the ask;
- **discrimination index**: the facility among the top 27% of students by score minus
  that among the bottom 27% (Kelley 1939); not computed below `MIN_STUDENTS`;
- **point-biserial**: the correlation of the ask's credit with the score on the *rest*
  of the sheet (the ask left out, so it is not correlated with itself);
- the share of each diagnosis, of unparsed, missing and carried-forward answers.

Per variant: the mean score with its t confidence interval, and a permutation test
that the variants differ more than chance allows (`statistics.GroupPermutation`);
each variant's own p-value is Holm-adjusted, and a variant is flagged easier or harder
only when the overall test and its own adjusted p-value are both below `ALPHA`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from derivations.analyse.results import ClassResults, Record
from derivations.analyse.statistics import GroupPermutation, holm, mean, mean_interval, pearson

MIN_STUDENTS = 10  # the 27% groups need a few students each
MIN_GROUP = 5      # a variant with fewer students is listed, not tested
ALPHA = 0.05
TEST_NAME = "permutation test of the between-variant sum of squares (one-way ANOVA F)"


@dataclass(frozen=True)
class ItemStats:
    answer: str
    students: int
    facility: float
    discrimination: float | None
    point_biserial: float | None
    diagnoses: dict[str, float]  # diagnosis id -> share of the students
    unparsed: float
    missing: float
    carried: float


def item_analysis(results: ClassResults) -> list[ItemStats]:
    """The statistics of every ask that some student was marked on."""
    records = results.records
    ranked = sorted(records, key=lambda r: (-r.score, r.student))
    group = max(1, round(0.27 * len(ranked)))
    upper, lower = ranked[:group], ranked[-group:]
    found = []
    for aid in results.answer_ids:
        marked = [r for r in records if aid in r.answers]
        if not marked:
            continue
        credits = [r.answers[aid].credit for r in marked]
        rest = [_rest_score(r, aid) for r in marked]
        verdicts = [r.answers[aid].verdict for r in marked]
        diagnoses: dict[str, int] = {}
        for r in marked:
            if r.answers[aid].diagnosis:
                diagnoses[r.answers[aid].diagnosis] = diagnoses.get(
                    r.answers[aid].diagnosis, 0) + 1
        count = len(marked)
        discrimination = None
        if len(records) >= MIN_STUDENTS:
            discrimination = _facility(upper, aid) - _facility(lower, aid)
        found.append(ItemStats(
            aid, count, mean(credits), discrimination, pearson(credits, rest),
            {d: n / count for d, n in sorted(diagnoses.items(), key=lambda i: -i[1])},
            verdicts.count("unparsed") / count, verdicts.count("missing") / count,
            verdicts.count("carried-forward") / count))
    return found


def _facility(group: list[Record], aid: str) -> float:
    return mean([r.answers[aid].credit if aid in r.answers else 0.0 for r in group])


def _rest_score(record: Record, aid: str) -> float:
    others = [r for a, r in record.answers.items() if a != aid]
    total = math.fsum(r.weight for r in others)
    return math.fsum(r.credit * r.weight for r in others) / total if total else 0.0


@dataclass(frozen=True)
class VariantStats:
    variant: str
    students: int
    mean: float
    interval: tuple[float, float] | None
    p_value: float | None = None  # Holm-adjusted, when the variant was tested
    flag: str = ""                # "easier", "harder" or ""


@dataclass
class Fairness:
    """How the variants compare; `reason` says why no test was run, if none was."""

    variants: list[VariantStats] = field(default_factory=list)
    test: str = TEST_NAME
    p_value: float | None = None
    permutations: int = 0
    reason: str = ""


def fairness(results: ClassResults, permutations: int = 4999) -> Fairness:
    """Each variant's mean score, and the test that variants differ."""
    groups: dict[str, list[float]] = {}
    for record in results.records:
        if record.variant:
            groups.setdefault(record.variant, []).append(record.score)
    if not groups:
        return Fairness(reason="the results name no variants")
    tested = {v: s for v, s in groups.items() if len(s) >= MIN_GROUP}
    found = Fairness()
    adjusted: dict[str, float] = {}
    if len(tested) < 2:
        found.reason = (f"fewer than 2 variants have {MIN_GROUP} students or more; "
                        "compare the predicted difficulty instead")
    else:
        test = GroupPermutation(tested, permutations)
        found.p_value, found.permutations = test.p_value, permutations
        adjusted = holm(test.group_p)
    overall = sum(len(s) for s in groups.values())
    grand = math.fsum(math.fsum(s) for s in groups.values()) / overall
    for variant in sorted(groups):
        scores = groups[variant]
        p_value = adjusted.get(variant)
        flag = ""
        if p_value is not None and found.p_value is not None and found.p_value < ALPHA \
                and p_value < ALPHA:
            flag = "easier" if mean(scores) > grand else "harder"
        found.variants.append(VariantStats(variant, len(scores), mean(scores),
                                           mean_interval(scores), p_value, flag))
    return found
