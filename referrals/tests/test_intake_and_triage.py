"""Referrals in: the DSL's form, police referrals, joining an open case, triage and the referrer's view."""

import datetime

import pytest
from django.urls import reverse

from accounts.forms_kit import date_data
from accounts.models import AuditEntry, OutboxEmail
from referrals import services
from referrals.models import Case, Referral, YoungPerson

from .conftest import make_case
from .factories import WITH_CONSENT

pytestmark = pytest.mark.django_db

DSL_REFERRAL = {
    "first_name": "Riley",
    "last_name": "O'Neill",
    **date_data("date_of_birth", datetime.date(2011, 3, 27)),
    "year_group": "9",
    "thresholds": ["exploitation", "exclusion"],
    "concern": "Seen with older males; new phone and trainers; two fixed-term exclusions.",
    "mash_referral_made": "on",
    "mash_reference": "MASH-2026-0042",
    **WITH_CONSENT,
}


def _refer(client, world, **changes):
    client.force_login(world.dsl)
    url = reverse("referrals:referral_create_for_school", args=[world.schools["a1"].pk])
    return client.post(url, {**DSL_REFERRAL, **changes})


def test_a_dsl_refers_a_pupil(client, world):
    response = _refer(client, world)
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert response["Location"] == referral.get_absolute_url()
    assert "Riley" not in response["Location"]
    assert referral.source == "school" and referral.school == world.schools["a1"]
    assert referral.young_person.school == world.schools["a1"]
    entry = AuditEntry.objects.get(action="referrals.referral.received")
    assert "Riley" not in str(entry.changes) and "Riley" not in entry.target_repr
    status = client.get(referral.get_absolute_url()).content.decode()
    assert "Received" in status


def test_a_school_referral_needs_the_mash_referral_first(client, world):
    response = _refer(client, world, mash_referral_made="", mash_reference="")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Confirm the school has made its referral to the MASH" in page
    assert "Enter the reference of the school" in page
    assert "Riley" in page  # what was typed stays
    assert not Referral.objects.exists()


def test_a_referral_needs_a_threshold_and_a_real_date_of_birth(client, world):
    response = _refer(
        client, world, thresholds=[], **date_data("date_of_birth", datetime.date(2030, 1, 1))
    )
    page = response.content.decode()
    assert "Choose at least one threshold" in page
    assert "The date of birth must be in the past" in page


def test_police_refer_from_any_source_without_a_mash_reference(client, world):
    client.force_login(world.sso)
    data = {**DSL_REFERRAL, "source": "proactive", "mash_referral_made": "", "mash_reference": ""}
    response = client.post(reverse("referrals:referral_create"), data)
    assert response.status_code == 302
    assert Referral.objects.get().source == "proactive"


def test_a_referral_for_someone_with_an_open_case_joins_it(world):
    case = make_case(world, person={"first_name": "Zoë", "last_name": "Smith-Jones"})
    referral = services.referral_receive(
        by=world.sso,
        first_name="  zoe ",
        last_name="SMITH JONES",
        date_of_birth=case.young_person.date_of_birth,
        thresholds=["high_harm"],
        source="abuse_desk",
        concern="Named as a victim in a report overnight.",
    )
    assert referral.young_person == case.young_person
    assert referral.case == case
    assert YoungPerson.objects.count() == 1
    assert case.log_entries.filter(kind="referral").exists()


