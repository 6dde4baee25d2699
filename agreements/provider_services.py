"""The life of a provider agreement: prepare, change, sign and send (the coordinator), sign
(the partner), seal, end. The content is frozen with its SHA-256 when the coordinator signs it,
as a school's MoU is when it is sent; the PDF is sealed with the force's certificate."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts import audit
from accounts.models import Organisation, Role, User
from accounts.outbox import queue_task

from . import signing
from .models import AgreementSettings, AgreementTemplate, add_months
from .provider_models import (
    ProviderAgreement,
    ProviderAgreementEvent,
    ProviderSignature,
    ProviderSignatureReminder,
)
from .render import sections_of

Party = ProviderSignature.Party


# Who is who ------------------------------------------------------------------------------


def partner_signers(provider: Organisation):
    """The partner's people who may sign for it: its active partner accounts."""
    return User.objects.filter(organisation=provider, role=Role.PARTNER, is_active=True)


def education_partners(force):
    return Organisation.objects.filter(force=force, kind=Organisation.Kind.PARTNER).order_by("name")


def published_wording(force):
    return (
        AgreementTemplate.objects.filter(force=force, kind=AgreementTemplate.Kind.PROVIDER)
        .published()
        .first()
    )


def default_delivers(force) -> str:
    """The published wording's "what the partner delivers", to start a new agreement from."""
    template = published_wording(force)
    local = next((s for s in template.sections if s.get("local")), None) if template else None
    return local["body"] if local else ""


def may_sign_for_provider(user, agreement) -> bool:
    return (
        user.is_active
        and user.role == Role.PARTNER
        and user.organisation_id == agreement.provider_id
    )


# Rendering ---------------------------------------------------------------------------------


def _review_period(force) -> str:
    months = AgreementSettings.for_force(force).review_months
    return "12 months" if months == 12 else f"{months} months"


def render_provider_content(agreement: ProviderAgreement, *, coordinator=None, today=None) -> str:
    """Return the content as signed: the part frozen and hashed."""
    coordinator = coordinator or agreement.coordinator or agreement.prepared_by
    values = {
        "force": agreement.force.name,
        "provider": agreement.provider.name,
        "coordinator": coordinator.display_name,
        "review_period": _review_period(agreement.force),
    }
    context = {
        "agreement": agreement,
        "coordinator": coordinator,
        "dated": today or timezone.localdate(),
        "title": agreement.template.title,
        "sections": sections_of(agreement.template, values, local_arrangements=agreement.delivers),
    }
    return render_to_string("agreements/provider/_content.html", context)


latest_version = signing.latest_version


def provider_document_context(agreement: ProviderAgreement) -> dict:
    # A draft returned with changes requested shows the wording as it now stands, unsigned.
    draft = agreement.state == ProviderAgreement.State.DRAFT
    version = None if draft else latest_version(agreement)
    return signing.document_context(agreement, version, preview=render_provider_content)


def render_provider_pdf(agreement: ProviderAgreement) -> bytes:
    return signing.render_pdf(
        "agreements/provider/agreement_pdf.html", provider_document_context(agreement)
    )


# Steps ---------------------------------------------------------------------------------------


_event = signing.record_event
_email = signing.email_people


def _check_coordinator(by: User, force) -> None:
    if by.role != Role.COORDINATOR or by.force_id != force.pk or not by.is_active:
        raise ValidationError("Only an education coordinator of the force can do this.")


def _clean_delivers(text) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"delivers": "Say what the partner delivers"})
    if len(text) > 4000:
        raise ValidationError(
            {"delivers": "Write what the partner delivers in 4,000 characters or fewer"}
        )
    return text


@transaction.atomic
def provider_agreement_prepare(
    *, provider: Organisation, by: User, delivers: str | None = None, request=None
) -> ProviderAgreement:
    """Open a draft provider agreement with the partner on the force's published wording."""
    force = by.force
    _check_coordinator(by, force)
    provider = Organisation.objects.select_for_update().get(pk=provider.pk)
    if provider.kind != Organisation.Kind.PARTNER or provider.force_id != force.pk:
        raise ValidationError({"provider": "Choose an education partner of this force"})
    in_progress = ProviderAgreement.objects.filter(
        provider=provider, state__in=[ProviderAgreement.State.DRAFT, ProviderAgreement.State.SENT]
    ).exists()
    if in_progress:
        raise ValidationError(
            {"provider": f"An agreement with {provider.name} is already being prepared or signed"}
        )
    template = published_wording(force)
    if template is None:
        raise ValidationError("The force has no published provider agreement wording.")
    if delivers is None:
        local = next((s for s in template.sections if s.get("local")), None)
        delivers = local["body"] if local else ""
    agreement = ProviderAgreement(
        force=force,
        provider=provider,
        template=template,
        delivers=_clean_delivers(delivers),
        prepared_by=by,
    )
    agreement.full_clean()
    agreement.save()
    _event(agreement, ProviderAgreementEvent.Kind.PREPARED, actor=by, request=request)
    audit.record(
        "agreements.provider.prepared",
        actor=by,
        target=agreement,
        request=request,
        changes={"provider": provider.pk, "template": template.pk},
    )
    return agreement


