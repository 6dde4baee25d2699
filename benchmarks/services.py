"""PostgreSQL and Redis for the benchmark, started on this machine when none is named.

With DATABASE_URL set, the benchmark uses that database and starts nothing. Without it, it
uses this machine's PostgreSQL cluster (Debian's `pg_lsclusters` / `pg_ctlcluster`, as
`.ci/run` installs it): starts the cluster if it is down, and creates the benchmark's role if
it is missing. Without REDIS_URL, it starts a throwaway `redis-server` on a free port for the
run (no persistence) and stops it at the end, so the seal timing has a real broker.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass

ROLE = "safer_schools"  # also spelt out in local_postgres's query
PASSWORD = "safer_schools"  # noqa: S105 - a local benchmark role, as in .ci/run and docker-compose
DATABASE = "ss_bench"


@dataclass(frozen=True)
class Cluster:
    version: str
    name: str
    port: int
    online: bool


def parse_clusters(text: str) -> list[Cluster]:
    """Read `pg_lsclusters --no-header`: version, cluster, port, status, owner, data, log."""
    clusters = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 4 and fields[2].isdigit():
            clusters.append(Cluster(fields[0], fields[1], int(fields[2]), fields[3] == "online"))
    return clusters


def _run(command, **kwargs):
    return subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)  # noqa: S603


def _as_postgres(command: list[str]) -> list[str]:
    """Run a cluster administration command as the postgres user (peer authentication)."""
    if os.geteuid() == 0 and shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def _wait(check, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.5)
    return False


def _answers(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        return True
    return False


def local_postgres(log) -> str | None:
    """Return a DATABASE_URL on this machine's PostgreSQL, started and given the benchmark's
    role if needed; None (with the reason logged) when there is no cluster to use."""
    if not shutil.which("pg_lsclusters"):
        log("DATABASE_URL is not set and PostgreSQL's cluster tools are not installed.")
        return None
    clusters = parse_clusters(_run(["pg_lsclusters", "--no-header"]).stdout)
    if not clusters:
        log("DATABASE_URL is not set and this machine has no PostgreSQL cluster.")
        return None
    cluster = clusters[0]
    if not cluster.online:
        log(f"Starting PostgreSQL {cluster.version}/{cluster.name} on port {cluster.port}...")
        started = _run(["pg_ctlcluster", cluster.version, cluster.name, "start"])
        if started.returncode != 0:
            log(f"Could not start PostgreSQL: {started.stderr.strip()}")
            return None
    if not _wait(lambda: _answers(cluster.port), 30):
        log(f"PostgreSQL did not answer on port {cluster.port} within 30 s.")
        return None
    psql = _as_postgres(["psql", "-p", str(cluster.port), "-qtA", "-v", "ON_ERROR_STOP=1"])
    found = _run([*psql, "-c", "SELECT 1 FROM pg_roles WHERE rolname = 'safer_schools'"])
    if found.returncode != 0:
        log(f"Could not reach PostgreSQL as its administrator: {found.stderr.strip()}")
        return None
    if not found.stdout.strip():
        created = _run([*psql, "-c", f"CREATE ROLE {ROLE} LOGIN CREATEDB PASSWORD '{PASSWORD}'"])
        if created.returncode != 0:
            log(f"Could not create the role {ROLE}: {created.stderr.strip()}")
            return None
        log(f"Created the PostgreSQL role {ROLE}.")
    return f"postgres://{ROLE}:{PASSWORD}@127.0.0.1:{cluster.port}/{DATABASE}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def local_redis(log):
    """Yield a REDIS_URL for a redis-server started for the run, or None if there is none."""
    binary = shutil.which("redis-server")
    if binary is None:
        log("REDIS_URL is not set and redis-server is not installed: no seal timing.")
        yield None
        return
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        if not _wait(lambda: _answers(port), 15):
            log("redis-server did not start within 15 s: no seal timing.")
            yield None
            return
        log(f"Started redis-server on port {port} for this run.")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)
