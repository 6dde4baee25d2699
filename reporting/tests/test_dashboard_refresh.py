"""After a change, a worker works the force's dashboards out again, so the first reader finds
them ready (#24.4): the refresh fills what the page reads; one refresh a burst of writes; a
broker that is down never fails the change."""

import dataclasses

import pytest
from django.urls import reverse

from config.celery import app as celery_app
from reporting import dashboard_cache, tasks
from reporting.sections import BY_KEY
from schools.models import Term
from schools.tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

SECTIONS = ["tiers", "engagement", "agreements", "referrals", "education"]


@pytest.fixture
def builds(monkeypatch):
    counted = []
    for key in SECTIONS:
        section = BY_KEY[key]

        def build(scope, real=section.build, key=key):
            counted.append(key)
            return real(scope)

        monkeypatch.setitem(BY_KEY, key, dataclasses.replace(section, build=build))
    monkeypatch.setattr("reporting.sections.SECTIONS", [BY_KEY[key] for key in SECTIONS])
    return counted


def test_the_refresh_fills_what_a_managers_dashboards_read(client, world, builds):
    Term.current_for(world.forces["a"])  # made on first use: a change of its own
    assert tasks.refresh_dashboards(world.forces["a"].pk) == len(SECTIONS)
    assert sorted(builds) == sorted(SECTIONS)
    client.force_login(world.manager)
    for key in SECTIONS:
        assert client.get(reverse("reporting:dashboard", args=[key])).status_code == 200
    assert sorted(builds) == sorted(SECTIONS)  # every page served from the refresh


def test_a_force_without_a_manager_has_nothing_to_refresh(world):
    world.manager.is_active = False
    world.manager.save(update_fields=["is_active"])
    for user in world.users.values():
        if user.role == world.manager.role and user.force_id == world.forces["a"].pk:
            user.is_active = False
            user.save(update_fields=["is_active"])
    assert dashboard_cache.refresh(world.forces["a"].pk) == 0


@pytest.fixture
def with_a_worker(monkeypatch):
    """Tasks go to a real worker (not run in-process); record what is queued."""
    monkeypatch.setattr(dashboard_cache, "refresh_enabled", lambda: True)
    queued = []
    monkeypatch.setattr(
        tasks.refresh_dashboards,
        "apply_async",
        lambda args, countdown: queued.append((args, countdown)),
    )
    return queued


def test_a_burst_of_writes_queues_one_refresh_after_its_commit(
    world, with_a_worker, django_capture_on_commit_callbacks
):
    force = world.forces["a"]
    with django_capture_on_commit_callbacks(execute=True):
        SchoolFactory(force=force, name="New School One")
        SchoolFactory(force=force, name="New School Two")
        assert with_a_worker == []  # nothing before the commit
    assert with_a_worker == [((force.pk,), dashboard_cache.REFRESH_DELAY)]


def test_nothing_is_queued_when_tasks_run_in_process(world, django_capture_on_commit_callbacks):
    """In development and the tests tasks run in-process: the writer would pay for it."""
    assert celery_app.conf.task_always_eager
    assert dashboard_cache.refresh_enabled() is False
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        SchoolFactory(force=world.forces["a"], name="New School")
    assert not any(getattr(c, "func", None) is dashboard_cache.schedule_refresh for c in callbacks)


def test_a_broker_that_is_down_never_fails_the_change(world, monkeypatch, caplog):
    monkeypatch.setattr(dashboard_cache, "refresh_enabled", lambda: True)

    def down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.refresh_dashboards, "apply_async", down)
    dashboard_cache.schedule_refresh(world.forces["a"].pk)
    assert "not queued for refresh" in caplog.text
