"""One analysis, computed once, and its two forms: JSON data and the report's view.

`analyse` runs the parts (item analysis, fairness with the predicted difficulty,
copied answers, unknown mistakes); `as_json` is the machine form; `view` spells every
number once (through `numbers`) for the text and HTML reports, which only lay it out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from derivations.analyse.copying import Copying, copied_answers
from derivations.analyse.difficulty import FEATURES, Prediction, predicted
from derivations.analyse.items import Fairness, ItemStats, fairness, item_analysis
from derivations.analyse.known import Known
from derivations.analyse.proposals import Unknown, unknown_mistakes
from derivations.analyse.results import ClassResults
from derivations.analyse.statistics import spearman_test
from derivations.numbers import figures, fixed, text


@dataclass
class Analysis:
    sheet: str
    title: str
    students: int
    items: list[ItemStats]
    fairness: Fairness
    predictions: list[Prediction]
    agreement: float | None  # Spearman: predicted difficulty against measured (-mean)
    agreement_p: float | None  # its permutation p-value
    copying: Copying
    unknown: Unknown
    warnings: list[str]


def analyse(title: str, results: ClassResults, known: Mapping[str, Known],
            permutations: int = 4999) -> Analysis:
    fair = fairness(results, permutations)
    predictions = predicted(known) if len(known) > 1 else []
    measured = {v.variant: v.mean for v in fair.variants}
    paired = [(p.index, -measured[p.variant]) for p in predictions if p.variant in measured]
    tested = spearman_test([a for a, _ in paired], [b for _, b in paired], 999) \
        if len(paired) >= 5 else None
    return Analysis(results.sheet, title, len(results.records), item_analysis(results), fair,
                    predictions, tested[0] if tested else None,
                    tested[1] if tested else None, copied_answers(results, known),
                    unknown_mistakes(results, known), list(results.warnings))


def pool_only(sheet: str, title: str, known: Mapping[str, Known]) -> Analysis:
    """Before any student: the predicted difficulty of each variant only."""
    return Analysis(sheet, title, 0, [], Fairness(reason="no results yet"), predicted(known),
                    None, None, Copying(reason="no results yet"), Unknown(), [])


def as_json(analysis: Analysis) -> dict[str, Any]:
    data = asdict(analysis)
    for proposal, original in zip(data["unknown"]["proposals"], analysis.unknown.proposals,
                                  strict=True):
        proposal["edit"] = {"name": original.edit.name, "what": original.edit.what,
                            "expression": original.equation}
        proposal["entry"] = original.entry if original.writable else None
    return data


def share(value: float | None) -> str:
    return "–" if value is None else f"{fixed(value * 100, 0)}%"


def number(value: float | None, places: int = 2) -> str:
    """A signed statistic (`-0.12`, `0.35`); a value that rounds to 0 shows as 0."""
    if value is None:
        return "–"
    return fixed(value, places, signed=round(value, places) < 0)


def chance(value: float) -> str:
    return text(figures(value, 2)) if value < 0.001 else fixed(value, 3)


PLOT_LEFT, PLOT_WIDTH = 150, 400  # where a share of 0 to 1 is drawn in the SVG plots


def _x(share_: float, shift: float = 0.0) -> str:
    """The SVG x coordinate of a share (0 to 1) on the report's plots."""
    return fixed(PLOT_LEFT + share_ * PLOT_WIDTH + shift, 1)


def view(analysis: Analysis) -> dict[str, Any]:
    """Every row of the report with its numbers spelled (text and HTML lay it out)."""
    measured = {v.variant: v for v in analysis.fairness.variants}
    items = [{"id": i.answer, "students": i.students, "facility": share(i.facility),
              "bar": fixed(i.facility * PLOT_WIDTH, 1),
              "label_x": _x(i.facility, 6),
              "discrimination": number(i.discrimination), "point_biserial": number(
                  i.point_biserial), "unparsed": share(i.unparsed), "missing": share(i.missing),
              "carried": share(i.carried),
              "diagnoses": ", ".join(f"{d} {share(s)}" for d, s in list(i.diagnoses.items())[:3])}
             for i in analysis.items]
    variants = []
    rows: list[Prediction | None] = list(analysis.predictions) or [None]
    for prediction in rows:
        vid = prediction.variant if prediction else ""
        stats = measured.get(vid)
        if prediction is None and stats is None:
            continue
        variants.append({
            "id": vid, "predicted": number(prediction.index) if prediction else "–",
            "features": {n: fixed(prediction.features[n], 1) for n in FEATURES}
            if prediction else {},
            "students": stats.students if stats else 0,
            "mean": share(stats.mean) if stats else "–",
            "interval": f"{share(max(0.0, stats.interval[0]))} to "
            f"{share(min(1.0, stats.interval[1]))}" if stats and stats.interval else "–",
            "low": _x(max(0.0, stats.interval[0])) if stats and stats.interval else "",
            "high": _x(min(1.0, stats.interval[1])) if stats and stats.interval else "",
            "centre": _x(stats.mean) if stats else "",
            "p": chance(stats.p_value) if stats and stats.p_value is not None else "–",
            "flag": stats.flag if stats else ""})
    fair = analysis.fairness
    copying = analysis.copying
    flags = [{"student": f.student, "variant": f.variant, "source": f.source,
              "strength": f.strength, "count": len(f.matches), "examined": f.examined,
              "also": ", ".join(f.also),
              "chance": chance(f.chance), "expected": chance(f.expected),
              "matches": [{"answer": m.answer, "value": text(figures(m.value, 4)),
                           "kind": m.kind, "holders": ", ".join(m.holders[:5])
                           + (" ..." if len(m.holders) > 5 else "")} for m in f.matches]}
             for f in copying.flags]
    proposals = [{"answer": p.answer, "name": p.edit.name, "what": p.edit.what,
                  "count": len(p.students), "share": share(p.share), "chance": chance(p.chance),
                  "students": ", ".join(p.students[:8]) + (" ..." if len(p.students) > 8
                                                            else ""),
                  "entry": p.entry if p.writable else "", "also": ", ".join(p.also)}
                 for p in analysis.unknown.proposals]
    clusters = [{"answer": c.answer, "ratio": text(figures(c.ratio, 3)),
                 "count": len(c.students), "students": ", ".join(c.students[:8])}
                for c in analysis.unknown.clusters]
    return {"title": analysis.title, "sheet": analysis.sheet, "students": analysis.students,
            "items": items, "variants": variants, "test": fair.test,
            "test_p": chance(fair.p_value) if fair.p_value is not None else "",
            "permutations": fair.permutations, "test_reason": fair.reason,
            "agreement": number(analysis.agreement),
            "agreement_p": chance(analysis.agreement_p) if analysis.agreement_p is not None
            else "", "flags": flags,
            "single": copying.single, "pairs": copying.pairs, "copy_reason": copying.reason,
            "proposals": proposals, "clusters": clusters, "warnings": analysis.warnings}
