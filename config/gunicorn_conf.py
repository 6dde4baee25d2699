"""gunicorn's settings for the web container (Dockerfile's CMD: gunicorn -c config/gunicorn_conf.py).

WEB_CONCURRENCY sets the number of sync workers; the default is gunicorn's own advice,
2 × cores + 1. Each worker is replaced after about GUNICORN_MAX_REQUESTS requests (with a
jitter, so they do not all restart at once), which keeps memory flat.
"""

import multiprocessing
import os


def _number(name: str, default: int) -> int:
    """The environment variable `name` as a whole number; `default` when unset or empty."""
    return int(os.environ.get(name) or default)


def _flag(name: str, default: bool) -> bool:
    """The environment variable `name` as on/off ("1", "true", "yes", "on"); `default` when unset."""
    value = (os.environ.get(name) or "").strip().lower()
    return default if not value else value in {"1", "true", "yes", "on"}


bind = os.environ.get("GUNICORN_BIND") or "0.0.0.0:8000"
workers = _number("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1)
max_requests = _number("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _number("GUNICORN_MAX_REQUESTS_JITTER", 100)
timeout = _number("GUNICORN_TIMEOUT", 30)
# The application is loaded once, in the master, and each worker is forked from it: a worker
# replaced after max_requests starts in milliseconds instead of importing Django and the apps
# again (2.3 s of CPU each time on this machine's shared cores, a restart every few seconds per
# worker under the benchmark's load), and the workers share the loaded code's memory. Nothing
# the master opened (database or cache connections) is handed to a worker (pre_fork).
preload_app = _flag("GUNICORN_PRELOAD", True)
# On SIGTERM a worker finishes the request in hand within this many seconds.
graceful_timeout = _number("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Workers' heartbeat files in memory, as gunicorn advises for containers.
SHM = "/dev/shm"  # noqa: S108 - gunicorn's own heartbeat files, not data
worker_tmp_dir = SHM if os.path.isdir(SHM) else None
control_socket_disable = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
# Invitation, password-reset and calendar-feed tokens are masked (config/access_log.py).
logger_class = "config.access_log.TokenMaskingLogger"


def pre_fork(server, worker):
    """In the master, before each fork: close any database or cache connection the loaded
    application opened, so no worker shares a socket with the master or another worker."""
    from django.conf import settings

    if not settings.configured:
        return  # not a Django application (a probe in the tests)
    from django.core.cache import caches
    from django.db import connections

    connections.close_all()
    caches.close_all()


def when_ready(server):
    """In the master, before any worker is forked: warm WeasyPrint once, so every worker
    (and every replacement after max_requests) starts with fonts loaded (config/warmup.py)."""
    from config.warmup import warm_pdf

    warm_pdf()


def post_fork(server, worker):
    """In each worker: a tiny render, fast when the master's warm state was inherited, and
    the warm-up itself if the master's failed."""
    from config.warmup import warm_pdf

    warm_pdf()
