"""Who may open each page of referrals: every role, the unallocated officer, another school, another force.

Each URL name of the app has a builder in PAGES; test_every_url_has_rows fails when one does not.
"""

import datetime

import pytest
from django.urls import URLPattern, reverse

from accounts.models import AccessLogEntry
from referrals import urls as referral_urls
from referrals.models import Action, Case, CaseShare, Referral, ReferralShare
from tests.matrix import ANONYMOUS, BAD, DENIED, EVERYONE, HIDDEN, LOGIN, OK, REDIRECT, Row, check

from .conftest import make_case
from .factories import WITH_CONSENT, ReferralFactory

pytestmark = pytest.mark.django_db

# Police-side people of force A: a case of their force exists for them (403 if not theirs).
SAME_FORCE_POLICE_SIDE = ("sso", "neighbourhood", "sergeant", "manager", "coordinator", "admin")
EXTRA = ("other_force_sso", "other_force_manager", "other_school_dsl")
CASEWORKERS = ("sso", "neighbourhood", "sergeant", "manager")


def rows(
    method, url, ok, *, allowed=OK, data=None, default_same_force=DENIED, others=HIDDEN, extra=None
):
    """Rows for everyone: `ok` get `allowed`; same-force police-side get 403; the rest 404."""
    expected = {ANONYMOUS: LOGIN}
    for who in (*EVERYONE, *EXTRA):
        if who in ok:
            expected[who] = allowed
        elif who in SAME_FORCE_POLICE_SIDE:
            expected[who] = default_same_force
        else:
            expected[who] = others
    expected.update(extra or {})
    return [Row(who, method, url, outcome, data) for who, outcome in expected.items()]


@pytest.fixture
def objs(world):
    case = make_case(world)
    closed = make_case(world)
    closed.status, closed.closure_outcome, closed.closed_on = (
        "closed",
        "moved_away",
        datetime.date(2026, 1, 1),
    )
    closed.save()
    due = make_case(world, person={"date_of_birth": datetime.date(1990, 1, 1)})
    due.status, due.closure_outcome, due.closed_on = (
        "closed",
        "moved_away",
        datetime.date(2010, 1, 1),
    )
    due.save()
    waiting = ReferralFactory(
        young_person__force=world.forces["a"],
        referred_by=world.dsl,
        school=world.schools["a1"],
        source="school",
        mash_referral_made=True,
        mash_reference="M-2",
    )
    action = Action.objects.create(
        case=case,
        term="short",
        description="Weekly mentoring",
        owner_kind="officer",
        owner_user=world.neighbourhood,
        due_on=datetime.date.today() + datetime.timedelta(days=30),
        created_by=world.neighbourhood,
    )
    share = CaseShare.objects.create(
        case=case, user=world.sso, reason="test", shared_by=world.sergeant
    )
    accepted = Referral.objects.get(case=case)
    proactive = ReferralFactory(
        young_person=case.young_person,
        school=world.schools["a1"],
        source="proactive",
        referred_by=world.sergeant,
        status="accepted",
        case=case,
        decided_by=world.sergeant,
    )
    school_share = ReferralShare.objects.create(
        referral=proactive, school=world.schools["a1"], reason="test", shared_by=world.sergeant
    )
    return {
        "case": case,
        "closed": closed,
        "due": due,
        "waiting": waiting,
        "accepted": accepted,
        "proactive": proactive,
        "school_share": school_share,
        "entry": case.log_entries.first(),
        "action": action,
        "share": share,
    }


def _incident(world):
    from incidents.tests.factories import IncidentFactory

    return IncidentFactory(school=world.schools["a1"], reported_by=world.dsl)


def _case_url(name, case, *args):
    return reverse(f"referrals:{name}", args=[case.public_id, *args])


def _work(name):
    """A page of working a case: the allocated officer, their team's sergeant, managers."""
    return lambda world, o: rows(
        "GET", _case_url(name, o["case"]), ("neighbourhood", "sergeant", "manager")
    )


