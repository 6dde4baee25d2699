"""Demo documents for `manage.py seed_demo`: the force's risk assessment and insurance, and
some of the demo schools' documents, as small real PDFs. Seeded before the demo agreements,
so those list them; the demo school still misses some (they show as to chase). Once per force.
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from accounts.models import Role, User
from agreements.documents import document_upload
from agreements.models import AgreementDocument, DocumentKind


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def tiny_pdf(title: str, lines=()) -> bytes:
    """Return a small, valid one-page PDF showing a title and a few lines (Helvetica)."""
    text = ["BT", "/F1 18 Tf", "72 770 Td", f"({_escape(title)}) Tj", "/F1 11 Tf"]
    for line in lines:
        text += ["0 -22 Td", f"({_escape(line)}) Tj"]
    stream = "\n".join([*text, "ET"]).encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def _upload(*, force, school, kind, by, expires_on=None):
    label = DocumentKind(kind).label
    owner = school.name if school is not None else force.name
    data = tiny_pdf(label, [owner, "Demonstration document: not a real policy."])
    filename = label.lower().replace(" ", "-") + ".pdf"
    document_upload(
        force=force,
        school=school,
        kind=kind,
        upload=SimpleUploadedFile(filename, data, "application/pdf"),
        by=by,
        expires_on=expires_on,
    )


def seed(force, *, by_role, partners, demo_school, other_school, schools, today) -> str:
    """Seed the force's demo documents once; return a short summary ("9 documents")."""
    existing = AgreementDocument.objects.filter(force=force).count()
    if existing:
        return f"{existing} documents"
    manager = by_role.get(Role.PREVENTION_MANAGER)
    with transaction.atomic():
        if manager is not None:
            _upload(force=force, school=None, kind=DocumentKind.POLICE_RISK_ASSESSMENT, by=manager)
            _upload(
                force=force,
                school=None,
                kind=DocumentKind.POLICE_INSURANCE,
                by=manager,
                expires_on=today + datetime.timedelta(days=240),
            )
        other_head = User.objects.filter(
            organisation_id=other_school.organisation_id, role=Role.HEADTEACHER, is_active=True
        ).first()
        if other_head is not None:
            # Every document of the signed school; its insurance expires within the month.
            for kind in (
                DocumentKind.SCHOOL_RISK_ASSESSMENT,
                DocumentKind.FIRE_RISK_ASSESSMENT,
                DocumentKind.FIRE_PLAN,
                DocumentKind.ANTI_BULLYING_POLICY,
                DocumentKind.BEHAVIOUR_POLICY,
            ):
                _upload(force=force, school=other_school, kind=kind, by=other_head)
            _upload(
                force=force,
                school=other_school,
                kind=DocumentKind.SCHOOL_INSURANCE,
                by=other_head,
                expires_on=today + datetime.timedelta(days=20),
            )
        head = by_role.get(Role.HEADTEACHER)
        if head is not None and head.organisation_id == demo_school.organisation_id:
            # The demo school has sent two: the rest show as missing, to chase.
            for kind in (DocumentKind.SCHOOL_RISK_ASSESSMENT, DocumentKind.BEHAVIOUR_POLICY):
                _upload(force=force, school=demo_school, kind=kind, by=head)
    return f"{AgreementDocument.objects.filter(force=force).count()} documents"
