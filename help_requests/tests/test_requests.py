"""Asking for help, answering, turning a request into an engagement or a session, closing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.forms_kit import date_data
from accounts.models import AuditEntry, OutboxEmail
from bookings.tests.factories import SessionFactory
from help_requests import services
from help_requests.models import HelpRequest
from schools.models import Engagement

pytestmark = pytest.mark.django_db


def _ask(client, user, **data):
    client.force_login(user)
    return client.post(reverse("help_requests:create"), {"kind": "talk", **data})


def test_a_school_link_asks_and_the_officer_cover_and_sergeant_are_emailed(client, world, school):
    deputy = world.sso
    school.named_contacts.update(deputy=deputy)
    needed_by = timezone.localdate() + datetime.timedelta(days=10)
    response = _ask(
        client,
        world.school_link,
        need="Year 8 assembly on online safety",
        **date_data("needed_by", needed_by),
    )
    help_request = HelpRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == help_request.get_absolute_url()
    assert help_request.school == school
    assert help_request.officer == world.neighbourhood
    assert help_request.deputy == deputy
    assert help_request.needed_by == needed_by
    assert help_request.status == HelpRequest.Status.OPEN
    told = set(OutboxEmail.objects.values_list("to", flat=True))
    assert told == {world.neighbourhood.email, deputy.email, world.sergeant.email}
    assert AuditEntry.objects.filter(action="help_requests.request.asked").count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"need": ""}, "need", "Say what you need"),
        ({"need": "   "}, "need", "Say what you need"),
        ({"need": "x" * 2001}, "need", "What you need must be 2,000 characters or fewer"),
        ({"need": "A talk", "kind": "parade"}, "kind", "Choose what you need help with"),
        (
            {"need": "A talk", **date_data("needed_by", datetime.date(2020, 1, 1))},
            "needed_by",
            "The date it is needed must be today or in the future",
        ),
        (
            {"need": "A talk", "needed_by_0": "31", "needed_by_1": "2", "needed_by_2": "2030"},
            "needed_by",
            "must be a real date",
        ),
    ],
)
def test_bad_input_is_refused_and_kept(client, world, school, data, field, message):
    response = _ask(client, world.dsl, **data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not HelpRequest.objects.exists()
    if data.get("need", "").strip():
        assert data["need"] in response.content.decode()


def test_the_service_refuses_a_past_date_and_someone_of_another_school(world, school):
    with pytest.raises(ValidationError):
        services.help_request_ask(
            school=school,
            by=world.dsl,
            kind="advice",
            need="Advice",
            needed_by=timezone.localdate() - datetime.timedelta(days=1),
        )
    with pytest.raises(ValidationError):
        services.help_request_ask(
            school=school, by=world.other_school_headteacher, kind="advice", need="Advice"
        )
    assert not HelpRequest.objects.exists()


def test_the_officer_answers_and_the_school_sees_it_and_is_emailed(client, world, asked):
    OutboxEmail.objects.all().delete()
    client.force_login(world.neighbourhood)
    response = client.post(
        reverse("help_requests:answer", args=[asked.pk]),
        {"answer": "I can do the assembly on the 14th."},
    )
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == HelpRequest.Status.ANSWERED
    assert asked.answered_by == world.neighbourhood
    assert list(OutboxEmail.objects.values_list("to", flat=True)) == [world.school_link.email]
    client.force_login(world.headteacher)
    page = client.get(asked.get_absolute_url()).content.decode()
    assert "I can do the assembly on the 14th." in page
    assert "Answered" in page


def test_an_empty_answer_is_refused(client, world, asked):
    client.force_login(world.neighbourhood)
    response = client.post(reverse("help_requests:answer", args=[asked.pk]), {"answer": "  "})
    assert response.status_code == 200
    assert "Write your answer to the school" in response.content.decode()
    asked.refresh_from_db()
    assert asked.status == HelpRequest.Status.OPEN


def test_the_officer_logs_the_engagement_from_a_prefilled_form(client, world, asked):
    client.force_login(world.neighbourhood)
    url = reverse("help_requests:engagement", args=[asked.pk])
    form = client.get(url).context["form"]
    assert form.initial["kind"] == Engagement.Kind.INPUT
    today = timezone.localdate()
    response = client.post(
        url,
        {
            **date_data("occurred_on", today),
            "kind": "input",
            "purpose": "educator",
            "summary": "Assembly on online safety",
            "duration_minutes": "45",
        },
    )
    assert response.status_code == 302
    asked.refresh_from_db()
    engagement = asked.engagement
    assert engagement.school == asked.school
    assert engagement.officer == world.neighbourhood
    assert engagement.kind == Engagement.Kind.INPUT
    # A second time is refused: the request is linked to one engagement.
    assert client.get(url).status_code == 302
    with pytest.raises(ValidationError):
        services.help_request_log_engagement(
            help_request=asked,
            by=world.neighbourhood,
            occurred_on=today,
            kind="input",
            purpose="educator",
            duration_minutes=30,
        )
    assert Engagement.objects.count() == 1


def test_the_school_sees_what_was_done_but_not_the_police_note(client, world, asked):
    services.help_request_log_engagement(
        help_request=asked,
        by=world.neighbourhood,
        occurred_on=timezone.localdate(),
        kind="input",
        purpose="educator",
        duration_minutes=30,
        summary="Police-only note about the cohort",
    )
    client.force_login(world.dsl)
    page = client.get(asked.get_absolute_url()).content.decode()
    assert "Input to a class or assembly" in page
    assert "Police-only note" not in page


def test_the_officer_suggests_a_session_the_school_can_book(client, world, asked):
    session = SessionFactory(provider=world.orgs["partner_a"], title="Online safety for Year 8")
    other_force = SessionFactory(provider=world.orgs["police_b"], title="Elsewhere")
    client.force_login(world.neighbourhood)
    url = reverse("help_requests:session", args=[asked.pk])
    response = client.post(url, {"session": other_force.pk})
    assert "Choose a session of the force" in response.content.decode()
    response = client.post(url, {"session": session.pk})
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.suggested_session == session
    client.force_login(world.school_link)
    page = client.get(asked.get_absolute_url()).content.decode()
    assert reverse("bookings:session_detail", args=[session.pk]) in page


def test_a_closed_request_cannot_be_answered(client, world, asked):
    client.force_login(world.sergeant)
    assert client.post(reverse("help_requests:close", args=[asked.pk])).status_code == 302
    asked.refresh_from_db()
    assert asked.is_closed and asked.closed_by == world.sergeant
    response = client.post(reverse("help_requests:answer", args=[asked.pk]), {"answer": "Late"})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.help_request_answer(help_request=asked, by=world.neighbourhood, answer="Late")


def test_need_to_know(world, school, asked):
    other = services.help_request_ask(
        school=world.schools["a2"], by=world.other_school_headteacher, kind="advice", need="Gates"
    )
    visible = lambda user: set(HelpRequest.objects.visible_to(user))  # noqa: E731
    assert visible(world.dsl) == {asked}
    assert visible(world.other_school_headteacher) == {other}
    assert visible(world.sso) == {asked, other}
    assert visible(world.other_force_admin) == set()
    assert visible(world.partner) == set()


def test_the_list_filters_open_and_answered_and_officers_start_with_theirs(
    client, world, school, asked
):
    answered = services.help_request_ask(school=school, by=world.dsl, kind="gates", need="Gates")
    services.help_request_answer(help_request=answered, by=world.neighbourhood, answer="Will do")
    elsewhere = services.help_request_ask(
        school=world.schools["a2"], by=world.other_school_headteacher, kind="advice", need="x"
    )

    def listed(user, query=""):
        client.force_login(user)
        response = client.get(reverse("help_requests:list") + query)
        return set(response.context["page"].object_list)

    assert listed(world.neighbourhood) == {asked}
    assert listed(world.neighbourhood, "?status=answered") == {answered}
    assert listed(world.sergeant, "?status=all") == {asked, answered}
    assert listed(world.sso, "?status=all") == set()
    assert listed(world.sso, "?status=all&scope=all") == {asked, answered, elsewhere}
    assert listed(world.manager) == {asked, elsewhere}
    assert listed(world.headteacher) == {asked, answered}
    assert listed(world.headteacher, "?status=open") == {asked}
    assert listed(world.headteacher, "?status=nonsense") == {asked, answered}


def test_an_overlong_answer_is_refused_and_kept(client, world, asked):
    client.force_login(world.neighbourhood)
    answer = "y" * 2001
    response = client.post(reverse("help_requests:answer", args=[asked.pk]), {"answer": answer})
    assert response.status_code == 200
    assert "Your answer must be 2,000 characters or fewer" in response.content.decode()
    assert answer in response.content.decode()


def test_a_school_of_no_team_lands_with_the_safer_schools_team(world):
    school = world.schools["a2"]
    world.sso.role = "sergeant"
    world.sso.save()  # a sergeant among the Safer Schools team's members
    help_request = services.help_request_ask(
        school=school, by=world.other_school_headteacher, kind="patrol", need="Home time"
    )
    assert help_request.team == world.teams["sst_a"]
    assert list(OutboxEmail.objects.values_list("to", flat=True)) == [world.sso.email]
    assert set(HelpRequest.objects.addressed_to(world.sso)) == {help_request}
    assert not HelpRequest.objects.addressed_to(world.sergeant).exists()


def test_the_school_page_lists_its_requests_for_the_police(client, world, school, asked):
    client.force_login(world.sso)
    page = client.get(school.get_absolute_url()).content.decode()
    assert "Requests for help" in page and asked.get_absolute_url() in page
    client.force_login(world.partner)
    assert asked.get_absolute_url() not in client.get(school.get_absolute_url()).content.decode()


def test_with_nobody_named_and_no_team_sergeant_the_forces_sergeants_are_told(world):
    school = world.schools["a2"]  # no named contact; the Safer Schools team has no sergeant
    services.help_request_ask(
        school=school, by=world.other_school_headteacher, kind="other", need="Parking"
    )
    assert list(OutboxEmail.objects.values_list("to", flat=True)) == [world.sergeant.email]
