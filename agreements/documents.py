"""Documents both sides attach to an agreement: the police's generic risk assessment and
liability insurance (held once per force) and the school's risk assessment, fire risk
assessment, fire plan, liability insurance, anti-bullying and behaviour policies.

- An upload is checked by its content, not its name: a PDF starts "%PDF-", an office
  document is a ZIP holding the entries of its format; anything else (an executable named
  .pdf, a macro-enabled workbook) is refused in plain English.
- It is stored privately through the configured storage (as sealed PDFs are) with its
  SHA-256, and served only by a permission-checked view that logs the access.
- The content people sign lists every document by name, file and SHA-256 (see
  render.content_context): a document changed while an agreement is being signed makes a
  new version of it, so every signature and the seal cover the hashes listed.
- Missing, expiring and expired documents are shown on the agreement page and the
  officer's waiting list, and chased by email, once per document and stage.
"""

import datetime
import io
import os
import re
import uuid
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts import audit
from accounts.models import FORCE_MANAGEMENT_ROLES, Force, Role, User
from accounts.outbox import queue_email
from schools.models import School

from .models import (
    DOCUMENT_KINDS,
    POLICE_SIDE,
    SCHOOL_SIDE,
    Agreement,
    AgreementDocument,
    AgreementEvent,
    DocumentKind,
    DocumentReminder,
    kind_expires,
    kinds_of,
    sha256_hex,
    side_of,
)

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
EXPIRING_WITHIN = datetime.timedelta(days=30)


def max_bytes() -> int:
    return getattr(settings, "AGREEMENT_DOCUMENT_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_size_label() -> str:
    return f"{max_bytes() // (1024 * 1024)} MB"


# What an upload really is ------------------------------------------------------------------

PDF = "application/pdf"
# Extension: (content type, an entry the ZIP must hold, or the ODF "mimetype" it must declare)
OFFICE_FORMATS = {
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "word/document.xml",
    ),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xl/workbook.xml",
    ),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "ppt/presentation.xml",
    ),
    "odt": ("application/vnd.oasis.opendocument.text", None),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", None),
    "odp": ("application/vnd.oasis.opendocument.presentation", None),
}
ACCEPTED_EXTENSIONS = ("pdf", *OFFICE_FORMATS)
ACCEPT_ATTRIBUTE = ",".join(f".{ext}" for ext in ACCEPTED_EXTENSIONS) + f",{PDF}"
KINDS_WORDING = "a PDF, or a Word, Excel, PowerPoint or OpenDocument file"
EXECUTABLE_MAGICS = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa", b"\xcf\xfa\xed\xfe", b"#!")


def _refuse(message):
    raise ValidationError({"file": message})


def sniff(data: bytes, filename: str) -> tuple[str, str]:
    """Return (extension, content type) of a document from its bytes, checked against its
    name; raise ValidationError, in plain English, for anything else."""
    extension = os.path.splitext(filename or "")[1].lower().lstrip(".")
    if extension not in ACCEPTED_EXTENSIONS:
        _refuse(f"The file must be {KINDS_WORDING} (.pdf, .docx, .xlsx, .odt and similar)")
    if data.startswith(EXECUTABLE_MAGICS):
        _refuse("This file is a program, not a document. Upload the document as a PDF")
    if extension == "pdf":
        if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
            _refuse("This file is not a PDF, or it is damaged. Save the document as a PDF again")
        return extension, PDF
    content_type, required_entry = OFFICE_FORMATS[extension]
    wrong = f"This file is not a .{extension} document, or it is damaged. Save it again"
    if not data.startswith(b"PK\x03\x04"):
        _refuse(wrong)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if required_entry is None:
                declared = archive.read("mimetype")[:100] if "mimetype" in names else b""
                if declared.decode("ascii", "replace").strip() != content_type:
                    _refuse(wrong)
            elif "[Content_Types].xml" not in names or required_entry not in names:
                _refuse(wrong)
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError, NotImplementedError):
        _refuse(wrong)
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        _refuse("This document contains macros. Save it without macros, or as a PDF")
    return extension, content_type


def _safe_name(filename: str) -> str:
    base = os.path.basename((filename or "").replace("\\", "/"))
    base = re.sub(r"[^\w.\- ()]+", "_", base).strip(" ._") or "document"
    return base[-200:]


# Uploading -------------------------------------------------------------------------------


