"""Timed operations other than pages, each the median of several runs, with an optional budget.

Each function takes the BenchContext and returns the seconds one run took (the function times
what it means to measure, leaving out its own setting up). Registered below: the MoU's render
and seal (benchmarks.mou_seal, a throwaway signed agreement in a rolled-back transaction).
"""

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


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
    try:
        runs = [timing.run(ctx) for _ in range(timing.repeat)]
    except Exception as error:  # noqa: BLE001 - one failed timing must not lose the whole run
        return {
            "key": timing.key,
            "title": timing.title,
            "skipped": f"failed: {type(error).__name__}: {error}",
            "budget": timing.budget,
        }
    return {
        "key": timing.key,
        "title": timing.title,
        "runs": runs,
        "median": statistics.median(runs),
        "budget": timing.budget,
    }


def _mou(part: str) -> Callable:
    def run(ctx) -> float:
        from benchmarks.mou_seal import bench_render_and_seal

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


# The first MoU a fresh process renders: Django set up, then (when warm) what the gunicorn
# and Celery start-up hooks do (config.warmup.warm_pdf), then one MoU rendered and timed.
FIRST_RENDER = """
import json, sys
import django
django.setup()
if sys.argv[1] == "warm":
    from config.warmup import warm_pdf
    warm_pdf()
from benchmarks.mou_seal import bench_render_and_seal
print(json.dumps(bench_render_and_seal()["render_seconds"]))
"""


def _first_render(warm: bool) -> Callable:
    def run(ctx) -> float:
        done = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
            [sys.executable, "-c", FIRST_RENDER, "warm" if warm else "cold"],
            cwd=Path(__file__).resolve().parent.parent,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        )
        return float(done.stdout.strip().splitlines()[-1])

    return run


register(
    Timing(
        "mou_first_render_warmed",
        "First MoU PDF render in a fresh worker process, warmed at start (config/warmup.py)",
        _first_render(warm=True),
        budget=1.0,
        repeat=3,
    )
)
register(
    Timing(
        "mou_first_render_cold",
        "First MoU PDF render in a fresh process without the warm-up (before; no budget)",
        _first_render(warm=False),
        repeat=3,
    )
)
