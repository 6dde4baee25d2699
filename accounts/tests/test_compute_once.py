"""A cached value is worked out once per change: concurrent first readers wait for the one
computation, and a cache that cannot be reached degrades to computing (#24.4)."""

import threading
import time
import types

import pytest
from django.core.cache import cache

from accounts import caching
from config.cache import DegradingRedisCache

SLOW = 5.0  # seconds a test waits for threads before giving up (never reached when it passes)


class Waiters:
    """Records the threads that waited for a lock (slept in compute_once's polling loop)."""

    def __init__(self, monkeypatch):
        self.threads = set()
        self._lock = threading.Lock()
        real_sleep = time.sleep

        def sleep(seconds):
            with self._lock:
                self.threads.add(threading.get_ident())
            real_sleep(seconds)

        # Only accounts.caching's clock is replaced: the test's own waiting is not recorded.
        clock = types.SimpleNamespace(monotonic=time.monotonic, sleep=sleep)
        monkeypatch.setattr(caching, "time", clock)

    def until(self, count):
        deadline = time.monotonic() + SLOW
        while len(self.threads) < count and time.monotonic() < deadline:
            time.sleep(0.005)
        return len(self.threads)


class SlowFigure:
    """A computation that blocks until released, counting how often it ran."""

    def __init__(self, fail_first=False):
        self.calls = 0
        self.started = threading.Event()
        self.release = threading.Event()
        self.fail_first = fail_first
        self._lock = threading.Lock()

    def __call__(self):
        with self._lock:
            self.calls += 1
            call = self.calls
        self.started.set()
        self.release.wait(SLOW)
        if self.fail_first and call == 1:
            raise RuntimeError("the database went away")
        return f"figures {call}"


def _read(results, errors):
    def read():
        try:
            results.append(caching.cached("dashboards", 7, ("tiers",), figure_holder["figure"]))
        except RuntimeError as error:
            errors.append(error)

    return read


figure_holder = {}


def _four_readers_at_once(figure, waiters):
    """The first reader starts computing; three more arrive while it does; then it finishes."""
    cache.clear()
    figure_holder["figure"] = figure
    results, errors = [], []
    first = threading.Thread(target=_read(results, errors))
    first.start()
    assert figure.started.wait(SLOW)
    others = [threading.Thread(target=_read(results, errors)) for _ in range(3)]
    for thread in others:
        thread.start()
    waiting = waiters.until(3)
    figure.release.set()
    for thread in [first, *others]:
        thread.join(SLOW)
    return waiting, results, errors


def test_concurrent_first_readers_wait_for_one_computation(monkeypatch):
    waiters = Waiters(monkeypatch)
    figure = SlowFigure()
    waiting, results, errors = _four_readers_at_once(figure, waiters)
    assert waiting == 3  # the three later readers missed and waited for the lock
    assert figure.calls == 1
    assert results == ["figures 1"] * 4 and not errors
    # ...and the value is stored: a fifth reader computes nothing.
    assert caching.cached("dashboards", 7, ("tiers",), figure) == "figures 1"
    assert figure.calls == 1


def test_without_compute_once_every_first_reader_computes(settings):
    """CACHE_COMPUTE_ONCE off (the benchmark's "before"): four readers missing at once each
    work the value out; nobody waits."""
    settings.CACHE_COMPUTE_ONCE = False
    cache.clear()
    figure = SlowFigure()
    figure_holder["figure"] = figure
    results, errors = [], []
    readers = [threading.Thread(target=_read(results, errors)) for _ in range(4)]
    for thread in readers:
        thread.start()
    deadline = time.monotonic() + SLOW
    while figure.calls < 4 and time.monotonic() < deadline:
        time.sleep(0.005)
    assert figure.calls == 4  # all four are computing at the same time
    figure.release.set()
    for thread in readers:
        thread.join(SLOW)
    assert sorted(results) == [f"figures {n}" for n in range(1, 5)] and not errors


def test_when_the_computing_reader_fails_one_waiter_computes_for_the_others(monkeypatch):
    waiters = Waiters(monkeypatch)
    figure = SlowFigure(fail_first=True)
    waiting, results, errors = _four_readers_at_once(figure, waiters)
    assert waiting == 3
    assert len(errors) == 1  # the first reader's own error, as without a cache
    assert figure.calls == 2
    assert results == ["figures 2"] * 3


def test_a_lock_held_too_long_is_not_waited_for_beyond_the_wait():
    cache.clear()
    cache.add("lock:stuck", "another reader", timeout=60)
    started = time.monotonic()
    assert caching.compute_once("stuck", lambda: "mine", timeout=60, wait=0.05) == "mine"
    assert time.monotonic() - started < 1.0
    assert cache.get("lock:stuck") == "another reader"  # not ours to release


def test_the_lock_is_let_go_after_computing():
    cache.clear()
    assert caching.compute_once("figure", lambda: 42, timeout=60) == 42
    assert cache.get("lock:figure") is None
    assert cache.get("figure") == 42


class DownCache:
    """A cache backend whose every operation fails as an unreachable Redis does."""

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("Redis is down")

        return fail


def test_a_cache_that_raises_degrades_to_computing(monkeypatch):
    monkeypatch.setattr(caching, "cache", DownCache())
    calls = []
    assert caching.cached("dashboards", 7, (), lambda: calls.append(1) or "figures") == "figures"
    assert caching.compute_once("k", lambda: calls.append(1) or "again", timeout=60) == "again"
    assert calls == [1, 1]


def test_the_production_cache_with_redis_stopped_degrades_to_computing(monkeypatch):
    stopped = DegradingRedisCache(
        "redis://127.0.0.1:9/0",  # the discard port: nothing answers
        {"OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}},
    )
    monkeypatch.setattr(caching, "cache", stopped)
    started = time.monotonic()
    assert caching.cached("dashboards", 7, (), lambda: "figures") == "figures"
    assert time.monotonic() - started < 3.0  # no waiting for a lock nobody holds


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()
