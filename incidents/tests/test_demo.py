"""Demo incidents: made by the real services at the demo school, once, in several states."""

import io

import pytest
from django.core.management import call_command

from accounts.models import Force, User
from incidents.models import Incident
from incidents.records import ConsentSignature, PupilSearch, RestorativeResolution

pytestmark = pytest.mark.django_db(transaction=True)


def test_demo_incidents_in_several_states_once(monkeypatch, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setenv("DEMO_PASSWORD", "a-long-test-demo-password")
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    dorset = Force.objects.get(slug="dorset")
    dsl = User.objects.get(email="dsl@demo.safer-schools.test")
    incidents = Incident.objects.filter(school__force=dorset)
    assert {i.status for i in incidents} == {"draft", "new", "acknowledged", "closed"}
    assert incidents.filter(school__organisation=dsl.organisation).count() == 5
    assert incidents.filter(outcome="crime_recorded").get().crime_reference
    assert "incidents (6 added)" in out.getvalue()
    # The DSL sees the school's reports and their draft; the officer's force sees the sent ones.
    assert Incident.objects.visible_to(dsl).count() == 5
    assert Incident.objects.filter(school__force__slug="wessex").exists()
    # One search of a pupil, its copies given and filed; one resolution everyone agreed to.
    search = PupilSearch.objects.get(incident__school__organisation=dsl.organisation)
    assert search.copies_done and search in PupilSearch.objects.visible_to(dsl)
    resolution = RestorativeResolution.objects.get(incident__school__organisation=dsl.organisation)
    assert resolution.outcome == "completed" and resolution.missing_consents() == []
    assert "1 search and 1 restorative resolution added" in out.getvalue()
    before = Incident.objects.count(), ConsentSignature.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert (Incident.objects.count(), ConsentSignature.objects.count()) == before
