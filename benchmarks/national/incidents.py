"""Incidents for the national data set (`seed_demo --scale national`): about 300,000 in all.

A step of benchmarks.national.LATER_STEPS. About six incidents a school a year over the last
two years, reported by the school's headteacher, of the kinds the force's protocol lists (the
protocol's reportable kinds more often than its "other" kinds), each with the people involved
(pupils by name and year, or "not known") and, where evidence was kept, an exhibit. The newest
wait for the officer or are acknowledged; older ones have the officer's outcome (advice, a
recorded crime with its reference, a restorative resolution, no further action); a few are
drafts the head has not sent. Nothing is "referred into casework" here: that outcome makes a
referral linked to the incident, which the referrals step does not know about.

Incidents go in with bulk_create in batches (their people and exhibits need their ids), the
people and exhibits with COPY on PostgreSQL (benchmarks.national.rows); one transaction per
force, and a force with incidents already is skipped, so a second run adds nothing. No emails
and no audit rows: nobody did anything. The `created` stamps are the seeding time (the model sets them on insert); the dates
the pages show and filter by (occurred_on, sent_at, acknowledged_at, outcome_at) are spread
over the two years.
"""

import datetime
import random
import uuid

from django.db import transaction
from django.utils import timezone

from benchmarks.national import rows as fast
from benchmarks.national.agreements import headteacher_accounts
from demo import accounts as accounts_demo
from incidents.models import Exhibit, Incident, IncidentKind, IncidentPerson
from schools.models import NamedContact

INCIDENTS_A_SCHOOL_A_YEAR = 6
YEARS = 2
BATCH = 5000
SHARE_DRAFT = 0.01
OUTCOMES = (  # (outcome, weight): most incidents end in advice or a recorded crime
    (Incident.Outcome.ADVICE, 40),
    (Incident.Outcome.CRIME_RECORDED, 30),
    (Incident.Outcome.RESTORATIVE, 15),
    (Incident.Outcome.NO_FURTHER_ACTION, 15),
)
SUMMARIES = {
    "assault_with_injury": "A fight on the field at lunchtime; one pupil has a bloodied nose.",
    "robbery": "A pupil's phone was taken by two older youths near the gates.",
    "sexual_assault": "A pupil disclosed being touched without consent on the school bus.",
    "weapon": "A tutor found a knife in a pupil's bag at morning registration.",
    "drugs": "A small bag of cannabis was found in a pupil's blazer pocket.",
}
EXHIBITS = {
    "weapon": "Knife in a sealed bag",
    "drugs": "Small bag of herbal substance",
}
SCHOOL_NOTES = {
    Incident.Outcome.ADVICE: "Advice given to the pupils and their parents; no crime recorded.",
    Incident.Outcome.CRIME_RECORDED: "Crime recorded; the officer keeps the school told.",
    Incident.Outcome.RESTORATIVE: "Both families agreed to a restorative meeting, now held.",
    Incident.Outcome.NO_FURTHER_ACTION: "No further action; the school's own behaviour policy.",
}


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _weekday(rng, start: datetime.date, days: int) -> datetime.date:
    while True:
        day = start + datetime.timedelta(days=rng.randrange(days))
        if day.weekday() < 5 and day.month != 8:
            return day


def _status(rng, age_days: int):
    """Return (status, outcome) for an incident that happened `age_days` ago."""
    roll = rng.random()
    if age_days < 7:
        if roll < 0.5:
            return Incident.Status.NEW, ""
        if roll < 0.8:
            return Incident.Status.ACKNOWLEDGED, ""
    elif age_days < 30 and roll < 0.35 or roll < 0.03:
        return Incident.Status.ACKNOWLEDGED, ""
    outcomes, weights = zip(*OUTCOMES, strict=True)
    return Incident.Status.CLOSED, rng.choices(outcomes, weights)[0]


def _people(rng, incident, kind_key) -> list[IncidentPerson]:
    parts = [IncidentPerson.Part.VICTIM, IncidentPerson.Part.SUSPECT]
    if kind_key in {"weapon", "drugs"}:
        parts = [IncidentPerson.Part.SUSPECT]
    if rng.random() < 0.4:
        parts.append(IncidentPerson.Part.WITNESS)
    people = []
    for part in parts:
        year = str(rng.randint(7, 11))
        if part == IncidentPerson.Part.SUSPECT and rng.random() < 0.15:
            people.append(
                IncidentPerson(
                    incident=incident, part=part, kind="other", name_not_known=True,
                    description="An older youth, not a pupil of the school",
                )
            )  # fmt: skip
            continue
        first, last = accounts_demo.person_name(rng)
        people.append(
            IncidentPerson(
                incident=incident,
                part=part,
                kind=IncidentPerson.Kind.PUPIL,
                first_name=first,
                last_name=last,
                year_group=year,
            )
        )
    return people


