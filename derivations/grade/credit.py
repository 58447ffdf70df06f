"""Credit for answers that are not fully right: the sheet's marking policy as arithmetic.

The grader decides *what* an answer is (its verdict and diagnosis); this module decides
what it *earns*, from the sheet's `[grading]` table and an ask's own `credit`:

- a wrong answer earns the credit its diagnosis has in the table (when several known
  mistakes explain the value, the best of their credits: the student may have made
  any of them, and the benefit of that doubt is theirs); otherwise the share of the
  tightest band of the curve it falls in; otherwise the `other` entry (0 by default);
- a carried-forward answer earns `carried_forward` when the earlier wrong value is a
  named mistake (or itself carried from one), at most `carried_unnamed` when nothing
  explains it, and at most `carried_trivial` when it makes the later ask trivial.

The same function gives the Moodle export its answer fractions, so what an LMS awards
and what `derive check` awards agree (up to the fractions Moodle allows).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from derivations.grade.keys import AnswerKey
from derivations.grade.verdicts import Verdict
from derivations.library.slips import UNNAMED
from derivations.numbers import compact
from derivations.sheet.model import Ask, Grading


@dataclass(frozen=True)
class Credit:
    """A share of an answer's points and why (for the feedback; "" when it is 0)."""

    share: float
    reason: str = ""


def table(policy: Grading, ask: Ask | None) -> dict[str, float]:
    """The credit table for one ask: the sheet's, with the ask's entries over it."""
    return {**policy.credit, **(ask.credit if ask is not None else {})}


def for_wrong(policy: Grading, credits: Mapping[str, float], diagnoses: Iterable[str],
              relative_error: float | None) -> Credit:
    """What a wrong answer earns (see the module docstring for the order)."""
    named = [(credits[d], d) for d in diagnoses if d and d in credits]
    if named:
        share, diagnosis = max(named)
        return Credit(share, f"{percent(share)} of the points for this mistake "
                             f"({diagnosis})" if share else "")
    if relative_error is not None:
        for error, share in policy.curve:
            if relative_error <= error:
                return Credit(share, f"{percent(share)} of the points: within "
                                     f"{percent(error)} of the answer" if share else "")
    share = credits.get(UNNAMED, 0.0)
    return Credit(share, f"{percent(share)} of the points for a wrong answer" if share else "")


def for_carried(policy: Grading, named: bool, trivial: str) -> Credit:
    """What a carried-forward answer earns (`trivial`: why the step was hidden, or "")."""
    share = policy.carried_forward
    reason = ""
    if not named and policy.carried_unnamed is not None and policy.carried_unnamed < share:
        share = policy.carried_unnamed
        reason = "the earlier wrong value is not a known mistake"
    if trivial and policy.carried_trivial is not None and policy.carried_trivial < share:
        share = policy.carried_trivial
        reason = trivial
    return Credit(share, f"{percent(share)} of the points: {reason}" if reason else "")


def credited(policy: Grading, credits: Mapping[str, float], key: AnswerKey,
             verdict: Verdict) -> Verdict:
    """A wrong number with the credit the policy gives it (other verdicts unchanged)."""
    if verdict.verdict != "wrong" or key.kind != "number":
        return verdict
    given = verdict.given if isinstance(verdict.given, float) else None
    error = None if given is None or not key.expected else \
        abs(given - key.expected) / abs(key.expected)
    earned = for_wrong(policy, credits, (verdict.diagnosis, *verdict.alternatives), error)
    if not earned.share:
        return verdict
    return dataclasses.replace(verdict, points=round(key.points * earned.share, 6),
                               feedback=f"{verdict.feedback} Credit: {earned.reason}.")


def percent(share: float) -> str:
    """0.25 -> `25%`, 1/3 -> `33.3%`."""
    return f"{compact(round(share * 100, 1))}%"
