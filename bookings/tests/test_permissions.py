"""Who may open each page of bookings: every role, another school, another partner, another force."""

import datetime

import pytest
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone

from bookings import services
from bookings.models import Booking, DateProposal, Evaluation, WaitlistEntry
from bookings.tests.factories import BookingFactory, SlotFactory
from tests.matrix import ANONYMOUS, BAD, DENIED, HIDDEN, OK, REDIRECT, Row, check, rows_for

pytestmark = pytest.mark.django_db

A1_STAFF = ("headteacher", "dsl", "school_link")
SCHOOL_STAFF = (*A1_STAFF, "other_school_headteacher", "other_force_headteacher")
OTHER_FORCE = {"other_force_admin": HIDDEN, "other_force_headteacher": HIDDEN}


def _only(names, outcome):
    return dict.fromkeys(names, outcome)


def _with_other_partner(rows, method, url, expected, data=None):
    """Add the second partner of force A, who must never see the first partner's bookings."""
    return [*rows, Row("other_partner", method, url, expected, data)]


def matrix(world, catalogue):
    """Return {url name: rows} for every page of bookings."""
    session = catalogue.partner_session
    booking = catalogue.booking
    slot = catalogue.slot
    entry = WaitlistEntry.objects.create(
        slot=catalogue.full_slot,
        school=world.schools["a1"],
        joined_by=world.dsl,
        year_groups=",8,",
        pupils=20,
    )
    pending = BookingFactory(
        slot=SlotFactory(session=session),
        school=world.schools["a1"],
        booked_by=world.headteacher,
        status=Booking.Status.PENDING,
    )
    ended = BookingFactory(
        slot=SlotFactory(
            session=session,
            starts_at=timezone.now() - datetime.timedelta(hours=2),
            ends_at=timezone.now() - datetime.timedelta(hours=1),
        ),
        school=world.schools["a1"],
        booked_by=world.headteacher,
    )
    evaluated = BookingFactory(
        slot=SlotFactory(
            session=session,
            starts_at=timezone.now() - datetime.timedelta(days=2),
            ends_at=timezone.now() - datetime.timedelta(days=2) + datetime.timedelta(hours=1),
        ),
        school=world.schools["a1"],
        booked_by=world.headteacher,
        outcome=Booking.Outcome.DELIVERED,
    )
    evaluation = Evaluation.objects.create(
        booking=evaluated, given_by=world.headteacher, delivered=True, usefulness=4, comment="Good"
    )
    proposal = DateProposal.objects.create(
        session=session,
        school=world.schools["a1"],
        proposed_by=world.headteacher,
        starts_at=timezone.now() + datetime.timedelta(days=30),
        year_groups=",8,",
        pupils=20,
    )
    from referrals.tests.factories import CaseFactory, YoungPersonFactory

    case = CaseFactory(
        young_person=YoungPersonFactory(force=world.forces["a"], school=world.schools["a1"]),
        team=world.teams["sst_a"],
        officer=world.sso,
    )
    token = services.feed_renew(provider=world.orgs["partner_a"], by=world.partner)
    booking_url = lambda name: reverse(f"bookings:{name}", args=[booking.pk])  # noqa: E731
    # Pages of one booking of school A1 with the partner: who sees it, who may act on it.
    sees_booking = {
        **_only(A1_STAFF, OK),
        "partner": OK,
        "coordinator": OK,
        "manager": OK,
        "admin": OK,
        "other_school_headteacher": HIDDEN,
        **OTHER_FORCE,
    }
    acts_on_booking = {
        **sees_booking,
        "manager": DENIED,
        "admin": DENIED,
    }
    session_managers = {"partner": OK, "coordinator": OK}
    rules_url = lambda org: reverse("bookings:provider_rules", args=[org.pk])  # noqa: E731
    return {
        "bookings:catalogue": rows_for("GET", reverse("bookings:catalogue"), {}, OK),
        "bookings:session_detail": rows_for("GET", session.get_absolute_url(), OTHER_FORCE, OK),
        "bookings:book_cohort": rows_for(
            "GET",
            reverse("bookings:book_cohort", args=[session.pk]) + f"?slot={slot.pk}",
            {**_only(SCHOOL_STAFF, OK), "other_force_headteacher": HIDDEN},
            DENIED,
        ),
        "bookings:book_check": rows_for(
            "GET",
            reverse("bookings:book_check", args=[session.pk]),
            # Without a cohort yet, the check page sends the school back to choose a date.
            {**_only(SCHOOL_STAFF, REDIRECT), "other_force_headteacher": HIDDEN},
            DENIED,
        ),
        "bookings:booking_list": rows_for(
            "GET",
            reverse("bookings:booking_list"),
            _only(
                (*SCHOOL_STAFF, "partner", "coordinator", "manager", "admin", "other_force_admin"),
                OK,
            ),
            DENIED,
        ),
        "bookings:booking_detail": _with_other_partner(
            rows_for("GET", booking.get_absolute_url(), sees_booking, DENIED),
            "GET",
            booking.get_absolute_url(),
            HIDDEN,
        )
        + [
            Row("partner", "GET", catalogue.other_school_booking.get_absolute_url(), HIDDEN),
            Row("headteacher", "GET", catalogue.other_school_booking.get_absolute_url(), HIDDEN),
            Row("coordinator", "GET", catalogue.other_force_booking.get_absolute_url(), HIDDEN),
        ],
        "bookings:booking_ics": _with_other_partner(
            rows_for("GET", booking_url("booking_ics"), sees_booking, DENIED),
            "GET",
            booking_url("booking_ics"),
            HIDDEN,
        ),
        "bookings:booking_cancel": _with_other_partner(
            rows_for("GET", booking_url("booking_cancel"), acts_on_booking, DENIED),
            "GET",
            booking_url("booking_cancel"),
            HIDDEN,
        ),
        "bookings:booking_reschedule": _with_other_partner(
            rows_for("GET", booking_url("booking_reschedule"), acts_on_booking, DENIED),
            "GET",
            booking_url("booking_reschedule"),
            HIDDEN,
        ),
        "bookings:booking_decide": _with_other_partner(
            rows_for(
                "GET",
                reverse("bookings:booking_decide", args=[pending.pk]),
                {**acts_on_booking, **_only(A1_STAFF, DENIED)},
                DENIED,
            ),
            "GET",
            reverse("bookings:booking_decide", args=[pending.pk]),
            HIDDEN,
        )
        # A booking already decided sends the provider back to it.
        + [Row("partner", "GET", booking_url("booking_decide"), REDIRECT)],
        "bookings:proposal_create": rows_for(
            "GET",
            reverse("bookings:proposal_create", args=[session.pk]),
            {**_only(SCHOOL_STAFF, OK), "other_force_headteacher": HIDDEN},
            DENIED,
        ),
        "bookings:proposal_detail": _with_other_partner(
            rows_for("GET", proposal.get_absolute_url(), sees_booking, DENIED),
            "GET",
            proposal.get_absolute_url(),
            HIDDEN,
        )
        + [
            # The school cannot answer its own request; the provider can (a bad answer: the form).
            Row("headteacher", "POST", proposal.get_absolute_url(), DENIED, {"decision": "accept"}),
            Row("partner", "POST", proposal.get_absolute_url(), OK, {"decision": "maybe"}),
        ],
        # A coordinator chooses the school to book on behalf of; only the force's schools.
        "bookings:book_for_school": rows_for(
            "GET", reverse("bookings:book_for_school"), {"coordinator": OK}, DENIED
        )
        + [
            Row(
                "coordinator",
                "POST",
                reverse("bookings:book_for_school"),
                OK,  # another force's school is no choice: the form says so
                {"school": world.schools["b1"].pk},
            ),
            Row(
                "coordinator",
                "POST",
                reverse("bookings:book_for_school"),
                REDIRECT,
                {"school": world.schools["a2"].pk},
            ),
            Row(
                "headteacher",
                "POST",
                reverse("bookings:book_for_school"),
                DENIED,
                {"school": world.schools["a2"].pk},
            ),
        ],
        # Did it happen: the session's provider (or a coordinator) says, after the date.
        "bookings:booking_outcome": _with_other_partner(
            rows_for(
                "GET",
                reverse("bookings:booking_outcome", args=[ended.pk]),
                {**acts_on_booking, **_only(A1_STAFF, DENIED)},
                DENIED,
            ),
            "GET",
            reverse("bookings:booking_outcome", args=[ended.pk]),
            HIDDEN,
        )
        # Before the date it is too early: the provider is sent back to the booking.
        + [Row("partner", "GET", booking_url("booking_outcome"), REDIRECT)],
        "bookings:evaluation_reply": _with_other_partner(
            rows_for(
                "GET",
                reverse("bookings:evaluation_reply", args=[evaluation.pk]),
                {"partner": OK, "coordinator": OK},
                DENIED,
            ),
            "GET",
            reverse("bookings:evaluation_reply", args=[evaluation.pk]),
            DENIED,  # every partner reads the shared evaluation; only its provider answers
        )
        + [
            Row(
                "partner",
                "POST",
                reverse("bookings:evaluation_reply", args=[evaluation.pk]),
                OK,  # an empty answer: the form says so
                {"reply": "  "},
            )
        ],
        "bookings:booking_evaluate": rows_for(
            "GET",
            reverse("bookings:booking_evaluate", args=[ended.pk]),
            # Only the booking lead evaluates, once the session has taken place.
            {"headteacher": OK, "other_school_headteacher": HIDDEN, **OTHER_FORCE},
            DENIED,
        )
        + [Row("headteacher", "GET", booking_url("booking_evaluate"), REDIRECT)],
        "bookings:waitlist_join": rows_for(
            "GET",
            reverse("bookings:waitlist_join", args=[catalogue.full_slot.pk]),
            {**_only(SCHOOL_STAFF, OK), "other_force_headteacher": HIDDEN},
            DENIED,
        ),
        "bookings:waitlist_offer": rows_for(
            "GET",
            reverse("bookings:waitlist_offer", args=[entry.pk]),
            {
                **_only(A1_STAFF, OK),
                "other_school_headteacher": HIDDEN,
                "other_force_headteacher": HIDDEN,
            },
            DENIED,
        ),
        "bookings:waitlist_leave": rows_for(
            "POST",
            reverse("bookings:waitlist_leave", args=[entry.pk]),
            {
                **_only(A1_STAFF, REDIRECT),
                "other_school_headteacher": HIDDEN,
                "other_force_headteacher": HIDDEN,
            },
            DENIED,
        )
        + [Row("headteacher", "GET", reverse("bookings:waitlist_leave", args=[entry.pk]), BAD)],
        "bookings:demand_list": rows_for(
            "GET", reverse("bookings:demand_list"), {"coordinator": OK, "manager": OK}, DENIED
        ),
        "bookings:date_list": rows_for(
            "GET", reverse("bookings:date_list"), {"coordinator": OK, "manager": OK}, DENIED
        ),
        "bookings:demand_create": rows_for(
            "GET", reverse("bookings:demand_create"), _only(SCHOOL_STAFF, OK), DENIED
        ),
        "bookings:manage": rows_for("GET", reverse("bookings:manage"), session_managers, DENIED),
        "bookings:session_create": rows_for(
            "GET", reverse("bookings:session_create"), session_managers, DENIED
        ),
        "bookings:session_edit": _with_other_partner(
            rows_for(
                "GET",
                reverse("bookings:session_edit", args=[session.pk]),
                session_managers,
                DENIED,
            ),
            "GET",
            reverse("bookings:session_edit", args=[session.pk]),
            DENIED,
        ),
        "bookings:session_slots": _with_other_partner(
            rows_for(
                "GET",
                reverse("bookings:session_slots", args=[session.pk]),
                session_managers,
                DENIED,
            ),
            "GET",
            reverse("bookings:session_slots", args=[session.pk]),
            DENIED,
        )
        + [
            Row(
                "coordinator",
                "GET",
                reverse("bookings:session_slots", args=[catalogue.other_force_session.pk]),
                HIDDEN,
            )
        ],
        "bookings:slot_withdraw": _with_other_partner(
            # A booked date stays (the page says why); the partner is sent back to its dates.
            rows_for(
                "POST",
                reverse("bookings:slot_withdraw", args=[slot.pk]),
                _only(session_managers, REDIRECT),
                DENIED,
            ),
            "POST",
            reverse("bookings:slot_withdraw", args=[slot.pk]),
            DENIED,
        ),
        "bookings:slot_deliverer": _with_other_partner(
            rows_for(
                "POST",
                reverse("bookings:slot_deliverer", args=[slot.pk]),
                _only(session_managers, REDIRECT),
                DENIED,
                data={"person": world.partner.pk},
            ),
            "POST",
            reverse("bookings:slot_deliverer", args=[slot.pk]),
            DENIED,
            {"person": world.partner.pk},
        )
        + [Row("partner", "GET", reverse("bookings:slot_deliverer", args=[slot.pk]), BAD)],
        "bookings:session_round_robin": _with_other_partner(
            rows_for(
                "POST",
                reverse("bookings:session_round_robin", args=[session.pk]),
                _only(session_managers, REDIRECT),
                DENIED,
            ),
            "POST",
            reverse("bookings:session_round_robin", args=[session.pk]),
            DENIED,
        )
        + [
            Row(
                "coordinator",
                "POST",
                reverse("bookings:session_round_robin", args=[catalogue.other_force_session.pk]),
                HIDDEN,
            ),
            Row("partner", "GET", reverse("bookings:session_round_robin", args=[session.pk]), BAD),
        ],
        "bookings:case_input": rows_for(
            "GET",
            reverse("bookings:case_input", args=[case.public_id]),
            # The case's own officer; other officers do not know the case; others may not.
            {"sso": OK, "neighbourhood": HIDDEN, "sergeant": HIDDEN, "other_force_admin": DENIED},
            DENIED,
        ),
        "bookings:school_sessions": rows_for(
            "GET",
            reverse("bookings:school_sessions"),
            _only(("sso", "neighbourhood", "sergeant"), OK),
            DENIED,
        ),
        "bookings:my_deliveries": rows_for(
            "GET",
            reverse("bookings:my_deliveries"),
            _only(("sso", "neighbourhood", "sergeant", "coordinator", "partner"), OK),
            DENIED,
        )
        + [Row("partner", "POST", reverse("bookings:my_deliveries"), OK, {"action": "renew"})],
        "bookings:calendar_settings": rows_for(
            "GET", reverse("bookings:calendar_settings"), session_managers, DENIED
        ),
        "bookings:topics": rows_for("GET", reverse("bookings:topics"), {"coordinator": OK}, DENIED),
        "bookings:evaluation_results": rows_for(
            "GET",
            reverse("bookings:evaluation_results"),
            {"coordinator": OK, "partner": OK, "manager": OK},
            DENIED,
        ),
        # The booking rules a provider sets once (#23.4): its own staff and the force's
        # coordinators; another provider does not see it, nor another force's coordinator.
        "bookings:provider_rules": _with_other_partner(
            rows_for("GET", rules_url(world.orgs["partner_a"]), session_managers, DENIED),
            "GET",
            rules_url(world.orgs["partner_a"]),
            HIDDEN,
        )
        + [
            Row("partner", "GET", rules_url(world.orgs["police_a"]), HIDDEN),
            Row("coordinator", "GET", rules_url(world.orgs["police_a"]), OK),
            Row("coordinator", "GET", rules_url(catalogue.other_force_session.provider), HIDDEN),
            Row("sso", "GET", rules_url(world.orgs["police_a"]), DENIED),
            Row("headteacher", "GET", rules_url(world.schools["a1"].organisation), DENIED),
            Row("coordinator", "GET", rules_url(world.schools["a1"].organisation), HIDDEN),
            Row(
                "partner",
                "POST",
                rules_url(world.orgs["partner_a"]),
                OK,  # a bad value: the form says so
                {"min_notice_days": "soon"},
            ),
            Row(
                "partner",
                "POST",
                rules_url(world.orgs["partner_a"]),
                REDIRECT,
                {"min_notice_days": "7"},
            ),
            Row(
                "other_partner",
                "POST",
                rules_url(world.orgs["partner_a"]),
                HIDDEN,
                {"min_notice_days": "7"},
            ),
            # Partner agencies (youth offending team) are not booking providers.
            Row("agency", "GET", rules_url(world.orgs["partner_a"]), DENIED),
            Row(
                "agency",
                "POST",
                rules_url(world.orgs["partner_a"]),
                DENIED,
                {"min_notice_days": "7"},
            ),
            # Refused by role before any lookup, as for every role that may not set rules.
            Row("other_force_agency", "GET", rules_url(world.orgs["partner_a"]), DENIED),
        ],
        # Calendar apps cannot sign in: the secret address is the key, for anyone holding it.
        "bookings:provider_feed": rows_for(
            "GET", reverse("bookings:provider_feed", args=[token]), {ANONYMOUS: OK}, OK
        )
        + [Row(ANONYMOUS, "GET", reverse("bookings:provider_feed", args=["forged"]), HIDDEN)],
    }


def _bookings_url_names():
    from bookings import urls

    return {f"bookings:{p.name}" for p in urls.urlpatterns if isinstance(p, URLPattern)}


def test_every_page_of_bookings_has_rows(world, catalogue):
    assert "bookings" in {getattr(p, "namespace", None) for p in get_resolver().url_patterns}, (
        "bookings.urls is included"
    )
    missing = _bookings_url_names() - set(matrix(world, catalogue))
    assert not missing, f"Pages without permission rows: {sorted(missing)}"


@pytest.mark.parametrize("url_name", sorted(_bookings_url_names()))
def test_permission_matrix(client, world, catalogue, url_name):
    check(client, world, matrix(world, catalogue)[url_name])
