"""The officer acknowledges and records the outcome; the school sees the status, the outcome
and the note for the school, never the police-only note; "referred into casework" makes a
referral linked to the incident."""

import datetime

import pytest
from django.urls import reverse

from accounts.forms_kit import date_data
from accounts.models import AccessLogEntry, AuditEntry
from incidents.models import Incident
from referrals.models import Referral
from referrals.tests.factories import WITH_CONSENT

pytestmark = pytest.mark.django_db


def test_the_officer_acknowledges_then_records_an_outcome_the_school_reads(client, world, incident):
    client.force_login(world.neighbourhood)
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "Riley Demo-Okafor" in page and "Acknowledge" in page
    assert AccessLogEntry.objects.filter(
        target_id=str(incident.pk), actor=world.neighbourhood
    ).exists()
    response = client.post(reverse("incidents:acknowledge", args=[incident.public_id]))
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == Incident.Status.ACKNOWLEDGED
    assert incident.acknowledged_by == world.neighbourhood

    response = client.post(
        reverse("incidents:outcome", args=[incident.public_id]),
        {
            "outcome": "crime_recorded",
            "crime_reference": "55/12345/26",
            "school_note": "Knife seized; I will see the family at home tonight.",
            "police_note": "Sibling known to the gangs unit.",
        },
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == Incident.Status.CLOSED
    assert incident.crime_reference == "55/12345/26"
    entry = AuditEntry.objects.get(action="incidents.incident.outcome_recorded")
    assert "gangs" not in str(entry.changes)

    client.force_login(world.dsl)
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "Crime recorded" in page and "55/12345/26" in page
    assert "see the family at home tonight" in page
    assert "gangs unit" not in page and "Police-only" not in page
    assert reverse("incidents:outcome", args=[incident.public_id]) not in page
    assert reverse("incidents:acknowledge", args=[incident.public_id]) not in page
    # The officer still sees the police-only note.
    client.force_login(world.sergeant)
    assert "gangs unit" in client.get(incident.get_absolute_url()).content.decode()


def test_a_crime_recorded_needs_its_reference(client, world, incident):
    client.force_login(world.sso)
    response = client.post(
        reverse("incidents:outcome", args=[incident.public_id]), {"outcome": "crime_recorded"}
    )
    assert response.status_code == 200
    assert "Enter the crime reference" in response.content.decode()
    response = client.post(reverse("incidents:outcome", args=[incident.public_id]), {})
    assert "Choose the outcome" in response.content.decode()
    incident.refresh_from_db()
    assert incident.status == Incident.Status.NEW


def test_referred_into_casework_makes_a_referral_linked_to_the_incident(client, world, incident):
    client.force_login(world.sergeant)
    response = client.post(
        reverse("incidents:outcome", args=[incident.public_id]),
        {"outcome": "referred", "school_note": "Referred to the Safer Schools team."},
    )
    form_url = reverse("referrals:referral_create_for_incident", args=[incident.public_id])
    assert response["Location"] == form_url
    page = client.get(form_url).content.decode()
    # Filled in from the incident: its pupil, its school and what happened.
    assert 'value="Riley"' in page and 'value="Demo-Okafor"' in page
    assert f"From incident {incident.reference}" in page
    response = client.post(
        form_url,
        {
            "first_name": "Riley",
            "last_name": "Demo-Okafor",
            **date_data("date_of_birth", datetime.date(2011, 3, 27)),
            "school": world.schools["a1"].pk,
            "year_group": "10",
            "thresholds": ["high_harm"],
            "source": "proactive",
            "concern": "Knife found in school.",
            **WITH_CONSENT,  # a referral from an incident asks consent like any other
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    referral = Referral.objects.get()
    assert referral.incident == incident and referral.school == world.schools["a1"]
    incident.refresh_from_db()
    assert incident.outcome == Incident.Outcome.REFERRED
    assert (
        f"Referral {referral.reference}" in client.get(incident.get_absolute_url()).content.decode()
    )
    page = client.get(referral.get_absolute_url()).content.decode()
    assert f"incident {incident.reference}" in page


def test_a_referral_made_before_any_outcome_records_it(client, world, incident):
    client.force_login(world.neighbourhood)
    response = client.post(
        reverse("referrals:referral_create_for_incident", args=[incident.public_id]),
        {
            "first_name": "Riley",
            "last_name": "Demo-Okafor",
            **date_data("date_of_birth", datetime.date(2011, 3, 27)),
            "thresholds": ["high_harm"],
            "source": "proactive",
            "concern": "Knife found in school.",
            **WITH_CONSENT,  # a referral from an incident asks consent like any other
        },
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == Incident.Status.CLOSED
    assert incident.outcome == Incident.Outcome.REFERRED


def test_school_staff_and_other_forces_cannot_handle(client, world, incident):
    for who in ("dsl", "headteacher", "manager", "admin"):
        client.force_login(world.users[who])
        response = client.post(reverse("incidents:acknowledge", args=[incident.public_id]))
        assert response.status_code in (403, 404), who
    client.force_login(world.other_force_sso)
    assert client.get(incident.get_absolute_url()).status_code == 404
    incident.refresh_from_db()
    assert incident.status == Incident.Status.NEW
