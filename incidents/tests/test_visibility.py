"""Need-to-know: the school's headteacher and designated leads see their school's reports, the
force's police officers see them all, nobody else sees any; a draft is its author's only."""

import pytest
from django.urls import reverse

from accounts.models import AuditEntry
from incidents.models import DesignatedLead, Incident
from incidents.services import lead_designate

from .factories import IncidentFactory

pytestmark = pytest.mark.django_db


def test_who_sees_an_incident(world, incident):
    draft = IncidentFactory(
        school=world.schools["a1"],
        reported_by=world.dsl,
        status=Incident.Status.DRAFT,
        sent_at=None,
    )
    other_school = IncidentFactory(school=world.schools["a2"], reported_by=world.other_school_dsl)
    seen = {who: set(Incident.objects.visible_to(user)) for who, user in world.users.items()}
    for who in ("sso", "neighbourhood", "sergeant", "manager"):
        assert seen[who] == {incident, other_school}, who
    assert seen["dsl"] == {incident, draft}
    assert seen["headteacher"] == {incident}
    assert seen["other_school_headteacher"] == {other_school}
    for who in (
        "school_link",
        "admin",
        "coordinator",
        "partner",
        "other_force_admin",
        "other_force_sso",
        "other_force_headteacher",
        "other_force_manager",
    ):
        assert seen[who] == set(), who


def test_a_designated_lead_reports_and_reads_the_school_reports(client, world, incident):
    client.force_login(world.school_link)
    assert client.get(incident.get_absolute_url()).status_code == 404
    assert client.get(reverse("incidents:start")).status_code == 403

    client.force_login(world.headteacher)
    page = client.get(reverse("incidents:leads")).content.decode()
    assert "School Link" in page
    response = client.post(reverse("incidents:leads"), {"person": world.school_link.pk})
    assert response.status_code == 302
    lead = DesignatedLead.objects.get()
    assert AuditEntry.objects.filter(action="incidents.lead.designated").exists()

    client.force_login(world.school_link)
    assert client.get(incident.get_absolute_url()).status_code == 200
    assert client.get(reverse("incidents:start")).status_code == 200

    client.force_login(world.headteacher)
    client.post(reverse("incidents:lead_withdraw", args=[lead.pk]))
    client.force_login(world.school_link)
    assert client.get(incident.get_absolute_url()).status_code == 404


def test_only_the_school_staff_can_be_designated(client, world):
    client.force_login(world.headteacher)
    response = client.post(reverse("incidents:leads"), {"person": world.sso.pk})
    assert "Choose a member of your school" in response.content.decode()
    response = client.post(reverse("incidents:leads"), {"person": world.other_school_dsl.pk})
    assert "Choose a member of your school" in response.content.decode()
    assert not DesignatedLead.objects.exists()
    with pytest.raises(Exception):  # noqa: B017, PT011 - the model refuses it too
        lead_designate(school=world.schools["a1"], person=world.sso, by=world.headteacher)


def test_an_incident_list_shows_each_reader_their_own(client, world, incident):
    IncidentFactory(school=world.schools["a2"], reported_by=world.other_school_dsl)
    client.force_login(world.headteacher)
    page = client.get(reverse("incidents:list")).content.decode()
    assert "1 incident" in page and "Birch Primary" not in page
    client.force_login(world.sso)
    page = client.get(reverse("incidents:list")).content.decode()
    assert "2 incidents" in page
    # No pupil is named in the list.
    assert "Demo-Okafor" not in page


def test_an_officer_narrows_the_list_to_their_schools(client, world, incident):
    IncidentFactory(school=world.schools["a2"], reported_by=world.other_school_dsl)
    # The neighbourhood officer is Alder Academy's named contact; Birch Primary is nobody's.
    client.force_login(world.neighbourhood)
    assert "1 incident" in client.get(reverse("incidents:list") + "?mine=1").content.decode()
    assert "2 incidents" in client.get(reverse("incidents:list")).content.decode()
    world.schools["a2"].team = world.teams["npt_a"]
    world.schools["a2"].save()
    client.force_login(world.sergeant)  # leads North NPT, which now holds Birch Primary
    assert "1 incident" in client.get(reverse("incidents:list") + "?mine=1").content.decode()
    client.force_login(world.sso)
    assert "0 incidents" in client.get(reverse("incidents:list") + "?mine=1").content.decode()
