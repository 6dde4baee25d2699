"""The workflows of bookings: publish slots, book without races, decide, cancel, reschedule,
the waitlist and its 48-hour offers, demand, evaluations and providers' calendar feeds.

Every change to a slot's places happens with the slot row locked (select_for_update) in
one transaction, and the slot's check constraint refuses any overbooking that slipped by.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts import audit
from accounts.models import Organisation, User
from schools.models import School, Term

from .models import (
    RULE_FIELDS,
    Booking,
    CalendarFeed,
    DateProposal,
    DemandRequest,
    Evaluation,
    ProviderRules,
    Session,
    Slot,
    Topic,
    WaitlistEntry,
    check_cohort,
    pack_codes,
)

MAX_REPEATED_SLOTS = 60
TAKEN_MESSAGE = "That place has just been taken"


class PlaceTaken(Exception):
    """The slot filled up between choosing it and confirming; carries the next open slots."""

    def __init__(self, slot: Slot, next_slots: list[Slot]):
        super().__init__(TAKEN_MESSAGE)
        self.slot = slot
        self.next_slots = next_slots


def nearest_open_slots(
    lost: Slot, *, school: School | None = None, now=None, limit=5
) -> list[Slot]:
    """Return the session's open term-time dates nearest the lost one, before or after it.

    The school's cohort stays the same, so dates it has already booked are left out.
    """
    session = lost.session
    slots = (
        Slot.objects.filter(session=session)
        .exclude(pk=lost.pk)
        .open(now=now)
        .in_term(session.force)
        .nearest_to(lost.starts_at)
    )
    if school is not None:
        slots = slots.exclude(
            pk__in=Booking.objects.active().filter(school=school).values("slot_id")
        )
    return list(slots[:limit])


def _notify(event: str, booking: Booking, actor: User | None, **extra) -> None:
    """Write the event's emails to the outbox in this transaction; sent after the commit."""
    from .notifications import send_event

    send_event(booking, event, actor, extra or None)


# --- The catalogue ----------------------------------------------------------------------


def provider_choices(user) -> "list[Organisation]":
    """Return the organisations whose sessions the user may publish."""
    from accounts.models import Role

    if user.role == Role.COORDINATOR:
        return list(
            Organisation.objects.filter(
                force_id=user.force_id,
                kind__in=[Organisation.Kind.POLICE, Organisation.Kind.PARTNER],
            ).order_by("kind", "name")
        )
    if user.role == Role.PARTNER:
        return [user.organisation]
    return []


@transaction.atomic
def session_save(*, by: User, session: Session | None = None, request=None, **fields) -> Session:
    """Create or change a catalogue session; the provider must be one the user manages."""
    creating = session is None
    before = {} if creating else audit.snapshot(session)
    session = session or Session(force_id=by.force_id)
    for name, value in fields.items():
        setattr(session, name, value)
    _check_manages(session.provider_id, by, field="provider")
    if session.topic.force_id != session.force_id:
        raise ValidationError({"topic": "Choose one of your force's topics."})
    return _save_audited(
        session,
        before=before,
        action="bookings.session.created" if creating else "bookings.session.changed",
        by=by,
        target=session,
        request=request,
    )


def _check_manages(provider_id, by: User, *, field=None) -> None:
    if provider_id not in {org.pk for org in provider_choices(by)}:
        message = "Choose a provider you manage."
        raise ValidationError({field: message} if field else message)


def _save_audited(record, *, before: dict, action: str, by: User, target, request):
    """Check and save a catalogue record, and audit what changed."""
    record.full_clean()
    record.save()
    audit.record(
        action,
        actor=by,
        target=target,
        changes=audit.diff(before, audit.snapshot(record)),
        request=request,
    )
    return record


@transaction.atomic
def provider_rules_save(
    *, provider: Organisation, by: User, request=None, **rules
) -> ProviderRules:
    """Set the booking rules a provider's sessions follow unless a session sets its own."""
    _check_manages(provider.pk, by)
    saved = ProviderRules.objects.select_for_update().filter(provider=provider).first()
    before = audit.snapshot(saved) if saved else {}
    saved = saved or ProviderRules(provider=provider)
    for name in RULE_FIELDS:
        setattr(saved, name, rules[name])
    saved.updated_by = by
    return _save_audited(
        saved,
        before=before,
        action="bookings.provider_rules.changed",
        by=by,
        target=provider,
        request=request,
    )


@transaction.atomic
def topic_add(*, force, name: str, by: User, request=None) -> Topic:
    name = name.strip()
    if Topic.objects.filter(force=force, name__iexact=name).exists():
        raise ValidationError({"name": f"There is already a topic called {name}."})
    topic = Topic.objects.create(force=force, name=name)
    audit.record("bookings.topic.added", actor=by, target=topic, request=request)
    return topic


def term_days(force, first: datetime.date, last: datetime.date) -> set[datetime.date]:
    """Return the days between first and last that fall inside one of the force's terms."""
    days = set()
    for term in Term.objects.filter(force=force, starts_on__lte=last, ends_on__gte=first):
        day = max(term.starts_on, first)
        while day <= min(term.ends_on, last):
            days.add(day)
            day += datetime.timedelta(days=1)
    return days


