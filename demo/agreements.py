"""Demo agreements for `manage.py seed_demo`, made through the real services, once per force.

- the demo school: an MoU sent and waiting for the headteacher's signature;
- the other school: an MoU both parties signed eleven months ago, sealed, its review due;
- a few more schools: drafts their named officers are preparing.
No email is sent while seeding.
"""

import contextlib
import datetime

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from accounts.models import OutboxEmail, Role, User
from agreements import services
from agreements.models import Agreement
from schools.models import NamedContact

DRAFTS = 4


def _officer_of(school, today):
    contact = (
        NamedContact.objects.current(on=today)
        .filter(school=school)
        .select_related("officer")
        .first()
    )
    return contact.officer if contact else None


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


PROVIDER_DELIVERS = (
    "- Fire safety assemblies for years 3 to 6, with a home fire-escape plan to take home\n"
    "- Arson and hoax-call workshops for years 7 and 8, in the classroom\n"
    "- A visit from a fire engine crew for early years and key stage 1, when crews are free"
)


def seed_provider_agreement(force, *, by_role, partners, today) -> int:
    """The demo partner's provider agreement: the coordinator signed it two months ago and
    the partner three days later, sealed; once per force. No email is sent."""
    from agreements import provider_services
    from agreements.provider_models import ProviderAgreement

    coordinator, partner = by_role.get(Role.COORDINATOR), by_role.get(Role.PARTNER)
    if coordinator is None or partner is None or not partners:
        return 0
    if ProviderAgreement.objects.filter(force=force).exists():
        return ProviderAgreement.objects.filter(force=force).count()
    with transaction.atomic():
        last_email = OutboxEmail.objects.order_by("-pk").values_list("pk", flat=True).first()
        signed = today - datetime.timedelta(days=60)
        agreement = provider_services.provider_agreement_prepare(
            provider=partner.organisation, by=coordinator, delivers=PROVIDER_DELIVERS
        )
        provider_services.provider_agreement_send(
            agreement=agreement,
            by=coordinator,
            typed_name=coordinator.full_name,
            confirmed=True,
            now=_at(signed - datetime.timedelta(days=3), 10),
        )
        provider_services.provider_agreement_sign(
            agreement=agreement,
            by=partner,
            typed_name=partner.full_name,
            confirmed=True,
            now=_at(signed, 14),
        )
        with contextlib.suppress(ImproperlyConfigured):
            provider_services.provider_agreement_seal(agreement_pk=agreement.pk)
        OutboxEmail.objects.filter(pk__gt=last_email or 0, force=force).delete()
    return 1


def seed(force, *, by_role, partners, demo_school, other_school, schools, today) -> str:
    """Seed the force's demo agreements once; return a short summary ("6 agreements")."""
    providers = seed_provider_agreement(force, by_role=by_role, partners=partners, today=today)
    provider_note = f", {providers} provider agreement{'s' if providers != 1 else ''}"
    existing = Agreement.objects.filter(force=force).count()
    if existing:
        return f"{existing} agreements{provider_note}"
    made = 0
    with transaction.atomic():
        last_email = OutboxEmail.objects.order_by("-pk").values_list("pk", flat=True).first()
        # The other school's MoU: signed eleven months ago, the second party three days after
        # the first (as in the real example), so its review is now due.
        head = User.objects.filter(
            organisation_id=other_school.organisation_id, role=Role.HEADTEACHER, is_active=True
        ).first()
        officer = _officer_of(other_school, today)
        if head is not None and officer is not None:
            agreement = services.agreement_prepare(school=other_school, by=officer)
            services.agreement_send(agreement=agreement, by=officer)
            signed = today - datetime.timedelta(days=335)
            people = {"school": head, "police": officer}
            first, second = (people[party] for party in agreement.signing_sequence()[:2])
            for signer, day in ((first, signed - datetime.timedelta(days=3)), (second, signed)):
                services.agreement_sign(
                    agreement=agreement,
                    by=signer,
                    typed_name=signer.full_name,
                    confirmed=True,
                    rank=signer.rank or "PC",
                    collar_number=signer.collar_number or "0000",
                    now=_at(day, 10),
                )
            # Without a seal certificate here, the PDF waits for one.
            with contextlib.suppress(ImproperlyConfigured):
                services.agreement_seal(agreement_pk=agreement.pk)
            made += 1

        # The demo school's MoU, waiting for its headteacher.
        officer = _officer_of(demo_school, today) or by_role.get(Role.NEIGHBOURHOOD_OFFICER)
        if officer is not None and by_role.get(Role.HEADTEACHER) is not None:
            agreement = services.agreement_prepare(
                school=demo_school,
                by=officer,
                named_officer=officer,
                local_arrangements=(
                    "The officer visits on Tuesday mornings and joins the termly meeting with "
                    "the senior leadership team."
                ),
            )
            services.agreement_send(agreement=agreement, by=officer)
            if agreement.signing_sequence()[0] == Agreement.Party.POLICE:
                # The officer signs first (the default), so the headteacher's turn comes.
                services.agreement_sign(
                    agreement=agreement,
                    by=officer,
                    typed_name=officer.full_name,
                    confirmed=True,
                    rank=officer.rank or "PC",
                    collar_number=officer.collar_number or "0000",
                )
            made += 1

        # Drafts being prepared by named officers of a few more schools.
        others = [
            s
            for s in sorted(schools.values(), key=lambda s: s.urn)
            if s.pk not in {demo_school.pk, other_school.pk} and s.status != "closed"
        ]
        for school in others:
            if made >= DRAFTS + 2:
                break
            officer = _officer_of(school, today)
            if officer is None:
                continue
            services.agreement_prepare(school=school, by=officer)
            made += 1
        # Made-up people get no email: the outbox rows seeding wrote go before the commit.
        OutboxEmail.objects.filter(pk__gt=last_email or 0, force=force).delete()
    return f"{made} agreements{provider_note}"
