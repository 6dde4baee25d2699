"""A booking confirmation survives a mail-server hiccup on one recipient: each gets one copy."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import OutboxEmail, Role
from accounts.outbox import outbox_sweep
from accounts.tests.factories import UserFactory
from bookings import services
from bookings.tests.factories import SessionFactory, SlotFactory

pytestmark = pytest.mark.django_db


def test_a_451_on_the_second_recipient_sends_each_recipient_exactly_one_copy(
    world, smtp_server, django_capture_on_commit_callbacks
):
    partner = world.orgs["partner_a"]
    second = UserFactory(email="bookings@fire.example.org", organisation=partner, role=Role.PARTNER)
    session = SessionFactory(provider=partner, title="Fire safety for Year 7")
    slot = SlotFactory(session=session, capacity=5)
    smtp_server.refuse(second.email, reply="451 4.3.0 Mailbox busy, try again later", times=1)
    rows_before = OutboxEmail.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.booking_create(
            slot=slot, school=world.schools["a1"], by=world.headteacher, year_groups=[7], pupils=20
        )
    # The lead's confirmation and the two provider contacts' notices: one row each.
    assert OutboxEmail.objects.count() == rows_before + 3
    assert len(smtp_server.to(world.headteacher.email)) == 1
    assert len(smtp_server.to(world.partner.email)) == 1
    assert len(smtp_server.to(second.email)) == 0
    waiting = OutboxEmail.objects.get(to=second.email)
    assert (waiting.state, waiting.attempts, waiting.about_id) == ("queued", 1, str(booking.pk))
    later = timezone.now() + datetime.timedelta(hours=1)
    assert outbox_sweep(now=later) == 1
    assert outbox_sweep(now=later) == 0
    assert len(smtp_server.to(world.headteacher.email)) == 1
    assert len(smtp_server.to(world.partner.email)) == 1
    (notice,) = smtp_server.to(second.email)
    assert notice.subject == f"New booking: Fire safety for Year 7 for {world.schools['a1'].name}"
    assert len(smtp_server.received) == 3
    assert OutboxEmail.objects.count() == rows_before + 3
