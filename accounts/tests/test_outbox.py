"""The outbox: each email a row written with its cause, sent once, retried only while unsent."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from accounts.models import OutboxEmail
from accounts.outbox import backoff, outbox_sweep, queue_email
from accounts.tasks import send_outbox_email, sweep_outbox

pytestmark = pytest.mark.django_db

LATER = datetime.timedelta(hours=2)


def _queue(world, key="test.cause.1", to=("one@example.org", "two@example.org"), **extra):
    return queue_email(
        to=list(to),
        template="accounts/email/invitation",
        subject="You are invited",
        context={"accept_path": "/accounts/invitation/abc/"},
        key=key,
        force=world.forces["a"],
        about="Invitation 1",
        **extra,
    )


def test_rows_are_written_in_the_callers_transaction_and_sent_after_commit(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        rows = _queue(world)
        assert OutboxEmail.objects.count() == 2
        assert len(mail.outbox) == 0  # nothing leaves before the commit
    assert len(mail.outbox) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["one@example.org", "two@example.org"]
    assert "http://localhost:8000/accounts/invitation/abc/" in mail.outbox[0].body
    assert mail.outbox[0].alternatives[0][1] == "text/html"
    for row in rows:
        row.refresh_from_db()
        assert row.state == OutboxEmail.State.SENT
        assert row.attempts == 1
        assert row.sent_at is not None


def test_a_rolled_back_cause_leaves_no_email(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                _queue(world)
                raise RuntimeError("the change failed")
        except RuntimeError:
            pass
    assert OutboxEmail.objects.count() == 0
    assert len(mail.outbox) == 0


def test_a_repeated_cause_sends_once_per_recipient(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert len(_queue(world)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert _queue(world) == []
        assert len(_queue(world, to=["one@example.org", "three@example.org"])) == 1
    assert OutboxEmail.objects.count() == 3
    assert len(mail.outbox) == 3


def test_attachments_travel_with_the_row(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _queue(
            world, to=["one@example.org"], attachments=[("a.pdf", b"%PDF-1.7", "application/pdf")]
        )
    assert mail.outbox[0].attachments == [("a.pdf", b"%PDF-1.7", "application/pdf")]


def test_the_task_sends_a_row_once(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        (row,) = _queue(world, to=["one@example.org"])
    assert send_outbox_email.delay(row.pk).get() is True
    assert send_outbox_email.delay(row.pk).get() is False
    assert len(mail.outbox) == 1


def test_broker_down_leaves_the_row_for_the_sweeper(world, django_capture_on_commit_callbacks):
    down = mock.patch.object(send_outbox_email, "delay", side_effect=ConnectionError("no broker"))
    with down, django_capture_on_commit_callbacks(execute=True):
        (row,) = _queue(world, to=["one@example.org"])
    assert len(mail.outbox) == 0
    assert outbox_sweep() == 0  # younger than a minute: its own task may still be on the way
    assert outbox_sweep(now=timezone.now() + datetime.timedelta(minutes=2)) == 1
    assert sweep_outbox.delay().get() == 0
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.state == OutboxEmail.State.SENT


def test_which_mail_server_errors_are_worth_retrying():
    import smtplib

    from accounts.outbox import is_permanent

    assert is_permanent(smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"No such user")}))
    assert not is_permanent(smtplib.SMTPRecipientsRefused({"a@example.org": (451, b"Later")}))
    assert is_permanent(smtplib.SMTPDataError(554, b"Message refused"))
    assert not is_permanent(smtplib.SMTPDataError(452, b"Mailbox full for now"))
    assert not is_permanent(smtplib.SMTPConnectError(421, b"Too busy"))
    assert not is_permanent(smtplib.SMTPAuthenticationError(535, b"Bad credentials"))
    assert not is_permanent(smtplib.SMTPServerDisconnected("Connection unexpectedly closed"))
    assert not is_permanent(TimeoutError("timed out"))


def test_backoff_grows_to_an_hour():
    assert backoff(1) == datetime.timedelta(minutes=1)
    assert backoff(3) == datetime.timedelta(minutes=4)
    assert backoff(12) == datetime.timedelta(hours=1)


def test_a_451_leaves_the_row_queued_and_the_sweeper_sends_it_once(
    world, smtp_server, django_capture_on_commit_callbacks
):
    smtp_server.refuse("two@example.org", reply="451 4.3.0 Try again later", times=1)
    with django_capture_on_commit_callbacks(execute=True):
        _queue(world)
    assert len(smtp_server.to("one@example.org")) == 1
    assert len(smtp_server.to("two@example.org")) == 0
    waiting = OutboxEmail.objects.get(to="two@example.org")
    assert waiting.state == OutboxEmail.State.QUEUED
    assert waiting.attempts == 1
    assert waiting.last_error.startswith("two@example.org: 451")
    assert waiting.next_attempt_at > timezone.now() + datetime.timedelta(seconds=50)
    assert outbox_sweep(now=timezone.now() + LATER) == 1
    assert outbox_sweep(now=timezone.now() + LATER) == 0
    assert len(smtp_server.to("one@example.org")) == 1
    assert len(smtp_server.to("two@example.org")) == 1
    waiting.refresh_from_db()
    assert (waiting.state, waiting.attempts) == (OutboxEmail.State.SENT, 2)


def test_a_550_marks_the_row_failed(world, smtp_server, django_capture_on_commit_callbacks):
    smtp_server.refuse("two@example.org", reply="550 5.1.1 No such mailbox", times=None)
    with django_capture_on_commit_callbacks(execute=True):
        _queue(world)
    failed = OutboxEmail.objects.get(to="two@example.org")
    assert failed.state == OutboxEmail.State.FAILED
    assert "550" in failed.last_error
    assert outbox_sweep(now=timezone.now() + LATER) == 0
    assert len(smtp_server.received) == 1


def test_a_server_that_does_not_answer_is_a_temporary_failure(
    world, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens on discard
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    with django_capture_on_commit_callbacks(execute=True):
        (row,) = _queue(world, to=["one@example.org"])
    row.refresh_from_db()
    assert row.state == OutboxEmail.State.QUEUED
    assert row.attempts == 1
    assert row.last_error


def test_the_sweeper_is_scheduled_every_minute(periodic_tasks):
    task = periodic_tasks.get(task="accounts.tasks.sweep_outbox")
    assert task.enabled
    assert (task.interval.every, task.interval.period) == (60, "seconds")


def test_allauths_password_reset_goes_through_the_outbox(
    client, world, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": world.dsl.email})
    assert response.status_code == 302
    row = OutboxEmail.objects.get(to=world.dsl.email)
    assert row.state == OutboxEmail.State.SENT
    assert row.key.startswith("allauth.password_reset_key.")
    assert row.force_id == world.forces["a"].pk
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [world.dsl.email]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_a_550_shows_on_the_managers_page_and_send_again_sends_it_once(
    client, world, smtp_server, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from accounts.models import AuditEntry

    smtp_server.refuse("gone@example.org", reply="550 5.1.1 No such mailbox", times=1)
    with django_capture_on_commit_callbacks(execute=True):
        (row,) = _queue(world, key="test.cause.page", to=["gone@example.org"])
    row.refresh_from_db()
    assert (row.state, row.attempts) == (OutboxEmail.State.FAILED, 1)
    assert len(smtp_server.received) == 0

    page_url = reverse("accounts:outbox_list")
    client.force_login(world.manager)
    page = client.get(page_url).content.decode()
    assert "gone@example.org" in page
    assert "You are invited" in page
    assert "Invitation 1" in page
    assert "550 5.1.1 No such mailbox" in page
    assert "Dear" not in page  # the body is not shown, only what identifies the email
    # Another force's manager does not see it, and cannot send it.
    client.force_login(world.other_force_manager)
    assert "gone@example.org" not in client.get(page_url).content.decode()
    resend_url = reverse("accounts:outbox_resend", args=[row.pk])
    assert client.post(resend_url).status_code == 404

    client.force_login(world.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(resend_url)
    assert response["Location"] == page_url
    assert len(smtp_server.to("gone@example.org")) == 1
    row.refresh_from_db()
    assert (row.state, row.attempts) == (OutboxEmail.State.SENT, 2)
    entry = AuditEntry.objects.get(action="accounts.email.resent")
    assert (entry.actor, entry.force) == (world.manager, world.forces["a"])
    assert (
        "The email to gone@example.org will be sent again." in client.get(page_url).content.decode()
    )
    # Sent, it leaves the page; sending it again is no longer offered or possible.
    assert "gone@example.org" not in client.get(page_url).content.decode()
    assert client.post(resend_url).status_code == 404
    assert outbox_sweep(now=timezone.now() + LATER) == 0
    assert len(smtp_server.to("gone@example.org")) == 1
    assert OutboxEmail.objects.count() == 1


def test_a_stuck_email_shows_on_the_page_and_a_fresh_one_does_not(client, world):
    from django.urls import reverse

    fresh = OutboxEmail.objects.create(
        to="fresh@example.org", subject="Fresh", body_text="…", key="k1", force=world.forces["a"]
    )
    stuck = OutboxEmail.objects.create(
        to="stuck@example.org",
        subject="Stuck",
        body_text="…",
        key="k2",
        force=world.forces["a"],
        created=timezone.now() - datetime.timedelta(minutes=20),
    )
    client.force_login(world.admin)
    page = client.get(reverse("accounts:outbox_list")).content.decode()
    assert stuck.to in page and "Still waiting" in page
    assert fresh.to not in page
