"""The pages: the catalogue's filters, booking in three screens, a lost race, and the rest."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts.forms_kit import date_data
from bookings.models import Booking, Evaluation, Session, Slot, Topic, WaitlistEntry
from bookings.tests.factories import (
    BookingFactory,
    SessionFactory,
    SlotFactory,
    in_days,
    lose_the_last_place,
)
from needs_assessment.models import Assessment, Framework
from schools.models import Term

pytestmark = pytest.mark.django_db


def _titles(response):
    return [s.title for s in response.context["page"].object_list]


def test_catalogue_filters_and_next_dates(client, world, catalogue):
    free_online = catalogue.partner_session
    paid = SessionFactory(
        provider=world.orgs["police_a"],
        title="Road safety assembly",
        topic=Topic.objects.get(force=world.forces["a"], name="Road and rail safety"),
        format=Session.Format.ASSEMBLY,
        year_groups=",3,4,",
        cost_pence=7550,
    )
    SlotFactory(session=paid, starts_at=in_days(40))
    client.force_login(world.headteacher)
    url = reverse("bookings:catalogue")
    response = client.get(url)
    assert "Road safety assembly" in _titles(response)
    assert "£75.50 a session" in response.content.decode()
    assert "Wessex online safety" not in _titles(response)  # another force's
    assert _titles(client.get(url, {"cost": "free"})).count("Road safety assembly") == 0
    assert _titles(client.get(url, {"key_stage": "ks2"})) == ["Road safety assembly"]
    assert _titles(client.get(url, {"year": "8", "format": "assembly"})) == []
    assert set(_titles(client.get(url, {"provider": world.orgs["police_a"].pk}))) == {
        "Knife crime talk",
        "Road safety assembly",
    }
    in_a_month = timezone.localdate() + datetime.timedelta(days=30)
    dated = _titles(client.get(url, date_data("date_from", in_a_month)))
    assert dated == ["Road safety assembly"]
    response = client.get(url, {"topic": free_online.topic.pk})
    session = next(s for s in response.context["page"].object_list if s == free_online)
    assert [s.pk for s in session.next_slots] == [catalogue.slot.pk]
    bad = client.get(
        url,
        {
            **date_data("date_from", datetime.date(2030, 5, 2)),
            **date_data("date_to", datetime.date(2030, 5, 1)),
        },
    )
    assert "The end of the date range must be after its start" in bad.content.decode()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (("31", "2", "2030"), "Available from must be a real date"),
        (("1", "", "2030"), "Available from must include a month"),
        (("x", "y", "z"), "Available from must be a real date"),
        (("1", "2", "30"), "Year must include 4 numbers"),
    ],
)
def test_a_bad_catalogue_date_is_explained_and_kept(client, world, catalogue, typed, message):
    """The date filters are day, month and year boxes; a bad date is an error, never a 500."""
    client.force_login(world.headteacher)
    query = {f"date_from_{index}": part for index, part in enumerate(typed)}
    response = client.get(reverse("bookings:catalogue"), query)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'class="govuk-date-input"' in html and 'type="date"' not in html
    for index, part in enumerate(typed):
        if part:
            assert f'name="date_from_{index}" value="{part}"' in html
    assert 'href="#id_date_from_' in html  # the error summary leads to the boxes


def test_universal_schools_see_the_priority_inputs_first(client, world, catalogue):
    priority = SessionFactory(provider=world.orgs["police_a"], title="Zebra priority input")
    priority.is_priority = True
    priority.save()
    client.force_login(world.headteacher)
    titles = _titles(client.get(reverse("bookings:catalogue")))
    assert titles[0] == "Zebra priority input"  # not assessed counts as Universal

    framework = Framework.objects.chosen_for(world.forces["a"])
    complex_level = framework.levels.get(key="complex")
    Assessment.objects.create(
        school=world.schools["a1"],
        framework=framework,
        assessed_by=world.sso,
        status=Assessment.Status.APPROVED,
        computed_level=complex_level,
        is_current=True,
    )
    targeted = SessionFactory(
        provider=world.orgs["partner_a"], title="Yak exploitation", target_tiers=",complex,"
    )
    titles = _titles(client.get(reverse("bookings:catalogue")))
    assert titles[0] == targeted.title


def test_a_school_books_in_three_screens(
    client, world, catalogue, mailoutbox, django_capture_on_commit_callbacks
):
    session = catalogue.partner_session
    slot = SlotFactory(session=session, starts_at=in_days(9))
    client.force_login(world.dsl)
    # Screen 1: the session and its dates.
    response = client.get(session.get_absolute_url())
    assert f'value="{slot.pk}"' in response.content.decode()
    assert client.get(reverse("bookings:book_cohort", args=[session.pk])).status_code == 302
    # Screen 2: the cohort; mistakes keep what was typed.
    cohort_url = reverse("bookings:book_cohort", args=[session.pk]) + f"?slot={slot.pk}"
    response = client.post(
        cohort_url, {"year_groups": ["8"], "pupils": "300", "needs": "Hearing loop"}
    )
    assert "This session takes at most 30 pupils at a time" in response.content.decode()
    assert "Hearing loop" in response.content.decode()
    response = client.post(
        cohort_url, {"year_groups": ["8"], "pupils": "28", "needs": "Hearing loop"}
    )
    check_url = reverse("bookings:book_check", args=[session.pk])
    assert response.url == check_url
    # Screen 3: check and confirm.
    response = client.get(check_url)
    assert "Year 8" in response.content.decode() and "28" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(check_url)
    booking = Booking.objects.get(school=world.schools["a1"], booked_by=world.dsl)
    assert response.url == booking.get_absolute_url()
    assert (booking.pupils, booking.needs, booking.status) == (28, "Hearing loop", "confirmed")
    page = client.get(response.url).content.decode()
    assert "Booking confirmed" in page and "Add to your calendar" in page
    ics = client.get(reverse("bookings:booking_ics", args=[booking.pk]))
    assert ics["Content-Type"].startswith("text/calendar")
    assert Calendar.from_ical(ics.content).walk("VEVENT")[0]["summary"].startswith(session.title)
    assert any(m.to == [world.dsl.email] for m in mailoutbox)


def test_a_lost_race_keeps_the_cohort_and_offers_the_next_dates(client, world, catalogue):
    session = catalogue.police_session
    slot = SlotFactory(session=session, capacity=1)
    later = SlotFactory(session=session, starts_at=in_days(30))
    client.force_login(world.headteacher)
    # Another school takes the last place meanwhile.
    check_url = lose_the_last_place(client, world, slot)
    page = client.post(check_url).content.decode()
    assert "That place has just been taken" in page
    assert "Two EAL pupils" in page and "Years 7 and 8" in page
    assert later.local_start.strftime("%-d %B %Y") in page
    response = client.post(check_url, {"slot": later.pk})
    booking = Booking.objects.get(school=world.schools["a1"], slot=later)
    assert response.url == booking.get_absolute_url()
    assert (booking.year_groups, booking.needs) == (",7,8,", "Two EAL pupils")


def test_provider_accepts_and_declines_from_the_page(client, world, catalogue):
    session = catalogue.partner_session
    session.needs_provider_acceptance = True
    session.save()
    pending = BookingFactory(
        slot=SlotFactory(session=session),
        school=world.schools["a1"],
        booked_by=world.headteacher,
        status=Booking.Status.PENDING,
    )
    client.force_login(world.partner)
    url = reverse("bookings:booking_decide", args=[pending.pk])
    response = client.post(url, {"decision": "decline", "reason": ""})
    assert "Tell the school why you are declining" in response.content.decode()
    response = client.post(url, {"decision": "accept"})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == Booking.Status.CONFIRMED


def test_cancel_and_reschedule_pages(client, world, catalogue):
    booking = catalogue.booking
    later = SlotFactory(session=booking.slot.session, starts_at=in_days(28))
    client.force_login(world.headteacher)
    url = reverse("bookings:booking_reschedule", args=[booking.pk])
    response = client.post(url, {"slot": later.pk, "reason": ""})
    assert "Give the reason" in response.content.decode()
    client.post(url, {"slot": later.pk, "reason": "Mock exams"})
    booking.refresh_from_db()
    assert booking.slot == later
    client.post(reverse("bookings:booking_cancel", args=[booking.pk]), {"reason": "Closure"})
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


def test_evaluation_page_after_the_session(client, world, catalogue):
    booking = catalogue.booking
    Slot.objects.filter(pk=booking.slot_id).update(
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        ends_at=timezone.now() - datetime.timedelta(hours=2),
    )
    client.force_login(world.headteacher)
    # The school is asked to evaluate only once the provider says the session was delivered.
    assert "Evaluate Fire and you" not in client.get(reverse("home")).content.decode()
    Booking.objects.filter(pk=booking.pk).update(outcome=Booking.Outcome.DELIVERED)
    home = client.get(reverse("home")).content.decode()
    assert "Evaluate Fire and you" in home
    url = reverse("bookings:booking_evaluate", args=[booking.pk])
    response = client.post(url, {"delivered": "yes"})
    assert "Say how useful the session was" in response.content.decode()
    client.post(
        url,
        {
            "delivered": "yes",
            "suitable_for_age": "yes",
            "usefulness": "4",
            "what_changed": "Two pupils came forward",
            "confidence_before": "2.5",
            "confidence_after": "4",
        },
    )
    evaluation = Evaluation.objects.get(booking=booking)
    assert evaluation.usefulness == 4 and str(evaluation.confidence_after) == "4.0"
    client.force_login(world.other_partner)
    results = client.get(reverse("bookings:evaluation_results"))
    rows = results.context["by_topic"]
    assert rows[0]["count"] == 1 and rows[0]["usefulness"] == 4
    # The evaluation is shared: another partner reads the school's words too, but only the
    # session's own provider may answer them.
    assert "Two pupils came forward" in results.content.decode()
    reply_url = reverse("bookings:evaluation_reply", args=[evaluation.pk])
    assert reply_url not in results.content.decode()
    assert client.get(reply_url).status_code == 403
    client.force_login(world.partner)
    page = client.get(reverse("bookings:evaluation_results")).content.decode()
    assert "Two pupils came forward" in page and reply_url in page


def test_publishing_weekly_dates_from_the_page(client, world, catalogue):
    session = catalogue.partner_session
    start = timezone.localdate() + datetime.timedelta(days=7)
    Term.objects.create(
        force=world.forces["a"],
        name="autumn",
        starts_on=start,
        ends_on=start + datetime.timedelta(days=20),
    )
    client.force_login(world.partner)
    url = reverse("bookings:session_slots", args=[session.pk])
    response = client.post(
        url,
        {
            **date_data("day", start),
            "starts": "09:00",
            "ends": "10:00",
            "capacity": "1",
            "repeat": "weekly",
            **date_data("repeat_until", start + datetime.timedelta(days=35)),
        },
        follow=True,
    )
    assert "3 dates published; 3 in school holidays left out" in response.content.decode()


def test_session_form_saves_packed_fields(client, world, catalogue):
    client.force_login(world.partner)
    topic = Topic.objects.get(force=world.forces["a"], name="County lines")
    response = client.post(
        reverse("bookings:session_create"),
        {
            "provider": world.orgs["partner_a"].pk,
            "title": "County lines and you",
            "topic": topic.pk,
            "year_groups": ["9", "10"],
            "format": "classroom",
            "length_minutes": "50",
            "capacity": "32",
            "cost": "£120.00",
            "description": "Grooming signs",
            "target_tiers": ["enhanced", "complex"],
            "active": "on",
        },
    )
    session = Session.objects.get(title="County lines and you")
    assert response.url == reverse("bookings:session_slots", args=[session.pk])
    assert (session.year_groups, session.cost_pence, session.target_tiers) == (
        ",9,10,",
        12000,
        ",enhanced,complex,",
    )
    assert not session.is_priority  # only a coordinator marks the force's priority inputs


@pytest.mark.parametrize("cost", ["NaN", "Infinity", "-Infinity", "1e309", "sNaN", "9" * 40])
def test_a_cost_that_is_not_money_is_refused_and_kept(client, world, catalogue, cost):
    client.force_login(world.partner)
    topic = Topic.objects.get(force=world.forces["a"], name="County lines")
    response = client.post(
        reverse("bookings:session_create"),
        {
            "provider": world.orgs["partner_a"].pk,
            "title": "Odd cost",
            "topic": topic.pk,
            "year_groups": ["9"],
            "format": "classroom",
            "length_minutes": "50",
            "capacity": "32",
            "cost": cost,
            "description": "Grooming signs",
            "target_tiers": ["enhanced"],
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert "Enter a cost in pounds up to" in response.content.decode()
    assert f'value="{cost}"' in response.content.decode()
    assert not Session.objects.filter(title="Odd cost").exists()


def test_demand_is_grouped_by_topic_and_area(client, world, catalogue):
    client.force_login(world.dsl)
    client.post(
        reverse("bookings:demand_create"),
        {"topic": "", "other_topic": "Vaping", "year_groups": ["9"], "pupils": "120"},
    )
    client.force_login(world.other_school_headteacher)
    client.post(reverse("bookings:demand_create"), {"other_topic": "Vaping", "year_groups": ["6"]})
    client.force_login(world.coordinator)
    rows = client.get(reverse("bookings:demand_list")).context["by_topic"]
    assert rows == [
        {
            "topic__name": None,
            "other_topic": "Vaping",
            "school__la_name": "Dorset",
            "total": 2,
            "schools": 2,
        }
    ]


def test_the_provider_feed_has_no_pupil_details_and_can_be_revoked(client, world, catalogue):
    booking = catalogue.booking
    Booking.objects.filter(pk=booking.pk).update(needs="Pupil with epilepsy")
    client.force_login(world.partner)
    response = client.post(
        reverse("bookings:calendar_settings"),
        {"provider": world.orgs["partner_a"].pk, "action": "renew"},
    )
    address = response.context["new_address"][1]
    path = address.replace("http://testserver", "")
    client.logout()
    feed = client.get(path)
    calendar = Calendar.from_ical(feed.content)
    events = calendar.walk("VEVENT")
    assert any("Alder Academy" in str(e["summary"]) for e in events)
    assert b"epilepsy" not in feed.content
    client.force_login(world.partner)
    client.post(
        reverse("bookings:calendar_settings"),
        {"provider": world.orgs["partner_a"].pk, "action": "revoke"},
    )
    client.logout()
    assert client.get(path).status_code == 404


def test_waitlist_offer_page_takes_the_place(client, world, catalogue):
    slot = catalogue.full_slot
    entry = WaitlistEntry.objects.create(
        slot=slot,
        school=world.schools["a1"],
        joined_by=world.dsl,
        year_groups=",8,",
        pupils=20,
        status=WaitlistEntry.Status.OFFERED,
        offered_at=timezone.now(),
        offer_expires_at=timezone.now() + datetime.timedelta(hours=48),
    )
    Slot.objects.filter(pk=slot.pk).update(capacity=2, places_held=1)
    client.force_login(world.dsl)
    response = client.post(reverse("bookings:waitlist_offer", args=[entry.pk]))
    booking = Booking.objects.get(slot=slot, school=world.schools["a1"])
    assert response.url == booking.get_absolute_url()


def test_school_page_lists_the_schools_bookings(client, world, catalogue):
    client.force_login(world.coordinator)
    page = client.get(world.schools["a1"].get_absolute_url()).content.decode()
    assert "Safety-education bookings" in page and "Fire and you" in page
    client.force_login(world.sso)
    assert (
        "Safety-education bookings"
        not in client.get(world.schools["a1"].get_absolute_url()).content.decode()
    )


def test_navigation_and_home_panels(client, world, catalogue):
    client.force_login(world.partner)
    home = client.get(reverse("home")).content.decode()
    assert "Manage sessions" in home and "Next sessions" in home
    client.force_login(world.coordinator)
    home = client.get(reverse("home")).content.decode()
    assert "Demand" in home and "requests from schools" in home
    client.force_login(world.headteacher)
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("bookings:catalogue")}"' in home and "Fire and you" in home


def test_the_dates_behind_a_dashboard_figure_are_the_topics_dates_in_the_period(client, world):
    """Issue 15, item 5: the list of dates counts what "Dates in the period" counts."""
    session = SessionFactory(provider=world.orgs["partner_a"])
    other_topic = SessionFactory(
        provider=world.orgs["partner_a"],
        topic=Topic.objects.create(force=session.force, name="Knife crime"),
    )
    withdrawn = SessionFactory(provider=world.orgs["partner_a"], topic=session.topic, active=False)
    for days in (-3, -8):
        SlotFactory(session=session, starts_at=in_days(days))
    SlotFactory(session=session, starts_at=in_days(-40))  # before the period
    SlotFactory(session=session, starts_at=in_days(3))  # not yet
    SlotFactory(session=other_topic, starts_at=in_days(-3))
    SlotFactory(session=withdrawn, starts_at=in_days(-3))
    today = timezone.localdate()
    client.force_login(world.users["manager"])
    response = client.get(
        reverse("bookings:date_list"),
        {
            "since": (today - datetime.timedelta(days=10)).isoformat(),
            "until": today.isoformat(),
            "topic": session.topic_id,
        },
    )
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 2
    assert 'role="status">2 dates' in response.content.decode()


def test_the_school_list_lists_the_schools_reached_by_a_session_in_the_period(client, world):
    """Issue 15, item 5: "Schools reached" links to the school list's "Reached by a session"."""
    session = SessionFactory(provider=world.orgs["partner_a"])
    BookingFactory(
        slot=SlotFactory(session=session, starts_at=in_days(-3)),
        school=world.schools["a1"],
        booked_by=world.headteacher,
    )
    BookingFactory(  # before the period
        slot=SlotFactory(session=session, starts_at=in_days(-40)),
        school=world.schools["a2"],
        booked_by=world.headteacher,
    )
    today = timezone.localdate()
    period = {"since": (today - datetime.timedelta(days=10)).isoformat(), "until": today}
    client.force_login(world.manager)
    response = client.get(reverse("schools:list"), {"reached": "yes", **period})
    assert [s.name for s in response.context["page"].object_list] == [world.schools["a1"].name]
    # Without a period the filter is not applied, and nothing breaks.
    response = client.get(reverse("schools:list"), {"reached": "yes", "since": "not a date"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count > 1
