"""Bookings, second round (#23): coordinators book for schools, did it happen, booking rules,
deliverers as people shared out in turn, and the shared evaluation with providers' answers."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry, OutboxEmail, Role
from accounts.tests.factories import UserFactory
from bookings import services
from bookings.models import Booking, Evaluation, Slot
from bookings.tests.factories import BookingFactory, SessionFactory, SlotFactory, in_days
from schools.models import SchoolContact, Term

pytestmark = pytest.mark.django_db


def _emails_to(user):
    return list(OutboxEmail.objects.filter(to=user.email).order_by("pk"))


@pytest.fixture
def session(world):
    return SessionFactory(provider=world.orgs["partner_a"], title="Fire and you")


def _past(session, school, lead, days=1, **fields):
    start = timezone.now() - datetime.timedelta(days=days)
    return BookingFactory(
        slot=SlotFactory(
            session=session, starts_at=start, ends_at=start + datetime.timedelta(hours=1)
        ),
        school=school,
        booked_by=lead,
        **fields,
    )


# --- 1. A coordinator books on a school's behalf -------------------------------------------------


def test_the_booking_lead_is_the_schools_pshe_or_booking_lead_contact(world):
    school = world.schools["a1"]
    # No contact named: the school's senior link or PSHE lead account.
    assert services.school_booking_lead(school) == world.school_link
    SchoolContact.objects.create(
        school=school, kind=SchoolContact.Kind.PSHE_LEAD, name="Dsl", user=world.dsl
    )
    assert services.school_booking_lead(school) == world.dsl
    assert services.school_booking_lead(world.schools["a2"]) is None


def test_a_coordinator_books_for_a_school_and_its_lead_is_told(world, session):
    slot = SlotFactory(session=session, starts_at=in_days(20))
    booking = services.booking_create(
        slot=slot, school=world.schools["a1"], by=world.coordinator, year_groups=[8], pupils=20
    )
    assert booking.booked_by == world.coordinator and booking.lead == world.school_link
    assert booking.booked_on_behalf
    told = _emails_to(world.school_link)
    assert len(told) == 1 and told[0].subject == "Booking confirmed: Fire and you"
    assert "booked this on" in told[0].body_text and "behalf" in told[0].body_text
    assert told[0].attachments  # the calendar file
    # The provider hears of it, as from a school.
    assert _emails_to(world.partner)
    entry = AuditEntry.objects.get(action="bookings.booking.made")
    assert entry.changes["on_behalf_of"] == world.schools["a1"].pk
    # The lead evaluates it later, as if they had booked; the coordinator does not.
    assert world.school_link.has_perm("bookings.evaluate", booking)
    assert not world.headteacher.has_perm("bookings.evaluate", booking)
    assert world.headteacher.has_perm("bookings.cancel_booking", booking)


def test_nobody_else_books_for_a_school(world, session):
    slot = SlotFactory(session=session, starts_at=in_days(20))
    for outsider in (world.other_school_headteacher, world.partner, world.sso):
        with pytest.raises(ValidationError):
            services.booking_create(
                slot=slot, school=world.schools["a1"], by=outsider, year_groups=[8], pupils=20
            )
    assert not Booking.objects.exists()


def test_the_coordinator_books_through_the_pages_and_the_lead_sees_it_at_home(
    client, world, session
):
    slot = SlotFactory(session=session, starts_at=in_days(20))
    client.force_login(world.coordinator)
    # Without a school chosen, the steps refuse.
    assert client.get(reverse("bookings:book_cohort", args=[session.pk])).status_code == 403
    client.post(reverse("bookings:book_for_school"), {"school": world.schools["a1"].pk})
    catalogue = client.get(reverse("bookings:catalogue")).content.decode()
    assert f"You are booking for {world.schools['a1'].name}" in catalogue
    client.post(
        reverse("bookings:book_cohort", args=[session.pk]) + f"?slot={slot.pk}",
        {"year_groups": ["8"], "pupils": "20", "needs": ""},
    )
    response = client.post(reverse("bookings:book_check", args=[session.pk]))
    booking = Booking.objects.get()
    assert response.url == booking.get_absolute_url()
    assert booking.school == world.schools["a1"] and booking.booked_by == world.coordinator
    detail = client.get(booking.get_absolute_url()).content.decode()
    assert "on behalf of" in detail
    # The choice ends with the booking.
    assert "bookings.for_school" not in client.session
    # The lead's home page tells them, until they open the booking.
    client.force_login(world.school_link)
    home = client.get(reverse("home")).content.decode()
    assert "Booked for your school" in home and "booked on your behalf by Coordinator" in home
    client.get(booking.get_absolute_url())
    assert "Booked for your school" not in client.get(reverse("home")).content.decode()


def test_a_coordinator_cannot_choose_another_forces_school(client, world):
    client.force_login(world.coordinator)
    response = client.post(reverse("bookings:book_for_school"), {"school": world.schools["b1"].pk})
    assert "Choose one of your force&#x27;s open schools" in response.content.decode()
    assert "bookings.for_school" not in client.session
    response = client.post(reverse("bookings:book_for_school"), {"school": "nonsense"})
    assert response.status_code == 200


# --- 5. Did it happen -----------------------------------------------------------------------------


def test_the_provider_marks_delivered_and_the_school_is_asked_to_evaluate(world, session):
    booking = _past(session, world.schools["a1"], world.headteacher)
    assert not Booking.objects.awaiting_evaluation().exists()
    services.booking_record_outcome(
        booking=booking, by=world.partner, outcome=Booking.Outcome.DELIVERED
    )
    booking.refresh_from_db()
    assert booking.outcome == "delivered" and booking.outcome_by == world.partner
    assert list(Booking.objects.awaiting_evaluation()) == [booking]
    asked = _emails_to(world.headteacher)
    assert len(asked) == 1 and "How did it go?" in asked[0].subject
    assert reverse("bookings:booking_evaluate", args=[booking.pk]) in asked[0].body_text
    with pytest.raises(ValidationError, match="already been recorded"):
        services.booking_record_outcome(
            booking=booking, by=world.partner, outcome=Booking.Outcome.NO_SHOW
        )


def test_a_no_show_is_not_delivered_nor_evaluated(world, session):
    booking = _past(session, world.schools["a1"], world.headteacher)
    services.booking_record_outcome(
        booking=booking, by=world.partner, outcome=Booking.Outcome.NO_SHOW
    )
    today = timezone.localdate()
    week_ago = today - datetime.timedelta(days=7)
    assert not Booking.objects.delivered_between(week_ago, today).exists()
    assert list(Booking.objects.no_shows_between(week_ago, today)) == [booking]
    assert not Booking.objects.awaiting_evaluation().exists()
    with pytest.raises(ValidationError, match="did not take place"):
        services.evaluation_give(booking=booking, by=world.headteacher, delivered=False)


def test_bad_outcomes_are_refused(world, session):
    future = BookingFactory(
        slot=SlotFactory(session=session), school=world.schools["a1"], booked_by=world.headteacher
    )
    with pytest.raises(ValidationError, match="once the session's date has come"):
        services.booking_record_outcome(
            booking=future, by=world.partner, outcome=Booking.Outcome.DELIVERED
        )
    past = _past(session, world.schools["a1"], world.headteacher)
    with pytest.raises(ValidationError, match="Say why"):
        services.booking_record_outcome(
            booking=past, by=world.partner, outcome=Booking.Outcome.CANCELLED_ON_DAY, note=" "
        )
    with pytest.raises(ValidationError):
        services.booking_record_outcome(booking=past, by=world.partner, outcome="maybe")


def test_the_outcome_page_keeps_what_was_typed(client, world, session):
    booking = _past(session, world.schools["a1"], world.headteacher)
    client.force_login(world.partner)
    url = reverse("bookings:booking_outcome", args=[booking.pk])
    response = client.post(url, {"outcome": "cancelled_on_day", "note": ""})
    assert "Say why the session was cancelled on the day" in response.content.decode()
    response = client.post(url, {"outcome": "elsewhere"})
    assert "Choose one of the listed answers" in response.content.decode()
    response = client.post(url, {"outcome": "no_show", "note": "Nobody at reception"})
    assert response.status_code == 302
    page = client.get(booking.get_absolute_url()).content.decode()
    assert "School absent (no-show)" in page and "Nobody at reception" in page


def test_no_shows_are_counted_on_the_education_dashboard_and_listed(client, world, session):
    from reporting.figures import education
    from reporting.tests.test_dashboards import scope_for, table, values

    booking = _past(session, world.schools["a1"], world.headteacher)
    services.booking_record_outcome(
        booking=booking, by=world.partner, outcome=Booking.Outcome.NO_SHOW
    )
    _past(session, world.schools["a1"], world.headteacher, days=2)  # not marked: not a no-show
    tables = education.build(scope_for(world.manager))
    rows = table(tables, "no_shows_by_topic").rows
    assert [values(r) for r in rows] == [[session.topic.name, 1]]
    # The figure links to the bookings list's no-show view, which lists the same booking.
    client.force_login(world.manager)
    listed = client.get(rows[0][1].url)
    assert "show=no_show" in rows[0][1].url
    assert [b.pk for b in listed.context["page"].object_list] == [booking.pk]
    assert "School absent (no-show)" in listed.content.decode()
    # Not delivered either: only the date nobody has marked yet counts as delivered.
    delivered = [values(r) for r in table(tables, "delivered_by_topic").rows]
    assert delivered == [[session.topic.name, 1, 25]]


# --- 4. Booking rules --------------------------------------------------------------------------


def test_minimum_notice_is_enforced_in_plain_english(world, session):
    session.own_rules = True  # the session's own rules, not its provider's
    session.min_notice_days = 10
    session.save()
    soon = SlotFactory(session=session, starts_at=in_days(5))
    with pytest.raises(ValidationError, match="at least 10 days' notice"):
        services.booking_create(
            slot=soon, school=world.schools["a1"], by=world.headteacher, year_groups=[8], pupils=5
        )
    later = SlotFactory(session=session, starts_at=in_days(12))
    services.booking_create(
        slot=later, school=world.schools["a1"], by=world.headteacher, year_groups=[8], pupils=5
    )


def test_term_time_only_refuses_a_holiday_date(world, session):
    today = timezone.localdate()
    Term.objects.create(
        force=world.forces["a"],
        name=Term.Name.AUTUMN,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=10),
    )
    session.own_rules = True  # the session's own rules, not its provider's
    session.term_time_only = True
    session.save()
    with pytest.raises(ValidationError) as refused:
        services.slots_publish(
            session=session,
            by=world.partner,
            day=today + datetime.timedelta(days=20),
            starts=datetime.time(10),
            ends=datetime.time(11),
            capacity=1,
        )
    assert "school holiday" in str(refused.value.message_dict["day"])
    services.slots_publish(
        session=session,
        by=world.partner,
        day=today + datetime.timedelta(days=5),
        starts=datetime.time(10),
        ends=datetime.time(11),
        capacity=1,
    )
    # A holiday date published before the rule cannot be booked.
    holiday = SlotFactory(session=session, starts_at=in_days(25))
    with pytest.raises(ValidationError, match="term time only"):
        services.booking_create(
            slot=holiday,
            school=world.schools["a1"],
            by=world.headteacher,
            year_groups=[8],
            pupils=5,
        )


def test_buffer_and_dates_a_day_per_deliverer(world, session):
    session.own_rules = True  # the session's own rules, not its provider's
    session.buffer_minutes = 30
    session.max_dates_per_day = 2
    session.save()
    other = SessionFactory(provider=world.orgs["partner_a"], title="Water safety")
    day = timezone.localdate() + datetime.timedelta(days=9)
    SlotFactory(
        session=other,
        starts_at=Slot.local_datetime(day, datetime.time(9)),
        ends_at=Slot.local_datetime(day, datetime.time(10)),
        deliverer_person=world.partner,
    )

    def publish(start, end):
        return services.slots_publish(
            session=session,
            by=world.partner,
            day=day,
            starts=start,
            ends=end,
            capacity=1,
            deliverer_person=world.partner,
        )

    with pytest.raises(ValidationError, match="needs 30 minutes between two dates"):
        publish(datetime.time(10, 15), datetime.time(11))
    publish(datetime.time(10, 30), datetime.time(11, 30))
    with pytest.raises(ValidationError, match="at most 2 a day"):
        publish(datetime.time(14), datetime.time(15))
    # Someone who is not the provider's cannot deliver it.
    with pytest.raises(ValidationError, match="Choose a person of Fire Service"):
        services.slots_publish(
            session=session,
            by=world.partner,
            day=day + datetime.timedelta(days=1),
            starts=datetime.time(10),
            ends=datetime.time(11),
            capacity=1,
            deliverer_person=world.other_school_headteacher,
        )


def test_the_session_form_refuses_bad_rules_and_keeps_them(client, world, session):
    client.force_login(world.partner)
    data = {
        "provider": world.orgs["partner_a"].pk,
        "title": "Rules",
        "topic": session.topic_id,
        "year_groups": ["9"],
        "format": "classroom",
        "length_minutes": "50",
        "capacity": "30",
        "cost": "0",
        "description": "x",
        "own_rules": "own",
        "min_notice_days": "-3",
        "buffer_minutes": "lots",
        "max_dates_per_day": "0",
    }
    page = client.post(reverse("bookings:session_create"), data).content.decode()
    assert "Enter 0 days or more" in page
    assert "Enter the minutes as a whole number" in page
    assert "Enter at least 1 date a day, or leave it empty" in page
    assert 'value="lots"' in page
    data.update(min_notice_days="7", buffer_minutes="", max_dates_per_day="")
    client.post(reverse("bookings:session_create"), data)
    saved = session.__class__.objects.get(title="Rules")
    assert (saved.min_notice_days, saved.buffer_minutes, saved.max_dates_per_day) == (7, 0, None)
    assert "Book at least 7 days ahead." in client.get(saved.get_absolute_url()).content.decode()


def test_a_school_proposes_a_date_and_the_provider_accepts_it(world, session):
    day = timezone.localdate() + datetime.timedelta(days=21)
    proposal = services.proposal_create(
        session=session,
        school=world.schools["a1"],
        by=world.headteacher,
        day=day,
        starts=datetime.time(13, 30),
        year_groups=[9],
        pupils=25,
    )
    assert [e.subject for e in _emails_to(world.partner)] == [
        f"Date requested: Fire and you for {world.schools['a1'].name}"
    ]
    services.proposal_answer(proposal=proposal, by=world.partner, decision="accept")
    proposal.refresh_from_db()
    booking = proposal.booking
    assert proposal.status == "accepted" and booking.status == "confirmed"
    assert booking.slot.local_start.date() == day and booking.slot.local_start.hour == 13
    assert booking.slot.places_left == 0 and booking.lead == world.headteacher
    assert any(
        e.subject == "Booking confirmed: Fire and you" for e in _emails_to(world.headteacher)
    )
    with pytest.raises(ValidationError, match="already been answered"):
        services.proposal_answer(proposal=proposal, by=world.partner, decision="decline", note="x")


def test_the_provider_offers_another_date_and_the_school_takes_or_declines_it(world, session):
    day = timezone.localdate() + datetime.timedelta(days=21)

    def propose():
        return services.proposal_create(
            session=session,
            school=world.schools["a1"],
            by=world.headteacher,
            day=day,
            starts=datetime.time(9),
            year_groups=[9],
            pupils=25,
        )

    first = propose()
    services.proposal_answer(
        proposal=first,
        by=world.partner,
        decision="other",
        day=day + datetime.timedelta(days=1),
        starts=datetime.time(10),
        note="Our team is at another school that day",
    )
    offer = [e for e in _emails_to(world.headteacher) if "Another date offered" in e.subject]
    assert len(offer) == 1 and "Our team is at another school" in offer[0].body_text
    services.proposal_take_offer(proposal=first, by=world.headteacher, accept=True)
    first.refresh_from_db()
    assert first.booking.slot.local_start.date() == day + datetime.timedelta(days=1)

    second = propose()
    services.proposal_answer(
        proposal=second, by=world.partner, decision="other", day=day, starts=datetime.time(14)
    )
    services.proposal_take_offer(proposal=second, by=world.headteacher, accept=False)
    second.refresh_from_db()
    assert second.status == "declined" and second.booking is None
    assert any("Other date declined" in e.subject for e in _emails_to(world.partner))


def test_bad_date_requests_are_refused_in_plain_english(client, world, session):
    session.own_rules = True  # the session's own rules, not its provider's
    session.min_notice_days = 14
    session.save()
    client.force_login(world.headteacher)
    url = reverse("bookings:proposal_create", args=[session.pk])
    soon = timezone.localdate() + datetime.timedelta(days=3)
    page = client.post(
        url,
        {
            "day_0": soon.day,
            "day_1": soon.month,
            "day_2": soon.year,
            "starts": "9am",
            "year_groups": ["9"],
            "pupils": "25",
        },
    ).content.decode()
    assert "Enter a time like 09:00 or 13:30" in page
    page = client.post(
        url,
        {
            "day_0": soon.day,
            "day_1": soon.month,
            "day_2": soon.year,
            "starts": "09:00",
            "year_groups": ["9"],
            "pupils": "25",
        },
    ).content.decode()
    assert "needs at least 14 days&#x27; notice" in page
    page = client.post(
        url,
        {"day_0": "31", "day_1": "2", "day_2": "2030", "starts": "09:00", "pupils": "x"},
    )
    assert page.status_code == 200
    from bookings.models import DateProposal

    assert not DateProposal.objects.exists()


# --- 2. Deliverers are people, shared out in turn ------------------------------------------------------


def test_round_robin_shares_dates_fewest_first_within_the_rules(world, session):
    second = UserFactory(
        organisation=world.orgs["partner_a"], role=Role.PARTNER, full_name="Second Deliverer"
    )
    gone = UserFactory(organisation=world.orgs["partner_a"], role=Role.PARTNER, is_active=False)
    slots = [SlotFactory(session=session, starts_at=in_days(10 + n)) for n in range(4)]
    taken = SlotFactory(session=session, starts_at=in_days(30), deliverer_person=world.partner)
    assigned = services.assign_round_robin(session=session, by=world.partner)
    assert len(assigned) == 4
    people = [Slot.objects.get(pk=s.pk).deliverer_person for s in slots]
    # The partner already had a date, so the second person starts; then in turn.
    assert people == [second, world.partner, second, world.partner]
    assert gone not in people
    taken.refresh_from_db()
    assert taken.deliverer_person == world.partner
    assert services.assign_round_robin(session=session, by=world.partner) == []


def test_a_police_session_is_delivered_by_an_officer(world):
    police = SessionFactory(provider=world.orgs["police_a"], title="Knife crime")
    slot = SlotFactory(session=police)
    assert world.sso in police.deliverer_choices()
    assert world.partner not in police.deliverer_choices()
    services.slot_set_deliverer(slot=slot, person=world.sso, by=world.coordinator)
    slot.refresh_from_db()
    assert slot.deliverer_name == world.sso.display_name


def test_the_deliverer_page_refuses_a_stranger(client, world, session):
    slot = SlotFactory(session=session)
    client.force_login(world.partner)
    client.post(
        reverse("bookings:slot_deliverer", args=[slot.pk]),
        {"person": world.other_school_headteacher.pk},
    )
    slot.refresh_from_db()
    assert slot.deliverer_person is None
    client.post(reverse("bookings:slot_deliverer", args=[slot.pk]), {"person": "x"})
    client.post(reverse("bookings:slot_deliverer", args=[slot.pk]), {"person": world.partner.pk})
    slot.refresh_from_db()
    assert slot.deliverer_person == world.partner


# --- 3. The shared evaluation ---------------------------------------------------------------------------


def test_the_catalogue_shows_the_average_and_number_of_evaluations(client, world, session):
    for score in (3, 4, 5):
        booking = _past(session, world.schools["a1"], world.headteacher, outcome="delivered")
        Evaluation.objects.create(
            booking=booking, given_by=world.headteacher, delivered=True, usefulness=score
        )
    client.force_login(world.other_school_headteacher)
    page = client.get(reverse("bookings:catalogue")).content.decode()
    assert "4.0 out of 5 for usefulness, from 3 evaluations" in page


def test_a_provider_answers_a_comment_and_every_partner_reads_it(client, world, session):
    booking = _past(session, world.schools["a1"], world.headteacher, outcome="delivered")
    evaluation = Evaluation.objects.create(
        booking=booking,
        given_by=world.headteacher,
        delivered=True,
        usefulness=2,
        comment="Too long for Year 7",
    )
    client.force_login(world.partner)
    url = reverse("bookings:evaluation_reply", args=[evaluation.pk])
    assert "Write your answer" in client.post(url, {"reply": "   "}).content.decode()
    client.post(url, {"reply": "We will cut it to 40 minutes."})
    evaluation.refresh_from_db()
    assert evaluation.reply == "We will cut it to 40 minutes." and evaluation.replied_by
    other = UserFactory(organisation=world.orgs["council_a"], role=Role.COORDINATOR)
    for reader in (world.coordinator, other):
        client.force_login(reader)
        page = client.get(reverse("bookings:evaluation_results")).content.decode()
        assert "We will cut it to 40 minutes." in page
    client.force_login(world.headteacher)
    assert (
        "We will cut it to 40 minutes." in client.get(booking.get_absolute_url()).content.decode()
    )


def test_officers_see_the_sessions_at_their_schools_in_constant_queries(
    client, world, session, django_assert_max_num_queries
):
    # The neighbourhood officer is the named contact of school a1 (the shared world).
    slot = SlotFactory(session=session, starts_at=in_days(8), deliverer_person=world.partner)
    BookingFactory(slot=slot, school=world.schools["a1"], booked_by=world.headteacher)
    BookingFactory(
        slot=SlotFactory(session=session, starts_at=in_days(9)),
        school=world.schools["a2"],
        booked_by=world.other_school_headteacher,
    )
    client.force_login(world.neighbourhood)
    url = reverse("bookings:school_sessions")
    page = client.get(url)
    assert [b.school for b in page.context["page"].object_list] == [world.schools["a1"]]
    assert "Partner" in page.content.decode()  # who comes: the deliverer's name
    client.force_login(world.sso)  # named for no school
    assert client.get(url).context["page"].paginator.count == 0
    client.force_login(world.neighbourhood)
    for days in range(10, 20):
        BookingFactory(
            slot=SlotFactory(session=session, starts_at=in_days(days)),
            school=world.schools["a1"],
            booked_by=world.headteacher,
        )
    with django_assert_max_num_queries(12):
        assert client.get(url).context["page"].paginator.count == 11


def test_a_deliverer_sees_their_dates_and_follows_them_in_a_feed(client, world, session):
    from icalendar import Calendar

    mine = SlotFactory(session=session, starts_at=in_days(8), deliverer_person=world.partner)
    SlotFactory(session=session, starts_at=in_days(9))  # nobody's yet
    police = SessionFactory(provider=world.orgs["police_a"], title="Knife crime")
    SlotFactory(session=police, starts_at=in_days(10), deliverer_person=world.sso)
    client.force_login(world.sso)
    page = client.get(reverse("bookings:my_deliveries"))
    assert [s.session.title for s in page.context["slots"]] == ["Knife crime"]
    client.force_login(world.partner)
    response = client.post(reverse("bookings:my_deliveries"), {"action": "renew"})
    address = response.context["new_address"]
    client.logout()
    feed = client.get(address[address.index("/bookings/") :])
    events = Calendar.from_ical(feed.content).walk("VEVENT")
    assert [e["uid"].split("@")[0] for e in events] == [f"slot-{mine.pk}"]
    # The provider's own feed is another address, unchanged.
    assert services.feed_renew(provider=world.orgs["partner_a"], by=world.partner)
    client.force_login(world.partner)
    client.post(reverse("bookings:my_deliveries"), {"action": "revoke"})
    client.logout()
    assert client.get(address[address.index("/bookings/") :]).status_code == 404


# --- 6. Education the case needs ------------------------------------------------------------


@pytest.fixture
def case(world):
    from referrals.tests.factories import CaseFactory, YoungPersonFactory

    young = YoungPersonFactory(
        force=world.forces["a"], school=world.schools["a1"], first_name="Kayden", last_name="Hollis"
    )
    return CaseFactory(young_person=young, team=world.teams["sst_a"], officer=world.sso)


def test_an_officer_books_a_targeted_input_from_a_case_without_naming_the_pupil(
    client, world, session, case
):
    slot = SlotFactory(session=session, starts_at=in_days(15))
    client.force_login(world.sso)
    page = client.get(reverse("referrals:case_detail", args=[case.public_id])).content.decode()
    url = reverse("bookings:case_input", args=[case.public_id])
    assert url in page
    # Bad inputs: nothing chosen; one pupil but 30 given.
    response = client.post(url, {"who": "individual", "year_groups": ["9"], "pupils": "30"})
    body = response.content.decode()
    assert "Choose a date to book, or a topic to ask for" in body
    assert "An input for the referred pupil alone has 1 pupil" in body
    response = client.post(
        url, {"who": "individual", "year_groups": ["9"], "pupils": "1", "slot": slot.pk}
    )
    booking = Booking.objects.get()
    assert response.url == booking.get_absolute_url()
    assert booking.case == case and booking.school == world.schools["a1"]
    assert booking.needs == "Targeted input for a referred pupil."
    # The provider sees a targeted input, never who the pupil is.
    client.force_login(world.partner)
    detail = client.get(booking.get_absolute_url()).content.decode()
    assert "Targeted input" in detail and "Kayden" not in detail and "Hollis" not in detail
    for email in OutboxEmail.objects.all():
        assert "Kayden" not in email.body_text and "Hollis" not in email.body_text


def test_an_officer_asks_for_a_targeted_input_nobody_offers(client, world, case):
    from bookings.models import DemandRequest

    topic = session_topic = SessionFactory(provider=world.orgs["partner_a"]).topic
    client.force_login(world.sso)
    url = reverse("bookings:case_input", args=[case.public_id])
    client.post(url, {"who": "group", "year_groups": ["9"], "pupils": "12", "topic": topic.pk})
    demand = DemandRequest.objects.get()
    assert (
        demand.case == case and demand.note == "Targeted input for a group, following a referral."
    )
    assert demand.topic == session_topic
    # It stays on the police side: the school does not see it in its requests.
    assert not DemandRequest.objects.visible_to(world.headteacher).exists()
    assert DemandRequest.objects.visible_to(world.coordinator).get() == demand


def test_only_officers_who_read_the_case_open_its_education_page(client, world, case):
    url = reverse("bookings:case_input", args=[case.public_id])
    for who, expected in (
        ("sso", 200),
        ("neighbourhood", 404),  # not the case's officer or team: the case does not exist
        ("headteacher", 403),
        ("partner", 403),
        ("coordinator", 403),
        ("other_force_sso", 404),
    ):
        client.force_login(world.users[who])
        assert client.get(url).status_code == expected, who