PAGES = {
    # An officer refers a pupil named in an incident (incidents' own matrix covers the rest).
    "referral_create_for_incident": lambda world, o: rows(
        "GET",
        reverse("referrals:referral_create_for_incident", args=[_incident(world).public_id]),
        ("sso", "neighbourhood", "sergeant"),
        others=DENIED,
        extra={"other_force_sso": HIDDEN, "other_force_manager": HIDDEN},
    ),
    "inbox": lambda world, o: rows(
        "GET",
        reverse("referrals:inbox"),
        (*CASEWORKERS, "other_force_sso", "other_force_manager"),
        others=DENIED,
    ),
    "referral_create": lambda world, o: rows(
        "GET",
        reverse("referrals:referral_create"),
        (*CASEWORKERS, "other_force_sso", "other_force_manager"),
        others=DENIED,
    ),
    "referral_create_for_school": lambda world, o: rows(
        "GET",
        reverse("referrals:referral_create_for_school", args=[world.schools["a1"].pk]),
        ("dsl", "headteacher"),
        extra={"school_link": DENIED},
    ),
    "referral_detail": lambda world, o: rows(
        "GET",
        o["accepted"].get_absolute_url(),
        ("neighbourhood", "sergeant", "manager", "dsl", "headteacher"),
        # The referral is not theirs and its case is not theirs: it does not exist for them.
        default_same_force=HIDDEN,
    ),
    "referral_triage": lambda world, o: (
        rows(
            "GET",
            reverse("referrals:referral_triage", args=[o["waiting"].public_id]),
            ("sergeant", "manager"),
            allowed=REDIRECT,
            others=DENIED,
            extra={"other_force_manager": HIDDEN},
        )
        + [
            Row(
                "sso",
                "POST",
                reverse("referrals:referral_triage", args=[o["waiting"].public_id]),
                DENIED,
                {"decision": "decline"},
            ),
            Row(
                "sergeant",
                "POST",
                reverse("referrals:referral_triage", args=[o["waiting"].public_id]),
                OK,
                {"decision": "decline"},
            ),
        ]
    ),
    "case_list": lambda world, o: rows(
        "GET",
        reverse("referrals:case_list"),
        (*CASEWORKERS, "other_force_sso", "other_force_manager"),
        others=DENIED,
    ),
    "retention_review": lambda world, o: rows(
        "GET",
        reverse("referrals:retention_review"),
        ("manager", "other_force_manager"),
        others=DENIED,
    ),
    "case_detail": lambda world, o: rows(
        "GET", o["case"].get_absolute_url(), ("neighbourhood", "sergeant", "manager")
    ),
    "case_reason": lambda world, o: rows(
        "GET",
        _case_url("case_reason", o["case"]),
        ("sso",),
        extra={"neighbourhood": REDIRECT, "sergeant": REDIRECT, "manager": REDIRECT},
    ),
    "log_entry_create": _work("log_entry_create"),
    "log_entry_correct": lambda world, o: rows(
        "GET",
        _case_url("log_entry_correct", o["case"], o["entry"].pk),
        ("neighbourhood", "sergeant", "manager"),
    ),
    "action_create": _work("action_create"),
    "action_update": lambda world, o: (
        rows(
            "POST",
            _case_url("action_update", o["case"], o["action"].pk),
            ("neighbourhood", "sergeant", "manager"),
            allowed=REDIRECT,
            data={"do": "reviewed"},
        )
        + [Row("neighbourhood", "GET", _case_url("action_update", o["case"], o["action"].pk), BAD)]
    ),
    "case_risk": _work("case_risk"),
    "case_allocate": lambda world, o: rows(
        "GET", _case_url("case_allocate", o["case"]), ("sergeant", "manager")
    ),
    "case_share": lambda world, o: rows(
        "GET", _case_url("case_share", o["case"]), ("neighbourhood", "sergeant", "manager")
    ),
    "share_revoke": lambda world, o: (
        [
            r
            for r in rows("POST", _case_url("share_revoke", o["case"], o["share"].pk), ())
            if r.who not in ("neighbourhood", "sergeant", "manager")
        ]
        + [
            Row(
                "neighbourhood",
                "POST",
                _case_url("share_revoke", o["case"], o["share"].pk),
                REDIRECT,
            )
        ]
    ),
    "referral_share_with_school": lambda world, o: rows(
        "GET",
        _case_url("referral_share_with_school", o["case"], o["proactive"].public_id),
        ("neighbourhood", "sergeant", "manager"),
    ),
    "referral_unshare_with_school": lambda world, o: (
        [
            r
            for r in rows(
                "POST",
                _case_url("referral_unshare_with_school", o["case"], o["school_share"].pk),
                (),
            )
            if r.who not in ("neighbourhood", "sergeant", "manager")
        ]
        + [
            Row(
                "neighbourhood",
                "POST",
                _case_url("referral_unshare_with_school", o["case"], o["school_share"].pk),
                REDIRECT,
            )
        ]
    ),
    "case_close": _work("case_close"),
    "case_reopen": lambda world, o: rows(
        "GET", _case_url("case_reopen", o["closed"]), ("sergeant", "manager")
    ),
    "case_legal_hold": lambda world, o: rows(
        "GET", _case_url("case_legal_hold", o["case"]), ("manager",)
    ),
    "case_access_log": lambda world, o: rows(
        "GET", _case_url("case_access_log", o["case"]), ("manager",)
    ),
    "young_person_merge": lambda world, o: rows(
        "GET", _case_url("young_person_merge", o["case"]), ("sergeant", "manager")
    ),
    "subject_access_export": lambda world, o: (
        rows("POST", _case_url("subject_access_export", o["case"]), ("manager",))
        + [Row("manager", "GET", _case_url("subject_access_export", o["case"]), BAD)]
    ),
    "case_delete": lambda world, o: (
        rows("GET", _case_url("case_delete", o["due"]), ("manager",))
        + [Row("manager", "GET", _case_url("case_delete", o["case"]), REDIRECT)]
    ),
}


