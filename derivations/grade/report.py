"""The class report's content (score histogram, success rates, common mistakes) as data."""

from __future__ import annotations

from typing import Any

from derivations.grade.grader import AnswerKey, StudentResult, summarise


def grades_context(title: str, results: list[StudentResult],
                   keys: dict[str, AnswerKey]) -> dict[str, Any]:
    """Everything the report template shows, computed once."""
    summary = summarise(results, keys)
    scores: dict[float, int] = {}
    for result in results:
        scores[result.score] = scores.get(result.score, 0) + 1
    rows: list[dict[str, str]] = []
    for aid in keys:
        item = summary[aid]
        common = item["common_mistake"]
        rows.append({"id": aid, "right": f"{item['correct']}/{item['students']}",
                     "rate": f"{item['rate'] * 100:.0f}%",
                     "mistake": f"{common['diagnosis']} ({common['count']})" if common else ""})
    counts: dict[str, int] = {}
    feedback: dict[str, str] = {}
    for result in results:
        for verdict in result.answers.values():
            if verdict.diagnosis:
                counts[verdict.diagnosis] = counts.get(verdict.diagnosis, 0) + 1
                feedback.setdefault(verdict.diagnosis, verdict.feedback)
    mistakes = [{"id": name, "count": count, "feedback": feedback[name]}
                for name, count in sorted(counts.items(), key=lambda item: -item[1])]
    return {"title": title, "students": len(results),
            "mean": f"{summary['_class']['mean_score']:.2f}",
            "max": f"{summary['_class']['max']:g}", "histogram": sorted(scores.items()),
            "rows": rows, "mistakes": mistakes}
