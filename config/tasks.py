"""Tasks of the project itself: a ping that proves a real worker runs."""

import os
import socket
import time

from celery import shared_task
from django.core.cache import cache

PING_KEY_PREFIX = "celery-ping:"


def ping_key(token: str) -> str:
    """Return the cache key under which the ping with this token records its worker."""
    return f"{PING_KEY_PREFIX}{token}"


@shared_task(name="config.tasks.ping")
def ping(token: str = "", hold_seconds: float = 0) -> str:
    """Record which process answered in the cache and return "pong"; touch no database.

    hold_seconds keeps the worker busy first (at most 30 s), as a seal does: the shutdown
    test stops a worker with a task in hand.
    """
    if hold_seconds:
        time.sleep(min(float(hold_seconds), 30))
    if token:
        cache.set(ping_key(token), {"host": socket.gethostname(), "pid": os.getpid()}, timeout=300)
    return "pong"