@transaction.atomic
def slots_publish(
    *,
    session: Session,
    by: User,
    day: datetime.date,
    starts: datetime.time,
    ends: datetime.time,
    capacity: int,
    deliverer: str = "",
    deliverer_person: User | None = None,
    repeat_until: datetime.date | None = None,
    now=None,
    request=None,
) -> tuple[list[Slot], list[datetime.date]]:
    """Publish one slot, or one a week on the same weekday until `repeat_until`, skipping the
    days outside the force's terms (school holidays). Return (slots created, days skipped)."""
    now = now or timezone.now()
    if ends <= starts:
        raise ValidationError({"ends": "The end time must be after the start time."})
    if (
        deliverer_person is not None
        and not session.deliverer_choices().filter(pk=deliverer_person.pk).exists()
    ):
        raise ValidationError({"deliverer_person": f"Choose a person of {session.provider.name}."})
    if Slot.local_datetime(day, starts) <= now:
        raise ValidationError({"day": "The date must be in the future."})
    days = [day]
    skipped: list[datetime.date] = []
    if repeat_until is not None:
        if repeat_until < day:
            raise ValidationError({"repeat_until": "The last date must be after the first date."})
        days = []
        candidate = day
        while candidate <= repeat_until:
            days.append(candidate)
            candidate += datetime.timedelta(days=7)
        in_term = term_days(session.force, day, repeat_until)
        if not Term.objects.filter(force=session.force).exists():
            raise ValidationError(
                {
                    "repeat_until": "Your force has no term dates yet, so holidays cannot be left "
                    "out. Add single dates, or ask an administrator to add the term dates."
                }
            )
        skipped = [d for d in days if d not in in_term]
        days = [d for d in days if d in in_term]
        if len(days) > MAX_REPEATED_SLOTS:
            raise ValidationError(
                {
                    "repeat_until": f"That makes more than {MAX_REPEATED_SLOTS} dates; choose a nearer last date."
                }
            )
        if not days:
            raise ValidationError(
                {"repeat_until": "Every one of those dates is in a school holiday."}
            )
    slots = []
    for each in days:
        slot = Slot(
            session=session,
            starts_at=Slot.local_datetime(each, starts),
            ends_at=Slot.local_datetime(each, ends),
            capacity=capacity,
            deliverer=deliverer,
            deliverer_person=deliverer_person,
        )
        try:
            slot.full_clean()
        except ValidationError as error:
            # The rules' errors name the model's fields; the form names them after its own.
            raise ValidationError(
                {
                    {"starts_at": "day", "ends_at": "ends"}.get(field, field): messages
                    for field, messages in error.message_dict.items()
                }
            ) from None
        slots.append(slot)
    Slot.objects.bulk_create(slots)
    audit.record(
        "bookings.slots.published",
        actor=by,
        target=session,
        changes={"dates": [str(d) for d in days], "skipped": [str(d) for d in skipped]},
        request=request,
    )
    return slots, skipped


@transaction.atomic
def slot_delete(*, slot: Slot, by: User, request=None) -> None:
    """Withdraw a slot nobody has booked; booked slots keep their history."""
    locked = Slot.objects.select_for_update().get(pk=slot.pk)
    if (
        locked.bookings.exists()
        or locked.waitlist.filter(
            status__in=[WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED]
        ).exists()
    ):
        raise ValidationError("This date has bookings or a waitlist: cancel those first.")
    audit.record(
        "bookings.slot.withdrawn",
        actor=by,
        target=locked.session,
        request=request,
        changes={"starts_at": str(locked.starts_at)},
    )
    locked.delete()


# --- Booking -----------------------------------------------------------------------------


def _created(model, **fields):
    """Make a record through its model's rules (full_clean, so clean() runs) and save it."""
    record = model(**fields)
    record.full_clean(validate_constraints=False)  # the database's constraints still guard
    record.save()
    return record


def _take_place(slot: Slot, *, from_hold: bool = False, school: School | None = None) -> None:
    """Count one more place taken on a locked slot; the check constraint is the last guard."""
    change = {"places_taken": F("places_taken") + 1}
    if from_hold:
        change["places_held"] = F("places_held") - 1
    try:
        with transaction.atomic():
            Slot.objects.filter(pk=slot.pk).update(**change)
    except IntegrityError:
        raise PlaceTaken(slot, nearest_open_slots(slot, school=school)) from None


def school_booking_lead(school: School) -> User | None:
    """The person the school books sessions through: the account of its "PSHE or booking
    lead" contact (schools.SchoolContact), else its first active senior link or PSHE lead,
    else None (the school has nobody signed up to book)."""
    from accounts.models import Role
    from schools.models import SchoolContact

    contact = (
        SchoolContact.objects.filter(
            school=school,
            kind=SchoolContact.Kind.PSHE_LEAD,
            user__is_active=True,
            user__organisation_id=school.organisation_id,
        )
        .select_related("user")
        .first()
    )
    if contact is not None:
        return contact.user
    return (
        User.objects.filter(
            organisation_id=school.organisation_id, role=Role.SCHOOL_LINK, is_active=True
        )
        .order_by("pk")
        .first()
    )


def _lead_for(school: School, by: User) -> User | None:
    """The booking's lead: the booker when school staff book; the school's booking lead when
    a coordinator books on the school's behalf. Anyone else may not book for the school."""
    from accounts.models import Role

    if by.organisation_id == school.organisation_id and by.is_school_staff:
        return by
    if by.role == Role.COORDINATOR and by.force_id == school.force_id:
        return school_booking_lead(school)
    raise ValidationError("Only the school's staff or the force's coordinator can book for it.")


