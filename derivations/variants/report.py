"""`derive variants SHEET --stress N`: the instructor's check before release.

N draws are solved and vetted exactly as when a pool is made (nothing is written):
per answer, the range of its values over the sound draws; how many draws were
rejected and why, with an example of each; and the coincidences of known mistakes
that hold for every draw (structural: reported once, never a reason to reject).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from derivations.numbers import to_decimal
from derivations.present.text import display_text
from derivations.sheet.model import Sheet
from derivations.solver.solution import Answer
from derivations.variants.pool import VariantsError, structural_coincidences, vet


def stress_report(sheet: Sheet, draws: int, progress: Callable[[int], None] | None = None
                  ) -> str:
    first = vet(sheet, 0)
    if first.solution is None:
        raise VariantsError(f"the sheet as written does not solve: {first.detail}")
    structural = structural_coincidences(sheet, first)
    rejected: Counter = Counter()
    examples: dict[str, str] = {}
    low: dict[str, Answer] = {}
    high: dict[str, Answer] = {}
    sound = 0
    for index in range(1, draws + 1):
        outcome = vet(sheet, index, structural)
        if progress is not None:
            progress(1)
        if outcome.reason:
            rejected[outcome.reason] += 1
            examples.setdefault(outcome.reason, outcome.detail)
            continue
        sound += 1
        assert outcome.solution is not None
        for aid, answer in outcome.solution.answers.items():
            if isinstance(answer.value, bool | tuple):
                continue
            value = to_decimal(answer.value, 20)
            if aid not in low or value < to_decimal(low[aid].value, 20):
                low[aid] = answer
            if aid not in high or value > to_decimal(high[aid].value, 20):
                high[aid] = answer
    lines = [f"{sheet.name}: {draws} draws, {sound} sound, {draws - sound} rejected", ""]
    width = max((len(a) for a in first.solution.answers), default=10)
    lines.append(f"{'answer':<{width}}  range over the sound draws (v00 as written)")
    for aid, answer in first.solution.answers.items():
        if aid in low:
            span = f"{display_text(low[aid])} .. {display_text(high[aid])}"
        else:
            span = "(true/false or vector)" if isinstance(answer.value, bool | tuple) else "-"
        lines.append(f"{aid:<{width}}  {span}   ({display_text(answer)})")
    if rejected:
        lines += ["", "rejected draws:"]
        for reason, count in rejected.most_common():
            lines.append(f"  {count:>5}  {reason}: e.g. {examples[reason]}")
    if structural:
        lines += ["", "known mistakes giving the same value in every draw (structural; the "
                  "grader names both):"]
        lines += [f"  {a}: {m} and {n}" for a, m, n in sorted(structural)]
    return "\n".join(lines) + "\n"



