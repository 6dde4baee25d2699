"""The school list and page, contacts at the school, and handing a school to another officer."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from accounts.forms_kit import date_data
from accounts.models import AuditEntry, Force, Role
from accounts.tests.factories import UserFactory
from schools.models import NamedContact, School, SchoolContact
from schools.tests.factories import NamedContactFactory, SchoolFactory, contacts_post

pytestmark = pytest.mark.django_db


def _names(response):
    return [s.name for s in response.context["page"].object_list]


def test_police_search_by_name_urn_or_postcode_with_or_without_its_space(client, world):
    SchoolFactory(force=world.forces["a"], name="Hillview Primary", postcode="DT1 2AB", urn=123456)
    client.force_login(world.sso)
    url = reverse("schools:list")
    assert _names(client.get(url, {"q": "hillview"})) == ["Hillview Primary"]
    assert _names(client.get(url, {"q": "123456"})) == ["Hillview Primary"]
    assert _names(client.get(url, {"q": "DT1 2AB"})) == ["Hillview Primary"]
    assert _names(client.get(url, {"q": "dt12ab"})) == ["Hillview Primary"]
    # Another force's schools never appear.
    assert _names(client.get(url, {"q": "Cedar"})) == []


def test_filters_and_sorting(client, world):
    force = world.forces["a"]
    SchoolFactory(
        force=force,
        name="Zeal Primary",
        phase="primary",
        la_code="839",
        la_name="BCP",
        establishment_type="Community school",
        number_of_pupils=100,
    )
    SchoolFactory(force=force, name="Yew Closed", status=School.Status.CLOSED)
    client.force_login(world.manager)
    url = reverse("schools:list")
    assert _names(client.get(url, {"la": "839"})) == ["Zeal Primary"]
    assert _names(client.get(url, {"type": "Community school"})) == ["Zeal Primary"]
    assert _names(client.get(url, {"phase": "primary"})) == ["Birch Primary", "Zeal Primary"]
    assert "Yew Closed" not in _names(client.get(url))
    assert _names(client.get(url, {"status": "closed"})) == ["Yew Closed"]
    assert _names(client.get(url, {"contact": str(world.neighbourhood.pk)})) == ["Alder Academy"]
    assert "Alder Academy" not in _names(client.get(url, {"contact": "none"}))
    assert _names(client.get(url, {"sort": "pupils"}))[-1] == "Zeal Primary"
    # A nonsense filter value is ignored rather than an error.
    assert client.get(url, {"sort": "drop table"}).status_code == 200


def test_school_staff_land_on_their_own_school_and_cannot_list_others(client, world):
    client.force_login(world.dsl)
    response = client.get(reverse("schools:list"))
    assert response["Location"] == world.schools["a1"].get_absolute_url()
    assert client.get(world.schools["a2"].get_absolute_url()).status_code == 404


def test_school_page_shows_police_notes_to_police_only(client, world):
    school = world.schools["a1"]
    client.force_login(world.sso)
    page = client.get(school.get_absolute_url()).content.decode()
    assert "Engagement log" in page and "Named contacts over time" in page
    assert world.neighbourhood.display_name in page
    client.force_login(world.headteacher)
    page = client.get(school.get_absolute_url()).content.decode()
    assert world.neighbourhood.display_name in page  # they see who their contact is
    assert "Engagement log" not in page and "Named contacts over time" not in page
    assert "Log an engagement" not in page


def test_headteacher_records_the_school_contacts(client, world):
    school = world.schools["a1"]
    client.force_login(world.headteacher)
    url = reverse("schools:contacts_edit", args=[school.pk])
    response = client.post(url, contacts_post(dsl={"email": "dsl@example.org"}))
    assert response.status_code == 200
    assert response.context["formset"].forms[1].errors["name"] == [
        "Enter the designated safeguarding lead's name, or clear their details"
    ]
    assert b'value="dsl@example.org"' in response.content
    response = client.post(
        url,
        contacts_post(
            dsl={"name": "Dee Lane", "email": "DSL@example.org"}, senior_link={"name": "Sam Link"}
        ),
    )
    assert response.status_code == 302
    contacts = {c.kind: c for c in school.contacts.all()}
    assert set(contacts) == {SchoolContact.Kind.DSL, SchoolContact.Kind.SENIOR_LINK}
    # The DSL's email matches an account of the school: the contact is linked to it.
    assert contacts["dsl"].user == world.dsl
    entry = AuditEntry.objects.get(action="schools.contacts.changed")
    assert entry.changes["dsl"] == [None, ["Dee Lane", "dsl@example.org", ""]]
    client.post(url, contacts_post(dsl={"name": "Dee Lane", "email": "dsl@example.org"}))
    assert not school.contacts.filter(kind="senior_link").exists()


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("01202 123456", "01202 123456"),
        ("+44 1202 123456", "01202 123456"),
        ("0044 (0)1202 123456", "01202 123456"),
        ("07700 900123", "07700 900123"),
        ("01632960001", "01632 960001"),
        ("+44 808 157 0192", "0808 157 0192"),
    ],
)
def test_contact_telephone_numbers_are_kept_in_one_national_format(client, world, typed, stored):
    school = world.schools["a1"]
    client.force_login(world.headteacher)
    url = reverse("schools:contacts_edit", args=[school.pk])
    response = client.post(url, contacts_post(dsl={"name": "Dee Lane", "telephone": typed}))
    assert response.status_code == 302
    assert school.contacts.get(kind="dsl").telephone == stored


@pytest.mark.parametrize("typed", ["999", "01202", "call the office", "+1 212 555 0100", "0" * 40])
def test_a_contact_telephone_that_is_no_uk_number_is_refused_and_kept(client, world, typed):
    school = world.schools["a1"]
    client.force_login(world.headteacher)
    url = reverse("schools:contacts_edit", args=[school.pk])
    response = client.post(url, contacts_post(dsl={"name": "Dee Lane", "telephone": typed}))
    assert response.status_code == 200
    assert response.context["formset"].forms[1].errors["telephone"] == [
        "Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"
    ]
    assert f'value="{typed}"'.encode() in response.content
    assert not school.contacts.exists()


def test_sergeant_hands_a_school_to_another_officer_and_everyone_is_told(
    client, world, django_capture_on_commit_callbacks
):
    school = world.schools["a1"]
    SchoolContact.objects.create(
        school=school, kind="senior_link", name="Sam Link", email="link@example.org"
    )
    client.force_login(world.sergeant)
    url = reverse("schools:hand_over", args=[school.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "officer": world.sso.pk,
                "deputy": world.neighbourhood.pk,
                **date_data("starts_on", datetime.date(2026, 10, 1)),
            },
        )
    assert response.status_code == 302
    contacts = list(NamedContact.objects.filter(school=school).order_by("starts_on"))
    assert [(c.officer, c.ends_on) for c in contacts] == [
        (world.neighbourhood, datetime.date(2026, 9, 30)),
        (world.sso, None),
    ]
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == [
        "link@example.org",
        "neighbourhood@example.org",
        "school_link@example.org",
        "sso@example.org",
    ]
    assert AuditEntry.objects.filter(action="schools.named_contact.handed_over").exists()
    # The emails are sent once, however often the task runs.
    from schools.tasks import send_hand_over_emails

    assert send_hand_over_emails(contacts[1].pk, contacts[0].pk) is False


def test_bad_hand_overs_are_refused_and_change_nothing(client, world):
    school = world.schools["a1"]
    client.force_login(world.sergeant)
    url = reverse("schools:hand_over", args=[school.pk])
    cases = [
        (
            {
                "officer": world.sso.pk,
                "deputy": world.sso.pk,
                **date_data("starts_on", datetime.date(2026, 10, 1)),
            },
            "deputy",
        ),
        (
            {"officer": world.sso.pk, **date_data("starts_on", datetime.date(2026, 8, 1))},
            "starts_on",
        ),
        (
            {
                "officer": world.other_force_sso.pk,
                **date_data("starts_on", datetime.date(2026, 10, 1)),
            },
            "officer",
        ),
        (
            {"officer": world.headteacher.pk, **date_data("starts_on", datetime.date(2026, 10, 1))},
            "officer",
        ),
        ({"starts_on": "31/02/2026"}, "starts_on"),
    ]
    for data, field in cases:
        response = client.post(url, data)
        assert response.status_code == 200, data
        assert field in response.context["form"].errors, (data, response.context["form"].errors)
    assert NamedContact.objects.filter(school=school).count() == 1


def test_team_caseload_force_assigns_schools_to_teams(client, world):
    force = world.forces["a"]
    force.contact_model = Force.ContactModel.TEAM_CASELOAD
    force.save()
    school = world.schools["a2"]
    client.force_login(world.manager)
    response = client.get(reverse("schools:hand_over", args=[school.pk]))
    assert b"Which team holds this school?" in response.content
    client.post(reverse("schools:hand_over", args=[school.pk]), {"team": world.teams["npt_a"].pk})
    school.refresh_from_db()
    assert school.team == world.teams["npt_a"]
    page = client.get(school.get_absolute_url()).content.decode()
    assert "North NPT" in page and "Named contact" not in page
    # A team member sees the team's schools on their home page.
    member = UserFactory(
        organisation=world.orgs["police_a"],
        role=Role.NEIGHBOURHOOD_OFFICER,
        team=world.teams["npt_a"],
    )
    client.force_login(member)
    assert "Birch Primary" in client.get(reverse("home")).content.decode()


def test_contact_overview_lists_schools_without_a_contact_and_each_officers_load(client, world):
    extra = SchoolFactory(force=world.forces["a"], name="Orphan School", team=world.teams["npt_a"])
    NamedContactFactory(
        school=SchoolFactory(force=world.forces["a"], phase="primary"), officer=world.sso
    )
    client.force_login(world.manager)
    response = client.get(reverse("schools:contact_overview"))
    without = [s.name for s in response.context["without"].object_list]
    assert (
        "Orphan School" in without and "Birch Primary" in without and "Alder Academy" not in without
    )
    loads = {o["name"].strip(): o["total"] for o in response.context["officers"]}
    assert loads[world.sso.full_name] == 1 and loads[world.neighbourhood.full_name] == 1
    # A sergeant sees their own team's schools only.
    client.force_login(world.sergeant)
    without = [
        s.name
        for s in client.get(reverse("schools:contact_overview")).context["without"].object_list
    ]
    assert without == [extra.name]


def test_the_list_filters_by_tier_once_schools_are_assessed(client, world):
    from needs_assessment.models import Assessment, Framework

    framework = Framework.objects.chosen_for(world.forces["a"])
    complex_ = framework.levels.get(key="complex")
    universal = framework.levels.get(key="universal")
    Assessment.objects.create(
        school=world.schools["a1"],
        framework=framework,
        assessed_by=world.sso,
        status="approved",
        computed_level=universal,
        proposed_level=complex_,
        override_reason="Weapons found on site",
        is_current=True,
    )
    client.force_login(world.manager)
    url = reverse("schools:list")
    assert _names(client.get(url, {"tier": "complex"})) == ["Alder Academy"]
    assert _names(client.get(url, {"tier": "universal"})) == []
    assert _names(client.get(url, {"tier": "none"})) == ["Birch Primary"]


def test_a_future_hand_over_reads_from_its_date_not_to_now(client, world):
    from django.utils import timezone

    school = world.schools["a1"]
    soon = timezone.localdate() + datetime.timedelta(days=14)
    NamedContact.objects.filter(school=school, ends_on__isnull=True).update(
        ends_on=soon - datetime.timedelta(days=1)
    )
    NamedContactFactory(school=school, officer=world.sso, starts_on=soon)
    client.force_login(world.sso)
    page = client.get(school.get_absolute_url()).content.decode()
    label = soon.strftime("%-d %b %Y")
    assert f"{world.sso.display_name}: from {label}" in page
    assert f"{label} to now" not in page


def test_role_labels_keep_their_acronyms_mid_sentence(client, world):
    client.force_login(world.sso)
    page = client.get(world.schools["a1"].get_absolute_url()).content.decode()
    assert f"{world.neighbourhood.display_name}, neighbourhood officer or PCSO" in page
    assert "or pcso" not in page


@pytest.mark.parametrize(
    "management", [{}, {"contacts-TOTAL_FORMS": "1"}, {"contacts-TOTAL_FORMS": "x"}]
)
def test_the_contacts_rows_are_the_servers_not_the_browsers(client, world, management):
    """A missing or altered formset count neither drops the last kind's row nor is an error."""
    school = world.schools["a1"]
    client.force_login(world.headteacher)
    url = reverse("schools:contacts_edit", args=[school.pk])
    data = {
        name: value
        for name, value in contacts_post(pshe_lead={"name": "Pat Lead"}).items()
        if "_FORMS" not in name
    }
    response = client.post(url, {**data, **management})
    assert response.status_code == 302
    assert school.contacts.get(kind="pshe_lead").name == "Pat Lead"
