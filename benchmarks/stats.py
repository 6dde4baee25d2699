"""Pure arithmetic of the benchmarks: percentiles, summaries of latencies, ratios, budgets."""

import math
import statistics
from dataclasses import dataclass


def percentile(values, q: float) -> float:
    """Return the q-th percentile (0-100) by linear interpolation between ranks (numpy's default).

    percentile([1, 2, 3, 4], 50) is 2.5; percentile([10], 95) is 10.
    """
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError("q must be between 0 and 100")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = math.ceil(position)
    if low == high:
        return float(ordered[low])
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class Latency:
    """What a load run measured for one page, in seconds."""

    count: int
    errors: int
    p50: float
    p95: float
    mean: float
    elapsed: float  # wall time of the measured run

    @property
    def per_second(self) -> float:
        return self.count / self.elapsed if self.elapsed else 0.0

    def as_dict(self) -> dict:
        return {
            "count": self.count,
            "errors": self.errors,
            "p50": self.p50,
            "p95": self.p95,
            "mean": self.mean,
            "elapsed": self.elapsed,
            "per_second": self.per_second,
        }


def summarise(latencies, *, errors: int = 0, elapsed: float) -> Latency:
    """Summarise the latencies of successful requests of a run."""
    if not latencies:
        return Latency(0, errors, math.nan, math.nan, math.nan, elapsed)
    return Latency(
        count=len(latencies),
        errors=errors,
        p50=percentile(latencies, 50),
        p95=percentile(latencies, 95),
        mean=statistics.fmean(latencies),
        elapsed=elapsed,
    )


def ratio(value: float, floor: float) -> float:
    """Return value / floor; NaN when either is missing or the floor is not positive."""
    if value is None or floor is None or math.isnan(value) or math.isnan(floor) or floor <= 0:
        return math.nan
    return value / floor


def combined_floor(before: Latency, after: Latency) -> Latency:
    """Return the floor page's figures as the mean of its runs before and after the pages.

    The floor is measured twice, first and last, so a machine that slows down during the run
    (other work on it) moves the floor with the pages it is compared to.
    """
    runs = [run for run in (before, after) if run.count]
    if not runs:
        return before
    return Latency(
        count=sum(r.count for r in runs),
        errors=before.errors + after.errors,
        p50=statistics.fmean(r.p50 for r in runs),
        p95=statistics.fmean(r.p95 for r in runs),
        mean=statistics.fmean(r.mean for r in runs),
        elapsed=sum(r.elapsed for r in runs),
    )


@dataclass(frozen=True)
class Check:
    """One budget: what was measured against its limit."""

    budget: str
    subject: str
    value: float | None
    limit: float
    at_most: bool = True  # False: the value must be at least the limit
    unit: str = ""
    note: str = ""

    @property
    def passed(self) -> bool | None:
        """True or False; None when nothing was measured."""
        if self.value is None or (isinstance(self.value, float) and math.isnan(self.value)):
            return None
        return self.value <= self.limit if self.at_most else self.value >= self.limit

    @property
    def verdict(self) -> str:
        return {True: "met", False: "MISSED", None: "not measured"}[self.passed]
