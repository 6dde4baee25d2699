"""Start gunicorn (production settings, sync workers, as the Dockerfile runs it) on a free port."""

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Server:
    port: int
    pid: int  # gunicorn's master; its children are the workers


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (gunicorn's workers), from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # gone meanwhile
        # "pid (comm) state ppid ...": comm may hold spaces and brackets, so split after it.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def _kilobytes(path: Path, field: str) -> int | None:
    try:
        for line in path.read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def process_memory(pid: int) -> dict:
    """RSS (resident, counting pages shared with the master) and PSS (shared pages divided
    among their sharers: what the process adds) of a process, in MB."""
    rss = _kilobytes(Path(f"/proc/{pid}/status"), "VmRSS")
    pss = _kilobytes(Path(f"/proc/{pid}/smaps_rollup"), "Pss")
    return {
        "pid": pid,
        "rss_mb": None if rss is None else rss / 1024,
        "pss_mb": None if pss is None else pss / 1024,
    }


def worker_memory(server: Server) -> list[dict]:
    """The memory of each gunicorn worker now (see process_memory)."""
    return [process_memory(pid) for pid in _children(server.pid)]


@contextmanager
def gunicorn(*, workers: int, log, environment: dict | None = None, collect: bool = True):
    """Run gunicorn with `workers` sync workers for the duration of the block; yield the Server
    (its port, and its master's pid to find the workers). `environment` adds to the server's
    settings (for example CACHE_COMPUTE_ONCE=0); `collect` collects static files first."""
    env = {**server_environment(), **(environment or {})}
    if collect:
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
        yield Server(port=port, pid=process.pid)
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