@transaction.atomic
def provider_agreement_update(
    *, agreement: ProviderAgreement, by: User, delivers: str, request=None
) -> ProviderAgreement:
    agreement = ProviderAgreement.objects.select_for_update(of=("self",)).get(pk=agreement.pk)
    _check_coordinator(by, agreement.force)
    if agreement.state != ProviderAgreement.State.DRAFT:
        raise ValidationError("Only a draft can be changed.")
    before = agreement.delivers
    agreement.delivers = _clean_delivers(delivers)
    if agreement.delivers == before:
        return agreement
    agreement.full_clean()
    agreement.save()
    _event(agreement, ProviderAgreementEvent.Kind.CHANGED, actor=by, request=request)
    audit.record(
        "agreements.provider.changed",
        actor=by,
        target=agreement,
        request=request,
        changes={"delivers": [before, agreement.delivers]},
    )
    return agreement


@transaction.atomic
def provider_agreement_send(
    *,
    agreement: ProviderAgreement,
    by: User,
    typed_name: str,
    confirmed: bool,
    drawn_png: bytes = b"",
    request=None,
    now=None,
) -> ProviderAgreement:
    """The coordinator signs the draft for the partnership: its content is frozen as a
    version with its SHA-256, and the partner's people are asked to sign it."""
    now = now or timezone.now()
    agreement = (
        ProviderAgreement.objects.select_for_update(of=("self",))
        .select_related("force", "provider", "template")
        .get(pk=agreement.pk)
    )
    _check_coordinator(by, agreement.force)
    if agreement.state != ProviderAgreement.State.DRAFT:
        raise ValidationError("This agreement has already been sent.")
    signing.check_signature_fields(
        typed_name, confirmed, confirm_message="Confirm that you sign for the partnership"
    )
    signers = list(partner_signers(agreement.provider))
    if not signers:
        raise ValidationError(
            f"Nobody can sign for {agreement.provider.name}: invite someone from it first."
        )
    content = render_provider_content(
        agreement, coordinator=by, today=timezone.localtime(now).date()
    )
    version = signing.freeze_version(agreement, content, now=now)
    signing.record_signature(
        agreement,
        version,
        party=Party.COORDINATOR,
        by=by,
        typed_name=typed_name,
        drawn_png=drawn_png,
        organisation=agreement.force.name,
        request=request,
        now=now,
    )
    agreement.coordinator = by
    agreement.state = ProviderAgreement.State.SENT
    agreement.sent_at = now
    agreement.clear_changes_requested()
    agreement.save()
    _event(
        agreement,
        ProviderAgreementEvent.Kind.SENT,
        actor=by,
        request=request,
        now=now,
        detail=f"Version {version.number}, SHA-256 {version.content_sha256[:16]}…",
    )
    audit.record(
        "agreements.provider.sent",
        actor=by,
        target=agreement,
        request=request,
        changes={"version": version.number, "sha256": version.content_sha256},
    )
    _email(
        people=signers,
        cause=f"v{version.number}.please_sign",
        template="provider_please_sign",
        subject=f"Please sign the provider agreement with {agreement.force.name}",
        agreement=agreement,
        coordinator=by,
        sign_url=reverse("agreements:provider_sign", args=[agreement.pk]),
    )
    return agreement


