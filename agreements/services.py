"""The life of an agreement: prepare, change, send, sign, seal, end, renew, flag for review."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts import audit
from accounts.models import Role, User, in_sentence
from accounts.outbox import queue_email, queue_task
from schools.models import NamedContact, School

from . import signing
from .models import (
    SIGNATURE_REMINDER_DAYS,
    ActingHeadteacher,
    Agreement,
    AgreementEvent,
    AgreementSettings,
    AgreementTemplate,
    AgreementVersion,
    Signature,
    SignatureReminder,
    add_months,
    reminder_days_of,
)
from .render import render_agreement_pdf, render_content_html
from .rules import countersigned_by, countersigning_sergeants, party_of
from .signing import client_evidence

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_DRAWING_BYTES = 300_000
# Who is who --------------------------------------------------------------------------


def headteachers_of(school: School):
    return User.objects.filter(
        organisation_id=school.organisation_id, role=Role.HEADTEACHER, is_active=True
    )


def school_signers(school: School, *, today=None):
    """Return who may sign for the school today: its headteachers and anyone named acting
    headteacher for a period that includes today."""
    acting = ActingHeadteacher.objects.current(on=today).filter(school=school).values("user_id")
    return User.objects.filter(
        Q(organisation_id=school.organisation_id, role=Role.HEADTEACHER) | Q(pk__in=acting),
        is_active=True,
    )


def people_for(agreement: Agreement, party: str):
    if party == Agreement.Party.SCHOOL:
        return list(school_signers(agreement.school))
    if party == Agreement.Party.POLICE:
        return [agreement.named_officer] if agreement.named_officer.is_active else []
    return list(countersigning_sergeants(agreement))


def current_named_officer(school: School, *, today=None) -> User | None:
    contact = (
        NamedContact.objects.current(on=today or timezone.localdate())
        .filter(school=school)
        .select_related("officer")
        .first()
    )
    return contact.officer if contact else None


def fitting_kind(officer: User | None) -> str:
    """Return the MoU variant for the officer who signs: its wording names them and says
    what kind of officer they are (see AgreementTemplate.kind_for)."""
    return AgreementTemplate.kind_for(officer)


def tier_wants_safer_schools_officer(school: School) -> bool:
    """True when the school's current tier calls for a Safer Schools officer as its contact:
    its service offer says so, or the school is Complex."""
    from needs_assessment.models import Assessment, ServiceOffer

    current = (
        Assessment.objects.current()
        .filter(school=school)
        .select_related("computed_level", "proposed_level")
        .first()
    )
    if current is None or current.level is None:
        return False
    offer = ServiceOffer.objects.filter(
        level=current.level, phase_group=ServiceOffer.phase_group_of(school)
    ).first()
    if offer is not None and offer.contact_role:
        return offer.contact_role == Role.SAFER_SCHOOLS_OFFICER
    return current.level.key == "complex"


def contact_advice(school: School, officer: User | None) -> str:
    """Tell the preparing officer when the school's tier calls for a Safer Schools officer but
    the officer who would sign is not one: the agreement then promises what the officer is,
    and the named contact is changed first to promise a Safer Schools officer."""
    if officer is None or officer.role == Role.SAFER_SCHOOLS_OFFICER:
        return ""
    if not tier_wants_safer_schools_officer(school):
        return ""
    role = in_sentence(officer.get_role_display())
    return (
        f"{school.name}'s tier calls for a Safer Schools officer, but {officer.display_name} is "
        f"a {role}. This memorandum will name them as the school's "
        "neighbourhood officer. To agree a dedicated Safer Schools officer instead, change the "
        "school's named police contact first."
    )


# The browser details kept with a signature, reused by other signing records (partnership's
# terms of reference).
_client = client_evidence
_email = signing.email_people
_latest_version = signing.latest_version


def _event(agreement, kind, *, actor=None, request=None, detail="", version=None, now=None):
    return signing.record_event(
        agreement,
        kind,
        actor=actor,
        request=request,
        detail=detail,
        now=now,
        version_number=version.number if version else None,
    )


def _start_turn(agreement: Agreement, *, now=None) -> None:
    """Start the clock of the signer whose turn it is: reminders count from now, and the
    link to sign works for the force's number of days."""
    now = now or timezone.now()
    days = AgreementSettings.for_force(agreement.force).signing_link_days
    agreement.awaiting_since = now
    agreement.sign_link_expires_at = now + datetime.timedelta(days=days)
    agreement.save(update_fields=["awaiting_since", "sign_link_expires_at", "updated"])


