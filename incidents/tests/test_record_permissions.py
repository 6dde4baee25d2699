"""Who may open each page of the operational records (searches, resolutions, arrests).

Need-to-know like casework: the school's named officer (here the neighbourhood officer), the
sergeants of its team (Alder Academy has no team: the force's sergeants), the force's prevention
managers, and the school's headteacher and DSL. Every other officer of the force (the Safer
Schools officer here), the school's other staff, another school and another force: nothing.
"""

import pytest
from django.urls import reverse

from tests.matrix import ANONYMOUS, DENIED, EVERYONE, HIDDEN, LOGIN, OK, REDIRECT, Row, check

from .factories import (
    ArrestFactory,
    IncidentFactory,
    IncidentPersonFactory,
    PupilSearchFactory,
    RestorativeResolutionFactory,
)

pytestmark = pytest.mark.django_db

EXTRA = ("other_force_sso", "other_force_manager", "other_school_dsl")
# Who owns Alder Academy's incidents: its named officer and the force's sergeant.
OWNERS = ("neighbourhood", "sergeant")
READERS = (*OWNERS, "manager", "headteacher", "dsl")


def rows(method, url, expected: dict, default, data=None):
    outcomes = {ANONYMOUS: LOGIN}
    for who in (*EVERYONE, *EXTRA):
        outcomes[who] = expected.get(who, default)
    return [Row(who, method, url, outcome, data) for who, outcome in outcomes.items()]


def _only(names, outcome):
    return dict.fromkeys(names, outcome)


@pytest.fixture
def objs(world):
    incident = IncidentFactory(school=world.schools["a1"], reported_by=world.dsl)
    IncidentPersonFactory(incident=incident)
    by = world.neighbourhood
    return {
        "incident": incident,
        "search": PupilSearchFactory(incident=incident, recorded_by=by),
        "resolution": RestorativeResolutionFactory(incident=incident, recorded_by=by),
        "arrest": ArrestFactory(incident=incident, recorded_by=by),
    }


def _create_page(name):
    """A form for a new record on the incident: the owners; other police (who read the
    incident) and the head and DSL are refused; everyone else does not see the incident."""
    return lambda world, o: rows(
        "GET",
        reverse(f"incidents:{name}", args=[o["incident"].public_id]),
        {**_only(OWNERS, OK), **_only(("sso", "manager", "headteacher", "dsl"), DENIED)},
        HIDDEN,
    )


def _read_page(name, key):
    return lambda world, o: rows(
        "GET", reverse(f"incidents:{name}", args=[o[key].public_id]), _only(READERS, OK), HIDDEN
    )


def _owner_page(name, key, method="GET"):
    return lambda world, o: rows(
        method,
        reverse(f"incidents:{name}", args=[o[key].public_id]),
        {**_only(OWNERS, OK), **_only(("manager", "headteacher", "dsl"), DENIED)},
        HIDDEN,
    )


OPERATIONAL_PAGES = {
    "search_create": _create_page("search_create"),
    "search_detail": _read_page("search_detail", "search"),
    "search_copy": _read_page("search_copy", "search"),
    "search_copies": _owner_page("search_copies", "search"),
    "resolution_create": lambda world, o: (
        _create_page("resolution_create")(world, o)
        + rows(
            "POST",
            reverse("incidents:resolution_create", args=[o["incident"].public_id]),
            {
                **_only(OWNERS, REDIRECT),
                **_only(("sso", "manager", "headteacher", "dsl"), DENIED),
            },
            HIDDEN,
            data={"proposed": "A written apology."},
        )
    ),
    "resolution_detail": _read_page("resolution_detail", "resolution"),
    "consent_add": _owner_page("consent_add", "resolution"),
    "resolution_outcome": _owner_page("resolution_outcome", "resolution"),
    "arrest_create": _create_page("arrest_create"),
    "arrest_detail": _read_page("arrest_detail", "arrest"),
}


@pytest.mark.parametrize("url_name", sorted(OPERATIONAL_PAGES))
def test_operational_records_permission_matrix(client, world, objs, url_name):
    check(client, world, OPERATIONAL_PAGES[url_name](world, objs))


def test_a_post_by_someone_refused_changes_nothing(client, world, objs):
    search = objs["search"]
    url = reverse("incidents:search_copies", args=[search.public_id])
    for who in ("sso", "manager", "dsl", "other_force_sso"):
        client.force_login(world.users[who])
        response = client.post(url, {"filed_with": "Someone"})
        assert response.status_code in (403, 404), who
    search.refresh_from_db()
    assert search.filed_with == ""
    client.force_login(world.dsl)
    response = client.post(
        reverse("incidents:search_create", args=[objs["incident"].public_id]), {}
    )
    assert response.status_code == 403


def test_the_officer_who_made_a_record_keeps_reading_it(client, world, objs):
    """The named officer who recorded a search still reads it after the school's contact
    changes; the new officer reads it too."""
    from schools.models import NamedContact

    NamedContact.objects.filter(school=world.schools["a1"]).update(officer=world.sso)
    search = objs["search"]
    for who in ("neighbourhood", "sso"):
        client.force_login(world.users[who])
        assert client.get(search.get_absolute_url()).status_code == 200, who


def test_a_sergeant_of_another_team_does_not_read_a_teams_school_records(client, world, objs):
    from accounts.models import Role
    from accounts.tests.factories import UserFactory

    school = world.schools["a1"]
    school.team = world.teams["sst_a"]
    school.save()
    other_sergeant = UserFactory(
        organisation=world.orgs["police_a"], role=Role.SERGEANT, team=world.teams["npt_a"]
    )
    sst_sergeant = UserFactory(organisation=world.orgs["police_a"], role=Role.SERGEANT)
    world.teams["sst_a"].sergeant = sst_sergeant
    world.teams["sst_a"].save()
    client.force_login(other_sergeant)
    assert client.get(objs["arrest"].get_absolute_url()).status_code == 404
    client.force_login(sst_sergeant)
    assert client.get(objs["arrest"].get_absolute_url()).status_code == 200
