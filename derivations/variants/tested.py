"""A pool's question tests on every core (`derive test`, `derive variants`).

Marking the tests of a variant needs its grader (its answer keys) and a few hundred
gradings; a pool of 1,000 variants is minutes on one core. The variants are marked in
batches by forked workers (`variants.parallel`), taken back in variant order, so the
report is the same whatever the number of processes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from derivations.grade.grader import Grader
from derivations.grade.question_tests import Results, check_variants, run, variant_results
from derivations.sheet.model import SheetTest
from derivations.variants.parallel import in_order, workers

BATCH = 4  # variants per task


def mark(sources: Mapping[str, Callable[[], Grader]], written: tuple[SheetTest, ...],
         generate: bool = True, step: Callable[[], None] | None = None,
         jobs: int = 0) -> Results:
    """`question_tests.run` on `jobs` processes (0: one per core for 100 variants or
    more)."""
    processes = workers(jobs, len(sources))
    if processes <= 1:
        return run(sources, written, generate, step)
    check_variants(sources, written)
    _SHARED.update(sources=sources, written=written, generate=generate)
    count = len(sources)
    batches = ((None, list(range(start, min(start + BATCH, count))))
               for start in range(0, count, BATCH))
    results = Results(variants=count)
    for _, found in in_order(_batch, batches, processes):
        for each in found:
            results.merge(each)
            if step is not None:
                step()
    return results


#: What forked workers inherit: the variants' grader sources and the tests.
_SHARED: dict[str, Any] = {}


def _batch(indices: list[int]) -> list[Results]:
    sources = _SHARED["sources"]
    vids = list(sources)
    return [variant_results(vids[i], sources[vids[i]](), _SHARED["written"],
                            _SHARED["generate"]) for i in indices]
