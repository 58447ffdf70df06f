"""The statistics against values worked by hand or by brute force, never by the code."""

import itertools
import math

import pytest

from derivations.analyse.statistics import (
    GroupPermutation,
    at_least,
    holm,
    landing_chance,
    mean_interval,
    pearson,
    poisson_at_least,
    ranks,
    spearman,
    t_quantile,
)


def test_pearson_of_a_worked_example():
    # x = 1..5, y = 2, 4, 5, 4, 5: sxy = 6, sxx = 10, syy = 6 -> r = 6 / sqrt(60)
    assert pearson([1, 2, 3, 4, 5], [2, 4, 5, 4, 5]) == pytest.approx(6 / math.sqrt(60))
    assert pearson([1, 1, 1], [1, 2, 3]) is None  # no spread: undefined, not 0


def test_ranks_share_ties_and_spearman_is_one_for_a_monotone_map():
    assert ranks([10, 20, 20, 5]) == [2, 3.5, 3.5, 1]
    assert spearman([1, 2, 3, 4], [1, 8, 27, 64]) == pytest.approx(1)


@pytest.mark.parametrize(("p", "df", "table"), [(0.975, 10, 2.228), (0.975, 4, 2.776),
                                                (0.95, 30, 1.697), (0.995, 2, 9.925)])
def test_t_quantile_matches_the_printed_table(p, df, table):
    assert t_quantile(p, df) == pytest.approx(table, abs=6e-4)


def test_mean_interval_of_a_worked_example():
    # 2, 4, 6: mean 4, s = 2, t(0.975, 2) = 4.303 -> 4 +- 4.303 * 2 / sqrt(3)
    low, high = mean_interval([2, 4, 6])
    assert (low, high) == pytest.approx((4 - 4.303 * 2 / math.sqrt(3),
                                         4 + 4.303 * 2 / math.sqrt(3)), abs=1e-3)
    assert mean_interval([1.0]) is None


def test_holm_steps_down_and_stays_monotone():
    # sorted 0.01, 0.02, 0.04 of 3: 0.03, 0.04, 0.04 (kept from falling)
    assert holm({"a": 0.04, "b": 0.01, "c": 0.02}) == pytest.approx(
        {"b": 0.03, "c": 0.04, "a": 0.04})


def test_the_poisson_binomial_tail_by_brute_force():
    rates = [0.1, 0.3, 0.05, 0.5]
    for count in range(6):
        brute = 0.0
        for outcome in itertools.product((0, 1), repeat=4):
            if sum(outcome) >= count:
                brute += math.prod(r if o else 1 - r for r, o in zip(rates, outcome, strict=False))
        assert at_least(rates, count) == pytest.approx(brute)


def test_the_poisson_tail_by_direct_sum():
    for mean_, count in ((0.2, 3), (4.0, 2), (50.0, 60), (1e-3, 4)):
        direct = math.fsum(math.exp(-mean_ + k * math.log(mean_) - math.lgamma(k + 1))
                           for k in range(count, 400))
        assert poisson_at_least(mean_, count) == pytest.approx(direct, rel=1e-9)
    assert poisson_at_least(0.0, 1) == 0.0


def test_landing_chance_is_the_window_share_of_four_decades():
    assert landing_chance(0.01) == pytest.approx(math.log(1.01 / 0.99) / math.log(1e4))


def test_the_permutation_test_separates_groups_and_not_equal_ones():
    apart = GroupPermutation({"a": [0.9, 0.8, 0.85, 0.95, 0.9], "b": [0.2, 0.3, 0.25, 0.1, 0.2],
                              "c": [0.9, 0.85, 0.8, 0.9, 0.95]}, 999)
    assert apart.p_value < 0.01
    assert apart.group_p["b"] < 0.01 and apart.group_p["a"] > 0.05
    same = GroupPermutation({"a": [0.1, 0.5, 0.9, 0.3, 0.7], "b": [0.7, 0.3, 0.9, 0.5, 0.1]}, 999)
    assert same.p_value == 1.0  # identical groups: every shuffle is at least as extreme


def test_the_spearman_test_finds_a_monotone_link_and_not_noise():
    from derivations.analyse.statistics import spearman_test

    xs = list(range(12))
    rho, p = spearman_test(xs, [x**3 for x in xs], 999)
    assert rho == pytest.approx(1) and p < 0.01
    rho, p = spearman_test(xs, [5, 1, 9, 3, 7, 0, 11, 2, 8, 4, 10, 6], 999)
    assert p > 0.05