def check_notice(session: Session, starts_at, *, now, field=None) -> None:
    """The minimum notice in force for the session (its own, else its provider's): no date
    fewer than that many days ahead."""
    days = session.rules.min_notice_days
    if days and timezone.localtime(starts_at).date() < timezone.localdate(now) + datetime.timedelta(
        days=days
    ):
        message = (
            f"{session.provider.name} needs at least {days} days' notice: choose a later date."
        )
        raise ValidationError({field: message} if field else message)


def check_booking_rules(slot: Slot, *, now) -> None:
    """The rules in force for booking a date (the session's own, else its provider's):
    minimum notice and term time only."""
    session = slot.session
    check_notice(session, slot.starts_at, now=now)
    if (
        session.rules.term_time_only
        and not Slot.objects.filter(pk=slot.pk).in_term(session.force).exists()
    ):
        raise ValidationError("This session is delivered in term time only: choose another date.")


def booking_create(
    *,
    slot: Slot,
    school: School,
    by: User,
    year_groups,
    pupils: int,
    needs: str = "",
    case=None,
    now=None,
    request=None,
) -> Booking:
    """Book a place on a slot for a school's cohort, or raise PlaceTaken if it has gone.

    School staff book for their own school; a coordinator books on a school's behalf, and
    the school's booking lead is then told (outbox and home page) and may change or cancel
    it as if they had booked."""
    now = now or timezone.now()
    with transaction.atomic():
        # The lock makes a second booker wait here until the first has committed.
        slot = Slot.objects.select_for_update().select_related("session__provider").get(pk=slot.pk)
        session = slot.session
        if session.force_id != school.force_id:
            raise ValidationError("Choose a session of your force.")
        if case is not None:
            # A targeted input an officer books from a referral case (case_input_book).
            if not (by.is_police_side and case.force_id == school.force_id):
                raise ValidationError("Only the force's officers book from a case.")
            lead = school_booking_lead(school)
        else:
            lead = _lead_for(school, by)
        if not session.active:
            raise ValidationError("This session is no longer offered.")
        if slot.starts_at <= now:
            raise ValidationError("This date has passed; choose another.")
        check_booking_rules(slot, now=now)
        booking = Booking(
            slot=slot,
            school=school,
            booked_by=by,
            lead=lead,
            case=case,
            year_groups=pack_codes(sorted(int(y) for y in year_groups)),
            pupils=pupils,
            needs=needs,
            status=(
                Booking.Status.PENDING
                if session.needs_provider_acceptance
                else Booking.Status.CONFIRMED
            ),
            decided_at=None if session.needs_provider_acceptance else now,
        )
        booking.full_clean(validate_constraints=False)  # the cohort fits (Booking.clean)
        if Booking.objects.active().filter(slot=slot, school=school).exists():
            raise ValidationError("Your school has already booked this date.")
        if slot.places_left < 1:
            raise PlaceTaken(slot, nearest_open_slots(slot, school=school, now=now))
        _take_place(slot, school=school)
        booking.save()
        audit.record(
            "bookings.booking.made",
            actor=by,
            target=booking,
            changes={
                "slot": slot.pk,
                "pupils": pupils,
                "status": booking.status,
                "on_behalf_of": school.pk if booking.booked_on_behalf else None,
                "lead": lead.pk if lead else None,
            },
            request=request,
        )
        _notify(
            "requested" if booking.status == Booking.Status.PENDING else "confirmed", booking, by
        )
    return booking


def booking_seen_by_lead(*, booking: Booking, by: User, now=None) -> None:
    """The in-app notice of a booking made on the lead's behalf ends once they open it."""
    if booking.lead_id == by.pk and booking.booked_on_behalf and booking.lead_seen_at is None:
        booking.lead_seen_at = now or timezone.now()
        Booking.objects.filter(pk=booking.pk).update(lead_seen_at=booking.lead_seen_at)


@transaction.atomic
def booking_decide(
    *, booking: Booking, by: User, accept: bool, reason: str = "", now=None, request=None
) -> Booking:
    """The provider accepts or declines a booking waiting for them; a decline frees the place."""
    now = now or timezone.now()
    slot = Slot.objects.select_for_update().get(pk=booking.slot_id)
    booking = Booking.objects.select_for_update().select_related("slot__session").get(pk=booking.pk)
    if booking.status != Booking.Status.PENDING:
        raise ValidationError("This booking has already been decided.")
    if not accept and not reason.strip():
        raise ValidationError({"reason": "Tell the school why you are declining."})
    booking.status = Booking.Status.CONFIRMED if accept else Booking.Status.DECLINED
    booking.reason = "" if accept else reason.strip()
    booking.decided_at = now
    booking.sequence += 1
    booking.save(update_fields=["status", "reason", "decided_at", "sequence", "updated"])
    if not accept:
        _free_place(slot, now=now)
    audit.record(
        "bookings.booking.confirmed" if accept else "bookings.booking.declined",
        actor=by,
        target=booking,
        changes={"status": ["pending", booking.status], "reason": booking.reason},
        request=request,
    )
    _notify("confirmed" if accept else "declined", booking, by)
    return booking


def _is_school_side(user: User, booking: Booking) -> bool:
    return user.organisation_id == booking.school.organisation_id


