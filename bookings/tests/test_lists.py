"""The catalogue and the bookings list are read afresh for each reader (no rendered-page
cache): every booking, place or date change shows at once, and each reader sees their own."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bookings import services
from bookings.models import Booking
from bookings.tests.factories import BookingFactory, SessionFactory, SlotFactory, in_days
from bookings.views import PAGE_SIZE
from schools.models import Term

pytestmark = pytest.mark.django_db

LIST = reverse("bookings:booking_list")


def _book(world, n, *, school="a1", provider="partner_a"):
    session = SessionFactory(provider=world.orgs[provider])
    return [
        BookingFactory(
            slot=SlotFactory(session=session),
            school=world.schools[school],
            booked_by=world.headteacher,
        )
        for _ in range(n)
    ]


def _get(client, **params):
    """The page, and whether it read the bookings."""
    with CaptureQueriesContext(connection) as captured:
        html = client.get(LIST, params).content.decode()
    return html, any('"bookings_booking"' in q["sql"] for q in captured.captured_queries)


def test_every_reader_of_the_force_sees_the_same_rows_read_afresh(client, world):
    _book(world, PAGE_SIZE + 1)
    client.force_login(world.coordinator)
    first, read = _get(client)
    assert read and f"({PAGE_SIZE + 1} in all)" in first
    client.force_login(world.manager)  # another reader of the force: the same rows
    second, read = _get(client)
    assert read and f"({PAGE_SIZE + 1} in all)" in second


def test_a_new_decided_or_cancelled_booking_shows_at_once(client, world):
    bookings = _book(world, PAGE_SIZE)
    Booking.objects.filter(pk=bookings[1].pk).update(status=Booking.Status.PENDING)
    client.force_login(world.coordinator)
    html, _ = _get(client)
    assert "in all)" not in html  # one page: no pagination
    _book(world, 1)
    html, read = _get(client)
    assert read and f"({PAGE_SIZE + 1} in all)" in html
    services.booking_decide(booking=bookings[1], by=world.partner, accept=False, reason="Full")
    html, read = _get(client, show="cancelled")
    assert read and "Declined" in html
    cancelled = bookings[0]
    cancelled.status = Booking.Status.CANCELLED
    cancelled.reason = "The class is on a trip."
    cancelled.save()
    html, read = _get(client)
    assert read and "in all)" not in html
    html, _ = _get(client, show="cancelled")
    assert "The class is on a trip." not in html  # the list shows no reasons
    assert "Cancelled" in html


def test_a_school_renamed_shows_at_once(client, world):
    _book(world, 1)
    client.force_login(world.coordinator)
    assert "Alder Academy" in _get(client)[0]
    school = world.schools["a1"]
    school.name = "Alder Community Academy"
    school.save()
    assert "Alder Community Academy" in _get(client)[0]


def test_each_reader_has_their_own_total(client, world):
    _book(world, PAGE_SIZE + 1, provider="partner_a")
    _book(world, 2, provider="police_a", school="a2")
    client.force_login(world.coordinator)
    assert f"({PAGE_SIZE + 3} in all)" in _get(client)[0]
    client.force_login(world.partner)
    assert f"({PAGE_SIZE + 1} in all)" in _get(client)[0]
    client.force_login(world.other_school_headteacher)
    html, _ = _get(client)
    assert "in all)" not in html and world.schools["a1"].name not in html
    client.force_login(world.other_force_manager)
    assert "No bookings here." in _get(client)[0]


CATALOGUE = reverse("bookings:catalogue")


def _catalogue(client, **params):
    """The page, and how many of its queries read the sessions."""
    with CaptureQueriesContext(connection) as captured:
        html = client.get(CATALOGUE, params).content.decode()
    return html, sum('"bookings_session"' in q["sql"] for q in captured.captured_queries)


def _dates(html, title):
    """The "Next dates" of a session's card."""
    card = html[html.index(f">{title}</a>") :]
    card = card[card.index("Next dates") :]
    return card[: card.index("</dd>")]


