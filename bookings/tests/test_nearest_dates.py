"""After losing the last place: the open term-time dates nearest the lost one, cohort kept."""

import datetime

import pytest
from django.utils import timezone

from bookings import services
from bookings.models import Booking, Slot
from bookings.tests.factories import (
    BookingFactory,
    SessionFactory,
    SlotFactory,
    in_days,
    lose_the_last_place,
)
from schools.models import Term

pytestmark = pytest.mark.django_db


def _day(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def dates(world):
    """A session with dates soon, dates near day 50 on both sides, and a half term on 55-61."""
    force = world.forces["a"]
    Term.objects.create(force=force, name="autumn", starts_on=_day(-10), ends_on=_day(54))
    Term.objects.create(force=force, name="spring", starts_on=_day(62), ends_on=_day(150))
    session = SessionFactory(provider=world.orgs["partner_a"], title="County lines")
    slot = {d: SlotFactory(session=session, starts_at=in_days(d)) for d in (3, 4, 5, 6, 7)}
    for d in (40, 45, 50, 56, 58, 62, 65, 100):
        slot[d] = SlotFactory(session=session, starts_at=in_days(d))
    # Not offered: a full date next to the lost one, and another session's date.
    slot["full"] = SlotFactory(session=session, starts_at=in_days(49))
    BookingFactory(
        slot=slot["full"],
        school=world.schools["a2"],
        booked_by=world.other_school_headteacher,
    )
    SlotFactory(session=SessionFactory(provider=world.orgs["partner_a"]), starts_at=in_days(51))
    return slot


def _days(slots):
    return [(timezone.localdate(s.starts_at) - timezone.localdate()).days for s in slots]


def test_open_dates_in_term_nearest_a_date_before_and_after_it(world, dates):
    force = world.forces["a"]
    lost = dates[50]
    nearest = (
        Slot.objects.filter(session=lost.session)
        .exclude(pk=lost.pk)
        .open()
        .in_term(force)
        .nearest_to(lost.starts_at)
    )
    # 56 and 58 are in half term; 49 is full; the soonest dates (3 to 7) are far away.
    assert _days(nearest[:5]) == [45, 40, 62, 65, 7]


def test_a_force_without_term_dates_leaves_no_date_out(world, dates):
    Term.objects.filter(force=world.forces["a"]).delete()
    nearest = Slot.objects.filter(pk__in=[dates[56].pk, dates[3].pk]).in_term(world.forces["a"])
    assert set(nearest) == {dates[56], dates[3]}


def test_another_forces_terms_do_not_count(world, dates):
    # Force B has a term over force A's half term; force A's dates in it stay out.
    Term.objects.create(
        force=world.forces["b"], name="autumn", starts_on=_day(50), ends_on=_day(70)
    )
    assert dates[56] not in Slot.objects.in_term(world.forces["a"])
    assert dates[56] in Slot.objects.in_term(world.forces["b"])


def test_losing_the_last_place_offers_the_nearest_term_dates(world, dates):
    lost = dates[50]
    # The school already has day 45, so the cohort cannot be booked there again.
    services.booking_create(
        slot=dates[45], school=world.schools["a1"], by=world.headteacher, year_groups=[8], pupils=9
    )
    services.booking_create(
        slot=lost,
        school=world.schools["a2"],
        by=world.other_school_headteacher,
        year_groups=[8],
        pupils=9,
    )
    with pytest.raises(services.PlaceTaken) as taken:
        services.booking_create(
            slot=lost, school=world.schools["a1"], by=world.headteacher, year_groups=[8], pupils=9
        )
    assert _days(taken.value.next_slots) == [40, 62, 65, 7, 6]


def test_the_lost_race_page_offers_the_nearest_term_dates_and_keeps_the_cohort(
    client, world, dates
):
    client.force_login(world.headteacher)
    check_url = lose_the_last_place(client, world, dates[50])
    response = client.post(check_url)
    page = response.content.decode()
    assert "That place has just been taken" in page
    assert [s.pk for s in response.context["next_slots"]] == [
        dates[d].pk for d in (45, 40, 62, 65, 7)
    ]
    assert f'value="{dates[56].pk}"' not in page  # half term
    assert f'value="{dates[3].pk}"' not in page  # soonest, but far from the lost date
    response = client.post(check_url, {"slot": dates[62].pk})
    booking = Booking.objects.get(school=world.schools["a1"], slot=dates[62])
    assert response.url == booking.get_absolute_url()
    assert (booking.year_groups, booking.pupils, booking.needs) == (",7,8,", 20, "Two EAL pupils")