@transaction.atomic
def booking_cancel(*, booking: Booking, by: User, reason: str, now=None, request=None) -> Booking:
    """Cancel a booking before the session, with a reason; the other side is told."""
    now = now or timezone.now()
    slot = Slot.objects.select_for_update().get(pk=booking.slot_id)
    booking = (
        Booking.objects.select_for_update()
        .select_related("school", "slot__session")
        .get(pk=booking.pk)
    )
    if not booking.is_active:
        raise ValidationError("This booking is not active.")
    if booking.has_started(now=now):
        raise ValidationError("The session has started; it can no longer be cancelled.")
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for cancelling."})
    before = booking.status
    booking.status = Booking.Status.CANCELLED
    booking.reason = reason.strip()
    booking.cancelled_at = now
    booking.cancelled_by = by
    booking.sequence += 1
    booking.save(
        update_fields=["status", "reason", "cancelled_at", "cancelled_by", "sequence", "updated"]
    )
    _free_place(slot, now=now)
    audit.record(
        "bookings.booking.cancelled",
        actor=by,
        target=booking,
        changes={"status": [before, booking.status], "reason": booking.reason},
        request=request,
    )
    _notify("cancelled", booking, by, school_side=_is_school_side(by, booking))
    return booking


def booking_reschedule(
    *, booking: Booking, to_slot: Slot, by: User, reason: str, now=None, request=None
) -> Booking:
    """Move a booking to another date of the same session, with a reason; the other side is told."""
    now = now or timezone.now()
    with transaction.atomic():
        # Lock both slots in a fixed order so two moves in opposite directions cannot deadlock.
        locked = {
            s.pk: s
            for s in Slot.objects.select_for_update()
            .select_related("session")
            .filter(pk__in=[booking.slot_id, to_slot.pk])
            .order_by("pk")
        }
        old_slot, new_slot = locked[booking.slot_id], locked[to_slot.pk]
        booking = Booking.objects.select_for_update().select_related("school").get(pk=booking.pk)
        if not booking.is_active:
            raise ValidationError("This booking is not active.")
        if old_slot.pk == new_slot.pk:
            raise ValidationError({"slot": "Choose a different date."})
        if new_slot.session_id != old_slot.session_id:
            raise ValidationError({"slot": "Choose a date of the same session."})
        if booking.has_started(now=now) or new_slot.starts_at <= now:
            raise ValidationError({"slot": "Choose a date in the future."})
        if not reason.strip():
            raise ValidationError({"reason": "Give the reason for the change of date."})
        if Booking.objects.active().filter(slot=new_slot, school=booking.school).exists():
            raise ValidationError({"slot": "The school has already booked that date."})
        if new_slot.places_left < 1:
            raise PlaceTaken(new_slot, nearest_open_slots(new_slot, school=booking.school, now=now))
        _take_place(new_slot, school=booking.school)
        previous_start = old_slot.starts_at
        booking.slot = new_slot
        booking.reason = reason.strip()
        booking.sequence += 1
        booking.save(update_fields=["slot", "reason", "sequence", "updated"])
        _free_place(old_slot, now=now)
        audit.record(
            "bookings.booking.rescheduled",
            actor=by,
            target=booking,
            changes={"slot": [old_slot.pk, new_slot.pk], "reason": booking.reason},
            request=request,
        )
        _notify(
            "rescheduled",
            booking,
            by,
            school_side=_is_school_side(by, booking),
            previous_start=previous_start.isoformat(),
        )
    return booking


# --- The waitlist --------------------------------------------------------------------------


def _free_place(slot: Slot, *, now) -> None:
    """Give back a place on a locked slot: to the first on the waitlist if anyone waits."""
    Slot.objects.filter(pk=slot.pk).update(places_taken=F("places_taken") - 1)
    _offer_to_next(slot, now=now)


def _offer_to_next(slot: Slot, *, now) -> WaitlistEntry | None:
    """Hold the freed place for the first school waiting, for 48 hours."""
    if slot.starts_at <= now:
        return None
    entry = (
        WaitlistEntry.objects.select_for_update()
        .filter(slot=slot, status=WaitlistEntry.Status.WAITING)
        .order_by("created", "pk")
        .first()
    )
    if entry is None:
        return None
    Slot.objects.filter(pk=slot.pk).update(places_held=F("places_held") + 1)
    entry.status = WaitlistEntry.Status.OFFERED
    entry.offered_at = now
    entry.offer_expires_at = min(now + WaitlistEntry.OFFER_LASTS, slot.starts_at)
    entry.save(update_fields=["status", "offered_at", "offer_expires_at", "updated"])
    from .notifications import send_offer

    send_offer(entry)
    return entry


@transaction.atomic
def waitlist_join(
    *,
    slot: Slot,
    school: School,
    by: User,
    year_groups,
    pupils: int,
    needs: str = "",
    now=None,
    request=None,
) -> WaitlistEntry:
    """Put a school on the waitlist of a full slot, with the cohort it would bring."""
    now = now or timezone.now()
    slot = Slot.objects.select_for_update().select_related("session").get(pk=slot.pk)
    if slot.session.force_id != school.force_id:
        raise ValidationError("Choose a session of your force.")
    if slot.starts_at <= now:
        raise ValidationError("This date has passed.")
    if slot.places_left > 0:
        raise ValidationError("This date has a free place: book it instead.")
    check_cohort(slot.session, year_groups=year_groups, pupils=pupils)
    if (
        WaitlistEntry.objects.filter(slot=slot, school=school)
        .filter(status__in=[WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED])
        .exists()
        or Booking.objects.active().filter(slot=slot, school=school).exists()
    ):
        raise ValidationError("Your school is already booked or waiting for this date.")
    entry = _created(
        WaitlistEntry,
        slot=slot,
        school=school,
        joined_by=by,
        year_groups=pack_codes(sorted(int(y) for y in year_groups)),
        pupils=pupils,
        needs=needs,
    )
    audit.record("bookings.waitlist.joined", actor=by, target=entry, request=request)
    return entry


