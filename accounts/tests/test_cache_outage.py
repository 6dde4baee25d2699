"""A cache that cannot be reached degrades to a miss (reads) or a no-op (writes), logged:
pages and writes still work, from the database, and no cache error reaches a request."""

import logging

import pytest
from django.core.cache.backends.base import BaseCache
from django.test import override_settings
from django.urls import reverse

from accounts import caching
from schools.tests.factories import SchoolFactory


class UnreachableCache(BaseCache):
    """Every operation fails as a Redis client does when the server is down."""

    def __init__(self, location, params):
        super().__init__(params)

    def _fail(self, *args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    add = get = set = delete = get_many = set_many = delete_many = touch = has_key = _fail
    incr = clear = _fail


class TimingOutCache(UnreachableCache):
    def _fail(self, *args, **kwargs):
        raise TimeoutError("Timeout reading from socket")

    add = get = set = delete = get_many = set_many = delete_many = touch = has_key = _fail


def _outage(backend):
    return override_settings(CACHES={"default": {"BACKEND": f"{__name__}.{backend.__name__}"}})


@pytest.mark.parametrize("backend", [UnreachableCache, TimingOutCache])
def test_a_cached_value_is_computed_when_the_cache_is_down(backend, caplog):
    calls = []
    with _outage(backend), caplog.at_level(logging.WARNING, logger="accounts.caching"):
        assert caching.cached("topic", 1, ("a",), lambda: calls.append(1) or "fresh") == "fresh"
        assert caching.cached("topic", 1, ("a",), lambda: calls.append(1) or "fresh") == "fresh"
        caching.invalidate("topic", 1)
        caching.invalidate_everything(1)
    assert calls == [1, 1]  # nothing was stored, nothing raised
    assert "cache unavailable" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_invalidating_on_commit_does_not_fail_the_write(caplog):
    with _outage(UnreachableCache), caplog.at_level(logging.ERROR, logger="accounts.caching"):
        caching.invalidate_on_commit("topic", 1)
    assert "not invalidated" in caplog.text


@pytest.mark.django_db
@pytest.mark.parametrize("backend", [UnreachableCache, TimingOutCache])
def test_dashboards_lists_and_writes_work_while_the_cache_is_down(client, world, backend):
    client.force_login(world.manager)
    with _outage(backend):
        # A write whose receivers clear cached figures still saves.
        SchoolFactory(force=world.forces["a"], name="Opened During The Outage")
        for url in (
            reverse("reporting:dashboard", args=["tiers"]),
            reverse("schools:list"),
        ):
            response = client.get(url)
            assert response.status_code == 200, url
        assert "Opened During The Outage" in client.get(reverse("schools:list")).content.decode()


@pytest.mark.services
@pytest.mark.django_db
def test_a_real_redis_client_with_no_server_behind_it_degrades_too(client, world, caplog):
    """The real Redis backend pointed at a port nothing listens on: redis-py raises its own
    ConnectionError (not an OSError), which is caught the same way."""
    unreachable = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    client.force_login(world.manager)
    with override_settings(CACHES=unreachable), caplog.at_level(logging.WARNING):
        response = client.get(reverse("reporting:dashboard", args=["tiers"]))
    assert response.status_code == 200
    assert "cache unavailable" in caplog.text
