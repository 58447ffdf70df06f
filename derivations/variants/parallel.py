"""Work on every core, with results taken in order: vetting draws, typesetting
chunks of variants, marking question tests on each variant.

Why in order: a pool is defined by its draws taken one after another (a draw that
repeats an accepted variant is refused), so a parallel run must deal exactly the pool
a serial run deals. Workers vet batches of draw numbers ahead of need; the caller
consumes the outcomes in draw order and applies the same rules, so speculation only
ever costs work, never changes the pool.

Workers are forked, so they inherit the sheet and every cache the first draws warmed
(compiled closed forms, rearrangements) instead of rebuilding them. What comes back is
plain data made by this code (givens, reasons, answers as numbers and text); the
solution steps stay in the worker and are solved again only if PDFs need them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Generator, Iterable
from typing import Any

#: Pools smaller than this are vetted in one process: starting workers costs more.
PARALLEL_FROM = 100
BATCH = 8           # draws per task: enough to hide the hand-off, small enough to stop
AHEAD = 4           # tasks in flight per worker


def workers(jobs: int, wanted: int) -> int:
    """Processes to vet `wanted` draws: `jobs`, or (0) one per core for a large pool."""
    if jobs > 0:
        return jobs
    return cores() if wanted >= PARALLEL_FROM else 1


def cores() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def in_order(task: Callable[[list[int]], list[Any]], batches: Iterable[tuple[Any, list[int]]],
             jobs: int) -> Generator[tuple[Any, list[Any]], None, None]:
    """(label, `task(batch)`) for each (label, batch), on `jobs` forked processes, in
    order; batches are taken from `batches` only as workers need them, and an empty
    batch is answered without a worker.

    Closing the iterator (the pool is full) cancels the work not yet started and
    stops the workers.
    """
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor

    context = multiprocessing.get_context("fork")
    pending: list[tuple[Any, Future | None]] = []
    source = iter(batches)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        try:
            while True:
                while sum(f is not None for _, f in pending) < jobs * AHEAD:
                    item = next(source, None)
                    if item is None:
                        break
                    label, batch = item
                    pending.append((label, pool.submit(task, batch) if batch else None))
                if not pending:
                    return
                label, future = pending.pop(0)
                yield label, (future.result() if future is not None else [])
        except GeneratorExit:  # done early (the pool is full): drop the work queued
            for _, future in pending:
                if future is not None:
                    future.cancel()
            raise
        except BaseException:
            # A failure or an interrupt (Ctrl-C, SIGTERM): stop the workers now; a
            # typesetting one kills its TeX process group on the way out.
            pool.shutdown(wait=False, cancel_futures=True)
            for child in multiprocessing.active_children():
                child.terminate()
            raise
