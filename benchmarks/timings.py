"""Timed operations other than pages, each the median of several runs, with an optional budget.

Each function takes the BenchContext and returns the seconds one run took (the function times
what it means to measure, leaving out its own setting up). Registered below: the MoU's render
and seal (agreements.bench, a throwaway signed agreement in a rolled-back transaction).
"""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Timing:
    key: str
    title: str
    run: Callable  # (BenchContext) -> seconds of one run
    budget: float | None = None  # seconds, for the median
    repeat: int = 5
    unavailable: Callable[[], str] | None = None  # why it cannot run here ("" when it can)


TIMINGS: list[Timing] = []


def register(timing: Timing) -> None:
    TIMINGS[:] = [t for t in TIMINGS if t.key != timing.key] + [timing]


def seconds(action: Callable[[], object]) -> float:
    """Return how long `action()` takes, in seconds."""
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def measure(timing: Timing, ctx) -> dict:
    """Run a timing `repeat` times; return its runs and median (or why it was skipped)."""
    reason = timing.unavailable() if timing.unavailable else ""
    if reason:
        return {
            "key": timing.key,
            "title": timing.title,
            "skipped": reason,
            "budget": timing.budget,
        }
    runs = [timing.run(ctx) for _ in range(timing.repeat)]
    return {
        "key": timing.key,
        "title": timing.title,
        "runs": runs,
        "median": statistics.median(runs),
        "budget": timing.budget,
    }


def _mou(part: str) -> Callable:
    def run(ctx) -> float:
        from agreements.bench import bench_render_and_seal

        return bench_render_and_seal()[part]

    return run


register(Timing("mou_render", "MoU PDF render", _mou("render_seconds"), budget=1.0))
register(Timing("mou_seal", "MoU PDF seal (PAdES signature)", _mou("seal_seconds")))


def _sealed(ctx) -> float:
    from .sealing import seconds_to_sealed

    return seconds_to_sealed(ctx)


def _sealing_unavailable() -> str:
    from .sealing import unavailable

    return unavailable()


register(
    Timing(
        "mou_sealed",
        "Last signature to sealed PDF, real Celery worker",
        _sealed,
        budget=10.0,
        repeat=3,
        unavailable=_sealing_unavailable,
    )
)
