"""Referrals for the national data set (`seed_demo --scale national`): about 200,000 in all.

A step of benchmarks.national.LATER_STEPS. About eight referrals a school over three years, each
about its own (invented) young person: half from the school after its MASH referral (made by its
headteacher, with a MASH reference), the rest from police units (made by the force's sergeants).
Most are accepted into a case allocated to an officer of a team, with its risk assessment, its
log (the referral and allocation entries the product writes, then a few officer entries) and an
action plan; older cases are closed with an outcome; some referrals are declined with a reason,
and the newest wait in the inbox.

Rows go in with bulk_create in batches, one transaction per force; a force with referrals
already is skipped, so a second run adds nothing. The case log and risk history are
append-only: their PostgreSQL triggers refuse UPDATE and DELETE, not INSERT, and nothing here
updates them. The `created` stamps of referrals and cases are the seeding time (the models set
them on insert); the dates that matter to the pages (decided_at, opened_on, closed_on,
occurred_on, due_on) are spread over the three years.
"""

import datetime
import random
import uuid

from django.db import transaction
from django.utils import timezone

from accounts.models import OFFICER_ROLES
from benchmarks.national.agreements import headteacher_accounts
from demo import accounts as accounts_demo
from referrals.models import (
    Action,
    Case,
    CaseLogEntry,
    Referral,
    RiskAssessment,
    RiskLevel,
    Source,
    Threshold,
    YoungPerson,
    match_key,
)

NATIONAL_REFERRALS = 200_000
NATIONAL_SCHOOLS = 25_000
REFERRALS_A_SCHOOL = NATIONAL_REFERRALS / NATIONAL_SCHOOLS
DAYS = 3 * 365
BATCH = 5000
POLICE_SOURCES = [s for s in Source.values if s != Source.SCHOOL]
LOGGED = [k for k in CaseLogEntry.OFFICER_KINDS if k != CaseLogEntry.Kind.INFORMATION_SHARED]


