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
            .select_related("school__force", "computed_level", "proposed_level", "framework")
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
        for assessment in due:
            assessment.local_crime_note = ""
        for assessment_pk, note in _local_crime_moves(due).items():
            next(a for a in due if a.pk == assessment_pk).local_crime_note = note
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


def _local_crime_moves(assessments) -> dict[int, str]:
    """Return a note for each due assessment whose school's local crime, by the framework's
    thresholds on its local-crime indicator, now rates location in another band than the
    figure recorded in the assessment did."""
    from localcrime.evidence import INDICATORS, indicator_values

    from .models import IndicatorValue
    from .tiering import indicator_level

    notes = {}
    by_framework = defaultdict(list)
    for assessment in assessments:
        by_framework[assessment.framework_id].append(assessment)
    for group in by_framework.values():
        framework = group[0].framework
        indicator = (
            framework.indicators.filter(key__in=list(INDICATORS), factor__isnull=False)
            .exclude(thresholds=[])
            .order_by("order", "pk")
            .first()
        )
        if indicator is None:
            continue
        recorded = dict(
            IndicatorValue.objects.filter(assessment__in=group, indicator=indicator).values_list(
                "assessment_id", "value"
            )
        )
        now = indicator_values(framework.force_id, indicator.key, [a.school for a in group])
        names = {level.key: level.name for level in framework.levels.all()}
        for assessment in group:
            if assessment.school_id not in now or assessment.pk not in recorded:
                continue
            before = indicator_level(indicator.thresholds, recorded[assessment.pk])
            after = indicator_level(indicator.thresholds, now[assessment.school_id])
            if before != after:
                notes[assessment.pk] = (
                    f"local crime has moved a band: it now rates location "
                    f"{names.get(after, 'below every threshold')} "
                    f"(it was {names.get(before, 'below every threshold')})"
                )
    return notes


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
