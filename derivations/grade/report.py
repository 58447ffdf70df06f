"""The class report's content (score histogram, success rates, common mistakes) as data."""

from __future__ import annotations

import math
from typing import Any

from derivations.grade.tally import Tally
from derivations.library import FORMULAS
from derivations.numbers import compact, fixed
from derivations.present.prose import markup

#: What each mistake the grader names without a library formula means, in words that
#: hold for every student. Why not a student's own feedback: it quotes that student's
#: numbers ("Expected 3.5 GB", "round 26.88 up"), which are wrong for other variants.
GENERIC_MISTAKES = {
    "sign": "The answer has the wrong sign.",
    "factor_of_2": "The answer is off by a factor of 2 or 1/2.",
    "power_of_ten": "The answer is off by a power of ten: a slip in the exponents.",
    "decimal_binary": "Decimal and binary units mixed up: 1 GB = $10^9$ B, "
                      "1 GiB = $2^{30}$ B.",
    "wrong_unit": "The answer is in the wrong unit.",
    "not_rounded": "A count was left unrounded (or rounded the wrong way).",
    "given_from_other_problem": "A given was taken from another problem of the sheet.",
    "reciprocal_factor": "A factor was divided where the formula multiplies (or the "
                         "reverse).",
    "wrong_dtype": "The wrong number of bytes per parameter for the data type.",
    "parameters_for_bytes": "The number of parameters given where bytes were asked for.",
}


def class_feedback(diagnosis: str) -> str:
    """A mistake as the class report explains it: the library's sentence for a known
    wrong equation, a fixed sentence for the grader's own kinds; never one student's."""
    if diagnosis in GENERIC_MISTAKES:
        return GENERIC_MISTAKES[diagnosis]
    for found in FORMULAS.values():
        for mistake in found.mistakes:
            if mistake.id == diagnosis:
                return mistake.feedback
    return ""


def readable(diagnosis: str) -> str:
    """A diagnosis id as words (`forgot_accumulation` -> `forgot accumulation`)."""
    return diagnosis.replace("_", " ")


def grades_context(title: str, tally: Tally) -> dict[str, Any]:
    """Everything the report template shows, computed once from the class tally."""
    summary = tally.summary()
    rows: list[dict[str, str]] = []
    for aid in tally.keys:
        item = summary[aid]
        common = item["common_mistake"]
        rows.append({"id": aid, "right": f"{item['correct']}/{item['students']}",
                     "rate": f"{fixed(item['rate'] * 100, 0)}%",
                     "missing": item["verdicts"]["missing"],
                     "unread": item["verdicts"]["unparsed"],
                     "mistake": f"{readable(common['diagnosis'])} ({common['count']})"
                     if common else ""})
    mistakes = [{"id": readable(name), "count": count, "feedback": markup(class_feedback(name))}
                for name, count in sorted(tally.mistakes.items(), key=lambda item: -item[1])]
    most = max(tally.scores.values(), default=1)
    top = max(1, math.ceil(tally.max))
    return {"title": title, "students": tally.students,
            # the histogram counts whole students: ticks 1 (or a whole step) apart
            "ystep": max(1, math.ceil(most / 8)),
            # every score from 0 to the maximum gets a tick, not only those that occurred
            "xstep": max(1, math.ceil(top / 12)), "xmax": top,
            "mean": fixed(summary['_class']['mean_score'], 2),
            "max": compact(summary['_class']['max']), "histogram": sorted(tally.scores.items()),
            "rows": rows, "mistakes": mistakes}
