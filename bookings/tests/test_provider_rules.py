"""Booking rules a provider sets once for all its sessions (#23.4): which rules are in force,
each enforced from the provider's defaults, a session's own rules overriding them, the
provider's settings page and what schools see."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from bookings import services
from bookings.models import BookingRules, ProviderRules, Session, Slot
from bookings.tests.factories import SessionFactory, SlotFactory, in_days
from schools.models import Term

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(world):
    return SessionFactory(provider=world.orgs["partner_a"], title="Fire and you")


def _provider_rules(world, **rules):
    return services.provider_rules_save(
        provider=world.orgs["partner_a"],
        by=world.partner,
        **{**dict.fromkeys(("min_notice_days", "buffer_minutes"), 0), **_none(), **rules},
    )


def _none():
    return {"max_dates_per_day": None, "term_time_only": False}


def _fresh(session):
    return Session.objects.select_related("provider__booking_rules").get(pk=session.pk)


# --- Which rules are in force ---------------------------------------------------------------------


def test_a_session_follows_its_providers_rules_unless_it_sets_its_own(world, session):
    assert session.rules == BookingRules()  # no provider rules yet: none
    assert not session.has_rules
    _provider_rules(world, min_notice_days=14, term_time_only=True)
    session = _fresh(session)
    assert session.rules == BookingRules(min_notice_days=14, term_time_only=True)
    assert session.rules_text() == [
        "Book at least 14 days ahead.",
        "Dates in school term time only.",
    ]
    # The session's own values count only once it says it sets its own.
    session.min_notice_days = 3
    session.save()
    assert _fresh(session).rules.min_notice_days == 14
    session.own_rules = True
    session.save()
    assert _fresh(session).rules == BookingRules(min_notice_days=3)
    # Another provider's sessions are not touched.
    other = SessionFactory(provider=world.orgs["police_a"])
    assert other.rules == BookingRules()


def test_only_a_provider_the_user_manages_can_have_its_rules_set(world):
    with pytest.raises(ValidationError, match="provider you manage"):
        services.provider_rules_save(
            provider=world.orgs["police_a"],
            by=world.partner,
            min_notice_days=5,
            buffer_minutes=0,
            **_none(),
        )
    services.provider_rules_save(
        provider=world.orgs["police_a"],
        by=world.coordinator,
        min_notice_days=5,
        buffer_minutes=0,
        **_none(),
    )
    saved = ProviderRules.objects.get(provider=world.orgs["police_a"])
    assert saved.min_notice_days == 5 and saved.updated_by == world.coordinator
    assert AuditEntry.objects.filter(action="bookings.provider_rules.changed").count() == 1


# --- Each rule enforced from the provider's defaults ------------------------------------------------


def test_minimum_notice_from_the_provider_refuses_a_booking_and_a_proposed_date(world, session):
    _provider_rules(world, min_notice_days=10)
    soon = SlotFactory(session=session, starts_at=in_days(5))
    with pytest.raises(ValidationError, match="at least 10 days' notice"):
        services.booking_create(
            slot=soon, school=world.schools["a1"], by=world.headteacher, year_groups=[8], pupils=5
        )
    with pytest.raises(ValidationError, match="at least 10 days' notice"):
        services.proposal_create(
            session=session,
            school=world.schools["a1"],
            by=world.headteacher,
            day=timezone.localdate() + datetime.timedelta(days=4),
            starts=datetime.time(10),
            year_groups=[8],
            pupils=5,
        )
    later = SlotFactory(session=session, starts_at=in_days(12))
    services.booking_create(
        slot=later, school=world.schools["a1"], by=world.headteacher, year_groups=[8], pupils=5
    )


def test_a_session_that_sets_its_own_rules_overrides_the_providers(world, session):
    _provider_rules(world, min_notice_days=10)
    session.own_rules = True
    session.min_notice_days = 0
    session.save()
    soon = SlotFactory(session=session, starts_at=in_days(5))
    booking = services.booking_create(
        slot=soon, school=world.schools["a1"], by=world.headteacher, year_groups=[8], pupils=5
    )
    assert booking.pk


def test_term_time_only_from_the_provider(world, session):
    today = timezone.localdate()
    Term.objects.create(
        force=world.forces["a"],
        name=Term.Name.AUTUMN,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=10),
    )
    _provider_rules(world, term_time_only=True)
    with pytest.raises(ValidationError) as refused:
        services.slots_publish(
            session=_fresh(session),
            by=world.partner,
            day=today + datetime.timedelta(days=20),
            starts=datetime.time(10),
            ends=datetime.time(11),
            capacity=1,
        )
    assert "term time only" in str(refused.value.message_dict["day"])
    holiday = SlotFactory(session=session, starts_at=in_days(25))
    with pytest.raises(ValidationError, match="term time only"):
        services.booking_create(
            slot=holiday,
            school=world.schools["a1"],
            by=world.headteacher,
            year_groups=[8],
            pupils=5,
        )


def test_buffer_and_dates_a_day_from_the_provider_when_assigning_a_deliverer(world, session):
    _provider_rules(world, buffer_minutes=30, max_dates_per_day=2)
    day = timezone.localdate() + datetime.timedelta(days=9)

    def date(start, end, person=None):
        return SlotFactory(
            session=session,
            starts_at=Slot.local_datetime(day, start),
            ends_at=Slot.local_datetime(day, end),
            deliverer_person=person,
        )

    date(datetime.time(9), datetime.time(10), world.partner)
    too_close = date(datetime.time(10, 15), datetime.time(11))
    with pytest.raises(ValidationError, match="needs 30 minutes between two dates"):
        services.slot_set_deliverer(slot=too_close, person=world.partner, by=world.partner)
    services.slot_set_deliverer(
        slot=date(datetime.time(10, 30), datetime.time(11, 30)),
        person=world.partner,
        by=world.partner,
    )
    third = date(datetime.time(14), datetime.time(15))
    with pytest.raises(ValidationError, match="at most 2 a day"):
        services.slot_set_deliverer(slot=third, person=world.partner, by=world.partner)
    # Shared out in turn, the same rules leave both dates without a deliverer.
    assert services.assign_round_robin(session=session, by=world.partner) == []
    # The session's own rules (none) override the provider's: the dates can be taken.
    session.own_rules = True
    session.save()
    assert len(services.assign_round_robin(session=session, by=world.partner)) == 1


# --- The provider's settings page, the session form and what schools see ---------------------------


def test_the_provider_sets_its_rules_on_its_page_and_the_catalogue_shows_them(
    client, world, session
):
    url = reverse("bookings:provider_rules", args=[world.orgs["partner_a"].pk])
    client.force_login(world.partner)
    page = client.post(url, {"min_notice_days": "-1", "buffer_minutes": "lots"})
    text = page.content.decode()
    assert "Enter 0 days or more" in text and "Enter the minutes as a whole number" in text
    assert 'value="lots"' in text
    assert not ProviderRules.objects.exists()
    client.post(url, {"min_notice_days": "7", "term_time_only": "on", "max_dates_per_day": ""})
    saved = ProviderRules.objects.get(provider=world.orgs["partner_a"])
    assert (saved.min_notice_days, saved.buffer_minutes, saved.term_time_only) == (7, 0, True)
    assert "Book at least 7 days ahead." in client.get(reverse("bookings:manage")).content.decode()
    client.force_login(world.headteacher)
    catalogue = client.get(reverse("bookings:catalogue")).content.decode()
    assert "Book at least 7 days ahead." in catalogue
    detail = client.get(session.get_absolute_url()).content.decode()
    assert "Book at least 7 days ahead." in detail and "Dates in school term time only." in detail


def test_the_session_form_says_which_rules_it_uses_and_lets_it_set_its_own(client, world, session):
    _provider_rules(world, min_notice_days=7)
    client.force_login(world.partner)
    url = reverse("bookings:session_edit", args=[session.pk])
    page = client.get(url).content.decode()
    assert "Your provider's rules: Book at least 7 days ahead." in page
    data = {
        "provider": world.orgs["partner_a"].pk,
        "title": session.title,
        "topic": session.topic_id,
        "year_groups": ["9"],
        "format": "classroom",
        "length_minutes": "50",
        "capacity": "30",
        "cost": "0",
        "description": "x",
        "active": "on",
        # The provider's rules: what is typed in the session's own is not checked or kept.
        "own_rules": "provider",
        "min_notice_days": "lots",
    }
    client.post(url, data)
    session.refresh_from_db()
    assert not session.own_rules and session.min_notice_days == 0
    data.update(own_rules="own", min_notice_days="2")
    client.post(url, data)
    session = _fresh(session)
    assert session.own_rules and session.rules == BookingRules(min_notice_days=2)
    assert 'value="own" checked' in client.get(url).content.decode()


def test_the_catalogue_stays_constant_with_rules_of_many_providers(client, world, count_queries):
    from accounts.models import Organisation
    from accounts.tests.factories import OrganisationFactory

    client.force_login(world.headteacher)
    url = reverse("bookings:catalogue")

    def grow(n, start):
        for i in range(start, start + n):
            provider = OrganisationFactory(
                force=world.forces["a"], kind=Organisation.Kind.PARTNER, name=f"Provider {i}"
            )
            ProviderRules.objects.create(provider=provider, min_notice_days=i + 1)
            SessionFactory(provider=provider, own_rules=bool(i % 2), buffer_minutes=10)

    grow(2, 0)
    client.get(url)
    few = count_queries(client, url)
    grow(20, 2)
    page = client.get(url).content.decode()
    assert "Book at least 3 days ahead." in page  # provider 2's rules
    assert count_queries(client, url) == few
