"""Agreements for the national data set (`seed_demo --scale national`): an MoU for most schools.

A step of benchmarks.national.LATER_STEPS. For about 85% of each added force's open schools that
have a named officer and a headteacher: an agreement of the fitting published template (the
Safer Schools officer's variant where the named contact is one, else the named officer's) with
the force's ISA, its version 1 rendered by the real renderer and frozen with its SHA-256, and
the signatures that its state implies: most are active (both parties signed, some now due for
review), a few sent and waiting for the first party, a few signed by the first party only.

Rows go in with bulk_create, in batches, one transaction per force; schools that have any
agreement are skipped, so a second run adds nothing. Not done for these bulk rows: no sealed
PDF is made (sealing is timed separately by benchmarks.mou_seal; making 20,000 PDFs would take
hours), and no timeline events or audit rows are written, as no person did anything.
"""

import datetime
import random

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from agreements.models import (
    Agreement,
    AgreementSettings,
    AgreementTemplate,
    AgreementVersion,
    Signature,
    add_months,
    sha256_hex,
)
from agreements.render import render_content_html
from schools.models import NamedContact

SHARE_WITH_MOU = 0.85
BATCH = 2000


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _signature(agreement, version, party, user, when):
    school_side = party == Agreement.Party.SCHOOL
    return Signature(
        agreement=agreement,
        version=version,
        party=party,
        user=user,
        role=user.job_title or user.get_role_display(),
        organisation=agreement.school.name if school_side else agreement.force.name,
        typed_name=user.full_name,
        rank="" if school_side else (user.rank or "PC"),
        collar_number="" if school_side else (user.collar_number or "0000"),
        signed_at=when,
        content_sha256=version.content_sha256,
    )


def headteacher_accounts(force, schools) -> dict:
    """Give each school without one a headteacher account (who signs the MoU for the school,
    and books sessions); return the school organisation's id -> its headteacher.

    The national seed keeps headteachers as school contacts only; a signature needs an account.
    These have no usable password: nobody signs in as them.
    """
    have = set(
        User.objects.filter(organisation__force=force, role=Role.HEADTEACHER).values_list(
            "organisation_id", flat=True
        )
    )
    unusable = make_password(None)
    User.objects.bulk_create(
        [
            User(
                email=f"head.{school.urn}@national.school.test",
                full_name=school.headteacher_name or f"Headteacher of {school.name}",
                organisation_id=school.organisation_id,
                role=Role.HEADTEACHER,
                password=unusable,
            )
            for school in schools
            if school.organisation_id not in have
        ],
        batch_size=BATCH,
    )
    heads = {}
    for head in User.objects.filter(
        organisation__force=force, role=Role.HEADTEACHER, is_active=True
    ).order_by("pk"):
        heads.setdefault(head.organisation_id, head)
    return heads


def seed_force(national, *, today: datetime.date) -> int:
    """Seed one force's agreements; return how many were added."""
    force = national.force
    with transaction.atomic():
        done = set(Agreement.objects.filter(force=force).values_list("school_id", flat=True))
        schools = [
            s
            for s in sorted(national.schools.values(), key=lambda s: s.urn)
            if s.status != "closed" and s.pk not in done
        ]
        if not schools:
            return 0
        officers = {
            c.school_id: c.officer
            for c in NamedContact.objects.current(on=today)
            .filter(school__force=force)
            .select_related("officer")
        }
        heads = headteacher_accounts(force, schools)
        published = {t.kind: t for t in AgreementTemplate.objects.filter(force=force).published()}
        isa = published.get(AgreementTemplate.Kind.ISA)
        settings = AgreementSettings.for_force(force)
        agreements, signers = [], {}
        for school in schools:
            # One generator a school, so a school left without an MoU stays without on reruns.
            rng = random.Random(f"agreements-{school.urn}")  # noqa: S311 - demo data, no secret
            officer = officers.get(school.pk)
            head = heads.get(school.organisation_id)
            if officer is None or head is None or rng.random() >= SHARE_WITH_MOU:
                continue
            template = published.get(AgreementTemplate.kind_for(officer))
            if template is None:
                continue
            roll = rng.random()
            state = (
                Agreement.State.SENT
                if roll < 0.05
                else Agreement.State.PARTLY_SIGNED
                if roll < 0.10
                else Agreement.State.ACTIVE
            )
            # Signed within the last 13 months, so about one in thirteen is due for review.
            signed_on = today - datetime.timedelta(days=rng.randint(1, 395))
            sent_on = signed_on - datetime.timedelta(days=rng.randint(2, 20))
            agreement = Agreement(
                force=force,
                school=school,
                template=template,
                isa_template=isa,
                state=state,
                named_officer=officer,
                prepared_by=officer,
                signing_order=settings.signing_order,
                sergeant_countersigns=False,
                sent_at=_at(sent_on, 9),
            )
            sequence = agreement.signing_sequence()
            if state == Agreement.State.ACTIVE:
                agreement.active_on = signed_on
                agreement.review_due_on = add_months(signed_on, settings.review_months)
            else:
                agreement.awaiting_party = sequence[0 if state == Agreement.State.SENT else 1]
            people = {Agreement.Party.SCHOOL: head, Agreement.Party.POLICE: officer}
            signed = {
                Agreement.State.SENT: 0,
                Agreement.State.PARTLY_SIGNED: 1,
                Agreement.State.ACTIVE: 2,
            }[state]
            signers[id(agreement)] = [
                (party, people[party], _at(signed_on - datetime.timedelta(days=3 - 3 * i), 10))
                for i, party in enumerate(sequence[:signed])
            ]
            agreements.append(agreement)
        Agreement.objects.bulk_create(agreements, batch_size=BATCH)
        versions = []
        for agreement in agreements:
            content = render_content_html(agreement, today=agreement.sent_at.date())
            versions.append(
                AgreementVersion(
                    agreement=agreement,
                    number=1,
                    content_html=content,
                    content_sha256=sha256_hex(content),
                    created=agreement.sent_at,
                )
            )
        AgreementVersion.objects.bulk_create(versions, batch_size=BATCH)
        signatures = [
            _signature(agreement, version, party, user, when)
            for agreement, version in zip(agreements, versions, strict=True)
            for party, user, when in signers[id(agreement)]
        ]
        Signature.objects.bulk_create(signatures, batch_size=BATCH)
    return len(agreements)


def seed(forces, *, today: datetime.date) -> str:
    """The LATER_STEPS step: agreements for every added force."""
    added = sum(seed_force(national, today=today) for national in forces)
    return f"agreements: {added} added ({Agreement.objects.count()} in all)"
