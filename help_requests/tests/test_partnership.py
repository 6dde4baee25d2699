"""What the school sees of its partnership: the home panels, the summary page and its PDF."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from agreements import services as agreement_services
from help_requests import services
from help_requests.models import HelpRequest
from needs_assessment.tests.factories import ApprovedAssessmentFactory
from schools.models import Engagement

pytestmark = pytest.mark.django_db

NOTE = "Police-only note: Jordan Smith seen near the gates"


def _engagement(world, school, kind="input", summary=NOTE):
    return Engagement.objects.create(
        school=school,
        officer=world.neighbourhood,
        occurred_on=timezone.localdate(),
        kind=kind,
        purpose="educator",
        duration_minutes=30,
        summary=summary,
    )


def _sent_agreement(world, school):
    draft = agreement_services.agreement_prepare(school=school, by=world.neighbourhood)
    return agreement_services.agreement_send(agreement=draft, by=world.neighbourhood)


@pytest.fixture
def partnership(world, school):
    ApprovedAssessmentFactory(school=school, level="universal")
    _engagement(world, school)
    _engagement(world, school)
    _engagement(world, school, kind="patrol")
    school.named_contacts.update(deputy=world.sso)
    return _sent_agreement(world, school)


@pytest.mark.parametrize("who", ["headteacher", "dsl", "school_link"])
def test_every_school_role_sees_its_partnership_on_its_home_page(
    client, world, partnership, asked, who
):
    client.force_login(world.users[who])
    page = client.get(reverse("home")).content.decode()
    assert "Your partnership with the police" in page
    assert world.neighbourhood.display_name in page
    assert f"Cover: {world.sso.display_name}" in page
    assert "Input to a class or assembly: 2" in page
    assert "Patrol near the school: 1" in page
    assert "3 engagements of" in page  # the tier's promise
    assert "Jordan Smith" not in page and "Police-only" not in page
    assert partnership.get_absolute_url() in page
    assert asked.get_absolute_url() in page
    # Every school role reads the agreement; only the headteacher signs it.
    response = client.get(partnership.get_absolute_url())
    assert response.status_code == 200
    assert client.get(reverse("help_requests:summary_pdf")).status_code == (
        200 if who == "headteacher" else 403
    )


def test_another_schools_staff_see_nothing_of_it(client, world, partnership, asked):
    client.force_login(world.other_school_headteacher)
    page = client.get(reverse("home")).content.decode()
    assert asked.get_absolute_url() not in page
    assert "Input to a class or assembly" not in page
    assert client.get(partnership.get_absolute_url()).status_code == 404
    assert client.get(asked.get_absolute_url()).status_code == 404


def test_the_police_home_page_lists_the_requests_waiting(client, world, asked):
    for who, shown in [("neighbourhood", True), ("sergeant", True), ("sso", False)]:
        client.force_login(world.users[who])
        page = client.get(reverse("home")).content.decode()
        assert "Requests from schools" in page
        assert (asked.get_absolute_url() in page) is shown, who


def test_home_panels_cost_the_same_queries_however_many_records(
    client, world, school, count_queries
):
    client.force_login(world.headteacher)
    ApprovedAssessmentFactory(school=school, level="universal")
    _engagement(world, school)
    services.help_request_ask(school=school, by=world.dsl, kind="talk", need="One")
    few = count_queries(client, reverse("home"))
    for kind in ("patrol", "visit", "senior_meeting", "multi_agency"):
        _engagement(world, school, kind=kind)
    _sent_agreement(world, school)
    for number in range(8):
        services.help_request_ask(school=school, by=world.dsl, kind="gates", need=f"{number}")
    assert count_queries(client, reverse("home")) <= few + 1  # the agreement now shown


def test_police_home_panel_and_list_cost_the_same_queries(client, world, school, count_queries):
    services.help_request_ask(school=school, by=world.dsl, kind="talk", need="One")
    client.force_login(world.sergeant)
    home_few = count_queries(client, reverse("home"))
    list_few = count_queries(client, reverse("help_requests:list"))
    for number in range(12):
        services.help_request_ask(school=school, by=world.dsl, kind="gates", need=f"{number}")
    assert count_queries(client, reverse("home")) <= home_few
    assert count_queries(client, reverse("help_requests:list")) <= list_few


def test_the_headteacher_downloads_the_termly_summary(client, world, partnership, asked):
    client.force_login(world.headteacher)
    preview = client.get(reverse("help_requests:summary")).content.decode()
    assert "partnership summary" in preview
    response = client.get(reverse("help_requests:summary_pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    data = response.content
    assert data.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "partnership summary" in text
    assert "Input to a class or assembly: 2" in text
    assert "A talk to a class or assembly" in text  # the request of the term
    assert "Jordan" not in text and "Police-only" not in text
    assert HelpRequest.objects.count() == 1
