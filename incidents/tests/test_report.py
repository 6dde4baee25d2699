"""A school's report, step by step: each step saves, bad answers are refused in plain English,
and sending tells the named officer, the deputy and the team's sergeant without naming anyone."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.forms_kit import date_data
from accounts.models import AuditEntry, OutboxEmail
from incidents.models import Incident, IncidentPerson
from schools.models import NamedContact

from .factories import kind_of

pytestmark = pytest.mark.django_db


def _start(client, world, key="weapon"):
    client.force_login(world.dsl)
    response = client.post(reverse("incidents:start"), {"kind": kind_of(world.forces["a"], key).pk})
    assert response.status_code == 302
    return Incident.objects.get()


def _step(incident, step, query=""):
    return reverse("incidents:step", args=[incident.public_id, step]) + query


def _answer_everything(client, incident):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    answers = [
        ("when", {**date_data("occurred_on", yesterday), "occurred_at": "8:45am"}),
        ("where", {"place": "in_school", "place_detail": "Form room 10B"}),
        ("what", {"summary": "Tutor found a knife in a bag at registration."}),
        ("third_party", {"third_party_reported": "no"}),
        ("evidence", {"evidence_kept": "yes", "evidence_detail": "The knife, bagged."}),
        ("parents", {"parents_told": "yes", "parents_told_detail": "Head of year phoned"}),
    ]
    for step, data in answers:
        response = client.post(_step(incident, step), data)
        assert response.status_code == 302, (step, response.content.decode()[:3000])
    response = client.post(
        reverse("incidents:person_add", args=[incident.public_id]),
        {
            "part": "suspect",
            "kind": "pupil",
            "first_name": "Riley",
            "last_name": "Okafor",
            "year_group": "10",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("incidents:exhibit_add", args=[incident.public_id]),
        {"what": "Knife", "where_kept": "Safe", "held_by": "Headteacher"},
    )
    assert response.status_code == 302


def test_each_step_saves_the_draft_and_moves_on(client, world):
    incident = _start(client, world)
    assert incident.status == Incident.Status.DRAFT and incident.kind.key == "weapon"
    response = client.post(
        _step(incident, "when"),
        {
            **date_data("occurred_on", timezone.localdate() - datetime.timedelta(days=1)),
            "occurred_at": "2:30pm",
        },
    )
    assert response["Location"] == _step(incident, "where")
    incident.refresh_from_db()
    assert incident.occurred_at == datetime.time(14, 30)
    # From the check page, a change goes back to the check page.
    response = client.post(_step(incident, "where", "?next=check"), {"place": "journey"})
    assert response["Location"] == reverse("incidents:check", args=[incident.public_id])
    incident.refresh_from_db()
    assert incident.place == "journey"
    # The audit says which answers changed, never what they say.
    entry = AuditEntry.objects.filter(action="incidents.incident.draft_saved").first()
    assert entry.changes["step"] == "where" and "Form room" not in str(entry.changes)


def test_an_urgent_kind_tells_the_reporter_to_call_999_and_still_records(client, world):
    incident = _start(client, world, "weapon")
    page = client.get(_step(incident, "when")).content.decode()
    assert "call 999 now" in page and "control room" in page
    # The protocol's steps for the kind are on the page, from the force's data.
    assert "Do not put anyone at risk to take a weapon" in page
    drugs = _start_second(client, world, "drugs")
    assert "call 999 now" not in client.get(_step(drugs, "when")).content.decode()


def _start_second(client, world, key):
    client.post(reverse("incidents:start"), {"kind": kind_of(world.forces["a"], key).pk})
    return Incident.objects.order_by("-pk").first()


def test_sending_tells_the_named_officer_the_deputy_and_the_sergeant_without_a_name(client, world):
    contact = NamedContact.objects.get(school=world.schools["a1"])
    contact.deputy = world.sso
    contact.save()
    incident = _start(client, world)
    _answer_everything(client, incident)
    page = client.get(reverse("incidents:check", args=[incident.public_id])).content.decode()
    assert "Check your answers" in page and "Riley Okafor" in page
    response = client.post(reverse("incidents:check", args=[incident.public_id]))
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == Incident.Status.NEW and incident.sent_at
    emails = OutboxEmail.objects.filter(template="incidents/email/incident_reported")
    assert sorted(e.to for e in emails) == sorted(
        [world.neighbourhood.email, world.sso.email, world.sergeant.email]
    )
    for email in emails:
        assert "Riley" not in email.body_text + email.subject + email.body_html
        assert "Okafor" not in email.body_text + email.body_html
        assert world.schools["a1"].name in email.subject
        assert incident.get_absolute_url() in email.body_text
    # A sent report is no longer a draft to change.
    response = client.post(_step(incident, "where"), {"place": "journey"})
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.place == "in_school"


def test_a_report_with_questions_unanswered_is_not_sent(client, world):
    incident = _start(client, world)
    response = client.post(reverse("incidents:check", args=[incident.public_id]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "Enter the date of the incident" in page
    incident.refresh_from_db()
    assert incident.status == Incident.Status.DRAFT
    assert not OutboxEmail.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"occurred_on_0": "31", "occurred_on_1": "2", "occurred_on_2": "2026"},
            "must be a real date",
        ),
        (
            {"occurred_on_0": "", "occurred_on_1": "", "occurred_on_2": ""},
            "Enter the date of the incident",
        ),
        (
            {"occurred_on_0": "1", "occurred_on_1": "", "occurred_on_2": "2026"},
            "must include a month",
        ),
        (
            date_data("occurred_on", timezone.localdate() + datetime.timedelta(days=1)),
            "today or in the past",
        ),
        ({**date_data("occurred_on", timezone.localdate()), "occurred_at": "25:00"}, "real time"),
        ({**date_data("occurred_on", timezone.localdate()), "occurred_at": "soon"}, "like 9:30am"),
    ],
)
def test_impossible_and_future_dates_are_refused_and_kept(client, world, data, message):
    incident = _start(client, world)
    response = client.post(_step(incident, "when"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and "There is a problem" in page
    incident.refresh_from_db()
    assert incident.occurred_on is None


def test_a_missing_kind_is_refused(client, world):
    client.force_login(world.dsl)
    response = client.post(reverse("incidents:start"), {})
    assert response.status_code == 200
    assert "Choose what happened" in response.content.decode()
    # Another force's kind is no choice either.
    response = client.post(reverse("incidents:start"), {"kind": kind_of(world.forces["b"]).pk})
    assert "Choose one of the kinds of incident listed" in response.content.decode()
    assert not Incident.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"part": "victim", "kind": "pupil"}, "Enter the pupil&#x27;s first name, or tick"),
        (
            {"part": "victim", "kind": "pupil", "first_name": "Sam"},
            "Enter the pupil&#x27;s last name",
        ),
        (
            {"part": "victim", "kind": "pupil", "first_name": "Sam", "name_not_known": "on"},
            "not both",
        ),
        ({"part": "witness", "kind": "staff"}, "Enter the person&#x27;s name or a description"),
        ({"kind": "pupil", "name_not_known": "on"}, "Choose whether they are a victim"),
    ],
)
def test_a_person_without_a_name_must_be_not_known(client, world, data, message):
    incident = _start(client, world)
    response = client.post(reverse("incidents:person_add", args=[incident.public_id]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not IncidentPerson.objects.exists()


def test_a_pupil_whose_name_is_not_known_is_added(client, world):
    incident = _start(client, world)
    response = client.post(
        reverse("incidents:person_add", args=[incident.public_id]),
        {"part": "suspect", "kind": "pupil", "name_not_known": "on", "year_group": "9"},
    )
    assert response.status_code == 302
    person = IncidentPerson.objects.get()
    assert person.name == "Name not known" and person.year_group == "9"


def test_yes_needs_its_detail(client, world):
    incident = _start(client, world)
    response = client.post(_step(incident, "third_party"), {"third_party_reported": "yes"})
    assert "Enter who reported it" in response.content.decode()
    response = client.post(_step(incident, "evidence"), {"evidence_kept": "yes"})
    assert "Enter what evidence has been kept" in response.content.decode()
    response = client.post(_step(incident, "evidence"), {"evidence_kept": "maybe"})
    assert response.status_code == 200
    incident.refresh_from_db()
    assert incident.third_party_reported is None and incident.evidence_kept is None


def test_an_unknown_step_is_404(client, world):
    incident = _start(client, world)
    assert client.get(_step(incident, "nonsense")).status_code == 404
