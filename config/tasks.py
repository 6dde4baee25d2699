"""Tasks of the project itself: a ping that proves a real worker runs."""

import os
import socket

from celery import shared_task
from django.core.cache import cache

PING_KEY_PREFIX = "celery-ping:"


def ping_key(token: str) -> str:
    """Return the cache key under which the ping with this token records its worker."""
    return f"{PING_KEY_PREFIX}{token}"


@shared_task(name="config.tasks.ping")
def ping(token: str = "") -> str:
    """Record which process answered in the cache and return "pong"; touch no database."""
    if token:
        cache.set(ping_key(token), {"host": socket.gethostname(), "pid": os.getpid()}, timeout=300)
    return "pong"