def _storage_name(force: Force, school: School | None, kind: str, digest: str, ext: str) -> str:
    owner = f"school-{school.urn}" if school is not None else "force"
    return (
        f"agreement-documents/{force.slug}/{owner}/"
        f"{kind}-{digest[:12]}-{uuid.uuid4().hex[:8]}.{ext}"
    )


@transaction.atomic
def document_upload(
    *,
    force: Force,
    school: School | None,
    kind: str,
    upload,
    by: User,
    expires_on: datetime.date | None = None,
    request=None,
) -> AgreementDocument:
    """Store an uploaded document of `kind` for the force (school None) or a school, checked by
    its content and size; it replaces the current one of that kind (kept, for the agreements
    that list it). Agreements being signed that list it get a new version."""
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": "Choose which document this is"})
    if (side_of(kind) == SCHOOL_SIDE) != (school is not None):
        raise ValidationError({"kind": "This document is supplied by the other side."})
    if upload is None:
        _refuse("Choose the file to upload")
    if upload.size > max_bytes():
        _refuse(f"The file must be smaller than {max_size_label()}")
    if upload.size == 0:
        _refuse("The file is empty")
    upload.seek(0)
    data = upload.read(max_bytes() + 1)
    if len(data) > max_bytes():
        _refuse(f"The file must be smaller than {max_size_label()}")
    extension, content_type = sniff(data, upload.name)
    if not kind_expires(kind):
        expires_on = None
    digest = sha256_hex(data)
    owner = Q(school=school) if school is not None else Q(school__isnull=True)
    previous = (
        AgreementDocument.objects.select_for_update(of=("self",))
        .filter(owner, force=force, kind=kind)
        .current()
        .order_by("-created")  # the model's order joins the school: PostgreSQL locks no outer join
        .first()
    )
    now = timezone.now()
    document = AgreementDocument(
        force=force,
        school=school,
        kind=kind,
        original_name=_safe_name(upload.name),
        content_type=content_type,
        size=len(data),
        sha256=digest,
        expires_on=expires_on,
        uploaded_by=by,
    )
    if previous is not None:
        previous.replaced_at = now
        previous.save(update_fields=["replaced_at", "updated"])
    document.full_clean(exclude=["file"])
    name = _storage_name(force, school, kind, digest, extension)
    # Stored first: a failure after this leaves an orphan file, never a row without its file.
    document.file.name = default_storage.save(name, ContentFile(data))
    document.save()
    audit.record(
        "agreements.document.uploaded",
        actor=by,
        target=document,
        request=request,
        force=force,
        changes={
            "kind": kind,
            "school": school.pk if school else None,
            "sha256": digest,
            "replaces": previous.pk if previous else None,
            "expires_on": str(expires_on) if expires_on else None,
        },
    )
    _new_versions_for(document, by=by, request=request)
    return document


def _new_versions_for(document: AgreementDocument, *, by: User, request=None) -> int:
    """Agreements being signed that list this kind of document get a new version listing the
    new upload: the signers sign what is listed. When somebody had signed the version it
    replaces, every party signs again (they are asked by email); otherwise the turn goes on."""
    from . import services

    being_signed = Agreement.objects.awaiting_signature().filter(force_id=document.force_id)
    if document.school_id:
        being_signed = being_signed.filter(school_id=document.school_id)
    changed = 0
    for agreement in being_signed.select_for_update().select_related("school", "force"):
        latest = services._latest_version(agreement)
        had_signatures = latest is not None and latest.signatures.exists()
        version = services._freeze(agreement)
        label = document.get_kind_display()
        if had_signatures:
            agreement.state = Agreement.State.SENT
            agreement.awaiting_party = agreement.signing_sequence()[0]
            agreement.save(update_fields=["state", "awaiting_party", "updated"])
            detail = f"{label} uploaded: every party signs the new version."
        else:
            detail = f"{label} uploaded: the new version lists it."
        services._event(
            agreement,
            AgreementEvent.Kind.NEW_VERSION,
            actor=by,
            request=request,
            version=version,
            detail=detail,
        )
        if had_signatures:
            services._ask_next_party(agreement)
        changed += 1
    return changed


# What an agreement lists ---------------------------------------------------------------------


@dataclass
class Slot:
    """One kind of document an agreement lists: the current upload of it, or none."""

    kind: str
    label: str
    side: str
    expires: bool
    document: AgreementDocument | None
    stage: str  # "", or a DocumentReminder.Stage value

    @property
    def needs_attention(self):
        return bool(self.stage)