@transaction.atomic
def waitlist_take_offer(*, entry: WaitlistEntry, by: User, now=None, request=None) -> Booking:
    """Turn an open offer into a booking: the held place becomes the school's."""
    now = now or timezone.now()
    slot = Slot.objects.select_for_update().select_related("session").get(pk=entry.slot_id)
    entry = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status != WaitlistEntry.Status.OFFERED or entry.offer_expires_at <= now:
        raise ValidationError("This offer has ended.")
    _take_place(slot, from_hold=True)
    session = slot.session
    booking = _created(
        Booking,
        slot=slot,
        school=entry.school,
        booked_by=by,
        lead=by,
        year_groups=entry.year_groups,
        pupils=entry.pupils,
        needs=entry.needs,
        status=Booking.Status.PENDING
        if session.needs_provider_acceptance
        else Booking.Status.CONFIRMED,
        decided_at=None if session.needs_provider_acceptance else now,
    )
    entry.status = WaitlistEntry.Status.ACCEPTED
    entry.booking = booking
    entry.save(update_fields=["status", "booking", "updated"])
    audit.record("bookings.waitlist.offer_taken", actor=by, target=booking, request=request)
    _notify("requested" if booking.status == Booking.Status.PENDING else "confirmed", booking, by)
    return booking


@transaction.atomic
def waitlist_leave(*, entry: WaitlistEntry, by: User, now=None, request=None) -> None:
    """Leave the waitlist; an open offer passes to the next school at once."""
    now = now or timezone.now()
    slot = Slot.objects.select_for_update().get(pk=entry.slot_id)
    entry = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
    if not entry.is_open:
        return
    was_offered = entry.status == WaitlistEntry.Status.OFFERED
    entry.status = WaitlistEntry.Status.LEFT
    entry.save(update_fields=["status", "updated"])
    if was_offered:
        Slot.objects.filter(pk=slot.pk).update(places_held=F("places_held") - 1)
        _offer_to_next(slot, now=now)
    audit.record("bookings.waitlist.left", actor=by, target=entry, request=request)


def expire_offers(*, now=None) -> int:
    """End the offers whose 48 hours have passed and pass each place to the next school."""
    now = now or timezone.now()
    expired = 0
    due = list(
        WaitlistEntry.objects.offered()
        .filter(offer_expires_at__lte=now)
        .values_list("pk", "slot_id")
    )
    for entry_pk, slot_pk in due:
        with transaction.atomic():
            slot = Slot.objects.select_for_update().get(pk=slot_pk)
            entry = WaitlistEntry.objects.select_for_update().get(pk=entry_pk)
            if entry.status != WaitlistEntry.Status.OFFERED:
                continue  # taken or left meanwhile
            entry.status = WaitlistEntry.Status.EXPIRED
            entry.save(update_fields=["status", "updated"])
            Slot.objects.filter(pk=slot.pk).update(places_held=F("places_held") - 1)
            _offer_to_next(slot, now=now)
            audit.record("bookings.waitlist.offer_expired", actor=None, target=entry)
            expired += 1
    return expired


# --- Demand, evaluation and calendar feeds --------------------------------------------------


@transaction.atomic
def demand_request(
    *,
    school: School,
    by: User,
    topic: Topic | None,
    other_topic: str,
    year_groups,
    pupils: int | None,
    note: str,
    request=None,
) -> DemandRequest:
    """Record a school's request for a topic or cohort nobody offers."""
    demand = DemandRequest(
        school=school,
        requested_by=by,
        topic=topic,
        other_topic=other_topic.strip(),
        year_groups=pack_codes(sorted(int(y) for y in year_groups)),
        pupils=pupils,
        note=note.strip(),
    )
    if topic is None and not demand.other_topic:
        raise ValidationError({"topic": "Choose a topic, or name the one you need."})
    if topic is not None and topic.force_id != school.force_id:
        raise ValidationError({"topic": "Choose one of the listed topics."})
    demand.full_clean()
    demand.save()
    audit.record("bookings.demand.requested", actor=by, target=demand, request=request)
    return demand


@transaction.atomic
def evaluation_give(*, booking: Booking, by: User, now=None, request=None, **answers) -> Evaluation:
    """Record the booking lead's evaluation once the session has ended."""
    now = now or timezone.now()
    booking = Booking.objects.select_for_update().select_related("slot").get(pk=booking.pk)
    if booking.status != Booking.Status.CONFIRMED:
        raise ValidationError("Only a confirmed booking can be evaluated.")
    if booking.did_not_happen:
        raise ValidationError(
            "The provider recorded that this session did not take place, so there is nothing "
            "to evaluate."
        )
    if not booking.has_ended(now=now):
        raise ValidationError("You can evaluate the session once it has taken place.")
    if Evaluation.objects.filter(booking=booking).exists():
        raise ValidationError("This session has already been evaluated.")
    if answers.get("delivered") and not answers.get("usefulness"):
        raise ValidationError({"usefulness": "Say how useful the session was."})
    evaluation = Evaluation(booking=booking, given_by=by, **answers)
    evaluation.full_clean()
    evaluation.save()
    audit.record("bookings.evaluation.given", actor=by, target=evaluation, request=request)
    return evaluation


@transaction.atomic
def feed_renew(*, provider: Organisation, by: User, request=None) -> str:
    """Give the provider a new secret calendar address; the old one stops working."""
    token = CalendarFeed.new_token()
    CalendarFeed.objects.update_or_create(
        provider=provider,
        person=None,
        defaults={"token_hash": CalendarFeed.hash(token), "created_by": by},
    )
    audit.record("bookings.calendar_feed.renewed", actor=by, target=provider, request=request)
    return token


