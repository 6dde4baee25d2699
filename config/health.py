"""The health check that load balancers and docker compose poll: database, cache and broker."""

import logging
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from config import celery_app

logger = logging.getLogger(__name__)

# Seconds to wait for the broker, so a dead Redis fails the check fast.
BROKER_TIMEOUT = 2


def database_status() -> str:
    """Return "ok" when the database answers a trivial query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.warning("Health check: the database did not answer.", exc_info=True)
        return "error"
    return "ok"


def cache_status() -> str:
    """Return "ok" when a random key written to the cache reads back."""
    key = f"healthz:{secrets.token_hex(8)}"
    value = secrets.token_hex(8)
    try:
        cache.set(key, value, timeout=30)
        answered = cache.get(key)
        cache.delete(key)
    except Exception:
        logger.warning("Health check: the cache did not answer.", exc_info=True)
        return "error"
    return "ok" if answered == value else "error"


def broker_status() -> str:
    """Return "in-process" when tasks run eagerly, else whether the broker accepts a connection."""
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        return "in-process"
    try:
        with celery_app.connection_for_write(
            connect_timeout=BROKER_TIMEOUT,
            transport_options={
                "socket_connect_timeout": BROKER_TIMEOUT,
                "socket_timeout": BROKER_TIMEOUT,
            },
        ) as broker:
            broker.ensure_connection(max_retries=1, interval_start=0, timeout=BROKER_TIMEOUT)
    except Exception:
        logger.warning("Health check: the Celery broker did not answer.", exc_info=True)
        return "error"
    return "ok"


@never_cache
@require_safe
def healthz(request):
    """Answer 200 when the database, cache and broker all work, 503 otherwise."""
    checks = {
        "database": database_status(),
        "cache": cache_status(),
        "broker": broker_status(),
    }
    healthy = all(state in ("ok", "in-process") for state in checks.values())
    body = {"status": "ok" if healthy else "degraded", **checks}
    return JsonResponse(body, status=200 if healthy else 503)
