"""The operational records on the incident page and in each model's visible_to: need-to-know,
at constant queries as they grow, each record shown logged in the access log."""

import pytest

from accounts.models import AccessLogEntry
from incidents.records import Arrest, ConsentSignature, PupilSearch, RestorativeResolution

from .factories import (
    ArrestFactory,
    IncidentFactory,
    PupilSearchFactory,
    RestorativeResolutionFactory,
    consent_of,
)

pytestmark = pytest.mark.django_db


def _records(world, incident, by=None):
    by = by or world.neighbourhood
    search = PupilSearchFactory(incident=incident, recorded_by=by)
    resolution = RestorativeResolutionFactory(incident=incident, recorded_by=by)
    consent_of(resolution, "victim", "Sam Demo-Victim", by=by)
    arrest = ArrestFactory(incident=incident, recorded_by=by)
    return search, resolution, arrest


def test_who_sees_the_records(world, incident):
    search, resolution, arrest = _records(world, incident)
    other_school = IncidentFactory(school=world.schools["a2"], reported_by=world.other_school_dsl)
    other_search = PupilSearchFactory(incident=other_school, recorded_by=world.sergeant)
    for model in (PupilSearch, RestorativeResolution, Arrest, ConsentSignature):
        seen = {who: set(model.objects.visible_to(user)) for who, user in world.users.items()}
        assert seen["neighbourhood"], model
        assert seen["headteacher"] == seen["dsl"] == seen["neighbourhood"], model
        for who in (
            "sso",
            "school_link",
            "admin",
            "coordinator",
            "partner",
            "other_school_headteacher",
            "other_force_admin",
            "other_force_sso",
            "other_force_headteacher",
            "other_force_manager",
        ):
            if model is PupilSearch and who == "other_school_headteacher":
                assert seen[who] == {other_search}
                continue
            assert seen[who] == set(), (model, who)
    assert set(PupilSearch.objects.visible_to(world.manager)) == {search, other_search}
    # The force's sergeant (neither school has a team) and the officer who recorded it.
    assert set(PupilSearch.objects.visible_to(world.sergeant)) == {search, other_search}
    assert set(Arrest.objects.visible_to(world.neighbourhood)) == {arrest}


def test_the_incident_page_shows_the_records_to_those_who_need_to_know(client, world, incident):
    search, resolution, arrest = _records(world, incident)
    for who in ("neighbourhood", "dsl", "headteacher", "manager"):
        client.force_login(world.users[who])
        page = client.get(incident.get_absolute_url()).content.decode()
        assert search.get_absolute_url() in page, who
        assert resolution.get_absolute_url() in page and arrest.get_absolute_url() in page
    logged = AccessLogEntry.objects.filter(actor=world.manager).values_list("target_id", flat=True)
    assert {str(search.pk), str(arrest.pk), str(resolution.pk)} <= set(logged)
    # Another officer of the force reads the incident, not the records, and may not add one.
    client.force_login(world.sso)
    page = client.get(incident.get_absolute_url()).content.decode()
    assert search.get_absolute_url() not in page and "Searches, resolutions" not in page
    client.force_login(world.neighbourhood)
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "Record a search of a pupil" in page
    client.force_login(world.dsl)
    assert (
        "Record a search of a pupil" not in client.get(incident.get_absolute_url()).content.decode()
    )


@pytest.mark.parametrize("who", ["neighbourhood", "dsl"])
def test_the_incident_page_is_constant_as_records_grow(client, world, incident, who, count_queries):
    client.force_login(world.users[who])
    _records(world, incident)
    client.get(incident.get_absolute_url())  # warm: the session and content types
    few = count_queries(client, incident.get_absolute_url())
    for _ in range(3):
        _records(world, incident)
    assert count_queries(client, incident.get_absolute_url()) == few
