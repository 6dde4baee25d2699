"""Review reminders at 60, 30 and 7 days before, then weekly when overdue; each sent once."""

import datetime

import pytest
from django.core import mail

from agreements.models import Agreement, ReviewReminder
from agreements.reminders import reminder_due, send_review_reminders
from agreements.tasks import remind_agreement_reviews

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def due_on(active):
    return active.review_due_on


def run_every_day(start, end, times=1):
    """Run the daily job for each day from start to end, `times` times a day; return the total."""
    sent, day = 0, start
    while day <= end:
        for _ in range(times):
            sent += send_review_reminders(today=day)
        day += DAY
    return sent


def test_which_reminder_is_due():
    review = datetime.date(2027, 9, 1)
    assert reminder_due(review, review - 61 * DAY) is None
    assert reminder_due(review, review - 60 * DAY) == ("60_days", review)
    assert reminder_due(review, review - 31 * DAY) == ("60_days", review)
    assert reminder_due(review, review - 30 * DAY) == ("30_days", review)
    assert reminder_due(review, review - 7 * DAY) == ("7_days", review)
    assert reminder_due(review, review - DAY) == ("7_days", review)
    assert reminder_due(review, review) == ("overdue", review)
    assert reminder_due(review, review + 6 * DAY) == ("overdue", review)
    assert reminder_due(review, review + 7 * DAY) == ("overdue", review + 7 * DAY)


def test_each_reminder_is_sent_once_however_often_the_job_runs(
    active, due_on, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = run_every_day(due_on - 70 * DAY, due_on + 20 * DAY, times=3)
    # 60, 30 and 7 days before, then overdue on the day, a week and two weeks after.
    assert sent == 6
    kinds = list(
        ReviewReminder.objects.filter(agreement=active)
        .order_by("for_date", "sent_at")
        .values_list("kind", "for_date")
    )
    assert kinds == [
        ("60_days", due_on),
        ("30_days", due_on),
        ("7_days", due_on),
        ("overdue", due_on),
        ("overdue", due_on + 7 * DAY),
        ("overdue", due_on + 14 * DAY),
    ]
    # Each reminder goes to the named officer and the headteacher.
    assert len(mail.outbox) == 12
    recipients = {m.to[0] for m in mail.outbox}
    assert recipients == {world.neighbourhood.email, world.headteacher.email}
    assert sum("overdue" in m.subject for m in mail.outbox) == 6
    # Running the whole period again sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        assert run_every_day(due_on - 70 * DAY, due_on + 20 * DAY) == 0
    assert len(mail.outbox) == 12


def test_a_missed_earlier_reminder_is_not_sent_late(active, due_on):
    assert send_review_reminders(today=due_on - 10 * DAY) == 1
    assert send_review_reminders(today=due_on - 10 * DAY) == 0
    assert list(ReviewReminder.objects.values_list("kind", flat=True)) == ["30_days"]


def test_ended_and_renewed_agreements_are_not_reminded(
    active, due_on, world, django_capture_on_commit_callbacks
):
    Agreement.objects.filter(pk=active.pk).update(
        state=Agreement.State.ENDED, ended_on=due_on, ended_reason="Closed"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert send_review_reminders(today=due_on) == 0
    assert not mail.outbox


def test_the_daily_task_sends_todays_reminders(active):
    Agreement.objects.filter(pk=active.pk).update(review_due_on=active.active_on)
    assert remind_agreement_reviews.delay().get() == 1
    assert remind_agreement_reviews.delay().get() == 0


def test_the_daily_task_is_scheduled(periodic_tasks):
    task = periodic_tasks.get(task="agreements.tasks.remind_agreement_reviews")
    assert task.enabled and task.crontab is not None


def test_a_shorter_review_period_of_the_force(sent, world, django_capture_on_commit_callbacks):
    from agreements.models import AgreementSettings

    from .conftest import sign

    AgreementSettings.objects.filter(force=world.forces["a"]).update(review_months=6)
    sign(sent, world.headteacher)
    sign(sent, world.neighbourhood)
    sent.refresh_from_db()
    months = (sent.review_due_on.year - sent.active_on.year) * 12 + (
        sent.review_due_on.month - sent.active_on.month
    )
    assert months == 6
