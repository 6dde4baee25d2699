"""Faults injected on real parts: a broker that is down, storage that cannot be written,
a hung Redis. The user's work is saved, the failure is visible, and it recovers."""

import datetime
import socket
import threading
import time

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from agreements.models import Agreement
from agreements.tasks import sweep_unsealed
from config.celery import app

from .conftest import sign


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def broker_down():
    """Celery publishing to a Redis broker on a port nobody listens on (a stopped Redis)."""
    keys = ("broker_url", "task_always_eager")
    # Overrides live in conf.changes, ahead of Django's settings: remove them afterwards
    # rather than writing the old values back, or they would hide later tests' settings.
    before = {key: app.conf.changes[key] for key in keys if key in app.conf.changes}
    app.conf.broker_url = f"redis://127.0.0.1:{_closed_port()}/0"
    app.conf.task_always_eager = False
    app._pool = None
    yield
    for key in keys:
        app.conf.changes.pop(key, None)
    app.conf.changes.update(before)
    app._pool = None


def test_the_last_signature_is_saved_with_the_broker_down_and_the_sweeper_seals_it(
    sent, world, django_capture_on_commit_callbacks, broker_down
):
    sign(sent, world.headteacher)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        sign(sent, world.neighbourhood)
    assert time.monotonic() - started < 10
    sent.refresh_from_db()
    assert sent.state == Agreement.State.ACTIVE
    assert sent.signatures.count() == 2
    assert not sent.is_sealed

    # The broker is back; a few minutes on, the sweeper queues it again and it is sealed.
    app.conf.task_always_eager = True
    assert sweep_unsealed() == 0  # too soon: the first try may still be on its way
    Agreement.objects.filter(pk=sent.pk).update(
        updated=timezone.now() - datetime.timedelta(minutes=6)
    )
    assert sweep_unsealed() == 1
    sent.refresh_from_db()
    assert sent.is_sealed


def test_unwritable_storage_shows_the_failure_tells_admins_and_reseal_recovers(
    sent, world, django_capture_on_commit_callbacks, client, tmp_path, settings
):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the media directory should be")
    settings.MEDIA_ROOT = str(blocker / "media")
    sign(sent, world.headteacher)
    with django_capture_on_commit_callbacks(execute=True):
        sign(sent, world.neighbourhood)
    sent.refresh_from_db()
    assert sent.state == Agreement.State.ACTIVE and not sent.is_sealed
    assert sent.seal_failures == 1 and sent.seal_failed_at
    assert [m.to for m in mail.outbox] == [[world.admin.email]]
    assert "python manage.py reseal" in mail.outbox[0].body

    client.force_login(world.headteacher)
    page = client.get(sent.get_absolute_url()).content.decode()
    assert "Sealing failed — we are retrying" in page

    # The sweeper backs off: straight after the failure it leaves it alone.
    Agreement.objects.filter(pk=sent.pk).update(
        updated=timezone.now() - datetime.timedelta(minutes=6)
    )
    assert sweep_unsealed() == 0

    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("reseal", "--stuck")
    sent.refresh_from_db()
    assert sent.is_sealed and sent.seal_failures == 0
    assert "Sealing failed" not in client.get(sent.get_absolute_url()).content.decode()


def test_a_retried_seal_replaces_its_file_instead_of_adding_one(active, tmp_path, settings):
    from pathlib import Path

    folder = Path(settings.MEDIA_ROOT) / Path(active.sealed_pdf.name).parent
    before = sorted(p.name for p in folder.iterdir())
    Agreement.objects.filter(pk=active.pk).update(sealed_sha256="")
    # Sealed again (a retry after the file was written but before the commit).
    call_command("reseal", str(active.pk))
    active.refresh_from_db()
    assert active.is_sealed
    after = sorted(p.name for p in folder.iterdir())
    assert len(after) <= len(before) + 1
    assert all("_" not in name for name in after)  # no storage-added random suffixes


@pytest.fixture
def hung_redis():
    """A socket that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


@pytest.mark.parametrize("url_fixture", ["hung_redis", "stopped"])
def test_a_hung_or_stopped_redis_costs_at_most_the_configured_timeout(url_fixture, request):
    from config.cache import DegradingRedisCache

    if url_fixture == "stopped":
        url = f"redis://127.0.0.1:{_closed_port()}/0"
    else:
        url = request.getfixturevalue("hung_redis")
    cache = DegradingRedisCache(
        url, {"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}
    )
    started = time.monotonic()
    assert cache.get("anything") is None
    assert cache.get("anything", "fallback") == "fallback"
    cache.set("key", "value")
    assert cache.add("key", "value") is True  # rate limits let people through
    cache.delete("key")
    assert cache.get_many(["a", "b"]) == {}
    assert time.monotonic() - started < 6 * 0.5 + 1.5


@pytest.mark.django_db
def test_sign_in_works_with_redis_hung(client, world, hung_redis, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.DegradingRedisCache",
            "LOCATION": hung_redis,
            "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3},
        }
    }
    from django.core.cache import caches

    caches._settings = None
    with override_settings(CACHES=settings.CACHES):
        response = client.post(
            "/accounts/login/", {"login": world.headteacher.email, "password": "wrong"}
        )
    assert response.status_code == 200
    assert "password" in response.content.decode().lower()
