"""Requests for help for the national data set (`seed_demo --scale national`): about 200,000.

A step of benchmarks.national.LATER_STEPS. About four requests a school a year over the last two
years, asked by the school's headteacher of the named officer in post (with the deputy who
covers and the school's team, as help_requests.services.help_request_ask records them): advice,
a talk, the gates, a patrol at home time. The newest mostly wait for an answer; older ones were
answered by the officer, and many of those then closed by the school.

Rows go in with COPY on PostgreSQL (benchmarks.national.rows), else bulk_create; one
transaction per force, and a force with requests already is skipped, so a second run adds
nothing. No emails and no audit rows. The `created` stamp is
the seeding time (the model sets it on insert), so the list's order is the seed's; the dates
the answer shows (needed_by, answered_at, closed_at) are spread over the two years.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from benchmarks.national import rows as fast
from benchmarks.national.agreements import headteacher_accounts
from help_requests.models import HelpRequest
from schools.models import NamedContact

REQUESTS_A_SCHOOL_A_YEAR = 4
YEARS = 2
BATCH = 5000
NEEDS = {
    HelpRequest.Kind.ADVICE: "Advice on a pupil's use of social media to threaten others.",
    HelpRequest.Kind.TALK: "A talk to the Year 9 assembly about knife crime before half term.",
    HelpRequest.Kind.GATES: "Older teenagers wait at the main gate at home time; parents worry.",
    HelpRequest.Kind.PATROL: "A patrol at home time near the bus stops on the high street.",
    HelpRequest.Kind.OTHER: "Help with a parent who is aggressive to staff at the gate.",
}
ANSWERS = {
    HelpRequest.Kind.ADVICE: "I have sent the advice by email and will call the DSL on Monday.",
    HelpRequest.Kind.TALK: "Booked: I will give the talk at the assembly on the date you asked.",
    HelpRequest.Kind.GATES: "I will be at the main gate at 3.15pm twice a week for a fortnight.",
    HelpRequest.Kind.PATROL: "The neighbourhood team will patrol at home time for two weeks.",
    HelpRequest.Kind.OTHER: "I will meet the headteacher to agree what we do next time.",
}


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def seed_force(
    national,
    *,
    today: datetime.date,
    per_school_a_year: float = REQUESTS_A_SCHOOL_A_YEAR,
    years: int = YEARS,
) -> int:
    """Seed one force's requests for help; return how many were added."""
    force = national.force
    rng = random.Random(f"help-requests-{force.slug}")  # noqa: S311 - demo data, no secret
    with transaction.atomic():
        if HelpRequest.objects.filter(school__force=force).exists():
            return 0
        schools = [s for s in national.schools.values() if s.status != "closed"]
        heads = headteacher_accounts(force, schools)
        contacts = {
            c.school_id: c
            for c in NamedContact.objects.current(on=today).filter(
                school_id__in=[s.pk for s in schools]
            )
        }
        schools = [s for s in schools if s.organisation_id in heads and s.pk in contacts]
        days = years * 365
        now = timezone.now()
        kinds = list(HelpRequest.Kind.values)
        rows = []
        for school in schools:
            head = heads[school.organisation_id]
            contact = contacts[school.pk]
            count = max(1, round(per_school_a_year * years * rng.uniform(0.5, 1.5)))
            for _ in range(count):
                kind = rng.choice(kinds)
                asked_on = today - datetime.timedelta(days=rng.randrange(days))
                age = (today - asked_on).days
                roll = rng.random()
                if age < 10 and roll < 0.7 or roll < 0.04:
                    status = HelpRequest.Status.OPEN
                elif roll < 0.55:
                    status = HelpRequest.Status.ANSWERED
                else:
                    status = HelpRequest.Status.CLOSED
                answerer = (
                    contact.deputy_id if contact.deputy_id and rng.random() < 0.2 else None
                ) or contact.officer_id
                answered = status != HelpRequest.Status.OPEN
                answered_at = (
                    min(_at(asked_on + datetime.timedelta(days=rng.randint(0, 5)), 14), now)
                    if answered
                    else None
                )
                rows.append(
                    HelpRequest(
                        school=school,
                        kind=kind,
                        need=NEEDS[kind],
                        needed_by=asked_on + datetime.timedelta(days=rng.randint(7, 30))
                        if kind in {HelpRequest.Kind.TALK, HelpRequest.Kind.PATROL}
                        else None,
                        asked_by=head,
                        officer_id=contact.officer_id,
                        deputy_id=contact.deputy_id,
                        team_id=school.team_id,
                        status=status,
                        answer=ANSWERS[kind] if answered else "",
                        answered_by_id=answerer if answered else None,
                        answered_at=answered_at,
                        closed_by=head if status == HelpRequest.Status.CLOSED else None,
                        closed_at=min(answered_at + datetime.timedelta(days=7), now)
                        if status == HelpRequest.Status.CLOSED
                        else None,
                    )
                )
        fast.insert(HelpRequest, rows, batch_size=BATCH)
    return len(rows)


def seed(forces, *, today: datetime.date) -> str:
    """The LATER_STEPS step: the requests for help of every added force."""
    added = sum(seed_force(national, today=today) for national in forces)
    return f"requests for help: {added} added ({HelpRequest.objects.count()} in all)"
