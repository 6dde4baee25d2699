"""An arrest on the premises: the protocol's step shown on the form, from the force's protocol
text; the officer confirms why it could not wait and who at the school was told."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.forms_kit import date_data
from accounts.models import AuditEntry
from incidents.models import ProtocolStep
from incidents.records import Arrest

pytestmark = pytest.mark.django_db


def _arrest_data(**overrides):
    data = {
        "person_name": "Riley Demo-Okafor",
        "year_group": "10",
        **date_data("arrested_on", timezone.localdate() - datetime.timedelta(days=1)),
        "arrested_at": "11:00",
        "offence": "Possession of a bladed article on school premises",
        "necessity": "To prevent harm: threats to another pupil.",
        "why_not_wait": "Threats made to a named pupil for home time today.",
        "protocol_confirmed": "on",
        "head_told": "Ms K Hall, headteacher",
        "head_told_at": "10:45",
        "police_note": "Linked to an ongoing investigation.",
    }
    data.update(overrides)
    return data


def test_the_form_shows_the_forces_own_arrest_step(client, world, incident):
    step = ProtocolStep.objects.get(kind=incident.kind, text__icontains="arrest")
    step.text = (
        "Dorset's own words: arrests at school only for serious matters, with the head told."
    )
    step.save()
    client.force_login(world.neighbourhood)
    page = client.get(reverse("incidents:arrest_create", args=[incident.public_id]))
    assert "Dorset&#x27;s own words: arrests at school only" in page.content.decode()


def test_the_officer_records_an_arrest_the_school_reads(client, world, incident):
    client.force_login(world.neighbourhood)
    response = client.post(
        reverse("incidents:arrest_create", args=[incident.public_id]), _arrest_data()
    )
    arrest = Arrest.objects.get()
    assert response["Location"] == arrest.get_absolute_url()
    assert arrest.protocol_confirmed and arrest.head_told_at == datetime.time(10, 45)
    entry = AuditEntry.objects.get(action="incidents.arrest.recorded")
    assert "Riley" not in str(entry.changes) and "bladed" not in str(entry.changes)
    client.force_login(world.headteacher)
    page = client.get(arrest.get_absolute_url()).content.decode()
    assert "Possession of a bladed article" in page and "Ms K Hall, headteacher" in page
    assert "ongoing investigation" not in page
    client.force_login(world.manager)
    assert "ongoing investigation" in client.get(arrest.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"protocol_confirmed": ""}, "Confirm the matter was serious and could not wait"),
        ({"why_not_wait": ""}, "Enter why the arrest could not wait"),
        ({"necessity": ""}, "Enter why the arrest was necessary"),
        ({"offence": ""}, "Enter the offence the arrest is for"),
        ({"head_told": ""}, "Enter who at the school was told"),
        ({"head_told_at": ""}, "Enter the time the school was told"),
        ({"arrested_at": "25:00"}, "Enter a real time"),
        (
            date_data("arrested_on", timezone.localdate() + datetime.timedelta(days=1)),
            "The date of the arrest must be today or in the past",
        ),
    ],
)
def test_an_arrest_with_a_missing_or_bad_answer_is_refused(
    client, world, incident, overrides, message
):
    client.force_login(world.neighbourhood)
    response = client.post(
        reverse("incidents:arrest_create", args=[incident.public_id]), _arrest_data(**overrides)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Riley Demo-Okafor" in page  # kept what was typed
    assert not Arrest.objects.exists()
