"""Grading student answers against a solved sheet: tolerant, unit-aware, diagnostic.

The sheet is solved once and an `AnswerKey` prepared per answer (`grade.keys`);
grading a student is then only arithmetic on floats, so a class of a thousand is quick.

Verdicts, in the order they are tried:
  missing, unparsed              nothing usable was written
  correct                        within the relative tolerance
  carried-forward                right, computed from the student's own wrong earlier answer
  correct-with-rounding          within the band of a 3-significant-figure intermediate
  wrong                          with the diagnosed mistake when one matches
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from derivations.grade import credit
from derivations.grade import figures as figures_policy
from derivations.grade.following import carried_slip, follows_from_own, hides_step
from derivations.grade.keys import AnswerKey, answer_key
from derivations.grade.kinds import mark_bool, mark_vector, unit_problem
from derivations.grade.reading import canonical, contradiction, factor_of, read_for
from derivations.grade.verdicts import StudentResult, Verdict, close, verdict
from derivations.numbers import figures, text, whole
from derivations.present.shown import unit_label
from derivations.read import answer as parsing
from derivations.read.judge import holds_to_figures
from derivations.sheet.model import Sheet
from derivations.solver.solution import Solution

_BINARY = {2**10 / 1e3, 2**20 / 1e6, 2**30 / 1e9, 2**40 / 1e12}


class Grader:
    """Marks any number of students against one solved sheet."""

    def __init__(self, solution: Solution, mistakes_only: bool = False) -> None:
        """`mistakes_only`: keys with the known mistakes' values only (for vetting
        variants); such a grader cannot mark students."""
        sheet = self.sheet = solution.sheet
        assert isinstance(sheet, Sheet)
        self.policy = sheet.grading
        asks = {f"{p.id}.{a.id}": a for p in sheet.problems for a in p.asks}
        self.credits = {aid: credit.table(self.policy, ask) for aid, ask in asks.items()}
        self._rounded: set[str] = set()  # earlier answers accepted (exact or rounded)
        self._named: set[str] = set()  # earlier answers wrong by a named mistake
        self._values: dict[str, float | None] = {}
        self._readings: dict[str, parsing.Reading | None] = {}
        self.keys: dict[str, AnswerKey] = {}
        for aid, answer in solution.answers.items():  # in order: later keys use earlier ones
            self.keys[aid] = answer_key(solution, answer, asks[aid], self.policy.tolerance,
                                        self.keys, mistakes_only)

    def grade(self, student: str, written: dict[str, Any],
              unsupported: dict[str, str] | None = None, last: str | None = None
              ) -> StudentResult:
        """Mark one student's answers (answer id -> what they wrote), in sheet order, so
        that how an earlier bare number was read (GiB or bytes) is how later answers
        see it when they carry it forward.

        `unsupported`: answers whose written working does not give them (answer id ->
        why, from `derive check-work`): they earn no credit for how they were reached
        (carried forward, or from a rounded intermediate), and later answers treat them
        as the wrong values they are. `last`: stop after this answer (none looks ahead)."""
        unsupported = unsupported or {}
        readings = {aid: read_for(key, parsing.read_answer(written[aid]))
                    if written.get(aid) is not None else (None, "")
                    for aid, key in self.keys.items()}
        parsed = {aid: reading for aid, (reading, _) in readings.items()}
        values = {aid: canonical(self.keys[aid], p) for aid, p in parsed.items()}
        verdicts: dict[str, Verdict] = {}
        self._rounded, self._named, self._values, self._readings = set(), set(), values, parsed
        for aid, key in self.keys.items():
            verdicts[aid] = self._mark_safely(key, parsed[aid], values)
            if aid in unsupported and verdicts[aid].verdict in ("correct-with-rounding",
                                                                "carried-forward"):
                verdicts[aid] = self._verdict(key, "wrong", verdicts[aid].given,
                                              f"{unsupported[aid]} Expected {key.shown}.")
            verdicts[aid] = self._credited(key, verdicts[aid])
            note = readings[aid][1]
            if note:
                verdicts[aid] = dataclasses.replace(verdicts[aid],
                                                    feedback=note + verdicts[aid].feedback)
            if isinstance(verdicts[aid].given, float):
                values[aid] = verdicts[aid].given
            if verdicts[aid].verdict in ("correct", "correct-with-rounding"):
                self._rounded.add(aid)
            if aid == last:
                break
        return StudentResult(student, verdicts)

    def _mark_safely(self, key: AnswerKey, parsed: parsing.Reading | None,
                     values: dict[str, float | None]) -> Verdict:
        """Mark one answer; an arithmetic failure on it marks it, not the class.

        Why: the parser bounds what it accepts, but grading a class must never stop
        because of one student's number, so a float overflow or domain error while
        comparing becomes that answer's `unparsed` verdict with the reason.
        """
        try:
            return self._mark(key, parsed, values)
        except (ArithmeticError, ValueError) as exc:
            shown = getattr(parsed, "text", "")[:80]
            return self._verdict(key, "unparsed", shown,
                                 f"Could not compare this answer ({type(exc).__name__}).")

    # -- one answer ----------------------------------------------------------------
    def _mark(self, key: AnswerKey, parsed: parsing.Reading | None,
              values: dict[str, float | None]) -> Verdict:
        if parsed is None:
            return self._verdict(key, "missing", None, "No answer given.")
        if isinstance(parsed, parsing.Unparsed):
            return self._verdict(key, "unparsed", parsed.text[:80],
                                 f"Could not read this answer: {parsed.reason}.")
        if key.kind == "bool":
            return mark_bool(key, parsed)
        if key.kind == "vector":
            return mark_vector(key, parsed)
        if not isinstance(parsed, parsing.Number):
            return self._verdict(key, "unparsed", parsed.text[:80], "Expected a number.")
        return self._mark_number(key, parsed, values)

    def _mark_number(self, key: AnswerKey, parsed: parsing.Number,
                     values: dict[str, float | None]) -> Verdict:
        wrong_unit = unit_problem(key, parsed)
        if wrong_unit is not None:
            return wrong_unit
        given = values[key.id]
        assert given is not None
        disagree = contradiction(key, parsed)
        if disagree:
            return self._verdict(key, "wrong", given, disagree + f"Expected {key.shown}.")
        half = float(abs(parsed.half * factor_of(key, parsed.unit)))
        verdict = self._mark_value(key, given, values, half, parsed)
        raw = float(parsed.value)
        fraction = key.display_unit == "%"
        if parsed.unit is not None or raw == given or verdict.verdict in ACCEPTED \
                or not (implausible(given, key.expected) or fraction):
            return verdict
        # A bare number far off in the question's unit (57982058496 for "memory in
        # GiB"), or a fraction for a percentage (0.375 for 37.5 %): read it in the
        # canonical unit instead, if that explains it.
        again = self._mark_value(key, raw, values, float(parsed.half), parsed)
        if again.verdict in ACCEPTED or (again.diagnosis not in GENERIC
                                          and verdict.diagnosis in GENERIC):
            shown = text(whole(int(raw)) if raw.is_integer() and abs(raw) < 1e16
                         else figures(raw, 6))
            note = f"Read as the fraction {shown}. " if fraction else \
                f"Read as {shown} {key.unit}s (a bare number this size is not in " \
                f"{key.display_unit}). "
            return dataclasses.replace(again, feedback=note + again.feedback)
        return verdict

    def _mark_value(self, key: AnswerKey, given: float, values: dict[str, float | None],
                    half: float = 0.0, parsed: parsing.Number | None = None) -> Verdict:
        """Mark a number already in the canonical unit (`half`: half a unit in the last
        place written, in the canonical unit): by the sheet's figures policy when it
        has one (`grade.figures`), else by the tolerance; the feedback says which."""
        judged = None
        if parsed is not None and self.policy.figures is not None:
            factor = given / float(parsed.value) if parsed.value else 1.0
            unit = parsed.unit.word if parsed.unit is not None else \
                unit_label(key.display_unit)
            judged = figures_policy.judge(key, self.policy, parsed, given, half,
                                          figures_policy.written_upstream(
                                              self.policy, self.keys, key, self._readings),
                                          factor, unit)
        if isinstance(judged, Verdict):
            return judged
        if judged is None and close(given, key.expected, key.tolerance):
            return self._verdict(key, "correct", given, _correct(key, given, half))
        found = self._mark_other(key, given, values, half)
        if judged and found.verdict == "wrong":
            return dataclasses.replace(found, feedback=f"{judged} {found.feedback}")
        return found

    def _mark_other(self, key: AnswerKey, given: float, values: dict[str, float | None],
                    half: float) -> Verdict:
        """A number that is not right as it stands: carried forward, from a rounded
        intermediate, a known mistake, or wrong."""
        carried = self._carried(key, given, values)
        if carried is not None:
            return carried
        explained = self._explained(key, given, half)
        written = min(half, ROUNDED_FIGURES * abs(given))
        for item in key.rounded:
            if holds_to_figures(item.value, given, written) and not (
                    explained is not None and self._nearest_mistake(key, given)
                    < _relative(given, item.value)):
                return self._verdict(
                    key, "correct-with-rounding", given,
                    f"Accepted: {key.shown} exactly; your value follows from rounding "
                    f"{item.name} to 3 significant figures. Keep full precision in "
                    f"{item.name}.")
        if explained is not None:
            return explained
        compounded = self._carried_mistake(key, given, values)
        if compounded is not None:
            return compounded
        diagnosis, feedback = generic_slip(given, key)
        return self._verdict(key, "wrong", given, feedback, diagnosis)

    def _explained(self, key: AnswerKey, given: float, half: float = 0.0) -> Verdict | None:
        """The known mistakes that give this value; all of them when several do.

        A mistake explains a value it holds to the figures written (`read.judge`),
        within the grading tolerance at most, so a 4-figure answer 0.4% away from
        a mistake's value is not confidently blamed on it. Most likely first: an exact
        match before an approximate one, then the order of `key.slips` (the
        formula's own mistakes, those made in earlier answers, then dtype slips).
        """
        widest = max(key.tolerance, key.slip_tolerance)
        matches = [(abs(given - v.value) > 1e-9 * abs(v.value), index, v)
                   for index, v in enumerate(key.slips)
                   if close(given, v.value, widest) and holds_to_figures(
                       v.value, given, half, MISTAKE_SLACK)]
        if not matches:
            return None
        ordered = [v for _, _, v in sorted(matches, key=lambda m: m[:2])]
        distinct = list({v.feedback: v for v in ordered}.values())
        first = distinct[0]
        if len(distinct) == 1:
            return self._verdict(key, "wrong", given, first.feedback, first.diagnosis)
        feedback = "Either: " + " Or: ".join(v.feedback for v in distinct[:4])
        others = [v.diagnosis for v in distinct[1:] if v.diagnosis != first.diagnosis]
        return self._verdict(key, "wrong", given, feedback, first.diagnosis,
                             alternatives=tuple(dict.fromkeys(others)))

    @staticmethod
    def _nearest_mistake(key: AnswerKey, given: float) -> float:
        return min((_relative(given, v.value) for v in key.slips), default=math.inf)

    def _carried(self, key: AnswerKey, given: float,
                 values: dict[str, float | None]) -> Verdict | None:
        """Right from the student's own earlier answers: carried forward when one of
        them is wrong, correct-with-rounding when they were accepted but rounded."""
        found = follows_from_own(self.keys, key, given, values)
        if found is None:
            return None
        moved, differs = found
        if set(differs) <= self._rounded:  # built on accepted (rounded) values
            names = ", ".join(differs or moved)
            return self._verdict(
                key, "correct-with-rounding", given,
                f"Accepted: {key.shown} exactly; your value follows from your rounded "
                f"{names}. Keep full precision in {names}.")
        named = set(differs) <= self._named
        if named:  # carried from a named mistake: later answers carry it too
            self._named.add(key.id)
        earned = credit.for_carried(self.policy, named,
                                    hides_step(self.keys, key, self._values))
        return self._verdict(
            key, "carried-forward", given,
            f"Follows correctly from your answer to {', '.join(differs)} "
            f"(the expected value is {key.shown})."
            + (f" Credit: {earned.reason}." if earned.reason else ""),
            points=key.points * earned.share)

    def _credited(self, key: AnswerKey, verdict: Verdict) -> Verdict:
        """With the sheet's credit; a named mistake is kept for gating later credit."""
        if verdict.verdict == "wrong" and verdict.diagnosis:
            self._named.add(key.id)
        return credit.credited(self.policy, self.credits[key.id], key, verdict)

    def _carried_mistake(self, key: AnswerKey, given: float,
                         values: dict[str, float | None]) -> Verdict | None:
        """A known mistake made on top of the student's own earlier answers."""
        found = carried_slip(self.keys, key, given, values)
        if found is None:
            return None
        item, differs = found
        return self._verdict(key, "wrong", given, f"{item.slip.feedback} (Computed from your "
                             f"answer to {', '.join(differs)}.)", item.slip.diagnosis)

    def _verdict(self, key: AnswerKey, kind: str, given: Any, feedback: str,
                 diagnosis: str = "", points: float | None = None,
                 alternatives: tuple[str, ...] = ()) -> Verdict:
        """A verdict with the sheet's credit: a rounded answer earns the rounding
        share of its points."""
        if points is None and kind == "correct-with-rounding":
            points = key.points * self.policy.rounding
        return verdict(key, kind, given, feedback, diagnosis, points, alternatives)


ACCEPTED = ("correct", "correct-with-rounding", "carried-forward")
#: The coarsest figures an answer may be written to and still match a rounding path by
#: its own figures: half a unit in the third significant figure at most.
ROUNDED_FIGURES = 0.005
#: How far a value computed along a known mistake's path may stray by the student's
#: own rounding of the steps between and still be blamed on that mistake.
MISTAKE_SLACK = 0.003
#: Diagnoses read off the number alone, not from a known way of computing it wrong.
GENERIC = ("", "power_of_ten", "factor_of_2", "sign", "decimal_binary")


def _correct(key: AnswerKey, given: float, half: float) -> str:
    """The feedback on a right value; it says when the tolerance, not the value's own
    figures, made it right (7.6e12 for 7.544e12 is not right to two figures)."""
    if half and not holds_to_figures(key.expected, given, half):
        return f"Correct: {key.shown} (within the {credit.percent(key.tolerance)} tolerance)."
    return f"Correct: {key.shown}."


def _relative(a: float, b: float) -> float:
    return abs(a - b) / abs(b) if b else abs(a)


def implausible(given: float, expected: float) -> bool:
    """More than a factor of 1000 away: not a slip in the number, a slip in the unit."""
    if not expected or not given:
        return False
    ratio = abs(given / expected)
    return ratio > 1e3 or ratio < 1e-3


def generic_slip(given: float, key: AnswerKey) -> tuple[str, str]:
    """Recognise slips that are not tied to one formula: powers of ten, factors of 2,
    decimal versus binary units, a wrong sign."""
    expected = key.expected
    wrong = f"Expected {key.shown}."
    if expected == 0 or given == 0:
        return "", wrong
    ratio = given / expected
    if close(ratio, -1, key.tolerance):
        return "sign", f"Wrong sign. {wrong}"
    if key.unit == "byte":
        for factor in _BINARY:
            if close(ratio, factor, key.tolerance / 2) or close(ratio, 1 / factor,
                                                                 key.tolerance / 2):
                return "decimal_binary", ("You mixed decimal and binary units: 1 GB = $10^9$ B, "
                                          f"1 GiB = $2^{{30}}$ B. {wrong}")
    for factor, name in ((2, "2"), (0.5, "1/2")):
        if close(ratio, factor, key.tolerance):
            return "factor_of_2", f"Off by a factor of {name}. {wrong}"
    power = math.log10(abs(ratio))
    nearest = round(power)
    if nearest != 0 and abs(power - nearest) <= math.log10(1 + key.tolerance) and ratio > 0:
        return "power_of_ten", (f"Off by a factor of $10^{{{nearest}}}$: check the powers of "
                                f"ten. {wrong}")
    return "", wrong


__all__ = ["Grader"]
