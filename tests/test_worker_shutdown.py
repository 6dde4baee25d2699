"""Stopping a worker (docker compose stop: SIGTERM) finishes the task in hand first.

The worker runs as compose runs it (prefork pool); it is stopped while a task that takes a
few seconds, as a seal does, is running. Celery's warm shutdown lets the task finish and
record its result before the worker exits, well inside compose's stop_grace_period.
"""

import os
import secrets
import signal
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
HOLD_SECONDS = 4

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"),
        reason="needs a real Redis: set REDIS_URL (for example redis://127.0.0.1:6379/0)",
    ),
]


def test_sigterm_lets_the_task_in_hand_finish(tmp_path):
    queue = f"test-shutdown-{secrets.token_hex(6)}"
    log_path = tmp_path / "worker.log"
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker",
        "--concurrency=1", "--loglevel=info", f"--queues={queue}", "--include=config.tasks",
        f"--hostname={queue}@%h", "--without-gossip", "--without-mingle",
    ]  # fmt: skip
    token = secrets.token_hex(8)
    redis_cache = RedisCache(os.environ["REDIS_URL"], {})
    with log_path.open("wb") as log:
        worker = subprocess.Popen(
            command, cwd=BASE_DIR, env={**os.environ, "TESTING": "1"}, stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", AlwaysEagerIgnored)
                celery_app.send_task(
                    ping.name, kwargs={"token": token, "hold_seconds": HOLD_SECONDS}, queue=queue
                )
            deadline = time.monotonic() + 60
            while "received" not in log_path.read_text(errors="replace"):
                assert worker.poll() is None and time.monotonic() < deadline, log_path.read_text(
                    errors="replace"
                )
                time.sleep(0.1)
            stopped_at = time.monotonic()
            worker.send_signal(signal.SIGTERM)
            returncode = worker.wait(timeout=60)
            waited = time.monotonic() - stopped_at
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait(timeout=10)
            redis.Redis.from_url(os.environ["REDIS_URL"]).delete(
                f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}"
            )
    output = log_path.read_text(errors="replace")
    answered = redis_cache.get(ping_key(token))
    redis_cache.delete(ping_key(token))
    assert returncode == 0, output
    assert answered is not None, f"the task in hand did not finish:\n{output}"
    assert "succeeded" in output
    assert waited < 60  # inside compose's stop_grace_period of 90 s


def test_the_compose_health_check_pings_the_worker_by_its_host_name(tmp_path):
    """docker-compose.yml's worker health check, run as compose runs it, with $HOSTNAME set."""
    import yaml

    compose = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
    kind, check = compose["services"]["worker"]["healthcheck"]["test"]
    assert kind == "CMD-SHELL"
    check = check.replace("$$", "$")  # compose's escape for a literal $
    host = f"ops-{secrets.token_hex(4)}"
    queue = f"test-health-{secrets.token_hex(6)}"
    env = {**os.environ, "TESTING": "1", "HOSTNAME": host}
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=info",
        f"--queues={queue}", f"--hostname=celery@{host}", "--without-gossip", "--without-mingle",
    ]  # fmt: skip
    celery_bin = str(Path(sys.executable).parent)
    shell_env = {**env, "PATH": f"{celery_bin}:{os.environ.get('PATH', '')}"}
    with (tmp_path / "worker.log").open("wb") as log:
        worker = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=log)
        try:
            deadline = time.monotonic() + 60
            while b"ready" not in (tmp_path / "worker.log").read_bytes():
                assert worker.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)
            healthy = subprocess.run(["sh", "-c", check], cwd=BASE_DIR, env=shell_env)
            assert healthy.returncode == 0
        finally:
            worker.terminate()
            worker.wait(timeout=30)
            redis.Redis.from_url(os.environ["REDIS_URL"]).delete(
                f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}"
            )
    stopped = subprocess.run(["sh", "-c", check], cwd=BASE_DIR, env=shell_env)
    assert stopped.returncode != 0
