"""Agreement emails survive a killed worker and a mail-server hiccup, and are sent once."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import OutboxEmail
from accounts.outbox import outbox_sweep
from agreements.models import Agreement, ReviewReminder
from agreements.reminders import send_review_reminders
from agreements.services import agreement_seal

from .conftest import sign

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def _later(minutes=120):
    return timezone.now() + datetime.timedelta(minutes=minutes)


def _deliver_earlier_emails(smtp_server):
    """Send what set-up queued (the requests to sign), so each test counts only its own."""
    outbox_sweep(now=_later())
    smtp_server.received.clear()


def test_a_temporary_error_on_one_officers_reminder_sends_the_rest_and_that_one_once_later(
    active, world, smtp_server, django_capture_on_commit_callbacks
):
    officer, head = world.neighbourhood.email, world.headteacher.email
    day = active.review_due_on - 30 * DAY
    _deliver_earlier_emails(smtp_server)
    smtp_server.refuse(officer, reply="451 4.7.1 Greylisted, try again later", times=1)
    rows_before = OutboxEmail.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_review_reminders(today=day) == 1
    # The reminder stands, its emails are rows: the headteacher's is sent, the officer's waits.
    assert ReviewReminder.objects.filter(agreement=active).count() == 1
    assert OutboxEmail.objects.count() == rows_before + 2
    assert len(smtp_server.to(head)) == 1
    assert len(smtp_server.to(officer)) == 0
    waiting = OutboxEmail.objects.get(to=officer, template="agreements/email/review_due")
    assert (waiting.state, waiting.attempts) == (OutboxEmail.State.QUEUED, 1)
    # The next day's run writes and sends no second copy; the sweeper sends the waiting one.
    with django_capture_on_commit_callbacks(execute=True):
        assert send_review_reminders(today=day + DAY) == 0
    assert outbox_sweep(now=_later()) == 1
    assert outbox_sweep(now=_later()) == 0
    assert OutboxEmail.objects.count() == rows_before + 2
    assert len(smtp_server.to(officer)) == 1
    assert len(smtp_server.to(head)) == 1
    assert "due for review" in smtp_server.to(officer)[0].subject


def test_the_sealed_email_rows_are_written_with_the_seal_and_sent_once_by_the_sweeper(
    sent, world, smtp_server, django_capture_on_commit_callbacks
):
    sign(sent, world.headteacher)
    _deliver_earlier_emails(smtp_server)
    # The worker is killed after sealing, before any email task ran: no callback runs.
    with django_capture_on_commit_callbacks(execute=False):
        sign(sent, world.neighbourhood)
        assert agreement_seal(agreement_pk=sent.pk) is True
    sent.refresh_from_db()
    assert sent.is_sealed
    rows = OutboxEmail.objects.filter(template="agreements/email/sealed")
    assert sorted(rows.values_list("to", flat=True)) == sorted(
        [world.headteacher.email, world.neighbourhood.email]
    )
    assert all(row.state == OutboxEmail.State.QUEUED for row in rows)
    assert all(row.about_id == str(sent.pk) for row in rows)
    assert len(smtp_server.received) == 0
    # The redelivered seal task finds the agreement sealed and writes nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert agreement_seal(agreement_pk=sent.pk) is False
    assert rows.count() == 2
    assert outbox_sweep(now=_later(2)) == 2
    assert outbox_sweep(now=_later(2)) == 0
    for person in (world.headteacher, world.neighbourhood):
        (received,) = smtp_server.to(person.email)
        assert received.subject == f"Your signed agreement with {sent.school.name}"
        (pdf,) = list(received.message.iter_attachments())
        assert pdf.get_content_type() == "application/pdf"
        assert pdf.get_content().startswith(b"%PDF")
    assert Agreement.objects.get(pk=sent.pk).sealed_sha256