def test_every_url_has_rows():
    # Multi-agency panels and owned actions keep their rows in test_panel_permissions.py.
    from .test_panel_permissions import PANEL_PAGES

    names = {p.name for p in referral_urls.urlpatterns if isinstance(p, URLPattern)}
    covered = set(PAGES) | set(PANEL_PAGES)
    assert names == covered, f"URL names without permission rows: {sorted(names - covered)}"


@pytest.mark.parametrize("url_name", sorted(PAGES))
def test_permission_matrix(client, world, objs, url_name):
    # The unallocated officer holds a share only for share_revoke; elsewhere it would open the case.
    if url_name != "share_revoke":
        CaseShare.objects.all().update(
            revoked_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
        )
    check(client, world, PAGES[url_name](world, objs))


def test_unallocated_officer_is_denied_without_a_reason_and_allowed_with_one(client, world, case):
    client.force_login(world.sso)
    response = client.get(case.get_absolute_url())
    assert response.status_code == 403
    assert case.young_person.last_name not in response.content.decode()
    assert not AccessLogEntry.objects.filter(target_id=str(case.pk), actor=world.sso).exists()

    reason_url = reverse("referrals:case_reason", args=[case.public_id])
    assert client.post(reason_url, {"reason": "short"}).status_code == 200  # too short: asked again
    response = client.post(reason_url, {"reason": "Suspect in tonight's robbery lives with him"})
    assert response.status_code == 302

    response = client.get(case.get_absolute_url())
    assert response.status_code == 200
    assert response["Cache-Control"].count("no-store")
    entry = AccessLogEntry.objects.get(target_id=str(case.pk), actor=world.sso)
    assert entry.reason == "Suspect in tonight's robbery lives with him"
    # A reason opens the case for reading only.
    assert (
        client.get(reverse("referrals:log_entry_create", args=[case.public_id])).status_code == 403
    )


def test_a_reason_lasts_thirty_minutes(client, world, case):
    client.force_login(world.sso)
    client.post(
        reverse("referrals:case_reason", args=[case.public_id]), {"reason": "Linked to a live job"}
    )
    assert client.get(case.get_absolute_url()).status_code == 200
    session = client.session
    given = session["referrals.case_reasons"][str(case.public_id)]
    given["until"] = (
        datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=1)
    ).isoformat()
    session.save()
    assert client.get(case.get_absolute_url()).status_code == 403


def test_admin_and_coordinator_cannot_give_a_reason(client, world, case):
    for who in ("admin", "coordinator"):
        client.force_login(world.users[who])
        url = reverse("referrals:case_reason", args=[case.public_id])
        assert client.post(url, {"reason": "Curious about this case"}).status_code == 403


def test_a_share_opens_the_case_and_is_logged(client, world, case):
    client.force_login(world.neighbourhood)
    url = reverse("referrals:case_share", args=[case.public_id])
    response = client.post(
        url, {"user": world.sso.pk, "reason": "Works the robbery linked to him", **WITH_CONSENT}
    )
    assert response.status_code == 302
    client.force_login(world.sso)
    assert client.get(case.get_absolute_url()).status_code == 200
    assert Case.objects.visible_to(world.sso).filter(pk=case.pk).exists()
    from accounts.models import AuditEntry

    assert AuditEntry.objects.filter(
        action="referrals.case.shared", target_id=str(case.pk)
    ).exists()
