import datetime

import factory
from django.db.models import F
from django.utils import timezone

from bookings.models import Booking, Session, Slot, Topic


def in_days(days: int, hour: int = 10) -> datetime.datetime:
    """Return an aware UK time `days` from today at `hour` o'clock."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return Slot.local_datetime(day, datetime.time(hour))


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    provider = None
    force = factory.LazyAttribute(lambda o: o.provider.force)
    title = factory.Sequence(lambda n: f"Session {n}")
    topic = factory.LazyAttribute(
        lambda o: Topic.objects.get_or_create(force=o.force, name="Online safety and sexting")[0]
    )
    year_groups = ",7,8,9,"
    format = Session.Format.CLASSROOM
    length_minutes = 60
    capacity = 30
    cost_pence = 0
    description = "What it covers."


class SlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Slot

    session = factory.SubFactory(SessionFactory)
    starts_at = factory.LazyFunction(lambda: in_days(14))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=1))
    capacity = 1


class BookingFactory(factory.django.DjangoModelFactory):
    """A confirmed booking; counts its place on the slot as the service would."""

    class Meta:
        model = Booking
        skip_postgeneration_save = True

    slot = factory.SubFactory(SlotFactory)
    school = None
    booked_by = None
    lead = factory.SelfAttribute("booked_by")
    year_groups = ",8,"
    pupils = 25
    status = Booking.Status.CONFIRMED

    @factory.post_generation
    def count_place(booking, create, extracted, **kwargs):
        if create and booking.is_active:
            Slot.objects.filter(pk=booking.slot_id).update(places_taken=F("places_taken") + 1)


def lose_the_last_place(client, world, slot):
    """The headteacher (signed in on `client`) chooses `slot` and gives a cohort; meanwhile
    another school books its last place. Return the page that checks the booking."""
    from django.urls import reverse

    from accounts.models import Role
    from accounts.tests.factories import UserFactory
    from schools.tests.factories import SchoolFactory

    session = slot.session
    client.post(
        reverse("bookings:book_cohort", args=[session.pk]) + f"?slot={slot.pk}",
        {"year_groups": ["7", "8"], "pupils": "20", "needs": "Two EAL pupils"},
    )
    other = SchoolFactory(force=world.forces["a"])
    BookingFactory(
        slot=slot,
        school=other,
        booked_by=UserFactory(organisation=other.organisation, role=Role.HEADTEACHER),
    )
    return reverse("bookings:book_check", args=[session.pk])
