"""An officer turns a school's request for help into an incident (#18 item 5)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.forms_kit import date_data
from accounts.models import AuditEntry, OutboxEmail
from help_requests import services
from help_requests.models import HelpRequest
from incidents.models import Incident
from incidents.tests.factories import kind_of

pytestmark = pytest.mark.django_db


def _url(help_request):
    return reverse("help_requests:incident", args=[help_request.pk])


def _posted(world, **changes):
    data = {
        "kind": kind_of(world.forces["a"], "drugs").pk,
        **date_data("occurred_on", timezone.localdate() - datetime.timedelta(days=1)),
        "place": "journey",
        "place_detail": "The bus stop on Mill Lane",
        "summary": "Pupils were offered cannabis at the bus stop after school.",
        "answer": "We have recorded this as an incident and will patrol the bus stop.",
    }
    data.update(changes)
    return data


def test_the_form_is_prefilled_from_the_request(client, world, asked):
    client.force_login(world.neighbourhood)
    page = client.get(_url(asked)).content.decode()
    assert "Record it as an incident" in page
    assert asked.need in page  # what happened, from the request
    created = timezone.localtime(asked.created).date()
    assert f'value="{created.day}"' in page and f'value="{created.year}"' in page
    assert "Weapon" in page  # the force's kinds to choose from


def test_an_officer_records_the_request_as_an_incident_and_the_school_sees_it(client, world, asked):
    OutboxEmail.objects.all().delete()
    client.force_login(world.neighbourhood)
    response = client.post(_url(asked), _posted(world))
    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == incident.get_absolute_url()
    assert incident.school == asked.school
    assert incident.reported_by == world.school_link  # who told the police
    assert incident.kind.key == "drugs" and incident.place == "journey"
    assert incident.summary.startswith("Pupils were offered")
    assert incident.status == Incident.Status.ACKNOWLEDGED
    assert incident.acknowledged_by == world.neighbourhood
    assert incident.sent_at == asked.created
    asked.refresh_from_db()
    assert asked.incident == incident
    assert asked.status == HelpRequest.Status.ANSWERED
    assert asked.answer.startswith("We have recorded this")
    assert asked.answered_by == world.neighbourhood
    # The asker is told the answer; the audit trail has both sides, naming nobody.
    assert list(OutboxEmail.objects.values_list("to", flat=True)) == [world.school_link.email]
    entries = AuditEntry.objects.filter(
        action__in=[
            "incidents.incident.recorded_from_request",
            "help_requests.request.incident_recorded",
        ]
    )
    assert entries.count() == 2
    assert all("cannabis" not in str(entry.changes) for entry in entries)
    # The officer finds it in the incidents list at once.
    assert incident.get_absolute_url() in client.get(reverse("incidents:list")).content.decode()
    # The DSL (who may read incidents) sees the answer and a link to the incident.
    client.force_login(world.dsl)
    page = client.get(asked.get_absolute_url()).content.decode()
    assert "We have recorded this" in page
    assert f'href="{incident.get_absolute_url()}"' in page
    assert client.get(incident.get_absolute_url()).status_code == 200
    # The school link who asked sees the answer and the incident's reference, not a link.
    client.force_login(world.school_link)
    page = client.get(asked.get_absolute_url()).content.decode()
    assert "We have recorded this" in page and f"Incident {incident.reference}" in page
    assert incident.get_absolute_url() not in page
    # The officer is offered it no more.
    client.force_login(world.neighbourhood)
    page = client.get(asked.get_absolute_url()).content.decode()
    assert _url(asked) not in page
    assert client.get(_url(asked)).status_code == 302


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": ""}, "Choose what happened"),
        ({"kind": "999999"}, "Choose one of the kinds of incident listed"),
        ({"place": "moon"}, "Choose where it happened"),
        ({"summary": "   "}, "Describe what happened"),
        ({"summary": "x" * 3001}, "characters or fewer"),
        ({"answer": ""}, "Write your answer to the school"),
        ({"answer": "y" * 2001}, "Your answer must be 2,000 characters or fewer"),
        ({"occurred_on_0": "", "occurred_on_1": "", "occurred_on_2": ""}, "Enter the date"),
        (
            date_data("occurred_on", timezone.localdate() + datetime.timedelta(days=2)),
            "must be today or in the past",
        ),
        ({"occurred_on_0": "31", "occurred_on_1": "2", "occurred_on_2": "2026"}, "real date"),
    ],
)
def test_bad_input_is_refused_kept_and_records_nothing(client, world, asked, changes, message):
    client.force_login(world.neighbourhood)
    data = _posted(world, **changes)
    response = client.post(_url(asked), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    assert "The bus stop on Mill Lane" in page  # what was typed is kept
    assert not Incident.objects.exists()
    asked.refresh_from_db()
    assert asked.incident is None and asked.status == HelpRequest.Status.OPEN


def test_another_forces_kind_is_refused_by_the_service(world, asked):
    with pytest.raises(ValidationError) as refused:
        services.help_request_record_incident(
            help_request=asked,
            by=world.neighbourhood,
            kind=kind_of(world.forces["b"], "drugs"),
            occurred_on=timezone.localdate(),
            place="in_school",
            summary="Found",
            answer="Recorded",
        )
    assert "kind" in refused.value.message_dict
    assert not Incident.objects.exists()


def test_a_request_is_recorded_as_an_incident_once(world, asked):
    fields = {
        "kind": kind_of(world.forces["a"], "weapon"),
        "occurred_on": timezone.localdate(),
        "place": "in_school",
        "summary": "A knife found in a bag",
        "answer": "Recorded",
    }
    services.help_request_record_incident(help_request=asked, by=world.neighbourhood, **fields)
    with pytest.raises(ValidationError):
        services.help_request_record_incident(help_request=asked, by=world.sergeant, **fields)
    assert Incident.objects.count() == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("other_force_sso", 404),
        ("other_force_manager", 403),  # refused by role first
        ("school_link", 403),
        ("headteacher", 403),
        ("manager", 403),
        ("partner", 403),
    ],
)
def test_only_an_officer_of_the_force_may_record_it(client, world, asked, who, status):
    client.force_login(world.users[who])
    assert client.get(_url(asked)).status_code == status
    assert client.post(_url(asked), _posted(world)).status_code == status
    assert not Incident.objects.exists()


def test_the_service_refuses_someone_who_may_not_answer(world, asked):
    with pytest.raises(PermissionDenied):
        services.help_request_record_incident(
            help_request=asked,
            by=world.other_force_sso,
            kind=kind_of(world.forces["a"], "weapon"),
            occurred_on=timezone.localdate(),
            place="in_school",
            summary="Found",
            answer="Recorded",
        )
    assert not Incident.objects.exists()


def test_a_closed_request_is_not_recorded(client, world, asked):
    services.help_request_close(help_request=asked, by=world.neighbourhood)
    client.force_login(world.neighbourhood)
    assert client.post(_url(asked), _posted(world)).status_code == 403
    assert not Incident.objects.exists()