def _at(day: datetime.date, hour: int = 11) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def seed_force(national, *, today: datetime.date, per_school: float = REFERRALS_A_SCHOOL) -> int:
    """Seed one force's referrals, cases, logs and actions; return the referrals added."""
    force = national.force
    rng = random.Random(f"referrals-{force.slug}")  # noqa: S311 - demo data, no secret
    with transaction.atomic():
        if Referral.objects.filter(force=force).exists():
            return 0
        schools = [s for s in national.schools.values() if s.status != "closed"]
        heads = headteacher_accounts(force, schools)
        officers = [
            o
            for team in national.officers.values()
            for o in team
            if o.role in OFFICER_ROLES and o.is_active and o.team_id
        ]
        sergeants = national.sergeants or [national.manager]
        if not schools or not officers:
            return 0
        start = today - datetime.timedelta(days=DAYS)
        people, referrals, plans = [], [], []
        for _ in range(round(len(schools) * per_school)):
            school = rng.choice(schools)
            first, last = accounts_demo.person_name(rng)
            age = rng.randint(11, 17)
            people.append(
                YoungPerson(
                    public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                    force=force,
                    first_name=first,
                    last_name=last,
                    match_key=match_key(first, last),
                    date_of_birth=today - datetime.timedelta(days=age * 365 + rng.randrange(365)),
                    school=school,
                    year_group=str(min(age - 4, 13)),
                )
            )
            referred_on = start + datetime.timedelta(days=rng.randrange(DAYS))
            from_school = rng.random() < 0.5 and school.organisation_id in heads
            age_days = (today - referred_on).days
            roll = rng.random()
            status = (
                Referral.Status.RECEIVED
                if age_days < 14 and roll < 0.6
                else Referral.Status.DECLINED
                if roll < 0.15
                else Referral.Status.ACCEPTED
            )
            decider = rng.choice(sergeants)
            referrals.append(
                Referral(
                    public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                    force=force,
                    school=school,
                    thresholds=rng.sample(Threshold.values, rng.randint(1, 2)),
                    source=Source.SCHOOL if from_school else rng.choice(POLICE_SOURCES),
                    concern="Worries raised about the young person's safety and behaviour.",
                    mash_referral_made=from_school,
                    mash_reference=f"MASH-{rng.randrange(10**6):06d}" if from_school else "",
                    referred_by=heads[school.organisation_id] if from_school else decider,
                    status=status,
                    decided_by=None if status == Referral.Status.RECEIVED else decider,
                    decided_at=None
                    if status == Referral.Status.RECEIVED
                    else _at(referred_on + datetime.timedelta(days=2)),
                    decline_reason="Below the team's thresholds; the school's own support fits."
                    if status == Referral.Status.DECLINED
                    else "",
                    signposted_to="Early help" if status == Referral.Status.DECLINED else "",
                )
            )
            plans.append(referred_on)
        YoungPerson.objects.bulk_create(people, batch_size=BATCH)
        for person, referral in zip(people, referrals, strict=True):
            referral.young_person = person
        cases = []
        accepted = []
        for person, referral, referred_on in zip(people, referrals, plans, strict=True):
            if referral.status != Referral.Status.ACCEPTED:
                continue
            officer = rng.choice(officers)
            opened = referred_on + datetime.timedelta(days=2)
            closed = (today - opened).days > 180 and rng.random() < 0.8
            case = Case(
                public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                force=force,
                young_person=person,
                status=Case.Status.CLOSED if closed else Case.Status.OPEN,
                risk_level=rng.choice(RiskLevel.values),
                team_id=officer.team_id,
                officer=officer,
                opened_on=opened,
                closed_on=opened + datetime.timedelta(days=rng.randint(60, 170))
                if closed
                else None,
                closure_outcome=rng.choice(Case.Outcome.values) if closed else "",
                closure_summary="Work finished; the school keeps an eye." if closed else "",
            )
            referral.case = case
            cases.append(case)
            accepted.append((case, referral, officer))
        Case.objects.bulk_create(cases, batch_size=BATCH)  # bulk_create then fills case_id
        Referral.objects.bulk_create(referrals, batch_size=BATCH)
        entries, risks, actions = [], [], []
        for case, referral, officer in accepted:
            last = case.closed_on or today
            decider = referral.decided_by
            entries.append(
                CaseLogEntry(
                    case=case,
                    kind=CaseLogEntry.Kind.REFERRAL,
                    occurred_on=case.opened_on,
                    summary=f"Referral {referral.reference} accepted.",
                    author=decider,
                    created=_at(case.opened_on, 9),
                )
            )
            entries.append(
                CaseLogEntry(
                    case=case,
                    kind=CaseLogEntry.Kind.ALLOCATION,
                    occurred_on=case.opened_on,
                    summary=f"Allocated to {officer.display_name}.",
                    author=decider,
                    created=_at(case.opened_on, 10),
                )
            )
            risks.append(
                RiskAssessment(
                    case=case,
                    level=case.risk_level,
                    reason="Assessed from the referral.",
                    assessed_by=decider,
                    created=_at(case.opened_on, 10),
                )
            )
            span = max((last - case.opened_on).days, 1)
            for _ in range(rng.randint(1, 4)):
                day = case.opened_on + datetime.timedelta(days=rng.randrange(span))
                entries.append(
                    CaseLogEntry(
                        case=case,
                        kind=rng.choice(LOGGED),
                        occurred_on=day,
                        summary="Met as planned; notes of what was discussed and agreed.",
                        author=officer,
                        created=_at(day, 15),
                    )
                )
            for term in rng.sample([Action.Term.SHORT, Action.Term.LONG], rng.randint(1, 2)):
                due = case.opened_on + datetime.timedelta(
                    days=rng.randint(20, 170)
                    if term == Action.Term.SHORT
                    else rng.randint(190, 700)
                )
                done = case.status == Case.Status.CLOSED or due < today - datetime.timedelta(30)
                actions.append(
                    Action(
                        case=case,
                        term=term,
                        description="Agreed step of the plan with the young person and school.",
                        owner_kind=Action.OwnerKind.OFFICER,
                        owner_user=officer,
                        due_on=due,
                        status=Action.Status.DONE if done else Action.Status.OPEN,
                        next_review_on=(
                            case.opened_on + datetime.timedelta(days=30)
                            if term == Action.Term.SHORT and not done
                            else None
                        ),
                        completed_on=min(due, last) if done else None,
                        created_by=officer,
                    )
                )
        CaseLogEntry.objects.bulk_create(entries, batch_size=BATCH)
        RiskAssessment.objects.bulk_create(risks, batch_size=BATCH)
        Action.objects.bulk_create(actions, batch_size=BATCH)
    return len(referrals)


def seed(forces, *, today: datetime.date) -> str:
    """The LATER_STEPS step: the referrals, cases, logs and actions of every added force."""
    added = sum(seed_force(national, today=today) for national in forces)
    return f"referrals: {added} added ({Referral.objects.count()} in all)"
