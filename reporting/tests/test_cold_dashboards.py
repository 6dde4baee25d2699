"""A force's dashboard figures are worked out once per change, and a cache outage degrades to
working them out on every request: never an error page (#24.4)."""

import dataclasses

import pytest
from django.urls import reverse

from accounts import caching
from reporting import invalidation
from reporting.sections import BY_KEY
from schools.models import Term

pytestmark = pytest.mark.django_db

SECTIONS = ["tiers", "engagement", "agreements", "referrals", "education"]


@pytest.fixture
def builds(monkeypatch):
    """Count each section's computation of its tables."""
    counted = []
    for key in SECTIONS:
        section = BY_KEY[key]
        real = section.build

        def build(scope, real=real, key=key):
            counted.append(key)
            return real(scope)

        monkeypatch.setitem(BY_KEY, key, dataclasses.replace(section, build=build))
    return counted


def test_each_dashboard_is_worked_out_once_per_change(client, world, builds):
    # The engagement figures make the force's current term on first use (a change).
    Term.current_for(world.forces["a"])
    client.force_login(world.manager)
    for key in SECTIONS:
        url = reverse("reporting:dashboard", args=[key])
        assert client.get(url).status_code == 200
        assert client.get(url).status_code == 200
    assert builds == SECTIONS
    invalidation.clear_figures(sender=None, instance=world.schools["a1"])  # a change
    for key in SECTIONS:
        assert client.get(reverse("reporting:dashboard", args=[key])).status_code == 200
    assert builds == SECTIONS * 2


def test_a_dashboard_works_out_its_figures_under_the_lock(client, world, monkeypatch):
    """The computation runs inside compute_once, holding the figure's lock."""
    held = []
    real = caching.compute_once

    def spy(key, compute, **kwargs):
        def computing():
            held.append(caching.cache.get(f"lock:{key}") is not None)
            return compute()

        return real(key, computing, **kwargs)

    monkeypatch.setattr(caching, "compute_once", spy)
    client.force_login(world.manager)
    assert client.get(reverse("reporting:dashboard", args=["tiers"])).status_code == 200
    assert held and all(held)


@pytest.mark.parametrize("section", SECTIONS)
def test_with_redis_stopped_every_dashboard_still_renders(client, world, settings, section):
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.DegradingRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: nothing answers
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    client.force_login(world.manager)
    response = client.get(reverse("reporting:dashboard", args=[section]))
    assert response.status_code == 200
    assert "Figures worked out at" in response.content.decode()