def _ask_next_party(agreement: Agreement, *, new_link=False) -> None:
    """Start the next signer's turn and email them, with the link to sign."""
    _start_turn(agreement)
    people = people_for(agreement, agreement.awaiting_party)
    sign_url = reverse("agreements:sign", args=[agreement.pk])
    countersign = agreement.awaiting_party == Agreement.Party.SERGEANT
    version = _latest_version(agreement)
    cause = f"v{version.number}.please_sign.{agreement.awaiting_party}"
    if new_link:
        cause += f".new_link.{agreement.awaiting_since:%Y%m%dT%H%M%S%f}"
    _email(
        people=people,
        cause=cause,
        template="please_sign",
        subject=f"Please {'countersign' if countersign else 'sign'} the agreement with "
        f"{agreement.school.name}",
        agreement=agreement,
        sign_url=sign_url,
        countersigner=countersigned_by(agreement) if countersign else "",
    )


# Preparing and sending ------------------------------------------------------------------


def _check_left_out(template: AgreementTemplate, left_out) -> list[str]:
    optional = {s["key"] for s in template.sections if s.get("optional")}
    unknown = set(left_out) - optional
    if unknown:
        raise ValidationError({"left_out": "Only optional sections can be left out."})
    return sorted(left_out)


@transaction.atomic
def agreement_prepare(
    *,
    school: School,
    by: User,
    template: AgreementTemplate | None = None,
    named_officer: User | None = None,
    local_arrangements: str | None = None,
    left_out=(),
    include_isa: bool = True,
    request=None,
) -> Agreement:
    """Open a draft agreement for the school with the fitting variant, or return the open one."""
    School.objects.select_for_update().filter(pk=school.pk).first()
    in_progress = (
        Agreement.objects.for_school(school)
        .filter(
            state__in=[Agreement.State.DRAFT, Agreement.State.SENT, Agreement.State.PARTLY_SIGNED]
        )
        .first()
    )
    if in_progress is not None:
        raise ValidationError("An agreement with this school is already being prepared or signed.")
    officer = named_officer or current_named_officer(school) or (by if by.is_officer else None)
    if officer is None:
        raise ValidationError({"named_officer": "Choose the officer who signs for the police."})
    published = AgreementTemplate.objects.filter(force=school.force).published()
    if template is None:
        template = published.filter(kind=fitting_kind(officer)).first()
    if (
        template is None
        or template.force_id != school.force_id
        or template.kind in {"isa", "provider"}
    ):
        raise ValidationError({"template": "Choose one of the force's published MoU templates."})
    isa = published.filter(kind=AgreementTemplate.Kind.ISA).first() if include_isa else None
    force_settings = AgreementSettings.for_force(school.force)
    if local_arrangements is None:
        local = next((s for s in template.sections if s.get("local")), None)
        local_arrangements = local["body"] if local else ""
    agreement = Agreement(
        force=school.force,
        school=school,
        template=template,
        isa_template=isa,
        named_officer=officer,
        prepared_by=by,
        local_arrangements=local_arrangements.strip(),
        left_out=_check_left_out(template, left_out),
        signing_order=force_settings.signing_order,
        sergeant_countersigns=force_settings.sergeant_countersigns,
    )
    agreement.full_clean()
    agreement.save()
    _event(agreement, AgreementEvent.Kind.PREPARED, actor=by, request=request)
    audit.record(
        "agreements.mou.prepared",
        actor=by,
        target=agreement,
        request=request,
        changes={"school": school.pk, "template": template.pk},
    )
    return agreement


def _freeze(agreement: Agreement, *, today=None) -> AgreementVersion:
    return signing.freeze_version(agreement, render_content_html(agreement, today=today))


