"""Bookings for the national data set (`seed_demo --scale national`): about 300,000 in all.

A step of benchmarks.national.LATER_STEPS. Each added force gets the demo catalogue (bookings.demo's
six sessions, from the police and a partner), dated slots over the last two school years and the
next two months, and about twelve bookings a school, made by the school's headteacher: most
confirmed, some cancelled or declined (with their reason), upcoming ones pending or confirmed.

Each slot's `places_taken` is the number of its pending and confirmed bookings, never more than
its capacity, and a school has at most one live booking of a slot (the models' constraints
check both). Rows go in with bulk_create in batches, one transaction per force; a force that
has sessions already is skipped, so a second run adds nothing.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from benchmarks.national.agreements import headteacher_accounts
from bookings.models import Booking, Session, Slot, Topic, pack_codes
from demo.bookings import CATALOGUE

NATIONAL_BOOKINGS = 300_000
NATIONAL_SCHOOLS = 25_000
BOOKINGS_A_SCHOOL = NATIONAL_BOOKINGS / NATIONAL_SCHOOLS
BATCH = 5000
PAST_DAYS = 730
AHEAD_DAYS = 60


def _weekday(rng, start: datetime.date, days: int) -> datetime.date:
    while True:
        day = start + datetime.timedelta(days=rng.randrange(days))
        if day.weekday() < 5 and day.month != 8:
            return day


def seed_force(national, *, today: datetime.date, per_school: float = BOOKINGS_A_SCHOOL) -> int:
    """Seed one force's catalogue, slots and bookings; return the bookings added."""
    force = national.force
    rng = random.Random(f"bookings-{force.slug}")  # noqa: S311 - demo data, no secret
    with transaction.atomic():
        Topic.install_defaults(force)
        if Session.objects.filter(force=force).exists():
            return 0
        schools = [s for s in national.schools.values() if s.status != "closed"]
        heads = headteacher_accounts(force, schools)
        schools = [s for s in schools if s.organisation_id in heads]
        if not schools:
            return 0
        police = national.police
        partner = national.partners[0] if national.partners else police
        topics = {t.name: t for t in Topic.objects.filter(force=force)}
        sessions = []
        for row in CATALOGUE:
            (who, title, topic, years, fmt, minutes, pupils, pence, accept, priority, tiers,
             description, provides) = row  # fmt: skip
            sessions.append(
                Session(
                    force=force,
                    provider=police if who == "police" else partner,
                    title=title,
                    topic=topics[topic],
                    year_groups=pack_codes(years),
                    format=fmt,
                    length_minutes=minutes,
                    capacity=pupils,
                    cost_pence=pence,
                    needs_provider_acceptance=accept,
                    is_priority=priority and who == "police",
                    target_tiers=pack_codes(tiers),
                    description=description,
                    school_provides=provides,
                )
            )
        Session.objects.bulk_create(sessions)
        wanted = round(len(schools) * per_school)
        start = today - datetime.timedelta(days=PAST_DAYS)
        now = timezone.now()
        slots, plans = [], []
        made = 0
        while made < wanted:
            index = rng.randrange(len(sessions))
            session = sessions[index]
            day = _weekday(rng, start, PAST_DAYS + AHEAD_DAYS)
            starts = Slot.local_datetime(day, datetime.time(9 + rng.randrange(5)))
            capacity = rng.choice((1, 2, 3, 4)) if session.format == "assembly" else 1
            capacity = max(capacity, rng.choice((1, 1, 2)))
            takers = rng.sample(schools, min(len(schools), capacity))
            slot = Slot(
                session=session,
                starts_at=starts,
                ends_at=starts + datetime.timedelta(minutes=session.length_minutes),
                capacity=capacity,
                deliverer="Safer Schools team" if session.provider_id == police.pk else "",
            )
            past = day < today
            live = 0
            for school in takers:
                roll = rng.random()
                if roll < 0.08:
                    status, reason = Booking.Status.CANCELLED, "The school's timetable changed."
                elif roll < 0.12 and session.needs_provider_acceptance:
                    status, reason = Booking.Status.DECLINED, "No deliverer free that day."
                elif not past and session.needs_provider_acceptance and roll < 0.5:
                    status, reason = Booking.Status.PENDING, ""
                else:
                    status, reason = Booking.Status.CONFIRMED, ""
                live += status in Booking.ACTIVE_STATUSES
                plans.append((slot, school, status, reason, day))
            slot.places_taken = live
            slots.append(slot)
            made += len(takers)
        Slot.objects.bulk_create(slots, batch_size=BATCH)
        bookings = []
        for slot, school, status, reason, day in plans:
            booked_on = timezone.make_aware(
                datetime.datetime.combine(day - datetime.timedelta(days=21), datetime.time(12))
            )
            head = heads[school.organisation_id]
            years = rng.choice(tuple(s for s in slot.session.year_groups.split(",") if s))
            bookings.append(
                Booking(
                    slot=slot,
                    school=school,
                    booked_by=head,
                    lead=head,
                    year_groups=f",{years},",
                    pupils=min(slot.session.capacity, rng.randint(20, 60)),
                    status=status,
                    reason=reason,
                    decided_at=None if status == Booking.Status.PENDING else booked_on,
                    cancelled_at=booked_on if status == Booking.Status.CANCELLED else None,
                    cancelled_by=head if status == Booking.Status.CANCELLED else None,
                    created=min(booked_on, now),
                )
            )
        Booking.objects.bulk_create(bookings, batch_size=BATCH)
    return len(bookings)


def seed(forces, *, today: datetime.date) -> str:
    """The LATER_STEPS step: the catalogue, slots and bookings of every added force."""
    added = sum(seed_force(national, today=today) for national in forces)
    return f"bookings: {added} added ({Booking.objects.count()} in all)"
