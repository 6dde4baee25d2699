"""The health check: 200 when everything answers, 503 when anything fails, and no secrets."""

import os

import pytest
from django.db import OperationalError
from django.urls import reverse
from kombu import Connection

from config import health

pytestmark = pytest.mark.django_db

# Credentials planted in broken settings; none may reach the response.
PLANTED_PASSWORD = "planted-secret-7f3a"


class BrokenConnection:
    """A database connection whose every query fails."""

    def cursor(self):
        raise OperationalError(f"could not connect: password={PLANTED_PASSWORD}")


def assert_no_secrets(response):
    """Fail if the body names a password, a URL or an exception."""
    body = response.content.decode()
    for secret in (PLANTED_PASSWORD, "redis://", "postgres://", "127.0.0.1", "Error"):
        assert secret not in body


def test_healthz_is_ok_when_tasks_run_in_process(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "broker": "in-process",
    }
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_answers_head_but_not_post(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True

    assert client.head(reverse("healthz")).status_code == 200
    assert client.post(reverse("healthz")).status_code == 405


def test_healthz_is_503_when_the_database_fails(client, settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    monkeypatch.setattr(health, "connection", BrokenConnection())

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json() == {
        "status": "degraded",
        "database": "error",
        "cache": "ok",
        "broker": "in-process",
    }
    assert_no_secrets(response)


def test_healthz_is_503_when_the_cache_fails(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    # Port 1 on loopback refuses at once: a real Redis client failing for real.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://:{PLANTED_PASSWORD}@127.0.0.1:1/0",
        }
    }

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["status"] == "degraded"
    assert response.json()["cache"] == "error"
    assert response.json()["database"] == "ok"
    assert_no_secrets(response)


def test_healthz_is_503_when_the_broker_fails(client, settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    broken_broker = f"redis://:{PLANTED_PASSWORD}@127.0.0.1:1/0"
    monkeypatch.setattr(
        health.celery_app,
        "connection_for_write",
        lambda **options: Connection(broken_broker, **options),
    )

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["status"] == "degraded"
    assert response.json()["broker"] == "error"
    assert_no_secrets(response)


@pytest.mark.services
@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"),
    reason="needs a real Redis: set REDIS_URL (for example redis://127.0.0.1:6379/0)",
)
def test_healthz_reaches_the_real_broker(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json()["broker"] == "ok"
    assert response.json()["status"] == "ok"
