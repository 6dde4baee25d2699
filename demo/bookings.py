"""Demo bookings for `manage.py seed_demo`: a small catalogue with dates, a few bookings, an
evaluation and two requests for topics nobody offers. Seeded once per force: a second run
finds the catalogue and adds nothing."""

import datetime

from django.db import transaction

from accounts.models import Organisation, Role
from bookings.models import (
    Booking,
    DemandRequest,
    Evaluation,
    ProviderRules,
    Session,
    Slot,
    Topic,
    pack_codes,
)

# (provider: "police" or "partner", title, topic, years, format, minutes, pupils, pence,
#  needs acceptance, priority, tiers, description, school provides)
CATALOGUE = [
    (
        "police",
        "Knife crime: the real story",
        "Weapons and knife crime",
        (8, 9, 10),
        "assembly",
        50,
        240,
        0,
        False,
        True,
        ("enhanced", "complex"),
        "A Safer Schools officer talks through what carrying a knife leads to, with local cases "
        "and where to get help.",
        "A hall and a projector.",
    ),
    (
        "police",
        "County lines and exploitation",
        "County lines",
        (9, 10, 11),
        "classroom",
        60,
        32,
        0,
        True,
        True,
        ("complex",),
        "How young people are groomed to carry drugs, the signs, and how to report worries.",
        "A classroom with a screen; a member of staff stays in the room.",
    ),
    (
        "police",
        "Staying safe online",
        "Online safety and sexting",
        (7, 8, 9),
        "classroom",
        60,
        32,
        0,
        False,
        True,
        (),
        "Sharing images, the law, and what to do when something goes wrong online.",
        "A classroom with a screen.",
    ),
    (
        "partner",
        "Fire safety and arson",
        "Personal safety",
        (3, 4, 5, 6),
        "assembly",
        40,
        300,
        0,
        False,
        False,
        (),
        "Firefighters explain hoax calls, arson and what to do in a fire at home.",
        "A hall.",
    ),
    (
        "partner",
        "Railway safety for new secondary pupils",
        "Road and rail safety",
        (7,),
        "classroom",
        45,
        30,
        0,
        True,
        False,
        (),
        "Trespass, level crossings and getting to school safely.",
        "",
    ),
    (
        "partner",
        "Healthy relationships workshop",
        "Healthy relationships",
        (10, 11),
        "small_group",
        90,
        15,
        15000,
        True,
        False,
        ("enhanced", "complex"),
        "A small-group workshop on consent, control and where to get support.",
        "A quiet room for up to 15 pupils.",
    ),
]


def _dates(today: datetime.date, weeks: int, weekday: int) -> list[datetime.date]:
    first = today + datetime.timedelta(days=(weekday - today.weekday()) % 7 or 7)
    return [first + datetime.timedelta(weeks=w) for w in range(weeks)]


