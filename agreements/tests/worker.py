"""Start a real Celery worker on the test database, for tests that seal through Redis.

Used where CI has Redis and PostgreSQL: the worker is its own process, so it must reach
the same (test) database, media folder and signing certificates as the test.
"""

import contextlib
import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import redis
from django.conf import settings
from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]


def can_run_a_real_worker() -> bool:
    return bool(os.environ.get("REDIS_URL")) and connection.vendor == "postgresql"


def _database_url() -> str:
    db = connection.settings_dict
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if user else ""
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{db['NAME']}"


@contextlib.contextmanager
def real_worker(log_path: Path):
    """Run a worker on a queue of its own; route tasks there and stop running them eagerly."""
    queue = f"test-agreements-{secrets.token_hex(6)}"
    environment = {
        **os.environ,
        "TESTING": "1",
        "DATABASE_URL": _database_url(),
        "CONN_MAX_AGE": "0",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "AGREEMENTS_SIGNING_DIR": str(settings.AGREEMENTS_SIGNING_DIR),
        "AGREEMENTS_SIGNING_AUTO_CREATE": "1",
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--pool=solo",
        "--concurrency=1",
        "--loglevel=info",
        f"--queues={queue}",
        f"--hostname={queue}@%h",
        "--without-gossip",
        "--without-mingle",
    ]
    with log_path.open("wb") as log:
        worker = subprocess.Popen(
            command, cwd=BASE_DIR, env=environment, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            yield queue, worker
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait(timeout=10)
            redis.Redis.from_url(os.environ["REDIS_URL"]).delete(
                queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}"
            )
