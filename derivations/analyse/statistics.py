"""The few statistics the analysis needs, in plain Python (no numpy or scipy).

Why by hand: each is a handful of lines from its textbook definition, and a class is
hundreds of students, not millions; pulling a numerical stack into the wheel for them
would cost every command its start-up. The definitions are cited where they are used.
Every random choice is seeded, so the same results give the same report.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

import mpmath

SEED = 20261203  # fixed: a report is reproducible, run to run and machine to machine


def mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values) if values else math.nan


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's r; None when either side does not vary (r is undefined there)."""
    if len(xs) < 3:
        return None
    mx, my = mean(xs), mean(ys)
    sxy = math.fsum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = math.fsum((x - mx) ** 2 for x in xs)
    syy = math.fsum((y - my) ** 2 for y in ys)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    return sxy / math.sqrt(sxx * syy)


def ranks(values: Sequence[float]) -> list[float]:
    """Ranks from 1, ties sharing their mean rank (for Spearman's rho)."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    found = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for position in range(start, end + 1):
            found[order[position]] = (start + end) / 2 + 1
        start = end + 1
    return found


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Spearman's rank correlation: Pearson's r of the ranks."""
    return pearson(ranks(xs), ranks(ys))


def spearman_test(xs: Sequence[float], ys: Sequence[float],
                  permutations: int = 4999) -> tuple[float, float] | None:
    """Spearman's rho and its two-sided permutation p-value (the ys shuffled, seeded);
    None when rho is undefined."""
    rho = spearman(xs, ys)
    if rho is None:
        return None
    rng = random.Random(SEED)
    shuffled = list(ys)
    beyond = 0
    for _ in range(permutations):
        rng.shuffle(shuffled)
        other = spearman(xs, shuffled)
        if other is not None and abs(other) >= abs(rho) - 1e-12:
            beyond += 1
    return rho, (1 + beyond) / (1 + permutations)


def t_quantile(probability: float, freedom: int) -> float:
    """The Student t quantile, by bisection on its distribution function (written with
    the regularised incomplete beta function, Abramowitz & Stegun 26.7.1)."""
    def cdf(t: float) -> float:
        x = freedom / (freedom + t * t)
        tail = float(mpmath.betainc(freedom / 2, 0.5, 0, x, regularized=True)) / 2
        return 1 - tail if t > 0 else tail

    low, high = -1e3, 1e3
    for _ in range(200):
        middle = (low + high) / 2
        if cdf(middle) < probability:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def mean_interval(values: Sequence[float], level: float = 0.95) -> tuple[float, float] | None:
    """The t confidence interval of a mean; None below 2 values."""
    count = len(values)
    if count < 2:
        return None
    centre = mean(values)
    spread = math.sqrt(math.fsum((v - centre) ** 2 for v in values) / (count - 1))
    half = t_quantile(1 - (1 - level) / 2, count - 1) * spread / math.sqrt(count)
    return centre - half, centre + half


class GroupPermutation:
    """A permutation test that groups of scores differ more than chance allows.

    The statistic is the between-group sum of squares (under permutation the total is
    fixed, so it orders the permutations exactly as the one-way ANOVA F does). The
    same shuffles give each group's own two-sided p-value for its mean against the
    whole class. p-values are (1 + as extreme) / (1 + permutations), never 0.
    """

    def __init__(self, groups: dict[str, list[float]], permutations: int = 4999) -> None:
        self.names = list(groups)
        self.sizes = [len(groups[n]) for n in self.names]
        pooled = [v for n in self.names for v in groups[n]]
        self.permutations = permutations
        total = math.fsum(pooled)
        self.grand = total / len(pooled)
        observed_sums = [math.fsum(groups[n]) for n in self.names]
        observed = self._between(observed_sums, total)
        deviations = [abs(s / k - self.grand) for s, k in zip(observed_sums, self.sizes,
                                                                strict=True)]
        rng = random.Random(SEED)
        beyond = 0
        group_beyond = [0] * len(self.names)
        shuffled = list(pooled)
        for _ in range(permutations):
            rng.shuffle(shuffled)
            sums, start = [], 0
            for size in self.sizes:
                sums.append(math.fsum(shuffled[start:start + size]))
                start += size
            if self._between(sums, total) >= observed - 1e-12:
                beyond += 1
            for index, (s, k) in enumerate(zip(sums, self.sizes, strict=True)):
                if abs(s / k - self.grand) >= deviations[index] - 1e-12:
                    group_beyond[index] += 1
        self.p_value = (1 + beyond) / (1 + permutations)
        self.group_p = {n: (1 + b) / (1 + permutations)
                        for n, b in zip(self.names, group_beyond, strict=True)}

    def _between(self, sums: list[float], total: float) -> float:
        return math.fsum(s * s / k for s, k in zip(sums, self.sizes, strict=True)) \
            - total * total / sum(self.sizes)


def holm(p_values: dict[str, float]) -> dict[str, float]:
    """Holm's step-down adjustment (Holm 1979): each p-value as a family-wise one."""
    order = sorted(p_values, key=lambda n: p_values[n])
    adjusted: dict[str, float] = {}
    running = 0.0
    for rank, name in enumerate(order):
        running = max(running, min(1.0, (len(order) - rank) * p_values[name]))
        adjusted[name] = running
    return adjusted


def at_least(rates: Sequence[float], count: int) -> float:
    """P(at least `count` successes) of independent trials with these rates (the
    Poisson binomial tail, by the exact recurrence over trials)."""
    chances = [1.0] + [0.0] * len(rates)
    for rate in rates:
        for k in range(len(chances) - 1, 0, -1):
            chances[k] = chances[k] * (1 - rate) + chances[k - 1] * rate
        chances[0] *= 1 - rate
    return min(1.0, math.fsum(chances[count:]))


#: A wrong value nothing explains is taken to fall anywhere within two decades either
#: side of the right one, uniformly in its logarithm: the chance model of a value
#: meeting another by accident (wide on purpose: a narrower range would make chance
#: meetings look rarer than they are).
SPREAD_DECADES = 4


def landing_chance(tolerance: float) -> float:
    """The chance that such a value falls within `tolerance` of one given value."""
    tolerance = min(tolerance, 0.99)
    return min(1.0, math.log((1 + tolerance) / (1 - tolerance))
               / (SPREAD_DECADES * math.log(10)))


def poisson_at_least(expected: float, count: int) -> float:
    """P(N >= count) for N Poisson with mean `expected`."""
    if count <= 0:
        return 1.0
    if expected > 30:  # summed from below there, where the terms are large
        term, below = math.exp(-expected), 0.0
        for k in range(count):
            below += term
            term *= expected / (k + 1)
        return max(0.0, 1.0 - below)
    if expected <= 0:
        return 0.0
    term = math.exp(-expected + count * math.log(expected) - math.lgamma(count + 1))
    total, k = 0.0, count
    while term > 1e-300 and (term > total * 1e-17 or k < count + 5):
        total += term
        k += 1
        term *= expected / k
    return min(1.0, total)
