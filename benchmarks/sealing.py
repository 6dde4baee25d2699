"""Time from the last signature of an MoU to its sealed PDF, with a real Celery worker.

The worker is its own process, with the server's production settings, on the benchmark's
database and Redis, taking a queue of its own. The timed run signs an agreement of the measured
force through the real services (the last signature's commit sends the seal task through Redis)
and waits until the agreement is sealed; the worker is started and ready before the clock
starts. Each run adds one sealed MoU to a school of the force that had none (the signatures and
versions are append-only, so they cannot be rolled back or deleted afterwards). The signing key
and the PDFs go to a temporary folder.

Needs REDIS_URL and PostgreSQL; otherwise the timing is skipped, with the reason in the report.
"""

import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.db import connection
from django.test.utils import override_settings

from .server import BASE_DIR, server_environment

READY_SECONDS = 60
DEADLINE_SECONDS = 60
QUEUE = f"bench-seal-{secrets.token_hex(4)}"


def _queue() -> str:
    """Send this process's tasks to a queue of its own (no stale task runs first); return the
    queue the app actually sends to (Celery fixes it when it first sends a task)."""
    from config.celery import app

    app.conf.task_default_queue = QUEUE
    return app.amqp.default_queue.name


def unavailable() -> str:
    """Return why the timing cannot run here, or "" when it can."""
    if not os.environ.get("REDIS_URL"):
        return "REDIS_URL is not set: the seal task needs a real broker and worker"
    if connection.vendor != "postgresql":
        return "needs PostgreSQL: the worker must share the benchmark's database"
    return ""


def _school_without_agreement(force):
    from agreements.models import Agreement
    from schools.models import NamedContact

    taken = Agreement.objects.filter(force=force).values("school_id")
    contact = (
        NamedContact.objects.current()
        .filter(school__force=force, school__status="open", officer__is_active=True)
        .exclude(school_id__in=taken)
        .select_related("school", "officer")
        .order_by("school__urn")
        .first()
    )
    if contact is None:
        raise LookupError(f"{force} has no school without an agreement left to seal one for.")
    return contact.school, contact.officer


def seconds_to_sealed(ctx) -> float:
    from accounts.models import Role, User
    from agreements import services
    from agreements.models import Agreement

    with tempfile.TemporaryDirectory() as folder:
        queue = _queue()
        env = server_environment()
        env.update(
            MEDIA_ROOT=folder,
            AGREEMENTS_SIGNING_DIR=folder,
            AGREEMENTS_SIGNING_AUTO_CREATE="1",
            CONN_MAX_AGE="0",
        )
        log_path = Path(folder) / "worker.log"
        command = [
            sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
            "--concurrency=1", "--loglevel=info", f"--queues={queue}",
            f"--hostname={queue}@%h", "--without-gossip", "--without-mingle",
        ]  # fmt: skip
        with (
            log_path.open("wb") as log,
            override_settings(
                MEDIA_ROOT=folder,
                AGREEMENTS_SIGNING_DIR=folder,
                AGREEMENTS_SIGNING_AUTO_CREATE=True,
                CELERY_TASK_ALWAYS_EAGER=False,
                EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            ),
        ):
            worker = subprocess.Popen(  # noqa: S603 - our own command line
                command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
            )
            try:
                ready = time.monotonic() + READY_SECONDS
                while b"ready." not in log_path.read_bytes():
                    if worker.poll() is not None or time.monotonic() > ready:
                        raise RuntimeError("the worker did not start:\n" + log_path.read_text())
                    time.sleep(0.2)
                school, officer = _school_without_agreement(ctx.force)
                head = User.objects.filter(
                    organisation_id=school.organisation_id, role=Role.HEADTEACHER, is_active=True
                ).first()
                if head is None:
                    raise LookupError(f"{school} has no headteacher account to sign.")
                agreement = services.agreement_prepare(school=school, by=officer)
                services.agreement_send(agreement=agreement, by=officer)
                people = {"school": head, "police": officer}
                sequence = agreement.signing_sequence()
                for party in sequence[:-1]:
                    _sign(services, agreement, people[party])
                started = time.perf_counter()
                _sign(services, agreement, people[sequence[-1]])  # commits: task to Redis
                deadline = time.monotonic() + DEADLINE_SECONDS
                while not Agreement.objects.get(pk=agreement.pk).sealed_at:
                    if worker.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(
                            f"not sealed within {DEADLINE_SECONDS} s:\n" + log_path.read_text()
                        )
                    time.sleep(0.05)
                return time.perf_counter() - started
            finally:
                worker.terminate()
                try:
                    worker.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    worker.kill()
                    worker.wait(timeout=10)
                import redis

                if queue == QUEUE:
                    redis.Redis.from_url(os.environ["REDIS_URL"]).delete(
                        queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}"
                    )


def _sign(services, agreement, user):
    fields = {"typed_name": user.full_name, "confirmed": True}
    if not user.is_school_staff:
        fields.update(rank=user.rank or "PC", collar_number=user.collar_number or "0000")
    services.agreement_sign(agreement=agreement, by=user, **fields)
