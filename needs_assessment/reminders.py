"""Reassessment reminders: each due assessment is announced once, however often the job runs."""

import hashlib
from collections import defaultdict

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Role, User
from accounts.outbox import queue_email
from schools.models import NamedContact, School

from .models import Assessment


def send_due_reassessment_reminders(*, today=None) -> int:
    """Email managers a list of their force's schools now due, and each named contact theirs."""
    today = today or timezone.localdate()
    sent = 0
    with transaction.atomic():
        due = list(
            Assessment.objects.due_for_review(on=today)
            .exclude(review_reminded_for=F("review_due_on"))
            .exclude(school__status=School.Status.CLOSED)  # a closed school needs no review
            .select_for_update(of=("self",))
            .select_related("school__force", "computed_level", "proposed_level")
            .order_by("review_due_on")
        )
        if not due:
            return 0
        by_force = defaultdict(list)
        for assessment in due:
            by_force[assessment.school.force].append(assessment)
        contacts = {
            c.school_id: c.officer
            for c in NamedContact.objects.current(on=today)
            .filter(school__in=[a.school for a in due])
            .select_related("officer")
        }
        for force, assessments in by_force.items():
            managers = User.objects.filter(
                organisation__force=force, role=Role.PREVENTION_MANAGER, is_active=True
            )
            for manager in managers:
                _send(manager, assessments, today)
            per_officer = defaultdict(list)
            for assessment in assessments:
                officer = contacts.get(assessment.school_id)
                if officer and officer.is_active:
                    per_officer[officer].append(assessment)
            for officer, theirs in per_officer.items():
                _send(officer, theirs, today)
        for assessment in due:
            assessment.review_reminded_for = assessment.review_due_on
            sent += 1
        Assessment.objects.bulk_update(due, ["review_reminded_for"])
    return sent


def _send(user, assessments, today):
    """Write the person's list to the outbox in the run's transaction; the key names the
    reviews it announces, so the same list is never written twice."""
    reviews = ",".join(sorted(f"{a.pk}@{a.review_due_on}" for a in assessments))
    digest = hashlib.sha256(reviews.encode()).hexdigest()[:24]
    queue_email(
        to=user.email,
        key=f"needs_assessment.reassessment_due.{digest}",
        about=f"{len(assessments)} reassessment{'s' if len(assessments) != 1 else ''} due",
        force=user.force_id,
        template="needs_assessment/email/reassessment_due",
        subject=f"{len(assessments)} school{'s' if len(assessments) != 1 else ''} due for reassessment",
        context={"user": user, "assessments": assessments, "today": today},
    )