@transaction.atomic
def feed_revoke(*, provider: Organisation, by: User, request=None) -> None:
    CalendarFeed.objects.filter(provider=provider, person__isnull=True).delete()
    audit.record("bookings.calendar_feed.revoked", actor=by, target=provider, request=request)


@transaction.atomic
def person_feed_renew(*, by: User, request=None) -> str:
    """Give a deliverer a new secret address of the dates they deliver; the old one stops."""
    token = CalendarFeed.new_token()
    CalendarFeed.objects.update_or_create(
        person=by,
        defaults={
            "provider_id": by.organisation_id,
            "token_hash": CalendarFeed.hash(token),
            "created_by": by,
        },
    )
    audit.record("bookings.calendar_feed.person_renewed", actor=by, target=by, request=request)
    return token


@transaction.atomic
def person_feed_revoke(*, by: User, request=None) -> None:
    CalendarFeed.objects.filter(person=by).delete()
    audit.record("bookings.calendar_feed.person_revoked", actor=by, target=by, request=request)


# --- Did it happen -------------------------------------------------------------------------


@transaction.atomic
def booking_record_outcome(
    *, booking: Booking, by: User, outcome: str, note: str = "", now=None, request=None
) -> Booking:
    """The provider says whether a session took place once its date has passed: delivered,
    school absent (no-show) or cancelled on the day. Only a delivered session's school is
    asked to evaluate it (by email, and on its home page)."""
    now = now or timezone.now()
    booking = (
        # Lock the booking row only: its lead is a nullable (outer) join PostgreSQL cannot lock.
        Booking.objects.select_for_update(of=("self",))
        .select_related("slot__session__provider", "school", "lead", "booked_by")
        .get(pk=booking.pk)
    )
    if outcome not in Booking.Outcome.values:
        raise ValidationError({"outcome": "Choose what happened."})
    if booking.status != Booking.Status.CONFIRMED:
        raise ValidationError("Only a confirmed booking can be marked as delivered or not.")
    if not booking.has_started(now=now):
        raise ValidationError("You can say what happened once the session's date has come.")
    if booking.outcome:
        raise ValidationError("What happened has already been recorded.")
    if hasattr(booking, "evaluation"):
        raise ValidationError("The school has already evaluated this session.")
    note = note.strip()
    if outcome == Booking.Outcome.CANCELLED_ON_DAY and not note:
        raise ValidationError({"note": "Say why the session was cancelled on the day."})
    booking.outcome = outcome
    booking.outcome_note = note
    booking.outcome_at = now
    booking.outcome_by = by
    booking.save(update_fields=["outcome", "outcome_note", "outcome_at", "outcome_by", "updated"])
    audit.record(
        "bookings.booking.outcome",
        actor=by,
        target=booking,
        changes={"outcome": ["", outcome], "note": note},
        request=request,
    )
    _notify("outcome", booking, by)
    return booking


# --- Deliverers ------------------------------------------------------------------------------


@transaction.atomic
def slot_set_deliverer(*, slot: Slot, person: User | None, by: User, request=None) -> Slot:
    """Name the person who delivers a date (or nobody), within the session's rules."""
    slot = Slot.objects.select_for_update().select_related("session__provider").get(pk=slot.pk)
    if person is not None and not slot.session.deliverer_choices().filter(pk=person.pk).exists():
        raise ValidationError({"person": f"Choose a person of {slot.session.provider.name}."})
    before = slot.deliverer_person_id
    slot.deliverer_person = person
    slot.full_clean()
    slot.save(update_fields=["deliverer_person", "updated"])
    audit.record(
        "bookings.slot.deliverer",
        actor=by,
        target=slot.session,
        changes={"slot": slot.pk, "deliverer": [before, person.pk if person else None]},
        request=request,
    )
    return slot


@transaction.atomic
def assign_round_robin(*, session: Session, by: User, now=None, request=None) -> list[Slot]:
    """Give the session's future dates that have no deliverer to the provider's people in
    turn, fewest dates first, skipping anyone the session's rules (buffer, dates a day) or
    another date at the same time rule out. Return the dates assigned; the others stay open."""
    now = now or timezone.now()
    people = list(session.deliverer_choices())
    if not people:
        raise ValidationError(f"{session.provider.name} has nobody who can deliver sessions yet.")
    load = {p.pk: 0 for p in people}
    for person_id in Slot.objects.filter(
        deliverer_person__in=people, starts_at__gt=now
    ).values_list("deliverer_person_id", flat=True):
        load[person_id] += 1
    turn = 0
    assigned = []
    open_dates = (
        Slot.objects.select_for_update()
        .filter(session=session, starts_at__gt=now, deliverer_person__isnull=True)
        .select_related("session")
        .order_by("starts_at", "pk")
    )
    for slot in open_dates:
        slot.session = session  # one session, so its provider's rules are read once
        # Fewest dates first; ties in turn from where the last assignment left off.
        order = sorted(
            range(len(people)), key=lambda i: (load[people[i].pk], (i - turn) % len(people))
        )
        for index in order:
            slot.deliverer_person = people[index]
            try:
                slot.full_clean()
            except ValidationError:
                continue
            slot.save(update_fields=["deliverer_person", "updated"])
            load[people[index].pk] += 1
            turn = index + 1
            assigned.append(slot)
            break
        else:
            slot.deliverer_person = None
    audit.record(
        "bookings.slots.round_robin",
        actor=by,
        target=session,
        changes={"assigned": {s.pk: s.deliverer_person_id for s in assigned}},
        request=request,
    )
    return assigned


