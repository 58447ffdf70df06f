"""The mistakes the grader names without a formula's help, beside the formulas' own.

A formula's `mistakes` are wrong equations of that formula (`forgot_layers`). The
grader also recognises slips that any answer can show: a power of ten, a factor of 2,
decimal for binary units, a count not rounded. A sheet's credit table
(`[grading.credit]`) may give credit for any of them, so the ids live here, beside the
library, where the sheet reader can check a table's keys without knowing the grader.
"""

from __future__ import annotations

#: id -> what it means (listed in docs/grading.md, which a test keeps complete).
GENERAL: dict[str, str] = {
    "power_of_ten": "off by a power of ten (10, 1000, 1e-3...)",
    "factor_of_2": "off by a factor of 2 or 1/2",
    "sign": "the right size with the wrong sign",
    "decimal_binary": "decimal and binary units mixed (GB for GiB, or the reverse)",
    "not_rounded": "a count left unrounded (26.875 GPUs for 27)",
    "given_from_other_problem": "a given of the same name taken from another problem",
    "reciprocal_factor": "divided by a factor the formula multiplies by, or the reverse",
    "wrong_dtype": "the bytes per parameter of another number format",
    "parameters_for_bytes": "a parameter count given where bytes were asked",
    "bytes_for_parameters": "bytes given where a parameter count was asked",
    "wrong_unit": "a unit of another quantity (seconds for bytes...)",
}

#: What a figures policy (`[grading] figures`) names on an answer right to its own
#: figures; a deduction (`overclaim`, `underclaim`), not a credit-table entry.
FIGURES: dict[str, str] = {
    "too_many_figures": "more significant figures than the policy supports",
    "too_few_figures": "fewer significant figures than the policy supports",
}

#: The credit table's key for a wrong answer no known mistake explains.
UNNAMED = "other"


def mistake_ids() -> set[str]:
    """Every id a diagnosis can have: the formulas' mistakes and the general ones."""
    from derivations.library import FORMULAS

    return {m.id for f in FORMULAS.values() for m in f.mistakes} | set(GENERAL)
