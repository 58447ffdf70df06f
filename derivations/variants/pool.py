"""A pool of sound variants: drawn in order, each solved by the engine and vetted.

A draw is refused, with the reason counted, when it repeats an earlier variant (on the
`distinct_by` givens), does not solve, breaks a `require` condition, has an answer more
sensitive than `max_elasticity`, or when two known mistakes of the grader give the same
wrong number for one answer by numeric coincidence (a coincidence that holds for every
draw, such as one LoRA matrix versus one byte per parameter, is structural: it is
reported once and not held against any draw).
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from derivations.errors import DerivationsError, VariantsError
from derivations.grade.grader import Grader
from derivations.grade.verdicts import close
from derivations.numbers import figures, text, to_decimal
from derivations.present.text import display_text
from derivations.sheet.expr import Parsed
from derivations.sheet.model import Sheet
from derivations.solver import engine
from derivations.solver.algebra import decide
from derivations.solver.solution import Solution
from derivations.variants.draw import draw, fixed
from derivations.variants.parallel import BATCH, in_order, workers

PROBES = 3  # draws that, with v00, tell a structural coincidence from a numeric one
ATTEMPTS_PER_VARIANT = 25
#: Draws after which a pool with no sound variant yet stops: an unsatisfiable `require`
#: with pool = 1000 once ran 25 000 full solves (36 CPU minutes) before saying so.
GIVE_UP_AFTER = 200





@dataclass
class Variant:
    """A dealt variant: its givens, its answers as released, and its solution.

    The solution is kept when the variant was vetted in this process and solved again
    on first use when a worker process vetted it (only PDFs need the steps)."""

    id: str             # v00 is the sheet as written; v01 ... are drawn
    index: int          # the draw number it came from (0 for v00)
    givens: dict[str, str]
    answers: dict[str, dict[str, Any]]  # answer id -> {"value", "unit", "display"}
    sheet: Sheet
    solved: Solution | None = None

    @property
    def solution(self) -> Solution:
        if self.solved is None:
            drawn = self.sheet if self.index == 0 else draw(self.sheet, self.index)[0]
            self.solved = engine.solution_of(drawn, approximate=self.index > 0)
        return self.solved


def answers_json(solution: Solution) -> dict[str, dict[str, Any]]:
    """What a pool file records of each answer: its value in canonical units (a float,
    a list, or true/false), the unit, and the display students see."""
    return {aid: {"value": a.as_float(), "unit": a.unit, "display": display_text(a)}
            for aid, a in solution.answers.items()}


@dataclass
class Outcome:
    """What one draw gave: a variant, or why not."""

    index: int
    givens: dict[str, str]
    solution: Solution | None = None
    reason: str = ""            # empty when the draw is sound
    detail: str = ""
    coincidences: frozenset[tuple[str, str, str]] = frozenset()
    ambiguous: tuple[str, ...] = ()  # coincidences of this draw only (named both)
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)  # of a sound draw


@dataclass
class Pool:
    variants: list[Variant]
    rejected: Counter = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)  # reason -> one detail
    structural: list[str] = field(default_factory=list)
    draws: int = 0
    drawn: dict[str, Counter] = field(default_factory=dict)  # random given -> values drawn
    ambiguous: list[str] = field(default_factory=list)  # "v07 E4.bytes: a and b"

    def dealt(self, name: str) -> Counter:
        """How often each value of a random given was dealt (v01 ..., not v00)."""
        return Counter(v.givens[name] for v in self.variants[1:])


def used_random_givens(sheet: Sheet, solution: Solution) -> None:
    """Every random given must feed some answer (else drawing it changes nothing)."""
    used_names = set()
    for key in solution.used_givens:
        parts = key.split(".")  # given.N or problems.E1.given.N
        used_names.add(parts[-1] if parts[0] == "given" else f"{parts[1]}.{parts[-1]}")
    for random in sheet.random:
        if random.name not in used_names:
            raise VariantsError(f"{sheet.file}:{sheet.line_of(random.key) or ''}: "
                                f"[{random.key}] no ask uses the given {random.name!r}; drawing "
                                "it would not change any answer".replace(":: ", ": "))


def coincidences(solution: Solution) -> frozenset[tuple[str, str, str]]:
    """(answer, mistake, mistake) pairs whose wrong values a grader cannot tell apart.

    A mistake that happens to give the right value is not counted: the grader marks
    the right value correct first, so no explanation of a wrong answer depends on it."""
    found: set[tuple[str, str, str]] = set()
    for aid, key in Grader(solution, mistakes_only=True).keys.items():
        if key.kind != "number":
            continue
        tolerance = max(key.tolerance, key.slip_tolerance)
        named = list({(v.diagnosis + (f"@{v.where}" if v.where else ""), v.value)
                      for v in key.slips if math.isfinite(v.value)})
        for i, (first, a) in enumerate(named):
            if close(a, key.expected, key.tolerance):
                continue
            for second, b in named[i + 1:]:
                if first != second and close(a, b, tolerance) \
                        and not close(b, key.expected, key.tolerance):
                    found.add((aid, min(first, second), max(first, second)))
    return frozenset(found)


def vet(sheet: Sheet, index: int, structural: frozenset | None = None) -> Outcome:
    """Draw variant `index` (0: the sheet as written) and judge it."""
    spec = sheet.variants
    assert spec is not None
    drawn, givens = (sheet, fixed(sheet)) if index == 0 else draw(sheet, index)
    outcome = Outcome(index, givens)
    try:
        solution = engine.solution_of(drawn, approximate=index > 0)
    except DerivationsError as exc:
        outcome.reason, outcome.detail = "does not solve", str(exc).split("\n")[0]
        return outcome
    outcome.solution = solution
    for condition, parsed in spec.require:
        if not holds(solution, parsed):
            outcome.reason, outcome.detail = f"require {condition}", givens_text(givens)
            return outcome
    for answer in solution.answers.values():
        worst = max((abs(s.elasticity) for s in answer.sensitivities), default=0.0)
        if worst > spec.max_elasticity:
            outcome.reason = "max_elasticity"
            outcome.detail = (f"{answer.id} has elasticity {text(figures(worst, 3))} "
                              f"({givens_text(givens)})")
            return outcome
    outcome.coincidences = coincidences(solution)
    if structural is not None:
        # Two known mistakes that give the same wrong value in this draw only: the grader
        # names both ("Either ... Or ..."). Refusing such draws once emptied a choice:
        # every fp16 draw of b_w was refused and all 30 dealt variants were fp32.
        outcome.ambiguous = tuple(f"{aid}: {first} and {second}" for aid, first, second
                                  in sorted(outcome.coincidences - structural))
    outcome.answers = answers_json(solution)
    return outcome


def holds(solution: Solution, parsed: Parsed) -> bool:
    """A `require` condition, evaluated against a solved variant.

    Answers enter as 30-digit numbers (their decimals are already cached from display):
    `decide` compares at 30 digits anyway, and evaluating a nested exact radical again
    would cost more than solving the variant did.
    """
    solver = engine.Solver(solution.sheet)
    for aid, answer in solution.answers.items():
        if isinstance(answer.value, sp.Expr) and not answer.value.is_Rational:
            answer = dataclasses.replace(answer, value=sp.Float(to_decimal(answer.value, 30),
                                                                30))
        solver.answers[aid] = answer
    solver.given_values.update(solution.given_values)
    try:
        relation = parsed.build(lambda name: solver.lookup(name, None))
    except DerivationsError as exc:
        sheet = solution.sheet
        line = sheet.line_of("variants.require")
        raise VariantsError(f"{sheet.file}:{line or ''}: [variants.require] {parsed.text!r}: "
                            f"{exc}".replace(":: ", ": ")) from None
    return decide(relation) is True


def givens_text(givens: dict[str, str]) -> str:
    return ", ".join(f"{n} = {v}" for n, v in givens.items())


def structural_coincidences(sheet: Sheet, first: Outcome) -> frozenset:
    """Coincidences present in v00 and in the first probe draws that solve."""
    common = set(first.coincidences)
    probed = 0
    for index in range(1, 10 * PROBES + 1):
        if probed == PROBES or not common:
            break
        outcome = vet(sheet, index)
        if outcome.solution is not None and not outcome.reason:
            common &= outcome.coincidences
            probed += 1
    return frozenset(common)


def build_pool(sheet: Sheet, size: int | None = None,
               progress: Callable[[int], None] | None = None, jobs: int = 0) -> Pool:
    """v00 (the sheet as written) and `size` distinct sound drawn variants v01 ...

    `jobs`: processes that vet draws (0: one per available core, for pools of at least
    `PARALLEL_FROM` variants). The pool is the same whatever the number.

    Raises:
        VariantsError: fewer sound variants exist than asked (with the numbers).
    """
    wanted = _wanted(sheet, size)
    spec = sheet.variants
    assert spec is not None
    first = vet(sheet, 0)
    if first.solution is None:
        raise VariantsError(f"the sheet as written does not solve: {first.detail}")
    used_random_givens(sheet, first.solution)
    structural = structural_coincidences(sheet, first)
    pool = Pool([Variant("v00", 0, first.givens, first.answers, sheet, first.solution)],
                structural=[f"{a}: {m} and {n}" for a, m, n in sorted(structural)])
    seen = {tuple(first.givens[n] for n in spec.distinct_by)}
    index = 0
    limit = ATTEMPTS_PER_VARIANT * wanted + 50
    draws = drawn_outcomes(sheet, seen, structural, limit, workers(jobs, wanted))
    for outcome in draws:
        index = outcome.index
        if not outcome.reason and tuple(outcome.givens[n] for n in spec.distinct_by) in seen:
            outcome = Outcome(index, outcome.givens, reason="same as an earlier variant",
                              detail=givens_text(outcome.givens))  # vetted ahead, in a batch
        for name, value in outcome.givens.items():
            pool.drawn.setdefault(name, Counter())[value] += 1
        if outcome.reason:
            pool.rejected[outcome.reason] += 1
            pool.examples.setdefault(outcome.reason, outcome.detail)
            if index >= GIVE_UP_AFTER and len(pool.variants) == 1:
                pool.draws = index
                draws.close()
                raise VariantsError(shortfall(sheet, pool, wanted) + f"; stopped: the first "
                                    f"{index} draws were all refused")
            continue
        seen.add(tuple(outcome.givens[n] for n in spec.distinct_by))
        vid = f"v{len(pool.variants):02d}"
        pool.variants.append(Variant(vid, index, outcome.givens, outcome.answers, sheet,
                                     outcome.solution))
        pool.ambiguous += [f"{vid} {item}" for item in outcome.ambiguous]
        if progress is not None:
            progress(1)
        if len(pool.variants) > wanted:
            draws.close()
            break
    pool.draws = index
    if len(pool.variants) <= wanted:
        raise VariantsError(shortfall(sheet, pool, wanted))
    _refuse_collapsed(sheet, pool)
    return pool


def _wanted(sheet: Sheet, size: int | None) -> int:
    """The number of variants to deal, once the sheet is known to allow that many."""
    spec = sheet.variants
    if spec is None:
        raise VariantsError(f"{sheet.file}: the sheet has no [random] and [variants] tables; "
                            "see docs/sheet-format.md")
    wanted = size or spec.pool
    space = math.prod(r.size for r in sheet.random if r.name in spec.distinct_by)
    if space < wanted + 1:
        raise VariantsError(f"{sheet.file}: only {space} distinct combinations of "
                            f"{', '.join(spec.distinct_by)} exist, {wanted} variants (and v00) "
                            "are asked for: widen the ranges or lower [variants] pool")
    return wanted


def _refuse_collapsed(sheet: Sheet, pool: Pool) -> None:
    """An error, located, when a given or a claim stopped varying (see `collapsed`)."""
    stuck = collapsed(sheet, pool)
    if stuck:
        line = sheet.line_of(stuck[0].split("]", 1)[0].lstrip("[")) if \
            stuck[0].startswith("[") else None
        where = f"{sheet.file}:{line}" if line else sheet.file
        raise VariantsError(f"{where}: " + "; ".join(stuck) + ". Nothing was written: "
                            "widen [random], relax [variants] require or max_elasticity, or "
                            "list the name in [variants] constant if one value is meant")


#: Draws of a random given's other values, all refused, that make one dealt value an
#: error rather than the luck of a small pool.
REFUSED_TO_COLLAPSE = 3


def collapsed(sheet: Sheet, pool: Pool) -> list[str]:
    """What stopped varying across the dealt variants: a random given drawn with several
    values but dealt with one (every draw of the others refused: `b_w` drew fp16 and
    fp32, and every fp16 draw was refused), and a comparison claim with one verdict in
    every variant. Names in `[variants] constant` are allowed to."""
    spec = sheet.variants
    assert spec is not None
    found: list[str] = []
    if len(pool.variants) < 3:
        return found  # one or two dealt variants cannot show a spread
    for name, drawn in pool.drawn.items():
        dealt = pool.dealt(name)
        refused = sum(count for value, count in drawn.items() if value not in dealt)
        # every draw of the other values refused, and often enough not to be chance
        if len(dealt) == 1 and refused >= REFUSED_TO_COLLAPSE and name not in spec.constant:
            (value,) = dealt
            reasons = ", ".join(f"{n} {r}" for r, n in pool.rejected.most_common(2))
            found.append(f"[random.{name}] drew {len(drawn)} values but every dealt variant "
                         f"has {value} (rejected draws: {reasons or 'none'})")
    for aid in pool.variants[0].solution.answers:
        claim = sheet.ask(aid)
        if claim.truth is None or claim.truth.holds is None:
            continue  # a stated verdict does not depend on the numbers
        verdicts = {v.answers[aid]["value"] for v in pool.variants[1:]}
        if len(verdicts) == 1 and aid not in spec.constant:
            found.append(f"claim {aid} is {'true' if verdicts.pop() else 'false'} in every "
                         "dealt variant")
    return found



def judged(sheet: Sheet, index: int, seen: set, structural: frozenset) -> Outcome:
    """A draw, refused at once when it repeats an earlier variant (no solving needed)."""
    spec = sheet.variants
    assert spec is not None
    _, givens = draw(sheet, index)
    if tuple(givens[n] for n in spec.distinct_by) in seen:
        return Outcome(index, givens, reason="same as an earlier variant",
                       detail=givens_text(givens))
    return vet(sheet, index, structural)


def drawn_outcomes(sheet: Sheet, seen: set, structural: frozenset, limit: int,
                   jobs: int) -> Generator[Outcome, None, None]:
    """The outcomes of draws 1, 2 ... `limit`, in order, vetted on `jobs` processes.

    The caller adds accepted variants to `seen` as it goes. Workers vet each draw
    whose `distinct_by` givens no earlier draw had; a draw that repeats an earlier
    one is judged here at its turn (refused at once if that one was accepted), so
    no worker solves a repeat the serial run would not (see `derivations.variants.parallel`).
    """
    if jobs <= 1:
        for index in range(1, limit + 1):
            yield judged(sheet, index, seen, structural)
        return
    spec = sheet.variants
    assert spec is not None
    _SHARED.update(sheet=sheet, structural=structural)
    earlier = set(seen)

    def batches() -> Iterator[tuple[range, list[int]]]:
        """Each batch of draw numbers, with those no earlier draw repeats."""
        for start in range(1, limit + 1, BATCH):
            numbers = range(start, min(start + BATCH, limit + 1))
            firsts = []
            for index in numbers:
                key = tuple(draw(sheet, index)[1][n] for n in spec.distinct_by)
                if key not in earlier:
                    earlier.add(key)
                    firsts.append(index)
            yield numbers, firsts

    vetted = in_order(_vet_batch, batches(), jobs)
    try:
        for numbers, outcomes in vetted:
            by_index = {outcome.index: outcome for outcome in outcomes}
            for index in numbers:
                yield by_index[index] if index in by_index else judged(sheet, index, seen,
                                                                       structural)
    finally:
        vetted.close()


def vetted_draws(sheet: Sheet, structural: frozenset, draws: int, jobs: int
                 ) -> Generator[Outcome, None, None]:
    """Draws 1 ... `draws`, each vetted (no repeats refused: `--stress` counts them
    all), in order, on `jobs` processes."""
    if jobs <= 1:
        for index in range(1, draws + 1):
            yield vet(sheet, index, structural)
        return
    _SHARED.update(sheet=sheet, structural=structural)
    batches = ((None, list(range(start, min(start + BATCH, draws + 1))))
               for start in range(1, draws + 1, BATCH))
    vetted = in_order(_vet_batch, batches, jobs)
    try:
        for _, outcomes in vetted:
            yield from outcomes
    finally:
        vetted.close()


#: What forked workers inherit: the sheet and its structural coincidences.
_SHARED: dict[str, Any] = {}


def _vet_batch(indices: list[int]) -> list[Outcome]:
    """Vet draws in a worker; the steps are left behind (see `Variant.solution`)."""
    found = []
    for index in indices:
        outcome = vet(_SHARED["sheet"], index, _SHARED["structural"])
        outcome.solution = None
        found.append(outcome)
    return found


def shortfall(sheet: Sheet, pool: Pool, wanted: int) -> str:
    found = len(pool.variants) - 1
    reasons = ", ".join(f"{reason}: {count}" for reason, count in pool.rejected.most_common())
    top = pool.rejected.most_common(1)[0][0] if pool.rejected else "none"
    example = pool.examples.get(top, "")
    return (f"{sheet.file}: only {found} sound variants found in {pool.draws} draws, "
            f"{wanted} asked; rejected: {reasons}. Most rejected by {top!r}"
            + (f" (e.g. {example})" if example else ""))
