"""Provider agreements chased and returned like a school's MoU: the partner is reminded after
3, 7 and 14 days (the force's days) by the same daily task, once each, and may ask for changes
instead of signing, which returns the agreement to the coordinator with the reason."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry, OutboxEmail, Role
from accounts.tests.factories import UserFactory
from agreements import provider_services, services, tasks
from agreements.models import (
    AgreementSettings,
    ProviderAgreement,
    ProviderAgreementEvent,
    ProviderSignatureReminder,
)

pytestmark = pytest.mark.django_db

REMINDER = "agreements/email/provider_sign_reminder"


@pytest.fixture
def sent(world):
    draft = provider_services.provider_agreement_prepare(
        provider=world.orgs["partner_a"], by=world.coordinator, delivers="- Fire safety talks"
    )
    agreement = provider_services.provider_agreement_send(
        agreement=draft, by=world.coordinator, typed_name="Coordinator A", confirmed=True
    )
    mail.outbox.clear()
    return agreement


def _reminded(agreement):
    return sorted(
        ProviderSignatureReminder.objects.filter(agreement=agreement).values_list(
            "after_days", flat=True
        )
    )


# Chasing -------------------------------------------------------------------------------------


def test_the_partner_is_reminded_after_3_7_and_14_days_once_each(world, sent):
    second = UserFactory(organisation=world.orgs["partner_a"], role=Role.PARTNER)
    since = sent.sent_at
    assert services.send_signature_reminders(now=since + datetime.timedelta(days=2)) == 0
    day3 = since + datetime.timedelta(days=3, hours=1)
    assert services.send_signature_reminders(now=day3) == 1
    assert services.send_signature_reminders(now=day3) == 0  # a rerun sends nothing
    assert services.send_signature_reminders(now=since + datetime.timedelta(days=7)) == 1
    assert services.send_signature_reminders(now=since + datetime.timedelta(days=14)) == 1
    assert services.send_signature_reminders(now=since + datetime.timedelta(days=20)) == 0
    assert _reminded(sent) == [3, 7, 14]
    rows = OutboxEmail.objects.filter(template=REMINDER)
    # Once per recipient and day: both of the partner's people, three times each.
    assert rows.count() == 6
    assert {row.to for row in rows} == {world.partner.email, second.email}
    assert world.coordinator.email not in {row.to for row in rows}
    first = rows.order_by("pk").first()
    assert "waiting for your signature for 3 days" in first.body_text
    assert reverse("agreements:provider_sign", args=[sent.pk]) in first.body_text
    assert sent.events.filter(kind=ProviderAgreementEvent.Kind.SIGN_REMINDED).count() == 3


def test_the_force_sets_the_days_for_provider_agreements_too(world, sent):
    AgreementSettings.objects.filter(force=world.forces["a"]).update(
        signature_reminder_days="2, 10"
    )
    assert services.send_signature_reminders(now=sent.sent_at + datetime.timedelta(days=11)) == 1
    assert _reminded(sent) == [10]


def test_no_reminder_once_signed_or_returned(world, sent, django_capture_on_commit_callbacks):
    later = sent.sent_at + datetime.timedelta(days=3, hours=1)
    provider_services.provider_agreement_request_changes(
        agreement=sent, by=world.partner, reason="Add our evaluation form."
    )
    assert services.send_signature_reminders(now=later) == 0
    sent.refresh_from_db()
    again = provider_services.provider_agreement_send(
        agreement=sent, by=world.coordinator, typed_name="Coordinator A", confirmed=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        provider_services.provider_agreement_sign(
            agreement=again, by=world.partner, typed_name="Partner A", confirmed=True
        )
    assert services.send_signature_reminders(now=timezone.now() + datetime.timedelta(days=3)) == 0
    assert not OutboxEmail.objects.filter(template=REMINDER).exists()


def test_the_daily_task_chases_provider_agreements(world, sent, periodic_tasks):
    task = periodic_tasks.get(task="agreements.tasks.remind_signers")
    assert task.enabled
    ProviderAgreement.objects.filter(pk=sent.pk).update(
        sent_at=timezone.now() - datetime.timedelta(days=3, hours=2)
    )
    assert tasks.remind_signers.delay().get() == 1
    assert tasks.remind_signers.delay().get() == 0
    assert OutboxEmail.objects.filter(template=REMINDER, to=world.partner.email).count() == 1


# Asking for changes --------------------------------------------------------------------------


def test_the_partner_asks_for_changes_and_it_returns_to_the_coordinator(
    client, world, sent, django_capture_on_commit_callbacks
):
    client.force_login(world.partner)
    sign_page = client.get(reverse("agreements:provider_sign", args=[sent.pk])).content.decode()
    url = reverse("agreements:provider_request_changes", args=[sent.pk])
    assert url in sign_page
    response = client.post(url, {"reason": "   "})
    assert response.status_code == 200
    assert "Say what should change" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "Please name our safeguarding lead."})
    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.state == ProviderAgreement.State.DRAFT
    assert sent.changes_requested_by == world.partner
    assert sent.changes_requested_reason == "Please name our safeguarding lead."
    assert [m.to for m in mail.outbox] == [[world.coordinator.email]]
    assert "Please name our safeguarding lead." in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="agreements.provider.changes_requested").exists()
    assert sent.events.filter(kind=ProviderAgreementEvent.Kind.CHANGES_REQUESTED).exists()
    # The partner no longer sees the draft; the coordinator reads the reason and revises it.
    assert client.get(sent.get_absolute_url()).status_code == 404
    client.force_login(world.coordinator)
    detail = client.get(sent.get_absolute_url()).content.decode()
    assert "Please name our safeguarding lead." in detail
    assert "the partner asked for changes" in client.get("/").content.decode()
    provider_services.provider_agreement_update(
        agreement=sent, by=world.coordinator, delivers="- Fire safety talks, lead: J Smith"
    )
    assert "lead: J Smith" in client.get(sent.get_absolute_url()).content.decode()
    again = provider_services.provider_agreement_send(
        agreement=sent, by=world.coordinator, typed_name="Coordinator A", confirmed=True
    )
    assert again.versions.count() == 2 and again.changes_requested_reason == ""
    assert "lead: J Smith" in again.versions.order_by("-number").first().content_html
    with django_capture_on_commit_callbacks(execute=True):
        signature = provider_services.provider_agreement_sign(
            agreement=again,
            by=world.partner,
            typed_name="Partner A",
            confirmed=True,
            version_number=2,
        )
    assert signature.version.number == 2
    again.refresh_from_db()
    assert again.state == ProviderAgreement.State.ACTIVE


def test_only_the_partner_due_to_sign_may_ask_for_changes(world, sent):
    for who in (world.coordinator, world.users["manager"]):
        with pytest.raises(ValidationError, match="not waiting for your signature"):
            provider_services.provider_agreement_request_changes(agreement=sent, by=who, reason="x")
    provider_services.provider_agreement_request_changes(
        agreement=sent, by=world.partner, reason="x"
    )
    with pytest.raises(ValidationError, match="not waiting for your signature"):
        provider_services.provider_agreement_request_changes(
            agreement=sent, by=world.partner, reason="again"
        )


def test_a_reason_of_any_length_never_gives_a_500(client, world, sent):
    client.force_login(world.partner)
    url = reverse("agreements:provider_request_changes", args=[sent.pk])
    response = client.post(url, {"reason": "x" * 20000})
    assert response.status_code == 200
    sent.refresh_from_db()
    assert sent.state == ProviderAgreement.State.SENT
