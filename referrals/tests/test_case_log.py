"""The case log cannot be edited or deleted, through the models, the database or any page."""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import URLPattern, reverse

from accounts.forms_kit import date_data
from accounts.models import AccessLogEntry
from referrals import urls as referral_urls
from referrals.models import CaseLogEntry, RiskAssessment

from .factories import WITH_CONSENT, ReferralFactory

pytestmark = pytest.mark.django_db


def test_an_entry_refuses_to_be_changed_or_deleted(case):
    entry = case.log_entries.get()
    entry.summary = "Rewritten"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        CaseLogEntry.objects.filter(pk=entry.pk).update(summary="Rewritten")
    with pytest.raises(PermissionError):
        CaseLogEntry.objects.filter(pk=entry.pk).delete()
    entry.refresh_from_db()
    assert entry.summary == "Visited at home with mum present."


def test_risk_history_refuses_changes(case):
    assessment = case.risk_assessments.get()
    assessment.level = "low"
    with pytest.raises(PermissionError):
        assessment.save()
    with pytest.raises(PermissionError):
        assessment.delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_refuses_updates_and_deletes(case):
    entry = case.log_entries.get()
    for sql in (
        "UPDATE referrals_caselogentry SET summary = 'x' WHERE id = %s",
        "DELETE FROM referrals_caselogentry WHERE id = %s",
        "UPDATE referrals_riskassessment SET level = 'low' WHERE case_id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk if "caselog" in sql else case.pk])
    assert CaseLogEntry.objects.filter(pk=entry.pk, summary__startswith="Visited").exists()
    assert RiskAssessment.objects.filter(case=case).count() == 1


def test_no_page_edits_or_deletes_a_log_entry():
    """The only page that takes an entry's id adds a correction; no URL edits or deletes one."""
    taking_an_entry = [
        p.name
        for p in referral_urls.urlpatterns
        if isinstance(p, URLPattern) and "entry_pk" in str(p.pattern)
    ]
    assert taking_an_entry == ["log_entry_correct"]
    assert not [
        p.name
        for p in referral_urls.urlpatterns
        if "log" in str(p.pattern) and ("edit" in str(p.pattern) or "delete" in str(p.pattern))
    ]


def test_the_admin_does_not_offer_the_log():
    from django.contrib import admin

    assert CaseLogEntry not in admin.site._registry


def test_a_correction_is_a_new_entry_and_the_old_one_stays(client, world, case):
    entry = case.log_entries.get()
    client.force_login(world.neighbourhood)
    url = reverse("referrals:log_entry_correct", args=[case.public_id, entry.pk])
    response = client.post(
        url,
        {
            "kind": "home_visit",
            **date_data("occurred_on", datetime.date(2026, 1, 11)),
            "summary": "Dad was present, not mum.",
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.summary == "Visited at home with mum present."
    correction = case.log_entries.get(corrects=entry)
    assert correction.summary == "Dad was present, not mum."
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Correction: Home visit" in page and "Visited at home with mum present." in page


def test_posting_to_any_case_page_never_changes_an_existing_entry(client, world, case):
    entry = case.log_entries.get()
    client.force_login(world.manager)
    names = [p.name for p in referral_urls.urlpatterns if "public_id" in str(p.pattern)]
    for name in names:
        args = [case.public_id]
        if name in {
            "log_entry_correct",
            "action_update",
            "share_revoke",
            "referral_unshare_with_school",
        }:
            args.append(entry.pk)
        if name == "referral_share_with_school":
            args.append(case.referrals.get().public_id)
        client.post(
            reverse(f"referrals:{name}", args=args),
            {
                "summary": "Rewritten",
                "kind": "home_visit",
                **date_data("occurred_on", datetime.date(2026, 1, 10)),
                "id": entry.pk,
            },
        )
    entry.refresh_from_db()
    assert entry.summary == "Visited at home with mum present."
    assert CaseLogEntry.objects.filter(pk=entry.pk).exists()


def test_information_shared_says_what_to_whom_and_why(client, world, case):
    client.force_login(world.neighbourhood)
    url = reverse("referrals:log_entry_create", args=[case.public_id])
    response = client.post(
        url,
        {
            "kind": "information_shared",
            **date_data("occurred_on", datetime.date(2026, 1, 12)),
            "summary": "Call",
        },
    )
    assert response.status_code == 200
    assert "Say who it was shared with" in response.content.decode()
    response = client.post(
        url,
        {
            "kind": "information_shared",
            **date_data("occurred_on", datetime.date(2026, 1, 12)),
            "summary": "Call with social worker",
            "shared_what": "Missing episodes",
            "shared_with": "A. Jones, children's services",
            "shared_basis": "Safeguarding, Children Act 1989 s47",
            **WITH_CONSENT,
        },
    )
    assert response.status_code == 302
    from accounts.models import AuditEntry

    disclosure = AuditEntry.objects.get(action="referrals.case.logged", target_id=str(case.pk))
    assert disclosure.changes["shared_with"] == "A. Jones, children's services"


CASE_GET_PAGES = [
    "case_detail",
    "log_entry_create",
    "log_entry_correct",
    "action_create",
    "case_risk",
    "case_allocate",
    "case_share",
    "case_close",
    "case_legal_hold",
    "case_access_log",
    "young_person_merge",
    "referral_share_with_school",
]


@pytest.mark.parametrize("name", CASE_GET_PAGES)
def test_every_view_of_a_case_page_writes_an_access_entry(client, world, case, name):
    client.force_login(world.manager)
    args = [case.public_id] + ([case.log_entries.get().pk] if name == "log_entry_correct" else [])
    if name == "referral_share_with_school":
        proactive = ReferralFactory(
            young_person=case.young_person,
            school=case.young_person.school,
            source="proactive",
            referred_by=world.sergeant,
            status="accepted",
            case=case,
        )
        args.append(proactive.public_id)
    before = AccessLogEntry.objects.filter(target_id=str(case.pk)).count()
    response = client.get(reverse(f"referrals:{name}", args=args))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert (
        AccessLogEntry.objects.filter(target_id=str(case.pk), actor=world.manager).count()
        == before + 1
    )


def test_every_get_page_of_a_case_is_in_the_list_above():
    gets = {
        p.name
        for p in referral_urls.urlpatterns
        if "public_id" in str(p.pattern) and str(p.pattern).startswith("cases/")
    }
    post_only = {
        "action_update",
        "share_revoke",
        "subject_access_export",
        "referral_unshare_with_school",
    }
    other = {"case_reason", "case_reopen", "case_delete"}  # tested in their own files
    assert gets - post_only - other == set(CASE_GET_PAGES)


def test_viewing_a_referral_is_logged_too(client, world, case):
    referral = case.referrals.get()
    for who in ("dsl", "sergeant"):
        client.force_login(world.users[who])
        assert client.get(referral.get_absolute_url()).status_code == 200
        assert AccessLogEntry.objects.filter(
            target_id=str(referral.pk), actor=world.users[who]
        ).exists()