def seed_force(
    national,
    *,
    today: datetime.date,
    per_school_a_year: float = INCIDENTS_A_SCHOOL_A_YEAR,
    years: int = YEARS,
) -> int:
    """Seed one force's incidents, with their people and exhibits; return the incidents added."""
    force = national.force
    rng = random.Random(f"incidents-{force.slug}")  # noqa: S311 - demo data, no secret
    with transaction.atomic():
        if Incident.objects.filter(school__force=force).exists():
            return 0
        kinds = list(IncidentKind.objects.filter(force=force, is_active=True).order_by("pk"))
        schools = [s for s in national.schools.values() if s.status != "closed"]
        heads = headteacher_accounts(force, schools)
        schools = [s for s in schools if s.organisation_id in heads]
        contacts = {
            c.school_id: c
            for c in NamedContact.objects.current(on=today).filter(
                school_id__in=[s.pk for s in schools]
            )
        }
        officers = [o for team in national.officers.values() for o in team]
        if not (kinds and schools and officers):
            return 0
        # The protocol's kinds are reported three times as often as each agreed "other" kind.
        weights = [3 if kind.in_protocol else 1 for kind in kinds]
        days = years * 365
        start = today - datetime.timedelta(days=days)
        now = timezone.now()
        incidents, people, exhibits = [], [], []
        for school in schools:
            head = heads[school.organisation_id]
            contact = contacts.get(school.pk)
            officer_ids = (
                [contact.officer_id] * 4 + ([contact.deputy_id] if contact.deputy_id else [])
                if contact
                else [rng.choice(officers).pk]
            )
            count = max(1, round(per_school_a_year * years * rng.uniform(0.5, 1.5)))
            for _ in range(count):
                kind = rng.choices(kinds, weights)[0]
                occurred_on = _weekday(rng, start, days)
                age = (today - occurred_on).days
                draft = age < 14 and rng.random() < SHARE_DRAFT * 20
                status, outcome = (
                    (Incident.Status.DRAFT, "") if draft else _status(rng, age)
                )  # fmt: skip
                sent_at = None if draft else min(_at(occurred_on, rng.randint(9, 16)), now)
                handler = rng.choice(officer_ids)
                acknowledged_at = (
                    min(sent_at + datetime.timedelta(hours=rng.randint(1, 48)), now)
                    if status in {Incident.Status.ACKNOWLEDGED, Incident.Status.CLOSED}
                    else None
                )
                outcome_at = (
                    min(acknowledged_at + datetime.timedelta(days=rng.randint(1, 21)), now)
                    if status == Incident.Status.CLOSED
                    else None
                )
                evidence = kind.key in EXHIBITS or rng.random() < 0.2
                incident = Incident(
                    public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                    school=school,
                    reported_by=head,
                    status=status,
                    kind=kind,
                    occurred_on=occurred_on,
                    occurred_at=datetime.time(rng.randint(8, 16), rng.choice((0, 15, 30, 45))),
                    place=rng.choice(Incident.Place.values),
                    summary=SUMMARIES.get(kind.key, f"{kind.name}: what staff saw and were told."),
                    third_party_reported=rng.random() < 0.1,
                    evidence_kept=evidence,
                    evidence_detail=EXHIBITS.get(kind.key, "Statements written by staff")
                    if evidence
                    else "",
                    parents_told=rng.choice(
                        (
                            Incident.ParentsTold.YES,
                            Incident.ParentsTold.YES,
                            Incident.ParentsTold.NOT_YET,
                        )
                    ),
                    sent_at=sent_at,
                    acknowledged_by_id=handler if acknowledged_at else None,
                    acknowledged_at=acknowledged_at,
                    outcome=outcome,
                    crime_reference=f"{rng.randint(10, 99)}/{rng.randrange(10**5):05d}/"
                    f"{occurred_on:%y}"
                    if outcome == Incident.Outcome.CRIME_RECORDED
                    else "",
                    school_note=SCHOOL_NOTES.get(outcome, ""),
                    police_note="Intelligence logged." if outcome else "",
                    outcome_by_id=handler if outcome_at else None,
                    outcome_at=outcome_at,
                )
                incidents.append(incident)
                people += _people(rng, incident, kind.key)
                if kind.key in EXHIBITS and evidence:
                    exhibits.append(
                        Exhibit(
                            incident=incident,
                            what=EXHIBITS[kind.key],
                            where_kept="The headteacher's safe",
                            held_by="The headteacher",
                        )
                    )
        Incident.objects.bulk_create(incidents, batch_size=BATCH)  # fills each incident's pk
        for row in (*people, *exhibits):
            row.incident_id = row.incident.pk
        fast.insert(IncidentPerson, people, batch_size=BATCH)
        fast.insert(Exhibit, exhibits, batch_size=BATCH)
    return len(incidents)


def seed(forces, *, today: datetime.date) -> str:
    """The LATER_STEPS step: the incidents of every added force."""
    added = sum(seed_force(national, today=today) for national in forces)
    return f"incidents: {added} added ({Incident.objects.count()} in all)"
