"""Retention review and deletion, subject access export, legal hold, reopening and merging."""

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import AccessLogEntry, AuditEntry
from referrals import services
from referrals.models import Case, CaseLogEntry, Referral, YoungPerson

from .conftest import make_case

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)


def _closed(world, born, **kwargs):
    case = make_case(world, person={"date_of_birth": born}, **kwargs)
    services.case_close(case=case, by=world.neighbourhood, outcome="risk_reduced", summary="Done")
    return case


def test_the_review_list_holds_closed_cases_of_people_aged_25_not_on_hold(world):
    due = _closed(world, datetime.date(2001, 3, 2))
    young = _closed(world, datetime.date(2001, 3, 3))
    held = _closed(world, datetime.date(1999, 1, 1))
    services.case_set_legal_hold(case=held, by=world.manager, hold=True, reason="Court case")
    still_open = make_case(world, person={"date_of_birth": datetime.date(1990, 1, 1)})
    listed = set(Case.objects.due_for_retention_review(today=TODAY))
    assert due in listed
    assert not listed & {young, held, still_open}


def test_a_manager_deletes_a_due_case_and_the_audit_keeps_only_ids(client, world):
    case = _closed(world, datetime.date(1995, 1, 1))
    person = case.young_person
    name = person.last_name + person.first_name
    client.force_login(world.manager)
    review = client.get(reverse("referrals:retention_review"))
    assert case in review.context["page"].object_list
    url = reverse("referrals:case_delete", args=[case.public_id])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert not Case.objects.filter(pk=case.pk).exists()
    assert not YoungPerson.objects.filter(pk=person.pk).exists()
    assert not CaseLogEntry.objects.filter(case_id=case.pk).exists()
    assert not Referral.objects.filter(young_person_id=person.pk).exists()
    entry = AuditEntry.objects.get(action="referrals.case.deleted_for_retention")
    assert entry.actor == world.manager and entry.changes["case"] == case.pk
    assert person.first_name not in str(entry.changes) + entry.target_repr
    assert not AuditEntry.objects.filter(target_repr__icontains=person.first_name).exists()
    assert name  # the name appears nowhere in the audit trail


def test_a_case_not_due_cannot_be_deleted(client, world, case):
    client.force_login(world.manager)
    url = reverse("referrals:case_delete", args=[case.public_id])
    assert client.post(url).status_code == 302
    assert Case.objects.filter(pk=case.pk).exists()


