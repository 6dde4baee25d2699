"""Preparing, sending and signing an MoU: the variant, the frozen content, the order, new versions."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from accounts.models import Role
from agreements import services
from agreements.models import (
    Agreement,
    AgreementEvent,
    AgreementSettings,
    AgreementTemplate,
    Signature,
    sha256_hex,
)
from schools.models import NamedContact

from .conftest import sign

pytestmark = pytest.mark.django_db


def test_a_new_force_gets_the_default_templates_published(world):
    kinds = set(
        AgreementTemplate.objects.filter(force=world.forces["a"], is_published=True).values_list(
            "kind", flat=True
        )
    )
    assert kinds == {"named_officer", "safer_schools_officer", "isa", "provider"}
    assert AgreementSettings.objects.get(force=world.forces["a"]).review_months == 12


def test_prepare_picks_the_named_officer_variant_and_the_named_contact(draft, world):
    assert draft.state == Agreement.State.DRAFT
    assert draft.template.kind == AgreementTemplate.Kind.NAMED_OFFICER
    assert draft.named_officer == world.neighbourhood
    assert draft.isa_template.kind == AgreementTemplate.Kind.ISA
    assert draft.events.get().kind == AgreementEvent.Kind.PREPARED


def test_a_safer_schools_officer_contact_gets_the_safer_schools_variant(world):
    NamedContact.objects.filter(school=world.schools["a1"]).update(officer=world.sso)
    agreement = services.agreement_prepare(school=world.schools["a1"], by=world.sergeant)
    assert agreement.template.kind == AgreementTemplate.Kind.SAFER_SCHOOLS_OFFICER
    assert agreement.named_officer == world.sso


def test_one_agreement_in_progress_per_school(draft, world):
    with pytest.raises(ValidationError):
        services.agreement_prepare(school=world.schools["a1"], by=world.sso)


def test_sending_freezes_the_content_with_its_hash_and_emails_the_headteacher(
    draft, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_send(agreement=draft, by=world.neighbourhood)
    draft.refresh_from_db()
    version = draft.versions.get()
    assert draft.state == Agreement.State.SENT
    assert draft.awaiting_party == Agreement.Party.SCHOOL
    assert version.content_sha256 == sha256_hex(version.content_html)
    assert "Alder Academy" in version.content_html
    assert world.neighbourhood.full_name in version.content_html
    assert "Information sharing agreement" in version.content_html
    assert [m.to for m in mail.outbox] == [[world.headteacher.email]]
    assert f"/agreements/{draft.pk}/sign/" in mail.outbox[0].body


def test_school_first_then_officer_makes_it_active_and_sealed(
    sent, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = sign(sent, world.headteacher, drawn_png=b"\x89PNG\r\n\x1a\n" + b"0" * 20)
    sent.refresh_from_db()
    assert sent.state == Agreement.State.PARTLY_SIGNED
    assert sent.awaiting_party == Agreement.Party.POLICE
    assert first.content_sha256 == sent.versions.get().content_sha256
    assert first.organisation == "Alder Academy"
    assert [m.to for m in mail.outbox] == [[world.neighbourhood.email]]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        sign(sent, world.neighbourhood, rank="PC", collar_number="4321")
    sent.refresh_from_db()
    assert sent.state == Agreement.State.ACTIVE
    assert sent.review_due_on.year == sent.active_on.year + 1
    assert sent.is_sealed and sent.sealed_pdf
    kinds = list(sent.events.values_list("kind", flat=True))
    assert kinds[-3:] == ["signed", "active", "sealed"]
    # Both signers are emailed the PDF.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.headteacher.email, world.neighbourhood.email]
    )
    assert all(m.attachments[0][2] == "application/pdf" for m in mail.outbox)


def test_the_wrong_people_cannot_sign(sent, world):
    for who in ("neighbourhood", "dsl", "other_school_headteacher", "sso", "sergeant"):
        with pytest.raises(ValidationError):
            sign(sent, world.users[who])
    assert not Signature.objects.exists()


def test_a_signature_needs_a_name_and_the_confirmation(sent, world):
    with pytest.raises(ValidationError) as error:
        services.agreement_sign(
            agreement=sent, by=world.headteacher, typed_name=" ", confirmed=False
        )
    assert set(error.value.message_dict) == {"typed_name", "confirmed"}
    sign(sent, world.headteacher)
    with pytest.raises(ValidationError) as error:
        services.agreement_sign(
            agreement=sent, by=world.neighbourhood, typed_name="Nia Bell", confirmed=True
        )
    assert "rank" in error.value.message_dict


def test_police_first_with_a_sergeants_countersignature(world, django_capture_on_commit_callbacks):
    AgreementSettings.objects.filter(force=world.forces["a"]).update(
        signing_order="police_first", sergeant_countersigns=True
    )
    agreement = services.agreement_prepare(school=world.schools["a1"], by=world.neighbourhood)
    services.agreement_send(agreement=agreement, by=world.neighbourhood)
    assert agreement.signing_sequence() == ["police", "sergeant", "school"]
    with pytest.raises(ValidationError):
        sign(agreement, world.headteacher)
    sign(agreement, world.neighbourhood)
    agreement.refresh_from_db()
    assert agreement.awaiting_party == "sergeant"
    sign(agreement, world.sergeant)
    with django_capture_on_commit_callbacks(execute=True):
        sign(agreement, world.headteacher)
    agreement.refresh_from_db()
    assert agreement.state == Agreement.State.ACTIVE
    assert agreement.signatures.count() == 3


def test_a_change_after_the_first_signature_makes_a_new_version_to_sign_again(sent, world):
    sign(sent, world.headteacher)
    old = sent.versions.get()
    services.agreement_update(
        agreement=sent, by=world.neighbourhood, local_arrangements="Visits on Tuesdays."
    )
    sent.refresh_from_db()
    new = sent.versions.order_by("-number").first()
    assert new.number == 2 and new.content_sha256 != old.content_sha256
    assert "Visits on Tuesdays." in new.content_html
    assert sent.state == Agreement.State.SENT and sent.awaiting_party == "school"
    # The first signature stays with version 1; the old content is unchanged.
    assert old.signatures.count() == 1 and new.signatures.count() == 0
    old.refresh_from_db()
    assert old.content_sha256 == sha256_hex(old.content_html)
    with pytest.raises(ValidationError):
        sign(sent, world.headteacher, version_number=1)
    sign(sent, world.headteacher, version_number=2)


def test_frozen_content_cannot_be_rewritten(sent):
    version = sent.versions.get()
    version.content_html = "<p>Something else</p>"
    with pytest.raises(PermissionError):
        version.save()


def test_a_signed_agreement_cannot_be_changed(active, world):
    with pytest.raises(ValidationError):
        services.agreement_update(
            agreement=active, by=world.neighbourhood, local_arrangements="Anything"
        )


def test_either_party_ends_it_and_the_other_is_told(
    active, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_end(
            agreement=active,
            by=world.headteacher,
            reason="The school is closing.",
            ended_on=active.active_on,
        )
    active.refresh_from_db()
    assert active.state == Agreement.State.ENDED and active.ended_by == world.headteacher
    assert [m.to for m in mail.outbox] == [[world.neighbourhood.email]]
    assert "The school is closing." in mail.outbox[0].body
    with pytest.raises(ValidationError):
        services.agreement_end(
            agreement=active, by=world.neighbourhood, reason="Again", ended_on=active.active_on
        )


def test_renewal_is_a_new_agreement_that_replaces_the_old_when_signed(
    active, world, django_capture_on_commit_callbacks
):
    renewal = services.agreement_renew(agreement=active, by=world.neighbourhood)
    assert renewal.renews == active and renewal.state == Agreement.State.DRAFT
    assert services.agreement_renew(agreement=active, by=world.neighbourhood) == renewal
    services.agreement_send(agreement=renewal, by=world.neighbourhood)
    sign(renewal, world.headteacher)
    with django_capture_on_commit_callbacks(execute=True):
        sign(renewal, world.neighbourhood)
    active.refresh_from_db()
    renewal.refresh_from_db()
    assert renewal.state == Agreement.State.ACTIVE and renewal.is_sealed
    assert active.state == Agreement.State.RENEWED
    # The old one stays readable, with its own PDF.
    assert active.sealed_pdf and active.versions.exists()


def test_a_tier_change_suggests_a_review(active, world):
    from needs_assessment.models import Level
    from needs_assessment.signals import tier_changed

    level = Level.objects.filter(framework__force=world.forces["a"], key="complex").first()
    tier_changed.send(
        sender=None,
        school=world.schools["a1"],
        previous_level=None,
        level=level,
        assessment=type("A", (), {"approved_on": active.active_on})(),
    )
    active.refresh_from_db()
    assert active.review_suggested
    assert "Complex" in active.review_suggested_reason
    assert active.events.filter(kind="review_suggested").exists()


def test_the_seal_task_is_idempotent(active):
    from agreements.tasks import seal_agreement

    digest = active.sealed_sha256
    assert seal_agreement(active.pk) is False
    active.refresh_from_db()
    assert active.sealed_sha256 == digest


def test_roles_of_the_world(world):
    assert world.neighbourhood.role == Role.NEIGHBOURHOOD_OFFICER
