"""Chasing what is unsigned: the officer signs first by default; reminders to the signer whose
turn it is after 3, 7 and 14 days (the force's days), once each; a link to sign that expires
and can be sent again; the officer's list of agreements waiting; and asking for changes
instead of signing, which returns the agreement to the officer."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry, OutboxEmail
from agreements import services, tasks
from agreements.models import (
    Agreement,
    AgreementEvent,
    AgreementSettings,
    SignatureReminder,
)
from schools.tests.factories import SchoolFactory

from .conftest import sign
from .factories import AgreementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def police_first(world):
    """An agreement sent in a force on the default order: waiting for the officer."""
    draft = services.agreement_prepare(school=world.schools["a1"], by=world.neighbourhood)
    agreement = services.agreement_send(agreement=draft, by=world.neighbourhood)
    mail.outbox.clear()
    return agreement


def test_the_officer_signs_first_by_default(world, police_first):
    assert AgreementSettings.for_force(world.forces["a"]).signing_order == "police_first"
    assert police_first.signing_sequence() == ["police", "school"]
    assert police_first.awaiting_party == Agreement.Party.POLICE
    sign(police_first, world.neighbourhood)
    police_first.refresh_from_db()
    assert police_first.awaiting_party == Agreement.Party.SCHOOL


def test_the_turn_and_the_link_start_when_the_signer_is_asked(world, police_first):
    assert police_first.awaiting_since is not None
    assert police_first.sign_link_expires_at - police_first.awaiting_since == datetime.timedelta(
        days=30
    )
    first_since = police_first.awaiting_since
    sign(police_first, world.neighbourhood)
    police_first.refresh_from_db()
    assert police_first.awaiting_since > first_since  # the headteacher's turn starts now


def _reminded(agreement):
    return list(
        SignatureReminder.objects.filter(agreement=agreement).values_list("after_days", flat=True)
    )


def test_reminders_after_3_7_and_14_days_once_each(world, sent):
    since = sent.awaiting_since
    assert services.send_signature_reminders(now=since + datetime.timedelta(days=2)) == 0
    day3 = since + datetime.timedelta(days=3, hours=1)
    assert services.send_signature_reminders(now=day3) == 1
    assert services.send_signature_reminders(now=day3) == 0  # a rerun sends nothing
    assert services.send_signature_reminders(now=since + datetime.timedelta(days=5)) == 0
    assert services.send_signature_reminders(now=since + datetime.timedelta(days=7)) == 1
    assert services.send_signature_reminders(now=since + datetime.timedelta(days=14)) == 1
    assert services.send_signature_reminders(now=since + datetime.timedelta(days=20)) == 0
    assert sorted(_reminded(sent)) == [3, 7, 14]
    rows = OutboxEmail.objects.filter(template="agreements/email/sign_reminder")
    assert rows.count() == 3
    assert {row.to for row in rows} == {world.headteacher.email}  # whose turn it is
    assert "waiting for your signature for 3 days" in rows.order_by("pk").first().body_text
    assert sent.events.filter(kind=AgreementEvent.Kind.SIGN_REMINDED).count() == 3


def test_a_missed_reminder_is_not_sent_late_and_the_force_sets_the_days(world, sent):
    AgreementSettings.objects.filter(force=world.forces["a"]).update(
        signature_reminder_days="2, 10"
    )
    since = sent.awaiting_since
    assert services.send_signature_reminders(now=since + datetime.timedelta(days=11)) == 1
    assert _reminded(sent) == [10]
    AgreementSettings.objects.filter(force=world.forces["a"]).update(signature_reminder_days="")
    assert services.send_signature_reminders(now=since + datetime.timedelta(days=29)) == 0


def test_the_next_signers_turn_is_reminded_afresh(world, sent):
    since = sent.awaiting_since
    services.send_signature_reminders(now=since + datetime.timedelta(days=3))
    sign(sent, world.headteacher)
    sent.refresh_from_db()
    assert services.send_signature_reminders(now=sent.awaiting_since + datetime.timedelta(days=3))
    officer_rows = OutboxEmail.objects.filter(
        template="agreements/email/sign_reminder", to=world.neighbourhood.email
    )
    assert officer_rows.count() == 1


def test_no_reminder_once_the_link_has_expired(world, police_first):
    since = police_first.awaiting_since
    assert services.send_signature_reminders(now=since + datetime.timedelta(days=31)) == 0


def test_no_reminder_for_a_signed_agreement(world, active):
    assert services.send_signature_reminders(now=timezone.now() + datetime.timedelta(days=3)) == 0


def test_the_daily_task_is_scheduled_and_sends(world, sent, periodic_tasks):
    task = periodic_tasks.get(task="agreements.tasks.remind_signers")
    assert task.enabled and task.crontab is not None
    Agreement.objects.filter(pk=sent.pk).update(
        awaiting_since=timezone.now() - datetime.timedelta(days=3, hours=2)
    )
    assert tasks.remind_signers.delay().get() == 1
    assert tasks.remind_signers.delay().get() == 0


def test_reminder_days_are_checked(world, client):
    client.force_login(world.admin)
    for bad in ("0", "3,x", "100", "1,2,3,4,5,6,7"):
        response = client.post(
            reverse("agreements:settings"),
            {
                "signing_order": "police_first",
                "review_months": "12",
                "signature_reminder_days": bad,
                "signing_link_days": "30",
            },
        )
        assert response.status_code == 200, bad
        assert "for example 3, 7, 14" in response.content.decode()


# The link to sign expires -------------------------------------------------------------------


def _expire(agreement):
    Agreement.objects.filter(pk=agreement.pk).update(
        sign_link_expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    agreement.refresh_from_db()


def test_an_expired_link_shows_a_clear_page_and_cannot_sign(client, world, sent):
    _expire(sent)
    client.force_login(world.headteacher)
    url = reverse("agreements:sign", args=[sent.pk])
    response = client.get(url)
    assert response.status_code == 410
    page = response.content.decode()
    assert "The link to sign has expired" in page
    assert world.neighbourhood.display_name in page and "new link" in page
    response = client.post(url, {"typed_name": "Head", "confirmed": "on", "version": "1"})
    assert response.status_code == 410
    assert not sent.signatures.exists()
    with pytest.raises(Exception, match="expired"):
        sign(sent, world.headteacher)


def test_the_officer_sends_a_new_link(client, world, sent, django_capture_on_commit_callbacks):
    _expire(sent)
    client.force_login(world.neighbourhood)
    detail = client.get(sent.get_absolute_url()).content.decode()
    assert "Expired" in detail and "Send a new link" in detail
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("agreements:new_link", args=[sent.pk]))
    assert response.status_code == 302
    sent.refresh_from_db()
    assert not sent.sign_link_has_expired()
    assert sent.sign_link_expires_at > timezone.now() + datetime.timedelta(days=29)
    assert [m.to for m in mail.outbox] == [[world.headteacher.email]]
    assert "The link works until" in mail.outbox[0].body
    assert sent.events.filter(kind=AgreementEvent.Kind.NEW_LINK).exists()
    assert AuditEntry.objects.filter(action="agreements.mou.new_link").exists()
    client.force_login(world.headteacher)
    assert client.get(reverse("agreements:sign", args=[sent.pk])).status_code == 200


def test_a_new_link_only_while_waiting(client, world, active):
    client.force_login(world.neighbourhood)
    response = client.post(reverse("agreements:new_link", args=[active.pk]))
    assert response.status_code == 403


# The officer's list of agreements waiting -----------------------------------------------------


def test_the_waiting_list_says_how_long(client, world, sent, count_queries):
    Agreement.objects.filter(pk=sent.pk).update(
        awaiting_since=timezone.now() - datetime.timedelta(days=9, hours=1)
    )
    client.force_login(world.neighbourhood)
    page = client.get(reverse("agreements:waiting")).content.decode()
    assert "Alder Academy" in page and "9 days" in page and "The headteacher" in page
    # Not another officer's, for a plain officer.
    client.force_login(world.sso)
    assert "Alder Academy" not in client.get(reverse("agreements:waiting")).content.decode()
    client.force_login(world.neighbourhood)
    client.get(reverse("agreements:waiting"))  # warm the session
    few = count_queries(client, reverse("agreements:waiting"))
    for _ in range(12):
        AgreementFactory(
            school=SchoolFactory(force=world.forces["a"]),
            named_officer=world.neighbourhood,
            state=Agreement.State.SENT,
            awaiting_party=Agreement.Party.SCHOOL,
            awaiting_since=timezone.now(),
        )
    assert count_queries(client, reverse("agreements:waiting")) == few


# Asking for changes instead of signing ---------------------------------------------------------


def test_the_headteacher_asks_for_changes_and_it_returns_to_the_officer(
    client, world, sent, django_capture_on_commit_callbacks
):
    client.force_login(world.headteacher)
    detail = client.get(sent.get_absolute_url()).content.decode()
    assert "Ask for changes instead" in detail
    url = reverse("agreements:request_changes", args=[sent.pk])
    response = client.post(url, {"reason": "   "})
    assert "Say what should change" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "Please add our fire plan to the documents."})
    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.state == Agreement.State.DRAFT and sent.awaiting_party == ""
    assert sent.changes_requested_by == world.headteacher
    assert [m.to for m in mail.outbox] == [[world.neighbourhood.email]]
    assert "Please add our fire plan" in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="agreements.mou.changes_requested").exists()
    assert sent.events.filter(kind=AgreementEvent.Kind.CHANGES_REQUESTED).exists()
    # Back with the officer, who reads the reason, changes it and sends it again.
    client.force_login(world.neighbourhood)
    assert "Please add our fire plan" in client.get(sent.get_absolute_url()).content.decode()
    services.agreement_update(
        agreement=sent, by=world.neighbourhood, local_arrangements="Fire plan attached."
    )
    again = services.agreement_send(agreement=sent, by=world.neighbourhood)
    assert again.versions.count() == 2 and again.changes_requested_reason == ""
    assert again.awaiting_party == Agreement.Party.SCHOOL


def test_only_the_signer_whose_turn_it_is_may_ask_for_changes(world, sent):
    with pytest.raises(Exception, match="not waiting for your signature"):
        services.agreement_request_changes(agreement=sent, by=world.neighbourhood, reason="x")
    with pytest.raises(Exception, match="not waiting for your signature"):
        services.agreement_request_changes(agreement=sent, by=world.dsl, reason="x")
    sent.refresh_from_db()
    assert sent.state == Agreement.State.SENT


def test_officers_reach_the_waiting_list_from_home(client, world):
    client.force_login(world.neighbourhood)
    assert reverse("agreements:waiting") in client.get("/").content.decode()
    client.force_login(world.headteacher)
    assert reverse("agreements:waiting") not in client.get("/").content.decode()
