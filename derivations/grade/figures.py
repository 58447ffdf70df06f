"""Significant figures as a marking policy: fixed (`figures = 3`) or derived from the
precision of what the answer was computed from (`figures = "derived"`).

Derived figures, the rule (docs/grading.md):
- An input is *measured* when it is written in scientific notation or with a decimal
  point (`1.69`, `4.1e12`, `67e9`): each digit is significant and it is known to one
  unit in its last place. A whole number written out (`2048`, `96`) is a count or a
  definition and is exact (the usual conventions for written numbers);
  `[grading] exact = ["E", "A"]` makes other givens (a fit's constants, a nominal
  size, taken as definitions) exact too. The inputs are the sheet's
  givens the closed form uses and the earlier answers the student wrote that this
  answer is computed from, to the figures they wrote them (trailing zeros of a whole
  number without a point do not count).
- Each input allows its own figures, less one for each power of ten in the answer's
  elasticity to it (e = d ln answer / d ln input, from the closed form; floor(log10
  |e|)); the answer keeps the fewest. For a product or a quotient (elasticities of 1)
  this is the textbook rule, "as many figures as the least precise factor"; an answer
  that reacts 66-fold to an input written to 3 figures keeps 2, and one that hardly
  reacts to an input (e = 0.02) is not limited by it. An answer with no measured
  input is exact: the tolerance decides.

Marking: an answer that rounds correctly to its own figures is right; written to the
supported figures it earns full credit, to more (overclaiming) or fewer
(underclaiming) it loses the sheet's `overclaim` or `underclaim` share. A value that
does not round correctly (7.6e12 for 7.544e12 to two figures) is not right under this
policy even within the tolerance, and the feedback says which policy decided it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from derivations.grade.credit import percent
from derivations.grade.following import elasticity
from derivations.grade.keys import AnswerKey
from derivations.grade.precision import (
    Input,
    Supported,
    rounded,
    shown,
    supported,
    written_figures,
)
from derivations.grade.verdicts import Verdict, close, verdict
from derivations.numbers import figures as to_figures
from derivations.present.printing import digits_markup
from derivations.read import answer as parsing
from derivations.sheet.model import Grading


def written_upstream(policy: Grading, keys: Mapping[str, AnswerKey], key: AnswerKey,
                     readings: Mapping[str, parsing.Reading | None]) -> list[Input]:
    """The earlier answers `key` is computed from that the student wrote, at their
    figures, with the answer's elasticity to each (for a derived policy)."""
    if policy.figures != "derived" or key.carried is None:
        return []
    function, upstream = key.carried
    right = [keys[aid].expected for aid in upstream]
    if not all(isinstance(v, float) for v in right):
        return []
    return student_inputs(upstream, lambda aid: elasticity(function, right,
                                                           upstream.index(aid)), readings)


def student_inputs(upstream: list[str], elasticity: Callable[[str], float | None],
                   readings: Mapping[str, parsing.Reading | None]) -> list[Input]:
    """The earlier answers the student wrote, as inputs at the figures they wrote."""
    found = []
    for aid in upstream:
        reading = readings.get(aid)
        if not isinstance(reading, parsing.Number) or not reading.value:
            continue
        written = written_figures(reading)
        e = elasticity(aid)
        if written is None or e is None:
            continue
        found.append(Input(aid, e, written))
    return found


def overclaim_feedback(answer_id: str, wrote: int, allowed: Supported, right: str) -> str:
    """`right`: the answer to the allowed figures, as it should have been written."""
    if allowed.limit is None:
        return f"{_figures(wrote)} given; this sheet asks for {allowed.figures} ({right})."
    limit = allowed.limit
    return (f"{_figures(wrote)} claimed, but {limit.name} to {limit.written} supports only "
            f"{allowed.figures} for {answer_id} (d ln {answer_id} / d ln {limit.name} = "
            f"${digits_markup(to_figures(limit.elasticity, 3))}$): write {right}.")


def underclaim_feedback(wrote: int, allowed: Supported, right: str) -> str:
    source = "this sheet asks for" if allowed.limit is None else \
        "the precision of the inputs supports"
    return f"{_figures(wrote)} given; {source} {allowed.figures} ({right})."


def judge(key: AnswerKey, policy: Grading, parsed: parsing.Number, given: float,
          half: float, upstream: list[Input], factor: float, unit: str
          ) -> Verdict | str | None:
    """The figures policy's verdict on a number: a `Verdict` when it is right to its
    figures, a note for the feedback when the policy finds it not right, None when the
    tolerance decides (no policy, an exact whole number, an exact form, or no measured
    input).

    `given` and `half` (half a unit in its last place) are in the canonical unit;
    `factor` is canonical units per unit written (`unit`), where figures are counted:
    54 GiB to one figure is 5e1 GiB, not 6e10 bytes."""
    if policy.figures is None or key.tolerance == 0:
        return None
    wrote = written_figures(parsed)
    allowed = supported(policy.figures, key.expected, key.measured + upstream)
    if wrote is None or allowed is None:
        return None
    limit = allowed.figures
    expected, written = key.expected / factor, given / factor
    right = abs(expected - written) <= abs(half / factor) * (1 + 1e-9) or (
        wrote > limit and _same(rounded(written, limit), rounded(expected, limit)))
    should = f"{shown(expected, limit)} {unit}".strip()
    if not right:
        note = f"Under this sheet's figures policy ({_figures(limit)}), {key.id} is {should}"
        if close(given, key.expected, key.tolerance):
            note += f"; your value would pass a {percent(key.tolerance)} tolerance"
        return note + "."
    if wrote == limit:
        return verdict(key, "correct", given, f"Correct to {_figures(limit)}: {should}.")
    if wrote > limit:
        return verdict(key, "correct", given, overclaim_feedback(key.id, wrote, allowed,
                                                                 should),
                       "too_many_figures", key.points * (1 - policy.overclaim))
    return verdict(key, "correct", given, underclaim_feedback(wrote, allowed, should),
                   "too_few_figures", key.points * (1 - policy.underclaim))


def _figures(count: int) -> str:
    return f"{count} significant figure" + ("" if count == 1 else "s")


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-12 * max(abs(a), abs(b))