def stage_of(document: AgreementDocument | None, kind: str, *, today) -> str:
    if document is None:
        return DocumentReminder.Stage.MISSING
    if kind_expires(kind) and document.expires_on is not None:
        if document.expires_on < today:
            return DocumentReminder.Stage.EXPIRED
        if document.expires_on <= today + EXPIRING_WITHIN:
            return DocumentReminder.Stage.EXPIRING
    return ""


def slots_from(documents, *, today=None) -> list[Slot]:
    """Return a slot per kind, police first, from the current documents of one school (and
    its force)."""
    today = today or timezone.localdate()
    by_kind = {document.kind: document for document in documents}
    return [
        Slot(
            kind=kind,
            label=DocumentKind(kind).label,
            side=side,
            expires=expires,
            document=by_kind.get(kind),
            stage=stage_of(by_kind.get(kind), kind, today=today),
        )
        for kind, (side, expires) in DOCUMENT_KINDS.items()
    ]


def slots_for(school: School, *, today=None) -> list[Slot]:
    documents = AgreementDocument.objects.for_school(school).select_related("uploaded_by")
    return slots_from(documents, today=today)


def schedule_for(agreement: Agreement) -> list[dict]:
    """What the signed content lists: each kind of document, who supplies it, and the file
    and SHA-256 of the current upload (or that it is not provided)."""
    rows = []
    for slot in slots_for(agreement.school):
        document = slot.document
        rows.append(
            {
                "label": slot.label,
                "supplier": agreement.force.name if slot.side == POLICE_SIDE else "The school",
                "name": document.original_name if document else "",
                "sha256": document.sha256 if document else "",
                "uploaded_on": timezone.localtime(document.created).date() if document else None,
                "expires_on": document.expires_on if document else None,
            }
        )
    return rows


def panel_for(agreement: Agreement, user: User, *, today=None) -> dict:
    """What the agreement page's documents section shows this user."""
    slots = slots_for(agreement.school, today=today)
    for slot in slots:
        slot.may_upload = may_upload(user, agreement, slot.kind)
    return {
        "slots": slots,
        "attention": [slot for slot in slots if slot.needs_attention],
        "max_size": max_size_label(),
    }


def may_upload(user: User, agreement: Agreement, kind: str) -> bool:
    perm = (
        "agreements.upload_school_document"
        if side_of(kind) == SCHOOL_SIDE
        else "agreements.upload_force_document"
    )
    return user.has_perm(perm, agreement if side_of(kind) == SCHOOL_SIDE else agreement.force)


def chase_list(agreements, *, today=None) -> list[dict]:
    """For the officer's waiting list: each agreement with documents missing, expiring or
    expired, and which. Two queries however many agreements."""
    agreements = list(agreements)
    if not agreements:
        return []
    school_ids = {a.school_id for a in agreements}
    force_ids = {a.force_id for a in agreements}
    documents = AgreementDocument.objects.current().filter(
        Q(school_id__in=school_ids) | Q(school__isnull=True, force_id__in=force_ids)
    )
    of_force: dict[int, list] = {}
    of_school: dict[int, list] = {}
    for document in documents.only("pk", "kind", "school_id", "force_id", "expires_on"):
        if document.school_id:
            of_school.setdefault(document.school_id, []).append(document)
        else:
            of_force.setdefault(document.force_id, []).append(document)
    found = []
    for agreement in agreements:
        slots = slots_from(
            of_force.get(agreement.force_id, []) + of_school.get(agreement.school_id, []),
            today=today,
        )
        attention = [slot for slot in slots if slot.needs_attention]
        if attention:
            found.append({"agreement": agreement, "slots": attention})
    return found


def agreements_to_chase_for(user: User, *, limit=200):
    """The live agreements (sent, being signed or active) whose documents the user chases:
    the officer's own; a sergeant's or manager's cover the force."""
    agreements = (
        Agreement.objects.visible_to(user)
        .filter(
            state__in=[Agreement.State.SENT, Agreement.State.PARTLY_SIGNED, Agreement.State.ACTIVE]
        )
        .select_related("school")
        .order_by("school__name", "pk")
    )
    if user.role not in {Role.SERGEANT, Role.PREVENTION_MANAGER}:
        agreements = agreements.filter(Q(named_officer=user) | Q(prepared_by=user))
    return chase_list(agreements[:limit])