def test_a_sergeant_accepts_and_allocates_and_the_dsl_sees_only_the_status(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    _refer(client, world)
    referral = Referral.objects.get()
    world.sso.rank, world.sso.collar_number = "PC", "4321"
    world.sso.save()
    client.force_login(world.sergeant)
    url = reverse("referrals:referral_triage", args=[referral.public_id])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "decision": "accept",
                "accept-risk_level": "high",
                "accept-team": world.teams["sst_a"].pk,
                "accept-officer": world.sso.pk,
            },
        )
    case = Case.objects.get()
    # Allocated to another team, the case is not the sergeant's to read: back to the inbox.
    assert response["Location"] == reverse("referrals:inbox")
    assert client.get(case.get_absolute_url()).status_code == 403
    assert case.risk_level == "high" and case.officer == world.sso
    assert case.risk_assessments.count() == 1
    referral.refresh_from_db()
    assert referral.status == "accepted" and referral.case == case
    # The DSL is emailed once, without the young person's name.
    to_dsl = [m for m in mailoutbox if m.to == [world.dsl.email]]
    assert len(to_dsl) == 1 and "Riley" not in to_dsl[0].body
    # Its outbox row, as managers would see it, names the referral by reference only.
    row = OutboxEmail.objects.get(to=world.dsl.email)
    assert row.about_label == f"Referral {referral.reference}"
    assert "Riley" not in row.subject + row.about_label
    from referrals.tasks import email_referral_outcome

    email_referral_outcome(referral.pk)
    assert len([m for m in mailoutbox if m.to == [world.dsl.email]]) == 1

    services.case_log_add(
        case=case,
        by=world.sso,
        kind="home_visit",
        occurred_on=datetime.date.today(),
        summary="Police-only note about the family",
    )
    client.force_login(world.dsl)
    page = client.get(referral.get_absolute_url()).content.decode()
    assert "Accepted</strong>, allocated to PC Sso (4321)" in page
    assert "Police-only note" not in page and "High" not in page
    assert client.get(case.get_absolute_url()).status_code == 404
    school_page = client.get(world.schools["a1"].get_absolute_url()).content.decode()
    assert "allocated to PC Sso (4321)" in school_page and "Police-only note" not in school_page
    home = client.get(reverse("home")).content.decode()
    assert "allocated to PC Sso (4321)" in home


def test_another_school_sees_nothing_of_the_referral(client, world):
    _refer(client, world)
    referral = Referral.objects.get()
    client.force_login(world.other_school_dsl)
    assert client.get(referral.get_absolute_url()).status_code == 404
    page = client.get(world.schools["a2"].get_absolute_url()).content.decode()
    assert "Riley" not in page


def test_the_officer_must_belong_to_the_team(client, world):
    _refer(client, world)
    referral = Referral.objects.get()
    client.force_login(world.sergeant)
    response = client.post(
        reverse("referrals:referral_triage", args=[referral.public_id]),
        {
            "decision": "accept",
            "accept-risk_level": "high",
            "accept-team": world.teams["npt_a"].pk,
            "accept-officer": world.sso.pk,
        },
    )
    assert response.status_code == 200
    assert "is not in North NPT" in response.content.decode()
    assert not Case.objects.exists()


def test_a_sergeant_declines_with_a_reason_and_signposting(client, world, mailoutbox):
    _refer(client, world)
    referral = Referral.objects.get()
    client.force_login(world.sergeant)
    url = reverse("referrals:referral_triage", args=[referral.public_id])
    response = client.post(url, {"decision": "decline"})
    assert "Enter why the referral is declined" in response.content.decode()
    client.post(
        url,
        {
            "decision": "decline",
            "decline-decline_reason": "Already open to the exploitation team.",
            "decline-signposted_to": "Child exploitation team",
        },
    )
    referral.refresh_from_db()
    assert referral.status == "declined" and referral.decided_by == world.sergeant
    client.force_login(world.dsl)
    page = client.get(referral.get_absolute_url()).content.decode()
    assert "Declined" in page and "Child exploitation team" in page


def test_inbox_orders_by_risk_then_age(client, world):
    low = make_case(world, risk_level="low")
    high = make_case(world, risk_level="high")
    kwargs = {
        "by": world.sso,
        "thresholds": ["exclusion"],
        "source": "multi_agency",
        "concern": "x",
    }
    joined_low = services.referral_receive(
        first_name=low.young_person.first_name,
        last_name=low.young_person.last_name,
        date_of_birth=low.young_person.date_of_birth,
        **kwargs,
    )
    new = services.referral_receive(
        first_name="New", last_name="Person", date_of_birth=datetime.date(2012, 1, 1), **kwargs
    )
    joined_high = services.referral_receive(
        first_name=high.young_person.first_name,
        last_name=high.young_person.last_name,
        date_of_birth=high.young_person.date_of_birth,
        **kwargs,
    )
    client.force_login(world.sergeant)
    page = client.get(reverse("referrals:inbox"))
    assert [r.pk for r in page.context["page"].object_list] == [
        new.pk,
        joined_high.pk,
        joined_low.pk,
    ]


def test_an_officer_sees_only_their_own_referrals_in_the_inbox(client, world):
    _refer(client, world)
    client.force_login(world.sso)
    response = client.get(reverse("referrals:inbox"))
    assert not response.context["page"].object_list
    assert "Riley" not in response.content.decode()
