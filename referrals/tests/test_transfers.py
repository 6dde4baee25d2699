"""Hand-overs of a case (#22 item 7): within a force and to another force's team."""

import pytest
from django.urls import reverse

from accounts.models import AccessLogEntry, AuditEntry, OutboxEmail, Team
from accounts.tests.factories import TeamFactory
from referrals import casework
from referrals.models import (
    Case,
    CaseTransfer,
    ConsentRecord,
    TransferReceipt,
    YoungPerson,
)
from tests.matrix import DENIED, HIDDEN, OK, Row, check

from .conftest import make_case
from .factories import WITH_CONSENT
from .test_permissions import rows

pytestmark = pytest.mark.django_db

CONSENTED = {"young_person": "agrees", "parents": "agrees"}


@pytest.fixture
def team_b(world):
    """Force B's Safer Schools team, whose officer takes cases on."""
    team = TeamFactory(
        force=world.forces["b"], name="Wessex Safer Schools", kind=Team.Kind.SAFER_SCHOOLS
    )
    world.other_force_sso.team = team
    world.other_force_sso.save()
    return team


def _ask(world, case, **fields):
    return casework.transfer_request(
        case=case,
        by=world.neighbourhood,
        reason="Moves to Year 7 in Wessex",
        consent=CONSENTED,
        **fields,
    )


def test_a_hand_over_to_another_force_sends_only_what_was_chosen(client, world, team_b):
    case = make_case(world, person={"first_name": "Robin", "last_name": "Fairweather"})
    client.force_login(world.neighbourhood)
    url = reverse("referrals:transfer_request", args=[case.public_id])
    page = client.get(url).content.decode()
    assert "Wessex Safer Schools, Wessex Police" in page
    response = client.post(url, {"destination": "team", "reason": "", **WITH_CONSENT})
    text = response.content.decode()
    assert "Choose the team that takes the case on" in text and "Enter why" in text
    response = client.post(
        url,
        {
            "destination": "team",
            "to_team": team_b.pk,
            "reason": "Moves to Year 7 in Wessex",
            "share_summary": "on",
            "summary": "Engaging well; mentoring in place.",
            **WITH_CONSENT,
        },
    )
    assert response.status_code == 302
    transfer = CaseTransfer.objects.get()
    receipt = transfer.receipt
    assert receipt.force == world.forces["b"]
    assert receipt.summary == "Engaging well; mentoring in place."
    assert receipt.risk_level == "" and receipt.safety_plan_text == ""  # not chosen
    assert ConsentRecord.objects.get().subject == "transfer"
    # The receiving officer is emailed without the young person's name.
    email = OutboxEmail.objects.get(to=world.other_force_sso.email)
    assert "Fairweather" not in email.body_text + email.subject + email.body_html
    # The receiving force reads its receipt, never the sending case.
    assert TransferReceipt.objects.visible_to(world.other_force_sso).get() == receipt
    assert not CaseTransfer.objects.visible_to(world.other_force_sso).exists()
    assert not Case.objects.visible_to(world.other_force_sso).exists()
    assert not TransferReceipt.objects.visible_to(world.neighbourhood).exists()
    client.force_login(world.other_force_sso)
    assert client.get(case.get_absolute_url()).status_code == 404
    page = client.get(receipt.get_absolute_url()).content.decode()
    assert "Robin Fairweather" in page and "Visited at home" not in page  # no case log
    assert AccessLogEntry.objects.filter(
        actor=world.other_force_sso, target_id=str(receipt.pk)
    ).exists()

    # Accepting needs a risk level, since none was shared.
    accept = reverse("referrals:transfer_accept", args=[receipt.public_id])
    assert "Choose the risk level" in client.post(accept, {"dsl_message": ""}).content.decode()
    response = client.post(accept, {"risk_level": "medium"})
    assert response.status_code == 302
    new_case = Case.objects.get(force=world.forces["b"])
    assert new_case.officer == world.other_force_sso and new_case.is_open
    assert new_case.young_person.force == world.forces["b"]
    assert new_case.log_entries.filter(summary__contains="Received by hand-over").exists()
    case.refresh_from_db()
    assert not case.is_open and case.closure_outcome == "handed_over"
    assert case.log_entries.filter(summary__contains="accepted by").exists()
    assert case.log_entries.count() >= 3  # its history stays
    # The sending officer is told, by an email that names nobody.
    told = OutboxEmail.objects.get(to=world.neighbourhood.email, subject__contains="accepted")
    assert "Fairweather" not in told.body_text
    assert AuditEntry.objects.filter(
        action="referrals.transfer.accepted", force=world.forces["a"]
    ).exists()
    assert AuditEntry.objects.filter(
        action="referrals.transfer.accepted", force=world.forces["b"]
    ).exists()