@transaction.atomic
def agreement_update(
    *,
    agreement: Agreement,
    by: User,
    local_arrangements: str,
    left_out=(),
    named_officer: User | None = None,
    request=None,
) -> Agreement:
    """Change the local arrangements (and, in a draft, the officer); once sent, any change
    makes a new version that everyone signs again."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not agreement.is_editable:
        raise ValidationError("A signed or ended agreement cannot be changed.")
    before = {
        "local_arrangements": agreement.local_arrangements,
        "left_out": agreement.left_out,
        "named_officer": agreement.named_officer_id,
    }
    agreement.local_arrangements = local_arrangements.strip()
    agreement.left_out = _check_left_out(agreement.template, left_out)
    if named_officer is not None and agreement.state == Agreement.State.DRAFT:
        agreement.named_officer = named_officer
    after = {
        "local_arrangements": agreement.local_arrangements,
        "left_out": agreement.left_out,
        "named_officer": agreement.named_officer_id,
    }
    if before == after:
        return agreement
    agreement.full_clean()
    if agreement.state == Agreement.State.DRAFT:
        agreement.save()
        _event(agreement, AgreementEvent.Kind.CHANGED, actor=by, request=request)
    else:
        version = _freeze(agreement)
        agreement.state = Agreement.State.SENT
        agreement.awaiting_party = agreement.signing_sequence()[0]
        agreement.save()
        _event(
            agreement,
            AgreementEvent.Kind.NEW_VERSION,
            actor=by,
            request=request,
            version=version,
            detail="Changed after sending: every party signs the new version.",
        )
        _ask_next_party(agreement)
    audit.record(
        "agreements.mou.changed",
        actor=by,
        target=agreement,
        request=request,
        changes=audit.diff(before, after),
    )
    return agreement


@transaction.atomic
def agreement_send(*, agreement: Agreement, by: User, request=None, today=None) -> Agreement:
    """Freeze the draft's content as version 1 and ask the first party to sign."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.state != Agreement.State.DRAFT:
        raise ValidationError("This agreement has already been sent.")
    if not people_for(agreement, agreement.signing_sequence()[0]):
        raise ValidationError(
            "Nobody can sign first: the school needs a headteacher with an account, and the "
            "officer's account must be active."
        )
    if agreement.sergeant_countersigns and not countersigning_sergeants(agreement).exists():
        raise ValidationError(
            "Nobody can countersign: the force has no other sergeant with an active account. "
            "Ask an administrator to add one, or to turn off the sergeant's countersignature."
        )
    version = _freeze(agreement, today=today)
    agreement.state = Agreement.State.SENT
    agreement.awaiting_party = agreement.signing_sequence()[0]
    agreement.sent_at = timezone.now()
    agreement.clear_changes_requested()
    agreement.save()
    _event(agreement, AgreementEvent.Kind.SENT, actor=by, request=request, version=version)
    audit.record(
        "agreements.mou.sent",
        actor=by,
        target=agreement,
        request=request,
        changes={"version": version.number, "sha256": version.content_sha256},
    )
    _ask_next_party(agreement)
    return agreement


def agreement_record_view(*, agreement: Agreement, user: User, request=None) -> None:
    """Note on the timeline that a party due to sign opened the agreement (once a version)."""
    if not agreement.is_awaiting_signature or party_of(user, agreement) is None:
        return
    version = _latest_version(agreement)
    seen = AgreementEvent.objects.filter(
        agreement=agreement,
        kind=AgreementEvent.Kind.VIEWED,
        actor=user,
        version_number=version.number,
    ).exists()
    if not seen:
        _event(agreement, AgreementEvent.Kind.VIEWED, actor=user, request=request, version=version)


# Signing ----------------------------------------------------------------------------------


