"""The class report's content (score histogram, success rates, common mistakes) as data."""

from __future__ import annotations

import math
from typing import Any

from derivations.grade.tally import Tally
from derivations.numbers import compact, fixed
from derivations.present.prose import markup


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
                     "mistake": f"{readable(common['diagnosis'])} ({common['count']})"
                     if common else ""})
    mistakes = [{"id": readable(name), "count": count, "feedback": markup(tally.feedback[name])}
                for name, count in sorted(tally.mistakes.items(), key=lambda item: -item[1])]
    most = max(tally.scores.values(), default=1)
    return {"title": title, "students": tally.students,
            # the histogram counts whole students: ticks 1 (or a whole step) apart
            "ystep": max(1, math.ceil(most / 8)),
            "mean": fixed(summary['_class']['mean_score'], 2),
            "max": compact(summary['_class']['max']), "histogram": sorted(tally.scores.items()),
            "rows": rows, "mistakes": mistakes}
