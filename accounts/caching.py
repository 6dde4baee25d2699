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
"""

import hashlib
import uuid
from collections.abc import Callable, Iterable
from functools import partial

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import QueryDict

DEFAULT_TIMEOUT = 300
EVERYTHING = "*"  # a topic every cached value is also filed under


def _generation_key(topic: str, force_id) -> str:
    return f"gen:{topic}:{force_id}"


def _generations(topics: Iterable[str], force_id) -> list[str]:
    """The current token of each topic for this force (one round trip), minting missing ones."""
    keys = [_generation_key(topic, force_id) for topic in topics]
    found = cache.get_many(keys)
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
    tokens = _generations((*topics, EVERYTHING), force_id)
    digest = hashlib.sha256(repr(tuple(parts)).encode()).hexdigest()[:32]
    key = f"v:{'+'.join(topics)}:{force_id}:{'.'.join(tokens)}:{digest}"
    sentinel = object()
    value = cache.get(key, sentinel)
    if value is sentinel:
        value = compute()
        cache.set(key, value, timeout=timeout)
    return value


def list_parameters(params: QueryDict, names: Iterable[str]) -> tuple[QueryDict, str]:
    """Keep only the parameters `names` of a request: those a cached page depends on.

    Return them as a QueryDict (for the page's filter form) and urlencoded (for the cache key
    and the page's links): anything else added to the address neither splits the cache nor
    travels on in the links.
    """
    kept = QueryDict(mutable=True)
    for name in names:
        if name in params:
            kept.setlist(name, params.getlist(name))
    return kept, kept.urlencode()


def clear_on_change(receiver, models: Iterable, *, uid: str) -> None:
    """Connect a clearing receiver to `post_save` and `post_delete` of each model (connecting
    twice adds nothing: the dispatch uid names the receiver, model and signal)."""
    for model in models:
        label = model._meta.label
        post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}.{label}.save")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}.{label}.delete")


def invalidate(topic: str, force_id) -> None:
    """Make every value cached under this topic for this force unreachable."""
    cache.set(_generation_key(topic, force_id), uuid.uuid4().hex, timeout=None)


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
