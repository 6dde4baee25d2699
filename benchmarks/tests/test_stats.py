"""The benchmark's arithmetic: percentiles, ratios to the floor page, budget checks."""

import math

import pytest

from benchmarks.stats import Check, Latency, combined_floor, percentile, ratio, summarise


def test_percentile_interpolates_between_ranks():
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile([4, 1, 3, 2], 0) == 1
    assert percentile([4, 1, 3, 2], 100) == 4
    assert percentile(range(1, 101), 95) == pytest.approx(95.05)
    assert percentile([7], 95) == 7


def test_percentile_refuses_nothing_and_nonsense():
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1], 101)


def test_summarise_counts_and_rates():
    latency = summarise([0.010, 0.020, 0.030, 0.040], errors=1, elapsed=2.0)
    assert latency.count == 4 and latency.errors == 1
    assert latency.p50 == pytest.approx(0.025)
    assert latency.p95 == pytest.approx(0.0385)
    assert latency.mean == pytest.approx(0.025)
    assert latency.per_second == 2.0


def test_summarise_of_no_success_is_nan_not_zero():
    latency = summarise([], errors=3, elapsed=1.0)
    assert latency.count == 0 and math.isnan(latency.p95)


def test_ratio_to_the_floor():
    assert ratio(0.030, 0.010) == pytest.approx(3.0)
    assert math.isnan(ratio(0.030, 0.0))
    assert math.isnan(ratio(math.nan, 0.01))
    assert math.isnan(ratio(0.01, None))


def test_floor_is_the_mean_of_its_runs_before_and_after():
    before = Latency(100, 0, 0.010, 0.020, 0.011, 10.0)
    after = Latency(80, 1, 0.012, 0.030, 0.013, 10.0)
    floor = combined_floor(before, after)
    assert floor.p50 == pytest.approx(0.011)
    assert floor.p95 == pytest.approx(0.025)
    assert floor.count == 180 and floor.errors == 1
    empty = Latency(0, 5, math.nan, math.nan, math.nan, 10.0)
    assert combined_floor(before, empty).p95 == pytest.approx(0.020)


def test_budgets_are_met_missed_or_not_measured():
    assert Check("p95", "School list", 2.9, 3.0).verdict == "met"
    assert Check("p95", "School list", 3.1, 3.0).verdict == "MISSED"
    assert Check("rps", "School list", 49.0, 50.0, at_most=False).verdict == "MISSED"
    assert Check("rps", "School list", 51.0, 50.0, at_most=False).verdict == "met"
    assert Check("p95", "Referral inbox", None, 3.0).verdict == "not measured"
    assert Check("p95", "School list", math.nan, 3.0).passed is None
