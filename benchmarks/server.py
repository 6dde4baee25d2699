"""Start gunicorn (production settings, sync workers, as the Dockerfile runs it) on a free port."""

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from .client import Browser

BASE_DIR = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment() -> dict:
    """The environment of the server: production settings over plain HTTP on this machine.

    The secret key is this process's, so TOTP secrets sealed here open there.
    """
    env = dict(os.environ)
    env.update(
        DEBUG="0",
        TESTING="0",
        SECRET_KEY=settings.SECRET_KEY,
        BENCHMARK_PAGES="1",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        LOG_LEVEL="WARNING",
    )
    return env


def collectstatic(env: dict) -> None:
    """Collect static files: without DEBUG, templates need the manifest of hashed names."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )


@contextmanager
def gunicorn(*, workers: int, log):
    """Run gunicorn with `workers` sync workers for the duration of the block; yield its port."""
    env = server_environment()
    collectstatic(env)
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        # Production's settings (max-requests with jitter, the token-masking logger); the
        # flags below set only what the benchmark varies or must not print.
        "--config",
        "config/gunicorn_conf.py",
        "--access-logfile",
        os.devnull,
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-tmp-dir",
        "/dev/shm" if Path("/dev/shm").is_dir() else "/tmp",  # noqa: S108 - gunicorn's heartbeat
        "--timeout",
        "120",
        "--log-level",
        "warning",
    ]
    # A session of its own, so the whole server (master and workers) is stopped by its id.
    process = subprocess.Popen(command, cwd=BASE_DIR, env=env, start_new_session=True)  # noqa: S603
    try:
        _wait_until_up(process, port)
        log(f"gunicorn is up on 127.0.0.1:{port} with {workers} sync workers (pid {process.pid})")
        yield port
    finally:
        _stop(process)


def _wait_until_up(process, port, *, timeout=60.0):
    deadline = time.monotonic() + timeout
    browser = Browser("127.0.0.1", port)
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            status, _, body = browser.get("/healthz")
        except OSError:
            time.sleep(0.3)
            continue
        if status == 200:
            return
        raise RuntimeError(f"/healthz answered {status}: {body[:300]!r}")
    raise RuntimeError("gunicorn did not answer within a minute")


def _stop(process):
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
