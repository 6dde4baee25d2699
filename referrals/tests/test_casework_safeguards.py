"""Consent and lawful basis, closure approval, flags, signposting and safety plans (#22)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.forms_kit import date_data
from accounts.models import AccessLogEntry, AuditEntry
from referrals import casework
from referrals.models import (
    Case,
    CaseFlag,
    CaseLogEntry,
    CaseShare,
    CaseworkSettings,
    ClosureRequest,
    ConsentRecord,
    InterventionService,
    LawfulBasis,
    Referral,
    SafetyPlan,
    Signposting,
)

from .conftest import make_case
from .factories import WITH_CONSENT

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _basis(world, force="a"):
    LawfulBasis.objects.ensure_defaults(world.forces[force])
    return LawfulBasis.objects.filter(force=world.forces[force]).first()


def _without_consent(world, force="a"):
    return {
        "consent_young_person": "knows",
        "consent_parents": "not_told",
        "consent_lawful_basis": _basis(world, force).pk,
        "consent_necessary_and_proportionate": "on",
        "consent_minimum_shared": "Missing episodes only",
        "consent_how_secure": "In this system only",
        "consent_decision": "Telling the family would increase the risk from the older males",
    }


def _service(world, force="a", **fields):
    return InterventionService.objects.create(
        force=world.forces[force],
        name=fields.pop("name", "Youth diversion programme"),
        kind=fields.pop("kind", "youth_diversion"),
        criteria="Ages 10 to 17, first-time low-level offending",
        area="Bournemouth and Poole",
        **fields,
    )


# ---------------------------------------------------------------------------- consent


def test_no_consent_needs_a_lawful_basis_and_the_ico_answers(world, case):
    record = ConsentRecord(
        force=world.forces["a"],
        subject="case_share",
        case=case,
        young_person="agrees",
        parents="knows",
        recorded_by=world.neighbourhood,
    )
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert {"lawful_basis", "minimum_shared", "how_secure", "decision"} <= set(
        error.value.message_dict
    )
    record.parents = "agrees"
    record.full_clean()
    record.save()
    assert record.with_consent


def test_another_forces_basis_is_refused(world, case):
    record = ConsentRecord(
        force=world.forces["a"],
        subject="case_share",
        case=case,
        young_person="not_told",
        parents="not_told",
        lawful_basis=_basis(world, "b"),
        necessary_and_proportionate=True,
        minimum_shared="x",
        how_secure="x",
        decision="x",
        recorded_by=world.neighbourhood,
    )
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert "lawful_basis" in error.value.message_dict


def test_a_share_without_consent_asks_for_the_basis_and_is_listed_for_the_sergeant(
    client, world, case
):
    client.force_login(world.neighbourhood)
    url = reverse("referrals:case_share", args=[case.public_id])
    page = client.get(url).content.decode()
    assert "Is sharing necessary and proportionate?" in page  # the ICO's questions
    response = client.post(
        url,
        {
            "user": world.sso.pk,
            "reason": "Works the robbery",
            "consent_young_person": "knows",
            "consent_parents": "agrees",
        },
    )
    assert response.status_code == 200
    assert "Choose the lawful basis" in response.content.decode()
    assert not CaseShare.objects.exists()  # nothing shared until the basis is given

    response = client.post(
        url, {"user": world.sso.pk, "reason": "Works the robbery", **_without_consent(world)}
    )
    assert response.status_code == 302
    record = ConsentRecord.objects.get()
    assert record.case_share == CaseShare.objects.get() and not record.with_consent
    assert AuditEntry.objects.filter(action="referrals.consent.recorded").exists()
    assert case.log_entries.filter(summary__contains="Shared without consent").exists()

    client.force_login(world.sergeant)
    listing = client.get(reverse("referrals:without_consent_list")).content.decode()
    assert f"Case {case.reference}" in listing and record.lawful_basis.name in listing
    assert AccessLogEntry.objects.filter(
        actor=world.sergeant, action="listed as shared without consent"
    ).exists()
    # Filtering by another basis hides it.
    other = (
        LawfulBasis.objects.filter(force=world.forces["a"])
        .exclude(pk=record.lawful_basis_id)
        .first()
    )
    filtered = client.get(reverse("referrals:without_consent_list"), {"lawful_basis": other.pk})
    assert f"Case {case.reference}" not in filtered.content.decode()
    # Bad filter input is not a 500.
    assert (
        client.get(
            reverse("referrals:without_consent_list"), {"since": "nonsense", "lawful_basis": "x"}
        ).status_code
        == 200
    )


def test_a_referral_records_consent(client, world):
    client.force_login(world.sso)
    data = {
        "first_name": "Riley",
        "last_name": "Stone",
        **date_data("date_of_birth", datetime.date(2011, 3, 27)),
        "thresholds": ["exploitation"],
        "source": "proactive",
        "concern": "Named in a robbery report.",
        **_without_consent(world),
    }
    response = client.post(reverse("referrals:referral_create"), data)
    assert response.status_code == 302
    record = ConsentRecord.objects.get()
    assert record.subject == "referral" and record.referral is not None and record.case is None
    client.force_login(world.sergeant)
    assert (
        f"Referral {record.referral.reference}"
        in client.get(reverse("referrals:without_consent_list")).content.decode()
    )


def _incident_referral(world, **answers):
    from incidents.tests.factories import IncidentFactory, IncidentPersonFactory

    incident = IncidentFactory(school=world.schools["a1"], reported_by=world.dsl)
    IncidentPersonFactory(incident=incident)
    url = reverse("referrals:referral_create_for_incident", args=[incident.public_id])
    data = {
        "first_name": "Riley",
        "last_name": "Demo-Okafor",
        **date_data("date_of_birth", datetime.date(2011, 3, 27)),
        "school": world.schools["a1"].pk,
        "thresholds": ["high_harm"],
        "source": "proactive",
        "concern": "Knife found in school.",
        **answers,
    }
    return incident, url, data


def test_a_referral_from_an_incident_asks_and_records_the_same_consent_questions(client, world):
    from incidents.models import Incident

    incident, url, data = _incident_referral(world)
    client.force_login(world.neighbourhood)
    page = client.get(url).content.decode()
    assert "Does the young person know about this referral, and agree?" in page
    assert "The Information Commissioner" in page and "Lawful basis for sharing" in page
    # Unanswered: refused, with the referral's own messages, what was typed kept, and nothing
    # recorded (no referral, the incident's outcome untouched).
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Say whether the young person knows and agrees" in html
    assert "Knife found in school." in html
    # Without consent and without a basis: the ICO's questions must be answered.
    response = client.post(
        url, {**data, "consent_young_person": "knows", "consent_parents": "agrees"}
    )
    assert "Choose the lawful basis for sharing without" in response.content.decode()
    assert not Referral.objects.exists() and not ConsentRecord.objects.exists()
    incident.refresh_from_db()
    assert incident.outcome != Incident.Outcome.REFERRED

    response = client.post(url, {**data, **_without_consent(world)})
    assert response.status_code == 302, response.content.decode()[:2000]
    referral = Referral.objects.get()
    assert referral.incident == incident
    record = ConsentRecord.objects.get()
    assert (record.subject, record.referral, record.with_consent) == ("referral", referral, False)
    assert record.lawful_basis == _basis(world) and record.recorded_by == world.neighbourhood
    assert AuditEntry.objects.filter(action="referrals.consent.recorded").exists()
    incident.refresh_from_db()
    assert incident.outcome == Incident.Outcome.REFERRED
    # The sergeant's list of what was shared without consent shows it, like any referral.
    client.force_login(world.sergeant)
    assert (
        f"Referral {referral.reference}"
        in client.get(reverse("referrals:without_consent_list")).content.decode()
    )


def test_a_referral_from_an_incident_with_consent_keeps_no_basis(client, world):
    _incident, url, data = _incident_referral(world)
    client.force_login(world.sso)
    response = client.post(url, {**data, **WITH_CONSENT, "consent_decision": "typed anyway"})
    assert response.status_code == 302
    record = ConsentRecord.objects.get()
    assert record.with_consent and record.lawful_basis is None and record.decision == ""


def test_the_sergeant_list_keeps_to_cases_they_may_read(world):
    other_team = make_case(world, officer=world.sso)  # Safer Schools team: not the sergeant's
    casework.consent_record(
        by=world.sso,
        force=world.forces["a"],
        subject="case_share",
        consent={
            "young_person": "not_told",
            "parents": "not_told",
            "lawful_basis": _basis(world),
            "necessary_and_proportionate": True,
            "minimum_shared": "x",
            "how_secure": "x",
            "decision": "x",
        },
        case=other_team,
    )
    assert not ConsentRecord.objects.visible_to(world.sergeant).exists()
    assert ConsentRecord.objects.visible_to(world.manager).count() == 1
    assert not ConsentRecord.objects.visible_to(world.other_force_manager).exists()
    assert not ConsentRecord.objects.visible_to(world.dsl).exists()


def test_information_shared_in_the_log_records_consent(client, world, case):
    client.force_login(world.neighbourhood)
    url = reverse("referrals:log_entry_create", args=[case.public_id])
    entry = {
        "kind": "information_shared",
        **date_data("occurred_on", TODAY),
        "summary": "Call with social worker",
        "shared_what": "Missing episodes",
        "shared_with": "A. Jones, children's services",
        "shared_basis": "Safeguarding",
    }
    response = client.post(url, entry)
    assert "Say whether the young person knows and agrees" in response.content.decode()
    assert client.post(url, {**entry, **WITH_CONSENT}).status_code == 302
    assert ConsentRecord.objects.get().log_entry.kind == "information_shared"
    # Another kind of entry asks nothing about consent.
    assert client.post(url, {**entry, "kind": "home_visit"}).status_code == 302
    assert ConsentRecord.objects.count() == 1


def test_a_manager_keeps_the_forces_lawful_bases(client, world):
    client.force_login(world.admin)
    page = client.get(reverse("referrals:casework_settings")).content.decode()
    assert "Safeguarding a child at risk of significant harm" in page
    response = client.post(reverse("referrals:lawful_basis_create"), {"name": "", "order": "x"})
    assert response.status_code == 200 and "Enter the lawful basis" in response.content.decode()
    response = client.post(
        reverse("referrals:lawful_basis_create"),
        {"name": "Court order", "explanation": "", "order": "9", "is_active": "on"},
    )
    assert response.status_code == 302
    assert LawfulBasis.objects.filter(force=world.forces["a"], name="Court order").exists()
    # A duplicate name is a plain error, not a 500.
    response = client.post(
        reverse("referrals:lawful_basis_create"), {"name": "Court order", "order": "1"}
    )
    assert response.status_code == 200
    assert not LawfulBasis.objects.filter(force=world.forces["b"], name="Court order").exists()


# ---------------------------------------------------------------------------- closure approval


def test_closure_needs_a_sergeants_approval_when_the_force_says_so(client, world, case):
    CaseworkSettings.objects.update_or_create(
        force=world.forces["a"], defaults={"closure_needs_approval": True}
    )
    client.force_login(world.neighbourhood)
    response = client.get(reverse("referrals:case_close", args=[case.public_id]))
    assert response.status_code == 302 and "closure-request" in response["Location"]
    url = reverse("referrals:closure_request", args=[case.public_id])
    assert (
        "Enter a closing summary" in client.post(url, {"outcome": "risk_reduced"}).content.decode()
    )
    client.post(
        url, {"outcome": "risk_reduced", "summary": "Engaged well; no incidents since May."}
    )
    asked = ClosureRequest.objects.get()
    case.refresh_from_db()
    assert case.is_open and asked.status == "pending"

    decide = reverse("referrals:closure_decide", args=[case.public_id, asked.pk])
    client.force_login(world.sergeant)
    response = client.post(decide, {"decision": "return"})
    assert "Enter why the request is returned" in response.content.decode()
    client.post(decide, {"decision": "return", "return_reason": "Wait for the CIN review"})
    asked.refresh_from_db()
    assert asked.status == "returned"
    assert case.log_entries.filter(summary__contains="Wait for the CIN review").exists()

    client.force_login(world.neighbourhood)
    client.post(url, {"outcome": "risk_reduced", "summary": "CIN review agreed closure."})
    second = ClosureRequest.objects.pending().get()
    client.force_login(world.sergeant)
    response = client.post(
        reverse("referrals:closure_decide", args=[case.public_id, second.pk]),
        {"decision": "approve"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert not case.is_open and case.closure_summary == "CIN review agreed closure."
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "referrals.case.closure_requested",
        "referrals.case.closure_returned",
        "referrals.case.closure_approved",
        "referrals.case.closed",
    } <= actions


def test_without_the_setting_the_officer_closes_directly(client, world, case):
    client.force_login(world.neighbourhood)
    assert client.get(reverse("referrals:case_close", args=[case.public_id])).status_code == 200


def test_an_officer_cannot_approve_their_own_request(world, case):
    asked = casework.closure_request(case=case, by=world.sergeant, outcome="other", summary="Done")
    with pytest.raises(ValidationError):
        casework.closure_approve(asked=asked, by=world.sergeant)
    with pytest.raises(ValidationError):
        casework.closure_request(case=case, by=world.neighbourhood, outcome="other", summary="x")


# ---------------------------------------------------------------------------- flags


def test_flagged_cases_list_first_and_show_on_the_case(client, world):
    high = make_case(world, risk_level="high")
    low = make_case(world, risk_level="low")
    client.force_login(world.neighbourhood)
    url = reverse("referrals:case_flag", args=[low.public_id])
    response = client.post(url, {"message": "", **date_data("flag_on", TODAY)})
    assert (
        "Enter the flag&#x27;s message" in response.content.decode()
        or "Enter the flag" in response.content.decode()
    )
    client.post(url, {"message": "Court date for the robbery", **date_data("flag_on", TODAY)})
    flag = CaseFlag.objects.get()
    listed = list(Case.objects.visible_to(world.neighbourhood).flagged_first())
    assert listed.index(low) < listed.index(high)
    page = client.get(reverse("referrals:case_list")).content.decode()
    assert page.index(low.reference) < page.index(high.reference) and "Flagged" in page
    assert "Court date for the robbery" in client.get(low.get_absolute_url()).content.decode()

    client.post(
        reverse("referrals:flag_resolve", args=[low.public_id, flag.pk]),
        {"resolution": "Adjourned"},
    )
    flag.refresh_from_db()
    assert flag.resolved_by == world.neighbourhood
    listed = list(Case.objects.visible_to(world.neighbourhood).flagged_first())
    assert listed.index(high) < listed.index(low)


# ---------------------------------------------------------------------------- signposting


def test_signposting_records_the_service_then_the_result(client, world, case):
    service = _service(world)
    _service(world, "b", name="Another force's service")
    client.force_login(world.neighbourhood)
    url = reverse("referrals:case_signpost", args=[case.public_id])
    page = client.get(url).content.decode()
    assert "Youth diversion programme" in page and "Another force" not in page
    response = client.post(url, {"service": "999999", **date_data("signposted_on", TODAY)})
    assert "Choose a service of your force" in response.content.decode()
    client.post(
        url, {"service": service.pk, **date_data("signposted_on", TODAY), "note": "Mum agreed"}
    )
    signposting = Signposting.objects.get()
    assert case.log_entries.filter(kind="signposting", summary__contains=service.name).exists()
    outcome_url = reverse("referrals:signposting_outcome", args=[case.public_id, signposting.pk])
    future = TODAY + datetime.timedelta(days=5)
    response = client.post(outcome_url, {"outcome": "engaged", **date_data("outcome_on", future)})
    assert "The date must be today or in the past" in response.content.decode()
    client.post(outcome_url, {"outcome": "engaged", **date_data("outcome_on", TODAY)})
    signposting.refresh_from_db()
    assert signposting.outcome == "engaged" and signposting.outcome_by == world.neighbourhood


def test_managers_keep_the_directory(client, world):
    client.force_login(world.manager)
    response = client.post(reverse("referrals:service_create"), {"name": "Mentoring"})
    assert response.status_code == 200 and "Say who the service is for" in response.content.decode()
    response = client.post(
        reverse("referrals:service_create"),
        {
            "name": "Mentoring plus",
            "kind": "mentoring",
            "criteria": "11 to 18",
            "area": "Dorset",
            "contact_email": "not-an-email",
        },
    )
    assert "Enter an email address like" in response.content.decode()
    response = client.post(
        reverse("referrals:service_create"),
        {
            "name": "Mentoring plus",
            "kind": "mentoring",
            "criteria": "11 to 18",
            "area": "Dorset",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert InterventionService.objects.get().force == world.forces["a"]


# ---------------------------------------------------------------------------- safety plan


def test_a_safety_plan_with_factors_and_steps_prints_for_the_family(client, world, case):
    client.force_login(world.neighbourhood)
    review = reverse("referrals:safety_plan_review", args=[case.public_id])
    past = TODAY - datetime.timedelta(days=1)
    assert (
        "The review date must be today or in the future"
        in client.post(review, date_data("review_on", past)).content.decode()
    )
    client.post(review, date_data("review_on", TODAY + datetime.timedelta(days=28)))
    plan = SafetyPlan.objects.get()
    client.post(
        reverse("referrals:safety_plan_factor", args=[case.public_id]),
        {"kind": "risk", "description": "Meeting older males at the park after school"},
    )
    client.post(
        reverse("referrals:safety_plan_factor", args=[case.public_id]),
        {"kind": "protective", "description": "Close to his grandmother"},
    )
    risk = plan.factors.get(kind="risk")
    step_url = reverse("referrals:safety_plan_step", args=[case.public_id])
    assert (
        "Choose a risk or protective factor of this plan"
        in client.post(step_url, {"factor": "0", "who": "Mum", "what": "x"}).content.decode()
    )
    client.post(step_url, {"factor": risk.pk, "who": "Mum", "what": "Collects him from school"})
    assert plan.steps.get().factor == risk
    printed = client.get(reverse("referrals:safety_plan_print", args=[case.public_id]))
    text = printed.content.decode()
    assert case.young_person.full_name in text and "Collects him from school" in text
    assert "safety_plan_print" in text  # the print stylesheet
    assert AccessLogEntry.objects.filter(
        action="opened the printable safety plan", actor=world.neighbourhood
    ).exists()
    assert CaseLogEntry.objects.filter(case=case, kind="safety_plan").exists()


# ---------------------------------------------------------------------------- query counts


def _grow(world, n):
    """n more cases, each flagged, shared without consent and asked to close."""
    consent = {
        "young_person": "not_told",
        "parents": "not_told",
        "lawful_basis": _basis(world),
        "necessary_and_proportionate": True,
        "minimum_shared": "x",
        "how_secure": "x",
        "decision": "x",
    }
    for _ in range(n):
        case = make_case(world, risk_level="high")
        casework.case_flag(case=case, by=world.neighbourhood, message="Court", flag_on=TODAY)
        casework.case_share_with_consent(
            case=case, by=world.neighbourhood, user=world.sso, reason="Robbery", consent=consent
        )
        casework.closure_request(case=case, by=world.neighbourhood, outcome="other", summary="x")
        casework.transfer_request(
            case=case,
            by=world.neighbourhood,
            reason="Year 7",
            consent=consent,
            to_officer=world.sergeant,
        )


@pytest.mark.parametrize(
    ("who", "url_name"),
    [
        ("sergeant", "referrals:without_consent_list"),
        ("sergeant", "referrals:closure_requests_waiting"),
        ("sergeant", "referrals:transfer_list"),
        ("sergeant", "referrals:case_list"),
        ("manager", "referrals:service_directory"),
    ],
)
def test_the_safeguards_lists_do_not_grow_queries(client, world, who, url_name, count_queries):
    client.force_login(world.users[who])
    url = reverse(url_name)
    _grow(world, 1)
    _service(world)
    count_queries(client, url, cold=False)
    few = count_queries(client, url, cold=False)
    _grow(world, 8)
    _service(world, name="Mentoring", kind="mentoring")
    many = count_queries(client, url, cold=False)
    assert few == many, f"{url}: {few} queries with 1 and {many} with 9"


def test_the_sergeant_lists_requests_to_close_open_cases(client, world):
    waiting = make_case(world)
    asked = casework.closure_request(
        case=waiting, by=world.neighbourhood, outcome="other", summary="x"
    )
    closed_anyway = make_case(world)
    casework.closure_request(
        case=closed_anyway, by=world.neighbourhood, outcome="other", summary="x"
    )
    from referrals import services

    services.case_close(case=closed_anyway, by=world.sergeant, outcome="other", summary="Closed")
    client.force_login(world.sergeant)
    page = client.get(reverse("referrals:closure_requests_waiting")).content.decode()
    assert reverse("referrals:closure_decide", args=[waiting.public_id, asked.pk]) in page
    assert closed_anyway.reference not in page
    client.force_login(world.sso)  # not their team's: a 403 at the list, nothing listed
    assert client.get(reverse("referrals:closure_requests_waiting")).status_code == 403
