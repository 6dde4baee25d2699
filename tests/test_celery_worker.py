"""A real Celery worker, started as its own process, runs a task sent through Redis."""

import os
import secrets
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest
import redis
from celery.exceptions import AlwaysEagerIgnored
from django.core.cache.backends.redis import RedisCache

from config import celery_app
from config.tasks import ping, ping_key

BASE_DIR = Path(__file__).resolve().parent.parent
WORKER_DEADLINE_SECONDS = 60

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"),
        reason="needs a real Redis: set REDIS_URL (for example redis://127.0.0.1:6379/0)",
    ),
]


@pytest.fixture
def worker_queue(tmp_path):
    """Start a worker on a queue of its own, yield the queue's name, and always stop it."""
    # A queue of its own, so the worker takes no task another test left in Redis.
    queue = f"test-worker-{secrets.token_hex(6)}"
    log_path = tmp_path / "worker.log"
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
        "--include=config.tasks",
        f"--hostname={queue}@%h",
        "--without-gossip",
        "--without-mingle",
    ]
    # TESTING=1 gives the worker the local secret key and test defaults, as pytest has.
    environment = {**os.environ, "TESTING": "1"}
    with log_path.open("wb") as log:
        worker = subprocess.Popen(
            command, cwd=BASE_DIR, env=environment, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            yield queue, worker, log_path
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait(timeout=10)
            # The queue's routing tables outlive the worker; leave Redis as it was.
            redis.Redis.from_url(os.environ["REDIS_URL"]).delete(
                f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}"
            )


def test_a_real_worker_runs_the_ping_task(worker_queue):
    queue, worker, log_path = worker_queue
    token = secrets.token_hex(8)

    # send_task goes through the broker even where tests run other tasks eagerly.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AlwaysEagerIgnored)
        result = celery_app.send_task(ping.name, kwargs={"token": token}, queue=queue)
    deadline = time.monotonic() + WORKER_DEADLINE_SECONDS
    while not result.ready() and worker.poll() is None and time.monotonic() < deadline:
        time.sleep(0.25)

    log = log_path.read_text(errors="replace")
    assert worker.poll() is None, f"the worker stopped early:\n{log}"
    assert result.ready(), f"no result within {WORKER_DEADLINE_SECONDS} s:\n{log}"
    assert result.get(timeout=5) == "pong"
    result.forget()
    # Read Redis directly, whatever cache a test configuration may have put in front.
    redis_cache = RedisCache(os.environ["REDIS_URL"], {})
    answered_by = redis_cache.get(ping_key(token))
    redis_cache.delete(ping_key(token))
    assert answered_by is not None, f"the task left no mark in the cache:\n{log}"
    assert answered_by["pid"] == worker.pid
    assert answered_by["pid"] != os.getpid()