def test_the_catalogue_is_the_same_for_the_force_and_read_afresh(client, world, catalogue):
    client.force_login(world.coordinator)
    first, cold = _catalogue(client)
    second, again = _catalogue(client)
    body = 'aria-label="Filter sessions"'
    assert cold and again  # no rendered-page cache: each request reads the sessions
    assert second[second.index(body) :] == first[first.index(body) :]
    client.force_login(world.partner)  # another reader of the force: the same sessions
    third, read = _catalogue(client)
    assert read and "Fire and you" in third
    client.force_login(world.other_force_manager)
    other, read = _catalogue(client)
    assert read and "Fire and you" not in other and "Wessex online safety" in other


def test_places_taken_and_given_up_show_at_once(client, world, catalogue):
    full = catalogue.full_slot
    client.force_login(world.headteacher)
    assert "No dates available yet" in _dates(_catalogue(client)[0], "Knife crime talk")
    taken = Booking.objects.get(slot=full)
    services.booking_cancel(booking=taken, by=world.other_school_headteacher, reason="Exams")
    assert "No dates available yet" not in _dates(_catalogue(client)[0], "Knife crime talk")
    services.booking_create(
        slot=full, school=world.schools["a1"], by=world.headteacher, year_groups=[8], pupils=20
    )
    assert "No dates available yet" in _dates(_catalogue(client)[0], "Knife crime talk")


def test_dates_published_in_bulk_show_at_once(client, world, catalogue):
    session = SessionFactory(provider=world.orgs["partner_a"], title="Water safety")
    client.force_login(world.coordinator)
    assert "No dates available yet" in _dates(_catalogue(client)[0], "Water safety")
    day = timezone.localdate() + datetime.timedelta(days=40)
    Term.objects.create(
        force=world.forces["a"],
        name="a term",
        starts_on=day - datetime.timedelta(days=10),
        ends_on=day + datetime.timedelta(days=10),
    )
    services.slots_publish(
        session=session,
        by=world.partner,
        day=day,
        starts=datetime.time(9),
        ends=datetime.time(10),
        capacity=2,
    )
    assert "No dates available yet" not in _dates(_catalogue(client)[0], "Water safety")


def test_suggestions_are_the_schools_own(client, world, catalogue):
    priority = SessionFactory(provider=world.orgs["police_a"], title="Zebra priority input")
    priority.is_priority = True
    priority.save()
    client.force_login(world.headteacher)  # not assessed: counts as Universal
    assert "Suggested for your school" in _catalogue(client)[0]
    client.force_login(world.coordinator)
    assert "Suggested for your school" not in _catalogue(client)[0]


def test_parameters_that_are_not_filters_change_nothing(client, world, catalogue):
    client.force_login(world.coordinator)
    first, read = _catalogue(client, format="classroom")
    assert read
    again, read = _catalogue(client, format="classroom", utm_source="newsletter")
    assert read and "utm_source" not in again
    body = 'aria-label="Filter sessions"'
    assert again[again.index(body) :] == first[first.index(body) :]
    _book(world, PAGE_SIZE + 1)
    html, read = _get(client, show="upcoming", utm_source="newsletter")
    assert "utm_source" not in html and "?show=upcoming&amp;page=2" in html


def _count(client, url, params):
    import re

    html = client.get(url, params).content.decode()
    return int(re.search(r'role="status">\s*(\d+) ', html).group(1)), html


