"""Action-plan reminders: monthly reviews and overdue actions, each reminded once."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from referrals import services
from referrals.models import ReminderSent
from referrals.reminders import send_action_reminders

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)


def _action(case, world, **fields):
    defaults = {
        "term": "short",
        "description": "Mentoring weekly",
        "owner_kind": "officer",
        "owner_user": world.neighbourhood,
        "due_on": TODAY + datetime.timedelta(days=120),
    }
    return services.action_add(
        case=case, by=world.neighbourhood, today=TODAY, **(defaults | fields)
    )


@pytest.fixture
def remind(django_capture_on_commit_callbacks):
    """Run the daily job and commit, so its outbox rows are sent as in production."""

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return send_action_reminders(**kwargs)

    return run


def test_a_monthly_review_and_an_overdue_action_are_reminded_once_each(
    case, world, mailoutbox, remind
):
    review = _action(case, world)
    overdue = _action(
        case,
        world,
        owner_kind="school",
        owner_user=None,
        owner_name="Alder Academy",
        due_on=TODAY + datetime.timedelta(days=10),
    )
    assert remind(today=TODAY) == 0
    month_on = review.next_review_on
    assert month_on == datetime.date(2026, 4, 2)

    late = TODAY + datetime.timedelta(days=15)
    assert remind(today=late) == 1  # the school's action is overdue
    assert ReminderSent.objects.filter(action=overdue, kind="overdue").exists()
    assert remind(today=late) == 0

    assert remind(today=month_on) == 2  # both monthly reviews
    # The school's action is reminded to the case's officer, who follows it up.
    assert [m.to[0] for m in mailoutbox] == [world.neighbourhood.email] * 3
    assert all(case.young_person.first_name not in m.body for m in mailoutbox)

    # Beat fires again, the task is retried, the next day comes: nothing is resent.
    assert remind(today=month_on) == 0
    assert remind(today=month_on + datetime.timedelta(days=1)) == 0
    assert len(mailoutbox) == 3

    # After the review is recorded, the next month's review is reminded once more.
    services.action_update(
        action=review, by=world.neighbourhood, status="open", reviewed=True, today=month_on
    )
    assert remind(today=month_on + datetime.timedelta(days=31)) == 1
    assert len(mailoutbox) == 4


def test_done_actions_and_closed_cases_are_not_reminded(case, world, mailoutbox, remind):
    action = _action(case, world, due_on=TODAY + datetime.timedelta(days=5))
    services.action_update(action=action, by=world.neighbourhood, status="done", today=TODAY)
    assert remind(today=TODAY + datetime.timedelta(days=40)) == 0
    other = _action(case, world, due_on=TODAY + datetime.timedelta(days=5))
    services.case_close(
        case=case, by=world.neighbourhood, outcome="moved_away", summary="Moved to Kent"
    )
    assert remind(today=TODAY + datetime.timedelta(days=40)) == 0
    assert not mailoutbox and other.pk


def test_short_and_long_term_limits(case, world):
    with pytest.raises(ValidationError) as error:
        _action(case, world, due_on=TODAY + datetime.timedelta(days=200))
    assert "Make it a long-term action" in str(error.value)
    with pytest.raises(ValidationError):
        _action(case, world, term="long", due_on=TODAY + datetime.timedelta(days=30))
    long = _action(case, world, term="long", due_on=TODAY + datetime.timedelta(days=400))
    assert long.next_review_on is None


def test_the_daily_task_is_scheduled(periodic_tasks):
    task = periodic_tasks.get(task="referrals.tasks.remind_action_owners")
    assert task.enabled and task.crontab.hour == "6"
