"""Per-force caching with invalidation: one place for every cached figure or option list.

A cached value is filed under a *topic* (for example "dashboards" or "school-options") and a
force. Each (topic, force) pair has a generation token in the cache; the value's key contains
the token, so `invalidate(topic, force_id)` makes every value of that pair unreachable at once
(they then expire on their own). Writers call `invalidate_on_commit` from a `post_save` or
`post_delete` receiver: it invalidates at once and again when the transaction commits, so no
value worked out from data older than the commit survives it.

The timeout is a backstop for writes that bypass signals (`QuerySet.update`, bulk inserts):
nothing cached here is older than `timeout` seconds, and pages that show cached figures say
when they were worked out.

Each value is worked out once per change: the first reader to miss holds a short lock while
it computes, and readers who miss meanwhile wait for its value (`compute_once`). Without a
cache (Redis down) every reader computes for itself: slower, never an error.
"""

import hashlib
import logging
import time
import uuid
from collections.abc import Callable, Iterable
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import QueryDict

try:  # the Redis client's errors are not OSErrors
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover - redis is installed wherever Redis is used
    RedisError = OSError

logger = logging.getLogger(__name__)

# A cache that cannot be reached (Redis down, a timeout) is a miss on read and a no-op on write:
# pages then work their figures out from the database, and the outage is logged, never raised.
CACHE_ERRORS = (OSError, RedisError)  # OSError covers ConnectionError and TimeoutError

DEFAULT_TIMEOUT = 300
# A reader working a value out holds its lock at most this long (it expires on its own if the
# reader dies); the others wait for the value at most LOCK_WAIT seconds, asking every LOCK_POLL.
LOCK_TIMEOUT = 10
LOCK_WAIT = 10.0
LOCK_POLL = 0.02
EVERYTHING = "*"  # a topic every cached value is also filed under


def _generation_key(topic: str, force_id) -> str:
    return f"gen:{topic}:{force_id}"


def _generations(topics: Iterable[str], force_id) -> list[str]:
    """The current token of each topic for this force (one round trip), minting missing ones."""
    keys = [_generation_key(topic, force_id) for topic in topics]
    found = cache.get_many(keys)  # callers catch CACHE_ERRORS
    missing = {key: uuid.uuid4().hex for key in keys if key not in found}
    if missing:
        # add, not set: when two readers mint at once, the first one's token wins for both.
        for key, token in missing.items():
            if not cache.add(key, token, timeout=None):
                token = cache.get(key) or token
            found[key] = token
    return [found[key] for key in keys]


def cached(
    topics: str | Iterable[str],
    force_id,
    parts: Iterable,
    compute: Callable[[], object],
    *,
    timeout: int = DEFAULT_TIMEOUT,
):
    """Return `compute()`, cached for this force under `topics` and the key `parts`.

    `parts` names what else the value depends on (the scope, a filter, a date); it is hashed
    into the key, so it may be any sequence of values whose `repr` is stable.
    """
    topics = (topics,) if isinstance(topics, str) else tuple(topics)
    sentinel = object()
    try:
        tokens = _generations((*topics, EVERYTHING), force_id)
        digest = hashlib.sha256(repr(tuple(parts)).encode()).hexdigest()[:32]
        key = f"v:{'+'.join(topics)}:{force_id}:{'.'.join(tokens)}:{digest}"
        value = cache.get(key, sentinel)
    except CACHE_ERRORS:
        logger.warning("cache unavailable: computing %s without it", topics, exc_info=True)
        return compute()
    if value is sentinel:
        if settings.CACHE_COMPUTE_ONCE:
            value = compute_once(key, compute, timeout=timeout)
        else:  # every reader who misses works it out (the benchmark's "without the lock")
            value = _store(key, compute(), timeout)
    return value


