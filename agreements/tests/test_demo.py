"""Demo agreements: made by the real services, once, with no email sent."""

import io

import pytest
from django.core import mail
from django.core.management import call_command

from accounts.models import Force, OutboxEmail, Role, User
from agreements.models import Agreement
from agreements.seal import seal_is_valid

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def seeded(monkeypatch, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setenv("DEMO_PASSWORD", "a-long-test-demo-password")
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_demo_agreements_once_each_and_no_email(seeded):
    dorset = Force.objects.get(slug="dorset")
    agreements = Agreement.objects.filter(force=dorset)
    assert agreements.count() == 6
    assert "6 agreements" in seeded
    head = User.objects.get(email="headteacher@demo.safer-schools.test")
    waiting = agreements.get(school__organisation=head.organisation)
    # The officer signs first by default: the demo MoU waits for the headteacher.
    assert waiting.state == Agreement.State.PARTLY_SIGNED and waiting.awaiting_party == "school"
    active = agreements.get(state=Agreement.State.ACTIVE)
    assert active.is_review_due() and active.is_sealed
    with active.sealed_pdf.open("rb") as handle:
        assert seal_is_valid(handle.read(), [active.seal_certificate])
    assert agreements.filter(state=Agreement.State.DRAFT).count() == 4
    assert not mail.outbox
    assert not OutboxEmail.objects.filter(force=dorset, about_type__model="agreement").exists()
    assert Agreement.objects.filter(force__slug="wessex").exists()

    before = Agreement.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert Agreement.objects.count() == before
    assert User.objects.filter(role=Role.HEADTEACHER).exists()


def test_demo_has_one_signed_sealed_provider_agreement_once(seeded):
    from agreements.models import ProviderAgreement

    dorset = Force.objects.get(slug="dorset")
    agreements = ProviderAgreement.objects.filter(force=dorset)
    assert agreements.count() == 1
    agreement = agreements.get()
    partner = User.objects.get(email="partner@demo.safer-schools.test")
    assert agreement.provider == partner.organisation
    assert agreement.is_current() and agreement.is_sealed
    assert {s.party for s in agreement.signatures.all()} == {"coordinator", "provider"}
    with agreement.sealed_pdf.open("rb") as handle:
        assert seal_is_valid(handle.read(), [agreement.seal_certificate])
    assert "1 provider agreement" in seeded
    assert not OutboxEmail.objects.filter(
        force=dorset, about_type__model="provideragreement"
    ).exists()
    call_command("seed_demo", stdout=io.StringIO())
    assert ProviderAgreement.objects.filter(force=dorset).count() == 1