@transaction.atomic
def provider_agreement_sign(
    *,
    agreement: ProviderAgreement,
    by: User,
    typed_name: str,
    confirmed: bool,
    drawn_png: bytes = b"",
    version_number: int | None = None,
    request=None,
    now=None,
) -> ProviderSignature:
    """The partner signs the version the coordinator signed: the agreement is current from
    today until its review date, and its PDF is sealed after the commit."""
    from .provider_tasks import seal_provider_agreement

    now = now or timezone.now()
    agreement = (
        ProviderAgreement.objects.select_for_update(of=("self",))
        .select_related("force", "provider", "coordinator")
        .get(pk=agreement.pk)
    )
    if agreement.state != ProviderAgreement.State.SENT or not may_sign_for_provider(by, agreement):
        raise ValidationError("This agreement is not waiting for your signature.")
    version = signing.signable_version(agreement, version_number)
    signing.check_signature_fields(
        typed_name,
        confirmed,
        confirm_message=f"Confirm that you sign for {agreement.provider.name}",
    )
    signature = signing.record_signature(
        agreement,
        version,
        party=Party.PROVIDER,
        by=by,
        typed_name=typed_name,
        drawn_png=drawn_png,
        organisation=agreement.provider.name,
        request=request,
        now=now,
    )
    today = timezone.localtime(now).date()
    # A renewal: the partner's earlier agreement steps down as this one takes over.
    for earlier in ProviderAgreement.objects.select_for_update(of=("self",)).filter(
        provider=agreement.provider, state=ProviderAgreement.State.ACTIVE
    ):
        earlier.state = ProviderAgreement.State.ENDED
        earlier.ended_on = today
        earlier.ended_reason = f"Replaced by the renewed agreement {agreement.pk}."
        earlier.save(update_fields=["state", "ended_on", "ended_reason", "updated"])
        _event(earlier, ProviderAgreementEvent.Kind.ENDED, now=now, detail=earlier.ended_reason)
    agreement.state = ProviderAgreement.State.ACTIVE
    agreement.active_on = today
    agreement.expires_on = add_months(
        today, AgreementSettings.for_force(agreement.force).review_months
    )
    agreement.save()
    _event(
        agreement,
        ProviderAgreementEvent.Kind.SIGNED,
        actor=by,
        request=request,
        now=now,
        detail=f"{signature.typed_name} for {agreement.provider.name}",
    )
    audit.record(
        "agreements.provider.signed",
        actor=by,
        target=agreement,
        request=request,
        changes={"version": version.number, "sha256": version.content_sha256},
    )
    if agreement.coordinator is not None and agreement.coordinator.is_active:
        _email(
            people=[agreement.coordinator],
            cause=f"v{version.number}.signed",
            template="provider_signed",
            subject=f"{agreement.provider.name} has signed its provider agreement",
            agreement=agreement,
            detail_url=agreement.get_absolute_url(),
        )
    pk = agreement.pk
    transaction.on_commit(lambda: queue_task(seal_provider_agreement, pk))
    return signature


def provider_agreement_seal(*, agreement_pk: int) -> bool:
    """Render and seal the PDF of a signed provider agreement; email both signers a copy.
    Idempotent: False when there is nothing to do."""

    def sealed(agreement, result):
        _email(
            people=signing.signers_of_latest(agreement, is_active=True),
            cause=f"sealed.{result.sha256[:16]}",
            template="provider_sealed",
            subject=f"The signed provider agreement with {agreement.provider.name}",
            agreement=agreement,
            detail_url=agreement.get_absolute_url(),
            attachments=[(pdf_filename(agreement), result.pdf, "application/pdf")],
        )

    return signing.seal_signed(
        queryset=ProviderAgreement.objects.select_related(
            "force", "provider", "template", "coordinator"
        ),
        pk=agreement_pk,
        render_pdf=render_provider_pdf,
        stored_name=lambda agreement, digest: (
            f"agreements/{agreement.force.slug}/provider-agreement-{agreement.pk}-{digest[:12]}.pdf"
        ),
        sealed=sealed,
    )


def provider_agreements_stuck_unsealed(*, older_than=datetime.timedelta(minutes=5), now=None):
    """Signed provider agreements still without their sealed PDF some minutes later (a worker
    died, the broker was down, or sealing failed): the sweeper queues them again."""
    now = now or timezone.now()
    return list(
        ProviderAgreement.objects.filter(
            state__in=[ProviderAgreement.State.ACTIVE, ProviderAgreement.State.ENDED],
            active_on__isnull=False,
            sealed_sha256="",
            updated__lte=now - older_than,
        ).values_list("pk", flat=True)
    )


def pdf_filename(agreement) -> str:
    return f"provider-agreement-{agreement.pk}-{agreement.active_on:%Y-%m-%d}.pdf"


