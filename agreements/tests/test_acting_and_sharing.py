"""An acting headteacher named for a period may sign during it; the sealed copy is sent to
named others through the outbox, logged."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry, OutboxEmail
from agreements import services
from agreements.models import ActingHeadteacher, Agreement, AgreementEvent

from .conftest import sign

pytestmark = pytest.mark.django_db


def _date(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def test_the_headteacher_names_an_acting_head_who_may_sign_then(client, world, sent):
    today = timezone.localdate()
    client.force_login(world.headteacher)
    url = reverse("agreements:acting_head", args=[world.schools["a1"].pk])
    assert "Acting headteacher" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "user": world.dsl.pk,
            **_date("starts_on", today - datetime.timedelta(days=1)),
            **_date("ends_on", today + datetime.timedelta(days=20)),
        },
    )
    assert response.status_code == 302
    acting = ActingHeadteacher.objects.get()
    assert acting.user == world.dsl and acting.named_by == world.headteacher
    assert AuditEntry.objects.filter(action="agreements.acting_head.named").exists()
    # The acting head is asked and may sign for the school.
    assert world.dsl in services.people_for(sent, Agreement.Party.SCHOOL)
    client.force_login(world.dsl)
    assert client.get(reverse("agreements:sign", args=[sent.pk])).status_code == 200
    sign(sent, world.dsl)
    sent.refresh_from_db()
    assert sent.signatures.get().user == world.dsl


def test_outside_the_period_the_acting_head_may_not_sign(client, world, sent):
    today = timezone.localdate()
    ActingHeadteacher.objects.create(
        school=world.schools["a1"],
        user=world.dsl,
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today - datetime.timedelta(days=1),
        named_by=world.headteacher,
    )
    client.force_login(world.dsl)
    assert client.get(reverse("agreements:sign", args=[sent.pk])).status_code == 403
    assert world.dsl not in services.people_for(sent, Agreement.Party.SCHOOL)


def test_bad_acting_head_periods_are_refused_with_plain_messages(client, world):
    today = timezone.localdate()
    client.force_login(world.headteacher)
    url = reverse("agreements:acting_head", args=[world.schools["a1"].pk])
    backwards = client.post(
        url,
        {
            "user": world.dsl.pk,
            **_date("starts_on", today),
            **_date("ends_on", today.replace(year=today.year - 1)),
        },
    )
    assert "The last day must be on or after the first day" in backwards.content.decode()
    too_long = client.post(
        url,
        {
            "user": world.dsl.pk,
            **_date("starts_on", today),
            **_date("ends_on", today + datetime.timedelta(days=400)),
        },
    )
    assert "a year at most" in too_long.content.decode()
    other_school = client.post(
        url,
        {
            "user": world.other_school_headteacher.pk,
            **_date("starts_on", today),
            **_date("ends_on", today),
        },
    )
    assert other_school.status_code == 200
    nonsense = client.post(url, {"user": "x", "starts_on_0": "31", "starts_on_1": "2"})
    assert nonsense.status_code == 200
    assert not ActingHeadteacher.objects.exists()


def test_the_sealed_copy_is_sent_to_named_others_and_logged(
    client, world, active, django_capture_on_commit_callbacks
):
    client.force_login(world.headteacher)
    detail = client.get(active.get_absolute_url()).content.decode()
    assert "Send the signed copy to others" in detail
    url = reverse("agreements:share", args=[active.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "addresses": "clerk@governors.example.org,\nLink@School.example.org",
                "note": "For the next governors' meeting.",
            },
        )
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == [
        "clerk@governors.example.org",
        "link@school.example.org",
    ]
    message = mail.outbox[0]
    assert message.attachments[0][0].endswith(".pdf")
    assert message.attachments[0][2] == "application/pdf"
    assert "next governors' meeting" in message.body
    assert OutboxEmail.objects.filter(template="agreements/email/shared").count() == 2
    event = active.events.get(kind=AgreementEvent.Kind.SHARED)
    assert "clerk@governors.example.org" in event.detail and event.actor == world.headteacher
    entry = AuditEntry.objects.get(action="agreements.mou.shared")
    assert entry.changes["to"] == ["clerk@governors.example.org", "link@school.example.org"]


def test_bad_addresses_are_refused_and_kept(client, world, active):
    client.force_login(world.neighbourhood)
    url = reverse("agreements:share", args=[active.pk])
    response = client.post(url, {"addresses": "clerk@example.org, not-an-address"})
    page = response.content.decode()
    assert "“not-an-address” is not an email address" in page
    assert "clerk@example.org, not-an-address" in page
    many = ", ".join(f"p{i}@example.org" for i in range(11))
    assert "at most 10" in client.post(url, {"addresses": many}).content.decode()
    assert "Enter at least one email address" in client.post(url, {}).content.decode()
    assert not OutboxEmail.objects.filter(template="agreements/email/shared").exists()


def test_an_unsealed_agreement_cannot_be_shared(world, sent):
    with pytest.raises(Exception, match="not ready"):
        services.agreement_share(agreement=sent, by=world.neighbourhood, addresses=["a@b.org"])
