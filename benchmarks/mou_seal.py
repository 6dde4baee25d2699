"""Time rendering and sealing one MoU, for `make bench`.

Builds a throwaway force, school, people and a signed agreement inside a transaction that
is rolled back, so the database is left as it was (the seal certificate is made in a
temporary folder unless one exists for the throwaway force).
"""

import tempfile
import time

from django.conf import settings
from django.db import transaction
from django.test.utils import override_settings


def bench_render_and_seal() -> dict:
    """Return {"render_seconds", "seal_seconds", "pdf_bytes", "debug"} for one signed MoU."""
    from accounts.models import Force, Organisation, Role, User
    from agreements import services
    from agreements.render import render_agreement_pdf
    from agreements.seal import seal_pdf, signing_material
    from schools.models import NamedContact, School

    with (
        tempfile.TemporaryDirectory() as folder,
        override_settings(
            AGREEMENTS_SIGNING_DIR=folder,
            AGREEMENTS_SIGNING_AUTO_CREATE=True,
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            MEDIA_ROOT=folder,
        ),
        transaction.atomic(),
    ):
        force = Force.objects.create(name="Benchmark Police", slug="benchmark-police-bench")
        police = Organisation.objects.create(
            force=force, kind=Organisation.Kind.POLICE, name="Benchmark Police"
        )
        school_org = Organisation.objects.create(
            force=force, kind=Organisation.Kind.SCHOOL, name="Benchmark Academy"
        )
        school = School.objects.create(
            force=force,
            organisation=school_org,
            urn=999_999_001,
            name="Benchmark Academy",
            establishment_type="Academy converter",
            phase=School.Phase.SECONDARY,
            la_code="000",
            la_name="Benchmark",
        )
        officer = User.objects.create_user(
            "bench-officer@example.invalid",
            full_name="Bea Officer",
            organisation=police,
            role=Role.NEIGHBOURHOOD_OFFICER,
            rank="PC",
            collar_number="0001",
        )
        head = User.objects.create_user(
            "bench-head@example.invalid",
            full_name="Hal Head",
            organisation=school_org,
            role=Role.HEADTEACHER,
        )
        NamedContact.objects.create(school=school, officer=officer, starts_on="2026-09-01")
        agreement = services.agreement_prepare(school=school, by=officer)
        services.agreement_send(agreement=agreement, by=officer)
        for signer in (
            {"school": head, "police": officer}[party] for party in agreement.signing_sequence()
        ):
            services.agreement_sign(
                agreement=agreement,
                by=signer,
                typed_name=signer.full_name,
                confirmed=True,
                rank=signer.rank,
                collar_number=signer.collar_number,
            )
        agreement.refresh_from_db()
        material = signing_material(force)

        started = time.perf_counter()
        pdf = render_agreement_pdf(agreement)
        rendered = time.perf_counter()
        sealed = seal_pdf(pdf, material, signer_name=force.name)
        finished = time.perf_counter()
        transaction.set_rollback(True)

    return {
        "render_seconds": round(rendered - started, 3),
        "seal_seconds": round(finished - rendered, 3),
        "pdf_bytes": len(sealed),
        "debug": settings.DEBUG,
    }