@transaction.atomic
def provider_agreement_end(
    *, agreement: ProviderAgreement, by: User, reason: str, ended_on, request=None
) -> ProviderAgreement:
    """End a provider agreement being signed or current, with the reason; tell the other party."""
    agreement = (
        ProviderAgreement.objects.select_for_update(of=("self",))
        .select_related("provider", "coordinator")
        .get(pk=agreement.pk)
    )
    speaks_for_partnership = by.role in {Role.COORDINATOR, Role.PREVENTION_MANAGER} and (
        by.force_id == agreement.force_id
    )
    if not (speaks_for_partnership or may_sign_for_provider(by, agreement)):
        raise ValidationError("Only the partnership or the partner can end this agreement.")
    if agreement.state not in {ProviderAgreement.State.SENT, ProviderAgreement.State.ACTIVE}:
        raise ValidationError("Only an agreement being signed or in force can be ended.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason for ending the agreement"})
    previous = agreement.state
    agreement.state = ProviderAgreement.State.ENDED
    agreement.ended_on = ended_on
    agreement.ended_reason = reason
    agreement.full_clean()
    agreement.save()
    _event(agreement, ProviderAgreementEvent.Kind.ENDED, actor=by, request=request, detail=reason)
    audit.record(
        "agreements.provider.ended",
        actor=by,
        target=agreement,
        request=request,
        changes={"state": [previous, "ended"], "ended_on": str(ended_on), "reason": reason},
    )
    if by.role == Role.PARTNER:
        # The partner ended it: tell the partnership's coordinator who signed it.
        coordinator = agreement.coordinator
        told = [coordinator] if coordinator is not None and coordinator.is_active else []
    else:
        told = list(partner_signers(agreement.provider))
    _email(
        people=told,
        cause="ended",
        template="provider_ended",
        subject=f"The provider agreement with {agreement.force.name} has been ended",
        agreement=agreement,
        ended_by=by,
    )
    return agreement


def provider_agreement_record_view(*, agreement, user, request=None) -> None:
    """Note on the timeline that the partner due to sign opened it (once)."""
    if agreement.state != ProviderAgreement.State.SENT or not may_sign_for_provider(
        user, agreement
    ):
        return
    if not agreement.events.filter(kind=ProviderAgreementEvent.Kind.VIEWED, actor=user).exists():
        _event(agreement, ProviderAgreementEvent.Kind.VIEWED, actor=user, request=request)


@transaction.atomic
def provider_agreement_request_changes(
    *, agreement: ProviderAgreement, by: User, reason: str, request=None
) -> ProviderAgreement:
    """The partner declines to sign and asks for changes: the agreement goes back to the
    coordinator as a draft, with the reason; the coordinator changes it, signs it again and
    sends it, and the partner signs the new version."""
    agreement = (
        ProviderAgreement.objects.select_for_update(of=("self",))
        .select_related("force", "provider", "coordinator", "prepared_by")
        .get(pk=agreement.pk)
    )
    if agreement.state != ProviderAgreement.State.SENT or not may_sign_for_provider(by, agreement):
        raise ValidationError("This agreement is not waiting for your signature.")
    reason = agreement.return_for_changes(by=by, reason=reason)
    agreement.full_clean()
    agreement.save()
    version = latest_version(agreement)
    _event(
        agreement,
        ProviderAgreementEvent.Kind.CHANGES_REQUESTED,
        actor=by,
        request=request,
        detail=reason,
    )
    audit.record(
        "agreements.provider.changes_requested",
        actor=by,
        target=agreement,
        request=request,
        changes={"state": ["sent", "draft"], "version": version.number, "reason": reason},
    )
    _email(
        people=signing.people_to_tell(agreement.coordinator, agreement.prepared_by, besides=by),
        cause=f"v{version.number}.changes_requested",
        template="provider_changes_requested",
        subject=f"{agreement.provider.name} asks for changes to its provider agreement",
        agreement=agreement,
        requested_by=by,
        reason=reason,
        detail_url=agreement.get_absolute_url(),
    )
    return agreement


# Chasing the partner's signature (run by the school MoU's daily reminders task) -------------


def _partner_turn(agreement: ProviderAgreement, now):
    """The partner's turn starts when the coordinator signs and sends it."""
    if agreement.state != ProviderAgreement.State.SENT or agreement.sent_at is None:
        return None
    return Party.PROVIDER, agreement.sent_at


def _remind_partner(agreement: ProviderAgreement, party: str, day: int, now) -> None:
    version = latest_version(agreement)
    _email(
        people=list(partner_signers(agreement.provider)),
        cause=f"v{version.number}.sign_reminder.{agreement.sent_at:%Y%m%dT%H%M%S%f}.{day}",
        template="provider_sign_reminder",
        subject=f"Reminder: the provider agreement with {agreement.force.name} is waiting "
        "for your signature",
        agreement=agreement,
        sign_url=reverse("agreements:provider_sign", args=[agreement.pk]),
        days_waiting=(now - agreement.sent_at).days,
    )
    _event(
        agreement,
        ProviderAgreementEvent.Kind.SIGN_REMINDED,
        now=now,
        detail=f"{Party(party).label}, after {day} days",
    )


PROVIDER_CHASE = signing.Chase(
    waiting=lambda: ProviderAgreement.objects.filter(
        state=ProviderAgreement.State.SENT, sent_at__isnull=False
    ).values_list("pk", "force_id"),
    locked=lambda pk: (
        ProviderAgreement.objects.select_for_update(of=("self",))
        .select_related("force", "provider")
        .get(pk=pk)
    ),
    turn=_partner_turn,
    remind=_remind_partner,
    reminders=ProviderSignatureReminder,
)