def test_the_bookings_behind_a_figure_take_several_teams(client, world):
    """A sergeant leading two teams: the dashboard links with team=1&team=2 (issue 15)."""
    from accounts.tests.factories import TeamFactory
    from schools.tests.factories import SchoolFactory

    force = world.forces["a"]
    east = TeamFactory(force=force, name="East NPT")
    north, safer = world.teams["npt_a"], world.teams["sst_a"]
    session = SessionFactory(provider=world.orgs["partner_a"], title="Fire and you")
    for team in (north, safer, east):
        school = SchoolFactory(force=force, team=team, name=f"{team.name} school")
        BookingFactory(
            slot=SlotFactory(session=session, starts_at=in_days(-3)),
            school=school,
            booked_by=world.headteacher,
        )
    closed = SchoolFactory(force=force, team=north, status="closed")
    BookingFactory(
        slot=SlotFactory(session=session, starts_at=in_days(-4)),
        school=closed,
        booked_by=world.headteacher,
    )
    client.force_login(world.coordinator)
    today = timezone.localdate()
    period = {
        "since": (today - datetime.timedelta(days=30)).isoformat(),
        "until": today.isoformat(),
    }
    count, html = _count(client, LIST, {**period, "team": [north.pk, safer.pk]})
    assert count == 2  # the closed school's booking is not one the dashboard counts
    assert "North NPT school" in html and "East NPT school" not in html
    assert ">Delivered</caption>" in html
    # Each team is a tag that removes only itself; the period stays.
    assert f"team={safer.pk}" in html and "Remove this filter:</span> North NPT</a>" in html
    # The period is one tag, which goes back to the upcoming bookings with the same teams.
    assert html.count("Remove this filter:</span> ") == 3
    period_text = f"{today - datetime.timedelta(days=30):%-d %b %Y} to {today:%-d %b %Y}"
    team_query = f"team={north.pk}&amp;team={safer.pk}"
    assert (
        f'href="?{team_query}"><span class="govuk-visually-hidden">Remove this filter:</span> {period_text}</a>'
        in html
    )
    assert _count(client, LIST, {**period, "team": [east.pk]})[0] == 1
    assert _count(client, LIST, {**period, "team": [north.pk, "x"]})[0] == 3  # invalid: ignored
    assert _count(client, LIST, {**period, "topic": session.topic_id, "evaluated": "on"})[0] == 0
    assert _count(client, LIST, {**period, "provider": world.orgs["partner_a"].pk})[0] == 3


def test_the_requests_behind_a_figure_take_several_teams(client, world):
    from accounts.tests.factories import TeamFactory
    from bookings.models import DemandRequest
    from schools.tests.factories import SchoolFactory

    force = world.forces["a"]
    teams = [world.teams["npt_a"], world.teams["sst_a"], TeamFactory(force=force)]
    for team in teams:
        DemandRequest.objects.create(
            school=SchoolFactory(force=force, team=team),
            requested_by=world.headteacher,
            other_topic="Vaping",
            year_groups=",8,",
            pupils=30,
        )
    client.force_login(world.coordinator)
    today = timezone.localdate().isoformat()
    url = reverse("bookings:demand_list")
    two = {"since": today, "until": today, "team": [teams[0].pk, teams[1].pk]}
    assert _count(client, url, two)[0] == 2
    assert _count(client, url, {"since": today, "until": today})[0] == 3


def test_the_catalogue_filters_by_several_topics_and_shows_them_as_tags(client, world, catalogue):
    from bookings.models import Topic

    force = world.forces["a"]
    road = Topic.objects.get(force=force, name="Road and rail safety")
    drugs = Topic.objects.get(force=force, name="Drugs and alcohol")
    SessionFactory(provider=world.orgs["police_a"], title="Level crossings", topic=road)
    SessionFactory(provider=world.orgs["police_a"], title="Vapes", topic=drugs, cost_pence=500)
    client.force_login(world.headteacher)
    count, html = _count(client, CATALOGUE, {"topic": [road.pk, drugs.pk]})
    assert count == 2 and "Level crossings" in html and "Vapes" in html
    assert "Fire and you</a>" not in html
    assert "Remove this filter:</span> Road and rail safety</a>" in html
    assert f'href="?topic={drugs.pk}"' in html  # removing one topic keeps the other
    count, html = _count(client, CATALOGUE, {"topic": [road.pk, drugs.pk], "cost": "free"})
    assert count == 1 and "Remove this filter:</span> Free only</a>" in html
    assert f'href="?topic={road.pk}&amp;topic={drugs.pk}"' in html  # removing "Free only"
