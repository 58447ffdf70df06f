r"""`derive analyse`: its cost beside grading, and its detection figures (printed, never
asserted): `python benchmarks/analyse.py`.

  time        derive analyse on a 300-student class of the genai_week4 pool, against
              derive check grading the same class (a ratio in this one run)
  copying     over several generated classes with 4 copiers each: copiers found, and
              honest students flagged
  mistakes    two planted unlisted mistakes (10% of the class each): proposed with the
              right equation; classes of garbage values: proposals made
  variants    one variant made harder by a planted difference in the chance of a right
              answer (8 students per variant): how often it is flagged, and how often
              another variant is
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from derivations.analyse.report import analyse  # noqa: E402
from derivations.analyse.simulate import Plan, student_id  # noqa: E402
from tests.analyse.classes import Pool  # noqa: E402

SEEDS = range(5)


def n_for_d(inputs):  # noqa: ANN001, ANN201 - a planted mistake
    return 6 * inputs["N"] * inputs["N"]


def without_e(inputs):  # noqa: ANN001, ANN201
    return inputs["A"] / inputs["N"] ** inputs["alpha"] + inputs["B"] / inputs["D"] ** \
        inputs["beta"]


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        pool = Pool(Path(folder))
        start = time.perf_counter()
        path = pool.graded(Plan(students=300, seed=1), "timed")
        graded = time.perf_counter() - start
        start = time.perf_counter()
        analyse("t", pool.results(path), pool.known)
        analysed = time.perf_counter() - start
        print(f"time      analyse {analysed:.2f} s, check {graded:.2f} s on 300 students: "
              f"{analysed / graded:.2f} x")
        found = false = copiers = honest = 0
        proposed = garbage = 0
        for seed in SEEDS:
            plan = {5 + seed: "v10", 50: "v03", 90 + seed: "v22", 130: "v40"}
            path = pool.graded(Plan(students=200, copiers=plan, seed=100 + seed,
                                    planted={"E1.C": (n_for_d, 0.1),
                                             "E1.L": (without_e, 0.1)}), f"c{seed}")
            analysis = analyse("t", pool.results(path), pool.known, permutations=199)
            truth = {student_id(i): v for i, v in plan.items()}
            flagged = {f.student: f.source for f in analysis.copying.flags}
            found += sum(1 for s, v in truth.items() if flagged.get(s) == v)
            false += sum(1 for s in flagged if s not in truth)
            copiers += len(truth)
            honest += 200 - len(truth)
            names = {(p.answer, p.edit.name) for p in analysis.unknown.proposals}
            proposed += len(names & {("E1.C", "N_for_D"), ("E1.L", "dropped_term_E")})
            path = pool.graded(Plan(students=200, right=0.2, named=0.0, seed=200 + seed),
                               f"g{seed}")
            garbage += len(analyse("t", pool.results(path), pool.known,
                                   permutations=99).unknown.proposals)
        print(f"copying   {found}/{copiers} copiers found, {false} of {honest} honest "
              "students flagged")
        print(f"mistakes  {proposed}/{2 * len(SEEDS)} planted mistakes proposed; "
              f"{garbage} proposals from {len(SEEDS)} classes of garbage")
        for difference in (0.1, 0.2, 0.3):
            hit = other = 0
            for seed in SEEDS:
                path = pool.graded(Plan(students=41 * 8, harder={"v07": difference},
                                        seed=300 + seed), f"h{seed}")
                analysis = analyse("t", pool.results(path), pool.known, permutations=999)
                flags = {v.variant for v in analysis.fairness.variants if v.flag}
                hit += "v07" in flags
                other += len(flags - {"v07"})
            print(f"variants  planted difference {difference:.1f}: flagged in {hit}/"
                  f"{len(SEEDS)} classes; other variants flagged {other} times")


if __name__ == "__main__":
    main()