# --- Shared evaluation ------------------------------------------------------------------------


@transaction.atomic
def evaluation_reply(*, evaluation: Evaluation, by: User, reply: str, now=None, request=None):
    """The provider answers a school's comments; the answer is shown with them."""
    reply = reply.strip()
    if not reply:
        raise ValidationError({"reply": "Write your answer."})
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    before = evaluation.reply
    evaluation.reply = reply
    evaluation.replied_by = by
    evaluation.replied_at = now or timezone.now()
    evaluation.full_clean()
    evaluation.save(update_fields=["reply", "replied_by", "replied_at", "updated"])
    audit.record(
        "bookings.evaluation.replied",
        actor=by,
        target=evaluation,
        changes={"reply": [before, reply]},
        request=request,
    )
    return evaluation


# --- Propose a date ------------------------------------------------------------------------------


def _proposed_slot(session: Session, starts_at, *, now) -> Slot:
    """The date a proposal would make, checked against the session's rules."""
    if starts_at <= now:
        raise ValidationError({"day": "The date must be in the future."})
    slot = Slot(
        session=session,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=session.length_minutes),
        capacity=1,
    )
    check_notice(session, starts_at, now=now, field="day")
    try:
        slot.full_clean(exclude=["deliverer_person"])
    except ValidationError as error:
        raise ValidationError(
            {"day": [m for messages in error.message_dict.values() for m in messages]}
        ) from None
    return slot


def _proposal_emails(proposal: DateProposal, *, to, cause, subject, headline, lines=()):
    from accounts.outbox import queue_email

    for person in to:
        queue_email(
            to=person.email,
            key=f"bookings.proposal.{proposal.pk}.{cause}",
            about=proposal,
            force=proposal.school.force_id,
            template="bookings/email/proposal_event",
            subject=subject,
            context={
                "person": person,
                "headline": headline,
                "lines": list(lines),
                "proposal": proposal,
            },
        )


@transaction.atomic
def proposal_create(
    *,
    session: Session,
    school: School,
    by: User,
    day: datetime.date,
    starts: datetime.time,
    year_groups,
    pupils: int,
    needs: str = "",
    now=None,
    request=None,
) -> DateProposal:
    """A school asks for a session on a date of its choosing; the provider is emailed."""
    from .notifications import provider_contacts

    now = now or timezone.now()
    if session.force_id != school.force_id or not session.active:
        raise ValidationError("Choose a session your force offers.")
    _lead_for(school, by)
    check_cohort(session, year_groups=year_groups, pupils=pupils)
    starts_at = Slot.local_datetime(day, starts)
    _proposed_slot(session, starts_at, now=now)
    proposal = DateProposal(
        session=session,
        school=school,
        proposed_by=by,
        starts_at=starts_at,
        year_groups=pack_codes(sorted(int(y) for y in year_groups)),
        pupils=pupils,
        needs=needs.strip(),
    )
    proposal.full_clean()
    proposal.save()
    audit.record("bookings.proposal.made", actor=by, target=proposal, request=request)
    _proposal_emails(
        proposal,
        to=provider_contacts(session.provider),
        cause="made",
        subject=f"Date requested: {session.title} for {school.name}",
        headline=f"{school.name} asks for {session.title} on "
        f"{proposal.local_start:%A %-d %B %Y at %H:%M}. Accept it or offer another date.",
        lines=[f"Cohort: {proposal.year_groups_text}, {proposal.pupils} pupils."],
    )
    return proposal


def _book_proposal(proposal: DateProposal, starts_at, *, by: User, now) -> Booking:
    """Make the proposal's date and the school's booking on it (the one place, taken)."""
    slot = _proposed_slot(proposal.session, starts_at, now=now)
    slot.places_taken = 1
    slot.save()
    lead = proposal.proposed_by
    if not (lead.is_school_staff and lead.organisation_id == proposal.school.organisation_id):
        lead = school_booking_lead(proposal.school)
    booking = _created(
        Booking,
        slot=slot,
        school=proposal.school,
        booked_by=proposal.proposed_by,
        lead=lead,
        year_groups=proposal.year_groups,
        pupils=proposal.pupils,
        needs=proposal.needs,
        status=Booking.Status.CONFIRMED,
        decided_at=now,
    )
    proposal.status = DateProposal.Status.ACCEPTED
    proposal.booking = booking
    proposal.answered_at = now
    proposal.save(update_fields=["status", "booking", "answered_at", "updated"])
    _notify("confirmed", booking, by)
    return booking