def test_the_subject_access_export_is_a_pdf_of_everything_and_is_logged(client, world, case):
    services.case_log_add(
        case=case,
        by=world.neighbourhood,
        kind="safety_plan",
        occurred_on=datetime.date(2026, 1, 20),
        summary="Safety plan agreed with mum",
    )
    client.force_login(world.manager)
    response = client.post(reverse("referrals:subject_access_export", args=[case.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert case.young_person.first_name not in response["Content-Disposition"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert case.young_person.first_name in text
    assert "Safety plan agreed with mum" in text
    assert "Missing three times this month" in text  # the referral's concern
    assert AccessLogEntry.objects.filter(
        target_id=str(case.pk), action="exported", actor=world.manager
    ).exists()


def test_closing_and_reopening_are_logged(client, world, case):
    client.force_login(world.neighbourhood)
    response = client.post(
        reverse("referrals:case_close", args=[case.public_id]),
        {"outcome": "risk_reduced", "summary": "Engaged well; no missing episodes since October."},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "closed"
    client.force_login(world.sergeant)
    url = reverse("referrals:case_reopen", args=[case.public_id])
    assert client.get(url).status_code == 200
    client.post(url, {"reason": "Missing again last night"})
    case.refresh_from_db()
    assert case.is_open
    assert AuditEntry.objects.filter(
        action="referrals.case.reopened", target_id=str(case.pk)
    ).exists()
    assert case.log_entries.filter(kind="reopened").exists()
    assert case.log_entries.filter(kind="closed").exists()  # the closing summary stays


def test_risk_is_reassessed_with_history(client, world, case):
    client.force_login(world.neighbourhood)
    client.post(
        reverse("referrals:case_risk", args=[case.public_id]),
        {"level": "high", "after_multi_agency_assessment": "on", "reason": "Strategy meeting"},
    )
    case.refresh_from_db()
    assert case.risk_level == "high"
    assert list(case.risk_assessments.values_list("level", flat=True)) == ["high", "medium"]
    assert case.risk_assessments.first().after_multi_agency_assessment


def test_a_sergeant_merges_a_duplicate_record(client, world, case):
    duplicate = YoungPerson.objects.create(
        force=world.forces["a"],
        first_name=case.young_person.first_name,
        last_name="Smyth",
        date_of_birth=case.young_person.date_of_birth,
    )
    old = Referral.objects.create(
        force=world.forces["a"],
        young_person=duplicate,
        thresholds=["exclusion"],
        source="multi_agency",
        concern="Earlier",
        referred_by=world.sso,
    )
    client.force_login(world.sergeant)
    url = reverse("referrals:young_person_merge", args=[case.public_id])
    page = client.get(url).content.decode()
    assert "Smyth" in page
    assert client.post(url, {"duplicate": duplicate.pk}).status_code == 302
    assert not YoungPerson.objects.filter(pk=duplicate.pk).exists()
    old.refresh_from_db()
    assert old.young_person == case.young_person and old.case == case
    entry = AuditEntry.objects.get(action="referrals.young_person.merged")
    assert entry.changes["merged"] == duplicate.pk and "Smyth" not in str(entry.changes)


def test_merging_two_open_cases_is_refused(world, case):
    other = make_case(world)
    with pytest.raises(Exception, match="Both records have an open case"):
        services.young_person_merge(
            keep=case.young_person, duplicate=other.young_person, by=world.sergeant
        )


def test_case_search_shows_only_visible_cases_and_keeps_names_out_of_urls(client, world, case):
    hidden = make_case(world, officer=world.sso, person={"last_name": "Hiddenname"})
    client.force_login(world.neighbourhood)
    response = client.post(reverse("referrals:case_list"), {"q": "Hiddenname"})
    assert hidden not in response.context["page"].object_list
    response = client.post(reverse("referrals:case_list"), {"q": case.young_person.first_name})
    assert list(response.context["page"].object_list) == [case]
    client.force_login(world.manager)
    response = client.post(reverse("referrals:case_list"), {"q": "Hiddenname"})
    assert list(response.context["page"].object_list) == [hidden]


def _pdf_text(pdf: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())  # lines wrap anywhere in a PDF: compare words, not lines


def test_the_subject_access_pdf_holds_consent_plans_signposting_hand_overs_and_panels(world):
    """Everything casework's safeguards keep about the young person reaches the export (#22)."""
    from django.utils import timezone

    from referrals import casework, panel_services
    from referrals.export import render_subject_access_pdf
    from referrals.models import (
        InterventionService,
        LawfulBasis,
        TransferReceipt,
        TransferStatus,
    )

    from .factories import panel_meeting

    case = make_case(world, person={"first_name": "Morgan", "last_name": "Quill"})
    person, officer = case.young_person, world.neighbourhood
    LawfulBasis.objects.ensure_defaults(world.forces["a"])
    basis = LawfulBasis.objects.get(force=world.forces["a"], name="Preventing or detecting crime")
    # Consent: to the referral (agreed) and to a share of the case (without, on a basis).
    casework.consent_record(
        by=world.dsl,
        force=case.force,
        subject="referral",
        consent={"young_person": "agrees", "parents": "agrees"},
        referral=case.referrals.get(),
    )
    casework.case_share_with_consent(
        case=case,
        by=officer,
        user=world.sso,
        reason="Investigates the robbery",
        consent={
            "young_person": "knows",
            "parents": "not_told",
            "lawful_basis": basis,
            "necessary_and_proportionate": True,
            "minimum_shared": "The robbery report only",
            "how_secure": "In this system only",
            "decision": "Telling the family would alert the older males",
        },
    )
    # A safety plan with a risk, a protective factor and who does what.
    plan = casework.safety_plan_save(
        case=case, by=officer, review_on=timezone.localdate() + datetime.timedelta(days=28)
    )
    risk = casework.safety_plan_add_factor(
        plan=plan, by=officer, kind="risk", description="Meets older males at the skatepark"
    )
    casework.safety_plan_add_factor(
        plan=plan, by=officer, kind="protective", description="Loves the boxing club"
    )
    casework.safety_plan_add_step(
        plan=plan, by=officer, factor=risk, who="Grandad", what="Walks Morgan home on Fridays"
    )
    # Signposting, and what came of it.
    service = InterventionService.objects.create(
        force=world.forces["a"],
        name="Boxing Clever mentoring",
        kind="mentoring",
        criteria="Ages 11 to 16",
        area="Weymouth",
    )
    signposting = casework.case_signpost(
        case=case, by=officer, service=service, signposted_on=timezone.localdate()
    )
    casework.signposting_record_outcome(
        signposting=signposting,
        by=officer,
        outcome="engaged",
        outcome_on=timezone.localdate(),
        outcome_note="Goes every Tuesday",
    )
    # A multi-agency panel's decision, a flag and a request to close.
    meeting = panel_meeting(
        world, starts_in=-datetime.timedelta(hours=2), cases=[case], title="Weymouth youth panel"
    )
    panel_services.panel_record_decision(
        item=meeting.agenda.get(),
        by=world.sergeant,
        risk_level="high",
        agreed="YJS worker to visit weekly",
    )
    casework.case_flag(
        case=case, by=officer, message="Court date for the robbery", flag_on=timezone.localdate()
    )
    # A hand-over received from another force about the same young person, not yet taken on.
    TransferReceipt.objects.create(
        force=world.forces["a"],
        reference="ABCD1234",
        from_force_name="Wessex Police",
        from_officer_name="PC Lane",
        to_team=world.teams["sst_a"],
        reason="Moved to Dorset from Wessex",
        first_name="Morgan",
        last_name="Quill",
        date_of_birth=person.date_of_birth,
        summary="Known to the Wessex exploitation team",
        status=TransferStatus.PENDING,
    )
    # And a hand-over of this case to another force's team, accepted there.
    transfer = casework.transfer_request(
        case=case,
        by=officer,
        reason="Moving to Year 7 in Wessex",
        consent={"young_person": "agrees", "parents": "agrees"},
        to_team=world.teams["npt_b"],
        share_risk=True,
    )
    casework.transfer_accept(receipt=transfer.receipt, by=world.other_force_sso, risk_level="")

    text = _pdf_text(render_subject_access_pdf(person, by=world.manager))
    for expected in (
        # consent and lawful bases
        "Consent and lawful bases for sharing",
        "Case shared with an officer",
        "Lawful basis: Preventing or detecting crime",
        "Why without consent: Telling the family would alert the older males",
        "Case handed over",
        "Young person: knows and agrees; parents or carers: knows and agrees. With consent.",
        # the safety plan
        "Meets older males at the skatepark",
        "Loves the boxing club",
        "Grandad: Walks Morgan home on Fridays",
        # signposting with its result
        "Signposted to Boxing Clever mentoring",
        "Result: Engaged with the service",
        "Goes every Tuesday",
        # the panel's decision
        "Weymouth youth panel",
        "YJS worker to visit weekly",
        # hand-overs, sent and received
        f"Hand-over {transfer.reference} to South NPT, Wessex Police",
        "Moving to Year 7 in Wessex",
        "Accepted",
        "Hand-over ABCD1234",
        "Known to the Wessex exploitation team",
        # flags
        "Court date for the robbery",
    ):
        assert expected in text, expected
    # The receiving force's own case is theirs: nothing of it is in this force's export.
    assert "Set when hand-over" not in text
