"""`derive variants SHEET --stress N`: the instructor's check before release.

N draws are solved and vetted exactly as when a pool is made (nothing is written):
per answer, the range of its values over the sound draws; how many draws were
rejected and why, with an example of each; and the coincidences of known mistakes
that hold for every draw (structural: reported once, never a reason to reject).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from derivations.numbers import to_decimal
from derivations.present.text import display_text
from derivations.sheet.model import Sheet
from derivations.solver.solution import Answer, Solution
from derivations.variants.pool import (
    GIVE_UP_AFTER,
    Outcome,
    VariantsError,
    structural_coincidences,
    vet,
)


@dataclass
class _Draws:
    """What the stress test counts over the draws."""

    rejected: Counter = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)
    low: dict[str, Answer] = field(default_factory=dict)
    high: dict[str, Answer] = field(default_factory=dict)
    sound: int = 0
    drawn: dict[str, Counter] = field(default_factory=dict)     # given -> values drawn
    kept: dict[str, Counter] = field(default_factory=dict)      # ... in the sound draws
    verdicts: dict[str, Counter] = field(default_factory=dict)  # true/false -> verdicts

    def add(self, outcome: Outcome) -> None:
        for name, given in outcome.givens.items():
            self.drawn.setdefault(name, Counter())[given] += 1
        if outcome.reason:
            self.rejected[outcome.reason] += 1
            self.examples.setdefault(outcome.reason, outcome.detail)
            return
        self.sound += 1
        for name, given in outcome.givens.items():
            self.kept.setdefault(name, Counter())[given] += 1
        assert outcome.solution is not None
        for aid, answer in outcome.solution.answers.items():
            if isinstance(answer.value, bool):
                self.verdicts.setdefault(aid, Counter())[answer.value] += 1
            if isinstance(answer.value, bool | tuple):
                continue
            value = to_decimal(answer.value, 20)
            if aid not in self.low or value < to_decimal(self.low[aid].value, 20):
                self.low[aid] = answer
            if aid not in self.high or value > to_decimal(self.high[aid].value, 20):
                self.high[aid] = answer


def stress_report(sheet: Sheet, draws: int, progress: Callable[[int], None] | None = None
                  ) -> str:
    first = vet(sheet, 0)
    if first.solution is None:
        raise VariantsError(f"the sheet as written does not solve: {first.detail}")
    structural = structural_coincidences(sheet, first)
    counted = _Draws()
    for index in range(1, draws + 1):
        counted.add(vet(sheet, index, structural))
        if progress is not None:
            progress(1)
        if index >= GIVE_UP_AFTER and counted.sound == 0:  # an unsatisfiable require
            return _report(sheet.name, index, first.solution, counted, structural) + \
                f"stopped after {index} draws: every one was refused\n"
    return _report(sheet.name, draws, first.solution, counted, structural)


def _report(name: str, draws: int, written: Solution, counted: _Draws,
            structural: frozenset) -> str:
    sound = counted.sound
    lines = [f"{name}: {draws} draws, {sound} sound, {draws - sound} rejected", ""]
    width = max((len(a) for a in written.answers), default=10)
    lines.append(f"{'answer':<{width}}  range over the sound draws (v00 as written)")
    for aid, answer in written.answers.items():
        if aid in counted.low:
            span = f"{display_text(counted.low[aid])} .. {display_text(counted.high[aid])}"
        else:
            span = "(true/false or vector)" if isinstance(answer.value, bool | tuple) else "-"
        lines.append(f"{aid:<{width}}  {span}   ({display_text(answer)})")
    lines += ["", "random givens: values in the sound draws, of the values drawn"]
    lines += [f"  {given}: {spread(counted.kept.get(given, Counter()))} of {spread(values)}"
              for given, values in counted.drawn.items()]
    same = [f"  {aid}: {'true' if counts.most_common(1)[0][0] else 'false'} in all {sound}"
            for aid, counts in counted.verdicts.items() if len(counts) == 1]
    if same:
        lines += ["", "true/false answers with one verdict in every sound draw:", *same]
    if counted.rejected:
        lines += ["", "rejected draws:"]
        for reason, count in counted.rejected.most_common():
            lines.append(f"  {count:>5}  {reason}: e.g. {counted.examples[reason]}")
    if structural:
        lines += ["", "known mistakes giving the same value in every draw (structural; the "
                  "grader names both):"]
        lines += [f"  {a}: {m} and {n}" for a, m, n in sorted(structural)]
    return "\n".join(lines) + "\n"


def spread(values: Counter) -> str:
    """`fp16 ×12, fp32 ×28`, or `38 values` for a wide grid."""
    if len(values) > 4:
        return f"{len(values)} values"
    return ", ".join(f"{value} ×{count}" for value, count in sorted(values.items())) or "none"
