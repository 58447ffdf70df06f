"""Grading a class where each student has their own variant.

Each variant's grader is built the first time a student of that variant is marked,
from the variant's stored givens, re-solved and checked against the stored answers;
then everything `derive check` does (rounding, carried-forward, diagnoses) applies
unchanged. A `variant` column (or key) in the answers wins over the assignments file;
a student with neither is reported, not guessed.
"""

from __future__ import annotations

from pathlib import Path

from derivations.files import read_text
from derivations.grade.grader import Grader
from derivations.grade.runner import Submission
from derivations.grade.verdicts import StudentResult
from derivations.sheet.model import Sheet
from derivations.variants.assign import binding, read_assignments
from derivations.variants.store import read_pool, solve_stored


class VariantGraders:
    """Which variant a student has, and the grader of each variant."""

    def __init__(self, sheet: Sheet, pool_file: Path, assignments: Path | None) -> None:
        self.sheet, self.pool_file = sheet, pool_file
        self.stored = read_pool(read_text(pool_file), str(pool_file), sheet)
        self.assigned: dict[str, str] = {}
        if assignments is not None:
            assert sheet.variants is not None
            self.assigned, _ = read_assignments(
                read_text(assignments), str(assignments), set(self.stored),
                binding(sheet.name, sheet.variants.salt))
        self._graders: dict[str, Grader] = {}

    def variant_of(self, submission: Submission) -> tuple[str | None, str]:
        """(variant id, '') or (None, why not)."""
        declared = submission.variant
        if declared is not None:
            if declared.strip() in self.stored:
                return declared.strip(), ""
            return None, f"variant {declared.strip()!r} written in the answers is not in " \
                         f"{self.pool_file.name}"
        if submission.student in self.assigned:
            return self.assigned[submission.student], ""
        return None, "no variant: not in the assignments and no 'variant' column"

    def grade(self, submission: Submission) -> StudentResult:
        variant, why = self.variant_of(submission)
        if variant is None:
            return StudentResult(submission.student, {}, note=why)
        result = self.grader(variant).grade(submission.student, dict(submission.answers))
        return StudentResult(result.student, result.answers, variant=variant)

    def grader(self, variant: str) -> Grader:
        """The grader of one stored variant (re-solved and checked the first time)."""
        if variant not in self.stored:
            from derivations.variants.pool import VariantsError

            raise VariantsError(f"{self.pool_file}: no variant {variant!r} in the pool")
        if variant not in self._graders:
            solution = solve_stored(self.sheet, self.stored[variant], str(self.pool_file))
            self._graders[variant] = Grader(solution)
        return self._graders[variant]
