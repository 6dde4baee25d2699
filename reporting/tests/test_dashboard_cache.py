"""Dashboards are cached per force and slice, and cleared by any change to a record they count."""

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements import services as agreement_services
from reporting import invalidation
from reporting.tests.test_dashboards import COMPLEX, approve, grow_casework_and_bookings
from schools.models import Term
from schools.tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

TIERS = reverse("reporting:dashboard", args=["tiers"])


def _get(client, url, **params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode(), len(captured)


def _figures(html):
    """The tables of the page (what is cached), without the surrounding layout."""
    return html[html.index("Figures worked out at") :]


def test_a_second_look_is_served_from_the_cache(client, world):
    client.force_login(world.manager)
    first, cold = _get(client, TIERS)
    second, warm = _get(client, TIERS)
    assert _figures(first) == _figures(second)
    assert warm < cold
    assert warm == 2  # the session and the user: the filters and figures are cached


def test_a_new_assessment_shows_at_once(client, world):
    client.force_login(world.manager)
    before, _ = _get(client, TIERS)
    approve(world.schools["a1"], COMPLEX, world)
    after, _ = _get(client, TIERS)
    assert _figures(after) != _figures(before)


def test_a_new_school_shows_at_once_and_another_forces_does_not_matter(client, world):
    client.force_login(world.manager)
    before, _ = _get(client, TIERS)
    SchoolFactory(force=world.forces["b"], name="Faraway School")
    assert _figures(_get(client, TIERS)[0]) == _figures(before)
    SchoolFactory(force=world.forces["a"], name="Newly Opened School")
    assert _figures(_get(client, TIERS)[0]) != _figures(before)


def test_each_force_and_slice_has_its_own_figures(client, world):
    SchoolFactory(force=world.forces["b"], la_code="999", la_name="Far Borough")
    client.force_login(world.manager)
    manager_a, _ = _get(client, TIERS)
    client.force_login(world.other_force_manager)
    manager_b, _ = _get(client, TIERS)
    assert "Far Borough" in manager_b and "Far Borough" not in manager_a
    client.force_login(world.sergeant)
    sergeant, _ = _get(client, TIERS)
    assert _figures(sergeant) != _figures(manager_a)  # the sergeant's teams only


def test_the_page_says_when_its_figures_were_worked_out(client, world):
    client.force_login(world.manager)
    assert "Figures worked out at" in _get(client, TIERS)[0]


def _one_of_each_counted_record(world):
    from incidents.tests.factories import IncidentFactory

    school = world.schools["a1"]
    approve(school, COMPLEX, world)
    IncidentFactory(school=school, reported_by=world.dsl)
    grow_casework_and_bookings(world, school, 0)
    Term.current_for(world.forces["a"])
    draft = agreement_services.agreement_prepare(school=school, by=world.neighbourhood)
    sent = agreement_services.agreement_send(agreement=draft, by=world.neighbourhood)
    # The officer signs first (the default order).
    agreement_services.agreement_sign(
        agreement=sent,
        by=world.neighbourhood,
        typed_name="Neighbourhood Officer",
        confirmed=True,
        rank="PC",
        collar_number="1234",
    )
    from schools.services import engagement_log

    engagement_log(
        officer=world.neighbourhood,
        school=school,
        occurred_on=school.created.date(),
        kind="visit",
        purpose="educator",
        duration_minutes=30,
        summary="Visit",
    )
    import datetime
    from decimal import Decimal

    from partnership import services as partnership_services
    from partnership.tests.factories import plan_with_action

    plan, _ = plan_with_action(school, by=world.sso, owner=world.school_link)
    partnership_services.objective_add(
        plan=plan,
        by=world.sso,
        aim=plan.school.force.frameworks.filter(aims__isnull=False).first().aims.first(),
        baseline=Decimal("10"),
        target_percent=Decimal("20"),
        target_on=datetime.date.today() + datetime.timedelta(days=300),
    )


def test_every_counted_record_leads_to_its_force(world, settings, tmp_path):
    settings.AGREEMENTS_SIGNING_DIR = tmp_path
    settings.AGREEMENTS_SIGNING_AUTO_CREATE = True
    _one_of_each_counted_record(world)
    for label in invalidation.COUNTED:
        model = apps.get_model(label)
        records = list(model.objects.all()[:50])
        assert records, f"no {label} to check"
        assert {invalidation.force_id_of(r) for r in records} <= {
            world.forces["a"].pk,
            world.forces["b"].pk,
        }, label


def test_slots_published_in_bulk_clear_the_figures_through_their_audit_entry(world):
    """bulk_create sends no post_save: the audit entry written with the slots clears them."""
    import datetime

    from accounts.caching import _generations
    from bookings import services as booking_services
    from bookings.tests.factories import SessionFactory

    force = world.forces["a"]
    session = SessionFactory(provider=world.orgs["partner_a"])
    before = _generations([invalidation.TOPIC], force.pk)
    other_before = _generations([invalidation.TOPIC], world.forces["b"].pk)
    booking_services.slots_publish(
        session=session,
        by=world.partner,
        day=datetime.date.today() + datetime.timedelta(days=30),
        starts=datetime.time(9),
        ends=datetime.time(10),
        capacity=1,
    )
    assert _generations([invalidation.TOPIC], force.pk) != before
    assert _generations([invalidation.TOPIC], world.forces["b"].pk) == other_before
