"""Write the synthetic classes of the shipped `derive analyse` examples (make build).

A class is generated (`derivations.analyse.simulate`), never real students, from a
week-4 pool: 4 students of 200 copy every answer from another variant and v07 is made
harder; in genai_week4, 10% of the class also computes E1.C as 6 N^2 (N where D
belongs, a mistake the sheet does not list). The example reports show what the
analysis finds of it.

Usage: python scripts/example_class.py SHEET POOL OUT.csv
"""

from __future__ import annotations

import sys
from pathlib import Path

from derivations.analyse.known import known_variants, pool_variants
from derivations.analyse.simulate import Plan, simulated_class
from derivations.pipeline import solve_file


def n_for_d(inputs: dict[str, float]) -> float:
    return 6 * inputs["N"] * inputs["N"]


def main(sheet: Path, pool: Path, out: Path) -> None:
    written = solve_file(sheet)
    known = known_variants(written.sheet, written, (pool, pool_variants(written.sheet, pool)))
    planted = {"E1.C": (n_for_d, 0.1)} if written.sheet.name == "genai_week4" else {}
    plan = Plan(students=200, copiers={5: "v03", 48: "v09", 97: "v01", 150: "v20"},
                planted=planted, harder={"v07": 0.3}, seed=2026)
    out.write_text(simulated_class(known, plan), encoding="utf-8")


if __name__ == "__main__":
    main(*map(Path, sys.argv[1:4]))