def decode_drawing(data_url: str) -> bytes:  # noqa: D401 - the sign pages of both kinds
    """Return the PNG bytes of a drawn signature sent as a data: URL ('' for none)."""
    import base64
    import binascii

    if not data_url:
        return b""
    prefix = "data:image/png;base64,"
    if not data_url.startswith(prefix):
        raise ValidationError({"drawn_signature": "The drawn signature could not be read."})
    try:
        png = base64.b64decode(data_url[len(prefix) :], validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError(
            {"drawn_signature": "The drawn signature could not be read."}
        ) from None
    if not png.startswith(PNG_MAGIC) or len(png) > MAX_DRAWING_BYTES:
        raise ValidationError({"drawn_signature": "The drawn signature could not be read."})
    return png


@transaction.atomic
def agreement_sign(
    *,
    agreement: Agreement,
    by: User,
    typed_name: str,
    confirmed: bool,
    drawn_png: bytes = b"",
    rank: str = "",
    collar_number: str = "",
    version_number: int | None = None,
    request=None,
    now=None,
) -> Signature:
    """Add the next party's signature of the latest version; the last one makes it active."""
    now = now or timezone.now()
    agreement = (
        Agreement.objects.select_for_update()
        .select_related("school__organisation", "force", "named_officer")
        .get(pk=agreement.pk)
    )
    party = party_of(by, agreement) if agreement.is_awaiting_signature else None
    if party is None:
        raise ValidationError("This agreement is not waiting for your signature.")
    if agreement.sign_link_has_expired(now=now):
        raise ValidationError(
            "The link to sign has expired. Ask the officer for a new link to sign."
        )
    version = signing.signable_version(agreement, version_number)
    extra_errors = {}
    if party != Agreement.Party.SCHOOL and not (rank.strip() and collar_number.strip()):
        extra_errors["rank"] = "Give your rank or role and your collar number"
    signing.check_signature_fields(
        typed_name,
        confirmed,
        confirm_message="Confirm that you sign for the school"
        if party == Agreement.Party.SCHOOL
        else "Confirm that you sign for the force",
        errors=extra_errors,
    )
    organisation = (
        agreement.school.name if party == Agreement.Party.SCHOOL else agreement.force.name
    )
    signature = signing.record_signature(
        agreement,
        version,
        party=party,
        by=by,
        typed_name=typed_name,
        drawn_png=drawn_png,
        organisation=organisation,
        request=request,
        now=now,
        rank=rank.strip(),
        collar_number=collar_number.strip(),
    )
    _event(
        agreement,
        AgreementEvent.Kind.SIGNED,
        actor=by,
        request=request,
        version=version,
        now=now,
        detail=f"{signature.signer_title} for {organisation}",
    )
    audit.record(
        "agreements.mou.signed",
        actor=by,
        target=agreement,
        request=request,
        changes={"party": party, "version": version.number, "sha256": version.content_sha256},
    )
    sequence = agreement.signing_sequence()
    signed = set(version.signatures.values_list("party", flat=True))
    remaining = [p for p in sequence if p not in signed]
    if remaining:
        agreement.state = Agreement.State.PARTLY_SIGNED
        agreement.awaiting_party = remaining[0]
        agreement.save(update_fields=["state", "awaiting_party", "updated"])
        _ask_next_party(agreement)
    else:
        _make_active(agreement, today=timezone.localtime(now).date(), now=now)
    return signature


def _make_active(agreement: Agreement, *, today: datetime.date, now) -> None:
    from .tasks import seal_agreement

    months = AgreementSettings.for_force(agreement.force).review_months
    if agreement.renews_id:
        # The renewed agreement steps down first: a school has one active agreement.
        old = Agreement.objects.select_for_update().get(pk=agreement.renews_id)
        if old.state == Agreement.State.ACTIVE:
            old.state = Agreement.State.RENEWED
            old.save(update_fields=["state", "updated"])
            _event(old, AgreementEvent.Kind.RENEWED, now=now, detail=f"Agreement {agreement.pk}")
    agreement.state = Agreement.State.ACTIVE
    agreement.awaiting_party = ""
    agreement.awaiting_since = None
    agreement.sign_link_expires_at = None
    agreement.active_on = today
    agreement.review_due_on = add_months(today, months)
    agreement.save()
    _event(agreement, AgreementEvent.Kind.ACTIVE, now=now)
    pk = agreement.pk
    transaction.on_commit(lambda: queue_task(seal_agreement, pk))


# Sealing --------------------------------------------------------------------------------


def agreement_seal(*, agreement_pk: int) -> bool:
    """Render and seal the PDF of an agreement all parties signed; email them. Idempotent:
    returns False when there is nothing to do."""

    def sealed(agreement, result):
        agreement.seal_failures = 0
        agreement.seal_failed_at = None
        filename = f"agreement-{agreement.school.urn}-{agreement.active_on:%Y-%m-%d}.pdf"
        # Written in the transaction that marks the agreement sealed: a worker killed after
        # the commit still leaves these rows for the outbox's sweeper to send.
        _email(
            people=signing.signers_of_latest(agreement),
            cause=f"sealed.{result.sha256[:16]}",
            template="sealed",
            subject=f"Your signed agreement with {agreement.school.name}",
            agreement=agreement,
            detail_url=agreement.get_absolute_url(),
            attachments=[(filename, result.pdf, "application/pdf")],
        )

    return signing.seal_signed(
        queryset=Agreement.objects.select_related("force", "school", "template", "named_officer"),
        pk=agreement_pk,
        render_pdf=render_agreement_pdf,
        stored_name=lambda agreement, digest: (
            f"agreements/{agreement.force.slug}/agreement-{agreement.pk}-{digest[:12]}.pdf"
        ),
        sealed=sealed,
    )


def agreement_seal_failed(*, agreement_pk: int, error: str) -> None:
    """Sealing gave up after its retries: show it on the agreement and tell the force's
    administrators (once per failure run); the sweeper keeps retrying."""
    with transaction.atomic():
        agreement = (
            Agreement.objects.select_for_update()
            .select_related("force")
            .filter(pk=agreement_pk)
            .first()
        )
        if agreement is None or agreement.is_sealed:
            return
        agreement.seal_failures += 1
        agreement.seal_failed_at = timezone.now()
        agreement.save(update_fields=["seal_failures", "seal_failed_at", "updated"])
        if agreement.seal_failures == 1:
            admins = User.objects.filter(
                organisation__force=agreement.force, role=Role.FORCE_ADMIN, is_active=True
            )
            _email(
                people=list(admins),
                cause=f"seal_failed.{agreement.seal_failed_at:%Y%m%dT%H%M%S%f}",
                template="seal_failed",
                subject=f"Sealing an agreement with {agreement.school.name} failed",
                agreement=agreement,
                error=error,
            )


def agreements_stuck_unsealed(
    *, older_than=datetime.timedelta(minutes=5), now=None, ignore_backoff=False
):
    """Agreements signed by all parties but not sealed some minutes later. Those that
    failed before are retried with back-off: after n failures, wait 5 × 2ⁿ minutes (at
    most a day) since the last failure."""
    now = now or timezone.now()
    candidates = Agreement.objects.filter(
        state__in=[Agreement.State.ACTIVE, Agreement.State.RENEWED],
        sealed_sha256="",
        updated__lte=now - older_than,
    ).only("pk", "seal_failures", "seal_failed_at")
    due = []
    for agreement in candidates:
        if agreement.seal_failures and agreement.seal_failed_at and not ignore_backoff:
            wait = min(
                datetime.timedelta(minutes=5) * (2**agreement.seal_failures),
                datetime.timedelta(days=1),
            )
            if agreement.seal_failed_at > now - wait:
                continue
        due.append(agreement.pk)
    return due


# Ending, renewing and review ------------------------------------------------------------


@transaction.atomic
def agreement_end(
    *, agreement: Agreement, by: User, reason: str, ended_on: datetime.date, request=None
) -> Agreement:
    """End the agreement with a reason and date, and tell the other party."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.state not in {
        Agreement.State.SENT,
        Agreement.State.PARTLY_SIGNED,
        Agreement.State.ACTIVE,
    }:
        raise ValidationError("Only an agreement being signed or in force can be ended.")
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for ending the agreement"})
    previous = agreement.state
    agreement.state = Agreement.State.ENDED
    agreement.awaiting_party = ""
    agreement.awaiting_since = None
    agreement.sign_link_expires_at = None
    agreement.ended_on = ended_on
    agreement.ended_reason = reason.strip()
    agreement.ended_by = by
    agreement.save()
    _event(agreement, AgreementEvent.Kind.ENDED, actor=by, request=request, detail=reason)
    audit.record(
        "agreements.mou.ended",
        actor=by,
        target=agreement,
        request=request,
        changes={"state": [previous, "ended"], "ended_on": str(ended_on), "reason": reason},
    )
    if by.is_school_staff:
        others = [agreement.named_officer] if agreement.named_officer.is_active else []
    else:
        others = list(headteachers_of(agreement.school))
        if by.pk != agreement.named_officer_id and agreement.named_officer.is_active:
            others.append(agreement.named_officer)
    _email(
        people=others,
        cause="ended",
        template="ended",
        subject=f"The agreement with {agreement.school.name} has been ended",
        agreement=agreement,
        ended_by=by,
    )
    return agreement


@transaction.atomic
def agreement_renew(*, agreement: Agreement, by: User, request=None) -> Agreement:
    """Start the renewal of an active agreement: a new draft, with the current wording,
    that everyone signs again. The old agreement stays in force, and readable, until then."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.state != Agreement.State.ACTIVE:
        raise ValidationError("Only an agreement in force can be renewed.")
    existing = Agreement.objects.filter(renews=agreement).first()
    if existing is not None:
        return existing
    school = agreement.school
    officer = current_named_officer(school) or agreement.named_officer
    # The wording follows today's officer: a school whose contact changed from a
    # neighbourhood officer to a Safer Schools officer renews on the Safer Schools variant.
    kind = fitting_kind(officer)
    template = (
        AgreementTemplate.objects.filter(force=agreement.force, kind=kind).published().first()
        or agreement.template
    )
    renewal = agreement_prepare(
        school=school,
        by=by,
        template=template,
        named_officer=officer,
        local_arrangements=agreement.local_arrangements,
        left_out=[k for k in agreement.left_out if template.section(k)],
        include_isa=agreement.isa_template_id is not None,
        request=request,
    )
    renewal.renews = agreement
    renewal.save(update_fields=["renews", "updated"])
    agreement.review_suggested = False
    agreement.save(update_fields=["review_suggested", "updated"])
    _event(
        agreement,
        AgreementEvent.Kind.RENEWAL_STARTED,
        actor=by,
        request=request,
        detail=f"Agreement {renewal.pk}",
    )
    return renewal


def agreements_flag_review(*, school: School, reason: str) -> int:
    """Mark the school's live agreements "review suggested"; return how many were flagged."""
    flagged = 0
    for agreement in (
        Agreement.objects.for_school(school).live().exclude(state=Agreement.State.DRAFT)
    ):
        agreement.review_suggested = True
        agreement.review_suggested_reason = reason[:250]
        agreement.save(update_fields=["review_suggested", "review_suggested_reason", "updated"])
        _event(agreement, AgreementEvent.Kind.REVIEW_SUGGESTED, detail=reason)
        flagged += 1
    return flagged


@transaction.atomic
def settings_update(*, force_settings: AgreementSettings, by: User, changes: dict, request=None):
    before = audit.snapshot(force_settings)
    for field, value in changes.items():
        setattr(force_settings, field, value)
    force_settings.full_clean()
    force_settings.save()
    audit.record(
        "agreements.settings.changed",
        actor=by,
        target=force_settings,
        request=request,
        force=force_settings.force,
        changes=audit.diff(before, audit.snapshot(force_settings)),
    )
    return force_settings


@transaction.atomic
def template_new_version(
    *, template: AgreementTemplate, by: User, title: str, bodies: dict[str, str], request=None
) -> AgreementTemplate:
    """Publish a new version of a template with changed wording; the old one stays as it was."""
    sections = []
    for section in template.sections:
        changed = dict(section)
        if section["key"] in bodies:
            changed["body"] = bodies[section["key"]].strip()
        sections.append(changed)
    if title.strip() == template.title and sections == template.sections:
        return template
    latest = (
        AgreementTemplate.objects.select_for_update()
        .filter(force=template.force, kind=template.kind)
        .order_by("-version")
        .first()
    )
    AgreementTemplate.objects.filter(
        force=template.force, kind=template.kind, is_published=True
    ).update(is_published=False)
    new = AgreementTemplate.objects.create(
        force=template.force,
        kind=template.kind,
        version=latest.version + 1,
        title=title.strip(),
        sections=sections,
        is_published=True,
    )
    audit.record(
        "agreements.template.published",
        actor=by,
        target=new,
        request=request,
        changes={"from_version": template.version, "version": new.version},
    )
    return new


# Chasing what is unsigned -----------------------------------------------------------------


def signature_reminder_due(agreement: Agreement, days: list[int], *, now) -> int | None:
    """Return the reminder day due now for the signer whose turn it is, or None: the latest
    day passed (an earlier one missed is not sent late); none once the link has expired."""
    turn = _school_turn(agreement, now)
    return signing.reminder_day_due(turn[1], days, now=now) if turn else None


def _school_turn(agreement: Agreement, now):
    """Whose turn it is and since when; None once the link has expired (a new link is sent
    by the officer, and the reminders count from it)."""
    if not agreement.is_awaiting_signature or agreement.awaiting_since is None:
        return None
    if agreement.sign_link_has_expired(now=now):
        return None
    return agreement.awaiting_party, agreement.awaiting_since


def _remind_school_signer(agreement: Agreement, party: str, day: int, now) -> None:
    version = _latest_version(agreement)
    _email(
        people=people_for(agreement, party),
        cause=f"v{version.number}.sign_reminder.{party}."
        f"{agreement.awaiting_since:%Y%m%dT%H%M%S%f}.{day}",
        template="sign_reminder",
        subject=f"Reminder: the agreement with {agreement.school.name} is waiting "
        "for your signature",
        agreement=agreement,
        sign_url=reverse("agreements:sign", args=[agreement.pk]),
        days_waiting=(now - agreement.awaiting_since).days,
    )
    _event(
        agreement,
        AgreementEvent.Kind.SIGN_REMINDED,
        now=now,
        version=version,
        detail=f"{Agreement.Party(party).label}, after {day} days",
    )


SCHOOL_CHASE = signing.Chase(
    waiting=lambda: (
        Agreement.objects.awaiting_signature()
        .filter(awaiting_since__isnull=False)
        .exclude(school__status="closed")
        .values_list("pk", "force_id")
    ),
    locked=lambda pk: (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("school", "force", "named_officer")
        .get(pk=pk)
    ),
    turn=_school_turn,
    remind=_remind_school_signer,
    reminders=SignatureReminder,
)


def send_signature_reminders(*, now=None) -> int:
    """Remind each signer whose turn has lasted 3, 7 and 14 days (the force's days), once
    each, of a school's agreement and of a provider agreement alike; return how many
    reminders were sent."""
    from .provider_services import PROVIDER_CHASE

    now = now or timezone.now()
    days_by_force = {
        force_id: reminder_days_of(text)
        for force_id, text in AgreementSettings.objects.values_list(
            "force_id", "signature_reminder_days"
        )
    }

    def days_of(force_id):
        found = days_by_force.get(force_id)
        return reminder_days_of(SIGNATURE_REMINDER_DAYS) if found is None else found

    return sum(
        signing.chase(each, days_of=days_of, now=now) for each in (SCHOOL_CHASE, PROVIDER_CHASE)
    )


@transaction.atomic
def agreement_new_link(*, agreement: Agreement, by: User, request=None) -> Agreement:
    """Send the signer whose turn it is a new link to sign: it works for the force's number
    of days from now, and the reminders count again from now."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not agreement.is_awaiting_signature:
        raise ValidationError("This agreement is not waiting for a signature.")
    if not people_for(agreement, agreement.awaiting_party):
        raise ValidationError("Nobody with an active account can sign next.")
    _ask_next_party(agreement, new_link=True)
    version = _latest_version(agreement)
    _event(
        agreement,
        AgreementEvent.Kind.NEW_LINK,
        actor=by,
        request=request,
        version=version,
        detail=f"To the {Agreement.Party(agreement.awaiting_party).label.lower()}; works "
        f"until {timezone.localtime(agreement.sign_link_expires_at):%-d %B %Y}",
    )
    audit.record(
        "agreements.mou.new_link",
        actor=by,
        target=agreement,
        request=request,
        changes={"party": agreement.awaiting_party},
    )
    return agreement


@transaction.atomic
def agreement_request_changes(
    *, agreement: Agreement, by: User, reason: str, request=None
) -> Agreement:
    """The signer whose turn it is declines to sign and asks for changes: the agreement goes
    back to the officer as a draft, with the reason; the officer changes it and sends it again,
    and everyone signs the new version."""
    agreement = (
        Agreement.objects.select_for_update()
        .select_related("school__organisation", "named_officer", "prepared_by")
        .get(pk=agreement.pk)
    )
    party = party_of(by, agreement) if agreement.is_awaiting_signature else None
    if party is None:
        raise ValidationError("This agreement is not waiting for your signature.")
    previous = agreement.state
    reason = agreement.return_for_changes(by=by, reason=reason)
    agreement.awaiting_party = ""
    agreement.awaiting_since = None
    agreement.sign_link_expires_at = None
    agreement.full_clean()
    agreement.save()
    version = _latest_version(agreement)
    _event(
        agreement,
        AgreementEvent.Kind.CHANGES_REQUESTED,
        actor=by,
        request=request,
        version=version,
        detail=reason,
    )
    audit.record(
        "agreements.mou.changes_requested",
        actor=by,
        target=agreement,
        request=request,
        changes={"state": [previous, "draft"], "party": party, "reason": reason},
    )
    _email(
        people=signing.people_to_tell(agreement.named_officer, agreement.prepared_by, besides=by),
        cause=f"v{version.number}.changes_requested.{party}",
        template="changes_requested",
        subject=f"Changes requested to the agreement with {agreement.school.name}",
        agreement=agreement,
        requested_by=by,
        reason=reason,
        detail_url=agreement.get_absolute_url(),
    )
    return agreement


# Acting headteachers and copies to others ---------------------------------------------------


@transaction.atomic
def acting_head_name(
    *, school: School, user: User, starts_on, ends_on, by: User, request=None
) -> ActingHeadteacher:
    """Name a member of the school's staff acting headteacher for a period: during it they
    may sign the school's agreement."""
    acting = ActingHeadteacher(
        school=school, user=user, starts_on=starts_on, ends_on=ends_on, named_by=by
    )
    acting.full_clean()
    acting.save()
    audit.record(
        "agreements.acting_head.named",
        actor=by,
        target=acting,
        request=request,
        force=school.force,
        changes={"user": user.pk, "starts_on": str(starts_on), "ends_on": str(ends_on)},
    )
    return acting


MAX_SHARE_ADDRESSES = 10


@transaction.atomic
def agreement_share(
    *, agreement: Agreement, by: User, addresses: list[str], note: str = "", request=None
) -> int:
    """Email the sealed PDF to people the sender names (the governors' clerk, the school's
    senior link); logged on the timeline and in the audit. Return how many were sent."""
    from django.core.validators import validate_email

    agreement = (
        Agreement.objects.select_for_update().select_related("school", "force").get(pk=agreement.pk)
    )
    if not agreement.is_sealed:
        raise ValidationError("The signed PDF is not ready yet.")
    cleaned = list(dict.fromkeys(a.strip().lower() for a in addresses if a.strip()))
    if not cleaned:
        raise ValidationError({"addresses": "Enter at least one email address"})
    if len(cleaned) > MAX_SHARE_ADDRESSES:
        raise ValidationError({"addresses": f"Enter at most {MAX_SHARE_ADDRESSES} email addresses"})
    for address in cleaned:
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError(
                {"addresses": f"“{address[:80]}” is not an email address"}
            ) from None
    with agreement.sealed_pdf.open("rb") as handle:
        pdf = handle.read()
    now = timezone.now()
    filename = f"agreement-{agreement.school.urn}-{agreement.active_on:%Y-%m-%d}.pdf"
    for address in cleaned:
        queue_email(
            to=address,
            template="agreements/email/shared",
            subject=f"The signed agreement between {agreement.school.name} and "
            f"{agreement.force.name}",
            context={"agreement": agreement, "sender": by, "note": note.strip()},
            key=f"agreements.agreement.{agreement.pk}.shared.{now:%Y%m%dT%H%M%S%f}",
            about=agreement,
            force=agreement.force_id,
            attachments=[(filename, pdf, "application/pdf")],
        )
    _event(
        agreement,
        AgreementEvent.Kind.SHARED,
        actor=by,
        request=request,
        now=now,
        detail=f"To {', '.join(cleaned)}",
    )
    audit.record(
        "agreements.mou.shared",
        actor=by,
        target=agreement,
        request=request,
        changes={"to": cleaned, "sha256": agreement.sealed_sha256},
    )
    return len(cleaned)