@transaction.atomic
def proposal_answer(
    *,
    proposal: DateProposal,
    by: User,
    decision: str,
    day: datetime.date | None = None,
    starts: datetime.time | None = None,
    note: str = "",
    now=None,
    request=None,
) -> DateProposal:
    """The provider accepts the school's date (making the date and the booking), offers
    another date, or declines with a note."""
    now = now or timezone.now()
    proposal = (
        DateProposal.objects.select_for_update()
        .select_related("session__provider", "school", "proposed_by")
        .get(pk=proposal.pk)
    )
    if proposal.status != DateProposal.Status.PROPOSED:
        raise ValidationError("This request has already been answered.")
    note = note.strip()
    if decision == "accept":
        _book_proposal(proposal, proposal.starts_at, by=by, now=now)
    elif decision == "other":
        if day is None or starts is None:
            raise ValidationError({"day": "Enter the date and time you can offer."})
        offered = Slot.local_datetime(day, starts)
        _proposed_slot(proposal.session, offered, now=now)
        proposal.status = DateProposal.Status.OFFERED
        proposal.offered_starts_at = offered
        proposal.note = note
        proposal.answered_at = now
        proposal.save(
            update_fields=["status", "offered_starts_at", "note", "answered_at", "updated"]
        )
        _proposal_emails(
            proposal,
            to=[proposal.proposed_by] if proposal.proposed_by.is_active else [],
            cause="offered",
            subject=f"Another date offered: {proposal.session.title}",
            headline=f"{proposal.session.provider.name} cannot deliver {proposal.session.title} "
            f"on the date you asked for and offers "
            f"{proposal.local_offered_start:%A %-d %B %Y at %H:%M}. Accept or decline it.",
            lines=[f"Note: {note}"] if note else [],
        )
    elif decision == "decline":
        if not note:
            raise ValidationError({"note": "Tell the school why you are declining."})
        proposal.status = DateProposal.Status.DECLINED
        proposal.note = note
        proposal.answered_at = now
        proposal.save(update_fields=["status", "note", "answered_at", "updated"])
        _proposal_emails(
            proposal,
            to=[proposal.proposed_by] if proposal.proposed_by.is_active else [],
            cause="declined",
            subject=f"Date request declined: {proposal.session.title}",
            headline=f"{proposal.session.provider.name} cannot deliver "
            f"{proposal.session.title} on the date you asked for.",
            lines=[f"Reason: {note}"],
        )
    else:
        raise ValidationError({"decision": "Choose your answer."})
    audit.record(
        "bookings.proposal.answered",
        actor=by,
        target=proposal,
        changes={"decision": decision, "note": note},
        request=request,
    )
    return proposal


@transaction.atomic
def proposal_take_offer(
    *, proposal: DateProposal, by: User, accept: bool, now=None, request=None
) -> DateProposal:
    """The school accepts the provider's other date (it is booked) or declines it."""
    from .notifications import provider_contacts

    now = now or timezone.now()
    proposal = (
        DateProposal.objects.select_for_update()
        .select_related("session__provider", "school", "proposed_by")
        .get(pk=proposal.pk)
    )
    if proposal.status != DateProposal.Status.OFFERED:
        raise ValidationError("There is no date on offer to answer.")
    if accept:
        _book_proposal(proposal, proposal.offered_starts_at, by=by, now=now)
    else:
        proposal.status = DateProposal.Status.DECLINED
        proposal.answered_at = now
        proposal.save(update_fields=["status", "answered_at", "updated"])
        _proposal_emails(
            proposal,
            to=provider_contacts(proposal.session.provider),
            cause="offer_declined",
            subject=f"Other date declined: {proposal.session.title} for {proposal.school.name}",
            headline=f"{proposal.school.name} cannot take the date you offered for "
            f"{proposal.session.title}.",
        )
    audit.record(
        "bookings.proposal.offer_answered",
        actor=by,
        target=proposal,
        changes={"accepted": accept},
        request=request,
    )
    return proposal


# --- Education a case needs ----------------------------------------------------------------------

TARGETED_INDIVIDUAL = "Targeted input for a referred pupil."
TARGETED_GROUP = "Targeted input for a group, following a referral."


def targeted_text(who: str) -> str:
    """What the provider and the school are told of a case's input: never who the pupil is."""
    return TARGETED_INDIVIDUAL if who == "individual" else TARGETED_GROUP


def case_school(case):
    """The school a case's input takes place at: the young person's school."""
    school = case.young_person.school
    if school is None:
        raise ValidationError(
            "The young person has no school on record, so no session can be booked there."
        )
    return school


def case_input_book(
    *, case, slot: Slot, by: User, who: str, year_groups, pupils: int, request=None
) -> Booking:
    """An officer books a date for a targeted input (a group or one pupil) linked to the case.
    The provider is told only "targeted input for a referred pupil": no name, no free text."""
    if who not in {"individual", "group"}:
        raise ValidationError({"who": "Say whether it is for the pupil or for a group."})
    if who == "individual" and pupils != 1:
        raise ValidationError({"pupils": "An input for one pupil has 1 pupil."})
    booking = booking_create(
        slot=slot,
        school=case_school(case),
        by=by,
        year_groups=year_groups,
        pupils=pupils,
        needs=targeted_text(who),
        case=case,
        request=request,
    )
    return booking


@transaction.atomic
def case_input_request(
    *, case, by: User, topic: Topic | None, who: str, year_groups, pupils: int | None, request=None
) -> DemandRequest:
    """An officer asks the coordinator for a targeted input nobody offers as a date yet,
    linked to the case; the request names no pupil."""
    if not by.is_police_side:
        raise ValidationError("Only the force's officers ask for an input from a case.")
    if who not in {"individual", "group"}:
        raise ValidationError({"who": "Say whether it is for the pupil or for a group."})
    school = case_school(case)
    if topic is None:
        raise ValidationError({"topic": "Choose the topic of the input."})
    if topic.force_id != case.force_id:
        raise ValidationError({"topic": "Choose one of the listed topics."})
    demand = DemandRequest(
        school=school,
        requested_by=by,
        topic=topic,
        year_groups=pack_codes(sorted(int(y) for y in year_groups)),
        pupils=1 if who == "individual" else pupils,
        note=targeted_text(who),
        case=case,
    )
    demand.full_clean()
    demand.save()
    audit.record("bookings.demand.case_requested", actor=by, target=demand, request=request)
    return demand
