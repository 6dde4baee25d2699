"""A Redis cache that degrades: with Redis stopped or hung, reads are misses and writes
are skipped (logged), so pages, sign-in and its rate limits keep working without it."""

import functools
import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What each operation answers when Redis cannot: a miss, or "nothing was stored".
_FALLBACKS = {
    "get": lambda *a, **k: k.get("default", a[1] if len(a) > 1 else None),
    "get_many": lambda *a, **k: {},
    "has_key": lambda *a, **k: False,
    # "Added": rate limits (allauth's login limits use add) then let people through
    # rather than lock everyone out, and accounts.caching's compute lock is taken, so each
    # reader computes for itself; nothing in the product uses add as its only lock.
    "add": lambda *a, **k: True,
    "set": lambda *a, **k: None,
    "set_many": lambda *a, **k: [],
    "touch": lambda *a, **k: False,
    "delete": lambda *a, **k: False,
    "delete_many": lambda *a, **k: None,
    "clear": lambda *a, **k: False,
    "incr": lambda *a, **k: k.get("delta", a[1] if len(a) > 1 else 1),
    "decr": lambda *a, **k: -k.get("delta", a[1] if len(a) > 1 else 1),
}


def _degrading(name, method):
    fallback = _FALLBACKS[name]

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except (RedisError, OSError) as error:
            logger.warning("Cache %s failed, carrying on without the cache: %s", name, error)
            return fallback(*args, **kwargs)

    return wrapper


class DegradingRedisCache(RedisCache):
    """Django's RedisCache whose every operation survives a Redis outage."""


for _name in _FALLBACKS:
    setattr(DegradingRedisCache, _name, _degrading(_name, getattr(RedisCache, _name)))
