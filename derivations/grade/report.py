"""The class report's content (score histogram, success rates, common mistakes) as data."""

from __future__ import annotations

from typing import Any

from derivations.grade.tally import Tally


def grades_context(title: str, tally: Tally) -> dict[str, Any]:
    """Everything the report template shows, computed once from the class tally."""
    summary = tally.summary()
    rows: list[dict[str, str]] = []
    for aid in tally.keys:
        item = summary[aid]
        common = item["common_mistake"]
        rows.append({"id": aid, "right": f"{item['correct']}/{item['students']}",
                     "rate": f"{item['rate'] * 100:.0f}%",
                     "mistake": f"{common['diagnosis']} ({common['count']})" if common else ""})
    mistakes = [{"id": name, "count": count, "feedback": tally.feedback[name]}
                for name, count in sorted(tally.mistakes.items(), key=lambda item: -item[1])]
    return {"title": title, "students": tally.students,
            "mean": f"{summary['_class']['mean_score']:.2f}",
            "max": f"{summary['_class']['max']:g}", "histogram": sorted(tally.scores.items()),
            "rows": rows, "mistakes": mistakes}