def compute_once(
    key: str, compute: Callable[[], object], *, timeout: int, wait: float | None = None
):
    """Return `compute()` stored under `key`, worked out by one reader while others wait.

    The first reader to miss takes a short lock (`cache.add`, which only one can win), works
    the value out, stores it and lets go; readers who miss meanwhile wait for the stored value
    instead of each working it out again (four readers of a cold dashboard: one computation).
    A waiter computes for itself when the lock holder has let go without storing (it failed)
    or after `wait` seconds (it is slow, or died holding the lock, which then expires on its
    own). A cache that cannot be reached degrades to computing, never to an error.
    """
    wait = LOCK_WAIT if wait is None else wait
    lock = f"lock:{key}"
    token = uuid.uuid4().hex
    sentinel = object()
    deadline = time.monotonic() + wait
    try:
        while not cache.add(lock, token, timeout=LOCK_TIMEOUT):
            if time.monotonic() >= deadline:
                logger.warning("cache lock %s still held after %.1f s: computing", lock, wait)
                return _store(key, compute(), timeout)
            time.sleep(LOCK_POLL)
            value = cache.get(key, sentinel)
            if value is not sentinel:
                return value
        # The lock is ours; the value may have been stored just before we took it.
        value = cache.get(key, sentinel)
    except CACHE_ERRORS:
        logger.warning("cache unavailable: computing %s without a lock", key, exc_info=True)
        return compute()
    if value is not sentinel:
        _release(lock, token)
        return value
    try:
        return _store(key, compute(), timeout)
    finally:
        _release(lock, token)


def _store(key: str, value, timeout: int):
    try:
        cache.set(key, value, timeout=timeout)
    except CACHE_ERRORS:
        logger.warning("cache unavailable: %s not stored", key, exc_info=True)
    return value


def _release(lock: str, token: str) -> None:
    """Let go of a lock we hold (not one taken by another reader after ours expired)."""
    try:
        if cache.get(lock) == token:
            cache.delete(lock)
    except CACHE_ERRORS:
        logger.warning("cache unavailable: lock %s left to expire", lock, exc_info=True)


def list_parameters(params: QueryDict, names: Iterable[str]) -> tuple[QueryDict, str]:
    """Keep only the parameters `names` of a request: those a cached page depends on.

    Return them as a QueryDict (for the page's filter form) and urlencoded (for the cache key
    and the page's links), with the boxes of a question asked in several (``name_0``...):
    anything else added to the address neither splits the cache nor
    travels on in the links.
    """
    kept = QueryDict(mutable=True)
    for name in names:
        # A question of several boxes (a date's day, month and year) arrives as name_0, name_1...
        parts = [
            key for key in params if key.startswith(f"{name}_") and key[len(name) + 1 :].isdigit()
        ]
        for key in [name, *sorted(parts)]:
            if key in params:
                kept.setlist(key, params.getlist(key))
    return kept, kept.urlencode()


def clear_on_change(receiver, models: Iterable, *, uid: str) -> None:
    """Connect a clearing receiver to `post_save` and `post_delete` of each model (connecting
    twice adds nothing: the dispatch uid names the receiver, model and signal)."""
    for model in models:
        label = model._meta.label
        post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}.{label}.save")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}.{label}.delete")


def invalidate(topic: str, force_id) -> None:
    """Make every value cached under this topic for this force unreachable.

    When the cache cannot be reached this logs an error and returns: the values then expire
    within `DEFAULT_TIMEOUT` (the backstop), and the writer's request still succeeds."""
    try:
        cache.set(_generation_key(topic, force_id), uuid.uuid4().hex, timeout=None)
    except CACHE_ERRORS:
        logger.error(
            "cache unavailable: %s of force %s not invalidated", topic, force_id, exc_info=True
        )


def invalidate_everything(force_id) -> None:
    """Make every value cached for this force unreachable (after bulk loads that send no
    signals, such as the demo and benchmark data)."""
    invalidate(EVERYTHING, force_id)


def invalidate_on_commit(topic: str, force_id) -> None:
    """Invalidate now, and again when the current transaction commits.

    Now, so that this transaction's own later reads see fresh values; again on commit, because
    another request may have recomputed the value from the old data in between (it cannot see
    this transaction's writes before the commit). Call it from a writer's `post_save` or
    `post_delete` receiver.
    """
    if force_id is not None:
        invalidate(topic, force_id)
        transaction.on_commit(partial(invalidate, topic, force_id))
