"""Work on forked processes, taken back in order."""

from __future__ import annotations

import os

import pytest

from derivations.variants.parallel import PARALLEL_FROM, cores, in_order, workers


def _squares(numbers: list[int]) -> list[tuple[int, int]]:
    return [(n * n, os.getpid()) for n in numbers]


def test_results_come_back_in_order_with_their_labels_and_empty_batches_skip_workers():
    batches = [(f"b{k}", list(range(3 * k, 3 * k + 3)) if k % 3 else []) for k in range(12)]
    results = list(in_order(_squares, batches, 2))
    assert [label for label, _ in results] == [f"b{k}" for k in range(12)]
    for (_, batch), (_, found) in zip(batches, results, strict=True):
        assert [value for value, _ in found] == [n * n for n in batch]
    pids = {pid for _, found in results for _, pid in found}
    assert os.getpid() not in pids and pids  # computed in workers, not here


def test_closing_early_stops_taking_batches():
    taken = []

    def batches():
        for k in range(1000):
            taken.append(k)
            yield k, [k]

    results = in_order(_squares, batches(), 2)
    assert next(results)[0] == 0
    results.close()
    assert len(taken) < 50  # only what was queued ahead


def test_a_failure_in_a_worker_is_raised_here():
    with pytest.raises(ZeroDivisionError):
        list(in_order(_divide, [(0, [1]), (1, [0])], 2))


def _divide(numbers: list[int]) -> list[float]:
    return [1 / n for n in numbers]


def test_worker_counts():
    assert workers(3, 5) == 3
    assert workers(0, PARALLEL_FROM - 1) == 1
    assert workers(0, PARALLEL_FROM) == cores() >= 1