# Chasing by email -----------------------------------------------------------------------------


def _suppliers_of_school(school: School):
    return list(
        User.objects.filter(
            organisation_id=school.organisation_id,
            role__in=[Role.HEADTEACHER, Role.SCHOOL_LINK],
            is_active=True,
        )
    )


def _suppliers_of_force(force_id: int):
    return list(
        User.objects.filter(
            organisation__force_id=force_id, role__in=FORCE_MANAGEMENT_ROLES, is_active=True
        )
    )


STAGE_WORDS = {
    DocumentReminder.Stage.MISSING: "is missing",
    DocumentReminder.Stage.EXPIRING: "expires soon",
    DocumentReminder.Stage.EXPIRED: "has expired",
}


def _chase(*, force_id, school, slot, people, agreement, now) -> bool:
    """Send one stage's email about one document, once: False when it was sent before."""
    document_ref = slot.document.pk if slot.document is not None else 0
    owner_ref = school.pk if school is not None else 0
    try:
        with transaction.atomic():
            DocumentReminder.objects.create(
                force_id=force_id,
                school=school,
                owner_ref=owner_ref,
                kind=slot.kind,
                stage=slot.stage,
                document_ref=document_ref,
                sent_at=now,
            )
            owner = school.name if school is not None else "the force"
            for person in people:
                queue_email(
                    to=person.email,
                    template="agreements/documents/email/chase",
                    subject=f"The {slot.label.lower()} of {owner} {STAGE_WORDS[slot.stage]}",
                    context={
                        "user": person,
                        "slot": slot,
                        "stage_words": STAGE_WORDS[slot.stage],
                        "owner": owner,
                        "agreement": agreement,
                        "agreement_url": reverse("agreements:detail", args=[agreement.pk]),
                    },
                    key=f"agreements.document.{force_id}.{owner_ref}.{slot.kind}."
                    f"{slot.stage}.{document_ref}",
                    about=agreement,
                    force=force_id,
                )
    except IntegrityError:
        return False
    return True


def send_document_reminders(*, today=None, now=None) -> int:
    """Email the side that must supply each document missing, expiring within 30 days or
    expired, for every live agreement: once per document and stage (a row records each).
    Return how many reminders were sent."""
    now = now or timezone.now()
    today = today or timezone.localdate()
    live = (
        Agreement.objects.filter(
            state__in=[Agreement.State.SENT, Agreement.State.PARTLY_SIGNED, Agreement.State.ACTIVE]
        )
        .exclude(school__status="closed")
        .select_related("school")
        .order_by("force_id", "school_id", "-pk")
    )
    sent_before = {
        (r.force_id, r.owner_ref, r.kind, r.stage, r.document_ref)
        for r in DocumentReminder.objects.all().only(
            "force_id", "owner_ref", "kind", "stage", "document_ref"
        )
    }
    sent = 0
    seen_schools, seen_forces = set(), {}
    for entry in chase_list(live, today=today):
        agreement = entry["agreement"]
        if agreement.school_id in seen_schools:
            continue
        seen_schools.add(agreement.school_id)
        for slot in entry["slots"]:
            police = slot.side == POLICE_SIDE
            if police:
                # The force's documents are chased once, about one of its agreements.
                seen_forces.setdefault(agreement.force_id, set())
                if slot.kind in seen_forces[agreement.force_id]:
                    continue
                seen_forces[agreement.force_id].add(slot.kind)
            school = None if police else agreement.school
            ref = (
                agreement.force_id,
                0 if police else agreement.school_id,
                slot.kind,
                slot.stage,
                slot.document.pk if slot.document is not None else 0,
            )
            if ref in sent_before:
                continue
            people = (
                _suppliers_of_force(agreement.force_id)
                if police
                else _suppliers_of_school(agreement.school)
            )
            if not people:
                continue
            sent += _chase(
                force_id=agreement.force_id,
                school=school,
                slot=slot,
                people=people,
                agreement=agreement,
                now=now,
            )
    return sent


__all__ = [
    "ACCEPT_ATTRIBUTE",
    "POLICE_SIDE",
    "SCHOOL_SIDE",
    "agreements_to_chase_for",
    "document_upload",
    "kinds_of",
    "panel_for",
    "schedule_for",
    "send_document_reminders",
    "sniff",
]