@transaction.atomic
def seed(force, *, by_role, partners, demo_school, other_school, schools, today) -> str:
    """Seed the force's demo catalogue and bookings once; return a short summary."""
    Topic.install_defaults(force)
    if Session.objects.filter(force=force).exists():
        return ""
    police = Organisation.objects.get(force=force, kind=Organisation.Kind.POLICE)
    partner = partners[0] if partners else police
    topics = {t.name: t for t in Topic.objects.filter(force=force)}
    sessions = []
    for index, row in enumerate(CATALOGUE):
        (who, title, topic, years, fmt, minutes, pupils, pence, accept, priority, tiers,
         description, provides) = row  # fmt: skip
        sessions.append(
            Session.objects.create(
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
        slots = [
            Slot(
                session=sessions[-1],
                starts_at=Slot.local_datetime(day, datetime.time(9 + index % 4)),
                ends_at=Slot.local_datetime(day, datetime.time(9 + index % 4))
                + datetime.timedelta(minutes=minutes),
                capacity=1 if fmt != "assembly" else 2,
                deliverer="Safer Schools team" if who == "police" else partner.name,
            )
            for day in _dates(today, 6, index % 5)
        ]
        Slot.objects.bulk_create(slots)
    lead = by_role.get(Role.SCHOOL_LINK) or by_role.get(Role.HEADTEACHER)
    online = sessions[2]
    bookings = 0
    if lead is not None:
        upcoming = Slot.objects.filter(session=online).order_by("starts_at").first()
        Booking.objects.create(
            slot=upcoming,
            school=demo_school,
            booked_by=lead,
            lead=lead,
            year_groups=",8,",
            pupils=28,
            status=Booking.Status.CONFIRMED,
            needs="",
        )
        Slot.objects.filter(pk=upcoming.pk).update(places_taken=1)
        past_day = today - datetime.timedelta(days=14)
        past = Slot.objects.create(
            session=online,
            starts_at=Slot.local_datetime(past_day, datetime.time(10)),
            ends_at=Slot.local_datetime(past_day, datetime.time(11)),
            capacity=1,
            places_taken=1,
            deliverer="Safer Schools team",
        )
        done = Booking.objects.create(
            slot=past,
            school=demo_school,
            booked_by=lead,
            lead=lead,
            year_groups=",7,",
            pupils=30,
            status=Booking.Status.CONFIRMED,
            outcome=Booking.Outcome.DELIVERED,
            outcome_at=past.ends_at,
        )
        Evaluation.objects.create(
            booking=done,
            given_by=lead,
            delivered=True,
            suitable_for_age=True,
            usefulness=4,
            what_changed="Two pupils asked for help with images shared without consent.",
            confidence_before=2.6,
            confidence_after=4.1,
        )
        DemandRequest.objects.create(
            school=demo_school,
            requested_by=lead,
            other_topic="Vaping",
            year_groups=",8,9,",
            pupils=120,
            note="Vaping in the toilets is rising.",
        )
        bookings += 2
    other_head = other_school.organisation.people.filter(role=Role.HEADTEACHER).first()
    if other_head is not None:
        pending_slot = Slot.objects.filter(session=sessions[4]).order_by("starts_at").first()
        Booking.objects.create(
            slot=pending_slot,
            school=other_school,
            booked_by=other_head,
            lead=other_head,
            year_groups=",7,",
            pupils=25,
            status=Booking.Status.PENDING,
        )
        Slot.objects.filter(pk=pending_slot.pk).update(places_taken=1)
        DemandRequest.objects.create(
            school=other_school,
            requested_by=other_head,
            topic=topics["Hate crime"],
            year_groups=",5,6,",
            pupils=60,
        )
        bookings += 1
    bookings += _second_round(
        force,
        sessions=sessions,
        by_role=by_role,
        partner=partner,
        demo_school=demo_school,
        other_school=other_school,
        lead=lead,
        other_head=other_head,
        today=today,
    )
    return f"{len(sessions)} sessions, {bookings} bookings"


def _second_round(
    force, *, sessions, by_role, partner, demo_school, other_school, lead, other_head, today
) -> int:
    """Round two (#23): booking rules, deliverers as people, a coordinator's booking on a
    school's behalf, a no-show, a provider's answer to a comment and a date asked for."""
    from bookings.models import DateProposal

    made = 0
    knife, county, online, fire = sessions[0], sessions[1], sessions[2], sessions[3]
    # Two of the force's own inputs set their own rules; the partner sets one rule for all
    # of its sessions (#23.4).
    Session.objects.filter(pk=county.pk).update(
        own_rules=True, min_notice_days=14, term_time_only=True
    )
    Session.objects.filter(pk=knife.pk).update(
        own_rules=True, buffer_minutes=30, max_dates_per_day=2
    )
    if partner.kind == Organisation.Kind.PARTNER:
        ProviderRules.objects.update_or_create(provider=partner, defaults={"min_notice_days": 7})
    officer = by_role.get(Role.SAFER_SCHOOLS_OFFICER)
    if officer is not None:
        # The force's own inputs are delivered by its Safer Schools officer.
        Slot.objects.filter(session__in=[knife, online]).update(deliverer_person=officer)
    partner_person = partner.people.filter(role=Role.PARTNER, is_active=True).first()
    if partner_person is not None:
        Slot.objects.filter(session=fire).update(deliverer_person=partner_person)
    coordinator = by_role.get(Role.COORDINATOR)
    if coordinator is not None and other_head is not None:
        slot = Slot.objects.filter(session=fire).order_by("starts_at").last()
        Booking.objects.create(
            slot=slot,
            school=other_school,
            booked_by=coordinator,
            lead=other_head,
            year_groups=",5,6,",
            pupils=60,
            status=Booking.Status.CONFIRMED,
        )
        Slot.objects.filter(pk=slot.pk).update(places_taken=1)
        made += 1
    if other_head is not None:
        missed_day = today - datetime.timedelta(days=9)
        missed = Slot.objects.create(
            session=fire,
            starts_at=Slot.local_datetime(missed_day, datetime.time(13)),
            ends_at=Slot.local_datetime(missed_day, datetime.time(13, 40)),
            capacity=1,
            places_taken=1,
            deliverer_person=partner_person,
        )
        Booking.objects.create(
            slot=missed,
            school=other_school,
            booked_by=other_head,
            lead=other_head,
            year_groups=",4,",
            pupils=28,
            status=Booking.Status.CONFIRMED,
            outcome=Booking.Outcome.NO_SHOW,
            outcome_note="Nobody was expecting us at reception; the year group was on a trip.",
            outcome_at=missed.ends_at,
            outcome_by=partner_person,
        )
        made += 1
    if lead is not None:
        Evaluation.objects.filter(booking__school=demo_school).update(
            comment="Good session; the Year 7s found the part on the law hard to follow.",
            reply="Thank you: we now explain the law with a short scenario first.",
            replied_by=coordinator,
        )
        DateProposal.objects.create(
            session=knife,
            school=demo_school,
            proposed_by=lead,
            starts_at=Slot.local_datetime(today + datetime.timedelta(days=25), datetime.time(9)),
            offered_starts_at=Slot.local_datetime(
                today + datetime.timedelta(days=26), datetime.time(11)
            ),
            status=DateProposal.Status.OFFERED,
            note="Our officer is at another school that morning; the next day works.",
            year_groups=",9,",
            pupils=180,
        )
    return made
