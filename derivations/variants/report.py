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

from derivations.present.text import display_text
from derivations.sheet.model import Sheet
from derivations.solver.solution import Solution
from derivations.variants.parallel import workers
from derivations.variants.pool import (
    GIVE_UP_AFTER,
    Outcome,
    VariantsError,
    structural_coincidences,
    vet,
    vetted_draws,
)


@dataclass
class _Draws:
    """What the stress test counts over the draws."""

    rejected: Counter = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)
    low: dict[str, tuple[float, str]] = field(default_factory=dict)  # value, display
    high: dict[str, tuple[float, str]] = field(default_factory=dict)
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
        for aid, answer in outcome.answers.items():
            value = answer["value"]
            if isinstance(value, bool):
                self.verdicts.setdefault(aid, Counter())[value] += 1
            if isinstance(value, bool | list):
                continue
            if aid not in self.low or value < self.low[aid][0]:
                self.low[aid] = (value, answer["display"])
            if aid not in self.high or value > self.high[aid][0]:
                self.high[aid] = (value, answer["display"])


def stress_report(sheet: Sheet, draws: int, progress: Callable[[int], None] | None = None,
                  jobs: int = 0) -> str:
    """The report on `draws` draws, vetted on `jobs` processes (0: every core for 100
    draws or more; the report is the same whatever the number)."""
    first = vet(sheet, 0)
    if first.solution is None:
        raise VariantsError(f"the sheet as written does not solve: {first.detail}")
    structural = structural_coincidences(sheet, first)
    counted = _Draws()
    outcomes = vetted_draws(sheet, structural, draws, workers(jobs, draws))
    for outcome in outcomes:
        counted.add(outcome)
        if progress is not None:
            progress(1)
        index = outcome.index
        if index >= GIVE_UP_AFTER and counted.sound == 0:  # an unsatisfiable require
            outcomes.close()
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
            span = f"{counted.low[aid][1]} .. {counted.high[aid][1]}"
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
