"""Demo documents: small real PDFs, the force's and two schools', seeded once."""

import io

import pytest
from pypdf import PdfReader

from accounts.models import Role
from agreements.documents import slots_for, sniff
from agreements.models import AgreementDocument
from demo import agreement_documents as document_demo

pytestmark = pytest.mark.django_db


def test_tiny_pdf_is_a_real_pdf():
    data = document_demo.tiny_pdf("Fire plan", ["Alder Academy (URN 1)"])
    assert sniff(data, "fire-plan.pdf") == ("pdf", "application/pdf")
    reader = PdfReader(io.BytesIO(data), strict=True)
    assert len(reader.pages) == 1
    assert "Alder Academy (URN 1)" in reader.pages[0].extract_text()


def _seed(world):
    import datetime

    return document_demo.seed(
        world.forces["a"],
        by_role={Role.PREVENTION_MANAGER: world.manager, Role.HEADTEACHER: world.headteacher},
        partners=[],
        demo_school=world.schools["a1"],
        other_school=world.schools["a2"],
        schools={},
        today=datetime.date.today(),
    )


def test_demo_documents_are_seeded_once(world):
    assert _seed(world) == "10 documents"
    assert _seed(world) == "10 documents"
    assert AgreementDocument.objects.count() == 10
    stages = {slot.kind: slot.stage for slot in slots_for(world.schools["a1"])}
    assert stages["school_risk_assessment"] == "" and stages["fire_plan"] == "missing"
    other = {slot.kind: slot.stage for slot in slots_for(world.schools["a2"])}
    assert other["school_insurance"] == "expiring"
    assert not [kind for kind, stage in other.items() if stage == "missing"]