def test_a_hand_over_within_the_force_tells_the_new_schools_dsl(client, world):
    case = make_case(world, person={"first_name": "Sam", "last_name": "Quartermain"})
    casework.safety_plan_save(case=case, by=world.neighbourhood, review_on=case.opened_on)
    transfer = _ask(world, case, to_officer=world.sso, share_risk=True, share_safety_plan=True)
    receipt = transfer.receipt
    assert receipt.risk_level == case.risk_level and "Review on" in receipt.safety_plan_text
    assert not TransferReceipt.objects.visible_to(world.dsl).exists()  # not told yet
    client.force_login(world.sso)
    response = client.post(
        reverse("referrals:transfer_accept", args=[receipt.public_id]),
        {"dsl_message": "Please let us know of any absence on Mondays."},
    )
    assert "Choose the new school whose DSL is told" in response.content.decode()
    response = client.post(
        reverse("referrals:transfer_accept", args=[receipt.public_id]),
        {
            "new_school": world.schools["a1"].pk,
            "dsl_message": "Please let us know of any absence on Mondays.",
        },
    )
    assert response.status_code == 302
    assert Case.objects.open().get(young_person=case.young_person).officer == world.sso
    assert YoungPerson.objects.count() == 1  # the same young person, a new case
    email = OutboxEmail.objects.get(to=world.dsl.email)
    assert "Quartermain" not in email.body_text + email.subject and "Mondays" not in email.body_text
    client.force_login(world.dsl)
    told = client.get(reverse("referrals:transfer_list")).content.decode()
    assert f"Hand-over {receipt.reference}" in told and "Quartermain" not in told
    page = client.get(receipt.get_absolute_url()).content.decode()
    assert "Mondays" in page and "Quartermain" not in page and "Review on" not in page
    # Another school's DSL sees nothing.
    client.force_login(world.other_school_dsl)
    assert client.get(receipt.get_absolute_url()).status_code == 404


def test_a_declined_hand_over_leaves_the_case_with_the_sender(client, world):
    case = make_case(world)
    receipt = _ask(world, case, to_officer=world.sso).receipt
    client.force_login(world.sso)
    url = reverse("referrals:transfer_decline", args=[receipt.public_id])
    assert (
        "Enter why the hand-over is declined"
        in client.post(url, {"decline_reason": " "}).content.decode()
    )
    client.post(url, {"decline_reason": "Not in our area after all"})
    case.refresh_from_db()
    assert case.is_open and case.transfers.get().status == "declined"
    assert case.log_entries.filter(summary__contains="Not in our area").exists()
    assert (
        client.get(reverse("referrals:transfer_accept", args=[receipt.public_id])).status_code
        == 403
    )


def test_bad_hand_over_requests(world, team_b):
    from django.core.exceptions import ValidationError

    case = make_case(world)
    with pytest.raises(ValidationError):
        _ask(world, case, to_officer=world.neighbourhood)  # already theirs
    with pytest.raises(ValidationError):
        _ask(world, case)  # nobody receives it
    with pytest.raises(ValidationError):
        _ask(world, case, to_officer=world.sso, share_summary=True, summary=" ")
    _ask(world, case, to_team=team_b)
    with pytest.raises(ValidationError):
        _ask(world, case, to_officer=world.sso)  # one waiting already


def test_hand_over_permission_rows(client, world, team_b):
    case = make_case(world)
    receipt = _ask(world, case, to_team=team_b).receipt
    matrix = (
        rows(
            "GET",
            reverse("referrals:transfer_request", args=[case.public_id]),
            ("neighbourhood", "sergeant", "manager"),
        )
        + rows(
            "GET",
            reverse("referrals:transfer_list"),
            (
                "sso",
                "neighbourhood",
                "sergeant",
                "manager",
                "other_force_sso",
                "other_force_manager",
                # New schools' DSLs and headteachers: what they were told, nothing else.
                "dsl",
                "headteacher",
                "other_school_headteacher",
                "other_school_dsl",
                "other_force_headteacher",
            ),
            others=DENIED,
        )
        # The receipt is force B's: force A (the sender's side) does not find it.
        + [
            Row(who, "GET", reverse(f"referrals:{name}", args=[receipt.public_id]), expected)
            for name in ("transfer_receipt", "transfer_accept", "transfer_decline")
            for who, expected in [
                ("other_force_sso", OK),
                ("other_force_manager", OK if name == "transfer_receipt" else DENIED),
                ("other_force_admin", HIDDEN),
                ("other_force_headteacher", HIDDEN),
                ("neighbourhood", HIDDEN),
                ("sergeant", HIDDEN),
                ("manager", HIDDEN),
                ("dsl", HIDDEN),
            ]
        ]
    )
    check(client, world, matrix)
