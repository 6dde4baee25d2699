"""Provider agreements: the coordinator prepares, signs and sends; the partner signs; the PDF is
sealed and checked; scoping, bad inputs, emails through the outbox, the catalogue's tag."""

import datetime
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.forms_kit import date_data
from accounts.models import Organisation, OutboxEmail, Role
from accounts.tests.factories import OrganisationFactory, UserFactory
from agreements import provider_services as services
from agreements.models import (
    AgreementTemplate,
    ProviderAgreement,
    ProviderAgreementVersion,
    sha256_hex,
)
from agreements.provider_models import with_current_agreement
from agreements.seal import seal_is_valid, signing_material
from bookings.models import Session
from bookings.tests.factories import SessionFactory

DELIVERS = "- Fire safety assemblies for years 3 to 6\n- Arson and hoax-call workshops for year 8"


@pytest.fixture
def draft(world):
    return services.provider_agreement_prepare(
        provider=world.orgs["partner_a"], by=world.coordinator, delivers=DELIVERS
    )


@pytest.fixture
def sent(draft, world):
    agreement = services.provider_agreement_send(
        agreement=draft, by=world.coordinator, typed_name="Coordinator A", confirmed=True
    )
    mail.outbox.clear()
    return agreement


@pytest.fixture
def signed(sent, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.provider_agreement_sign(
            agreement=sent, by=world.partner, typed_name="Partner A", confirmed=True
        )
    sent.refresh_from_db()
    return sent


def pdf_text(agreement):
    with agreement.sealed_pdf.open("rb") as handle:
        data = handle.read()
    reader = PdfReader(io.BytesIO(data))
    return data, " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)


# The wording --------------------------------------------------------------------------------


def test_every_force_has_published_provider_wording(world):
    template = AgreementTemplate.objects.published().get(
        force=world.forces["a"], kind=AgreementTemplate.Kind.PROVIDER
    )
    keys = [s["key"] for s in template.sections]
    for key in ("provider_delivers", "provider_safeguarding", "provider_quality"):
        assert key in keys
    bodies = " ".join(s["body"] for s in template.sections)
    assert "Disclosure and Barring Service" in bodies
    assert "the school checks them" in bodies
    assert "every partner sees" in bodies
    assert "Data Protection Act 2018" in bodies


def test_the_provider_wording_is_not_offered_for_a_school_mou(world):
    from agreements import services as mou_services
    from agreements.forms import PrepareForm

    form = PrepareForm(school=world.schools["a1"])
    assert not form.fields["template"].queryset.filter(kind="provider").exists()
    provider_wording = AgreementTemplate.objects.published().get(
        force=world.forces["a"], kind="provider"
    )
    with pytest.raises(ValidationError):
        mou_services.agreement_prepare(
            school=world.schools["a1"], by=world.neighbourhood, template=provider_wording
        )


# The journey through the services -----------------------------------------------------------


def test_the_draft_names_the_partner_and_what_it_delivers(draft, world):
    assert draft.state == ProviderAgreement.State.DRAFT
    content = services.render_provider_content(draft)
    assert "Fire Service" in content and "Arson and hoax-call workshops" in content
    assert "enhanced Disclosure and Barring Service (DBS) check" in content


def test_sending_freezes_the_content_with_the_coordinators_signature_and_emails_the_partner(
    draft, world
):
    agreement = services.provider_agreement_send(
        agreement=draft, by=world.coordinator, typed_name="Coordinator A", confirmed=True
    )
    assert agreement.state == ProviderAgreement.State.SENT
    version = agreement.versions.get()
    assert version.content_sha256 == sha256_hex(version.content_html)
    signature = agreement.signatures.get()
    assert signature.party == "coordinator" and signature.user == world.coordinator
    assert signature.content_sha256 == version.content_sha256
    emails = OutboxEmail.objects.filter(template="agreements/email/provider_please_sign")
    assert [e.to for e in emails] == [world.partner.email]
    assert reverse("agreements:provider_sign", args=[agreement.pk]) in emails[0].body_text


def test_the_partner_signs_the_agreement_becomes_current_and_is_sealed(signed, world):
    assert signed.state == ProviderAgreement.State.ACTIVE
    assert signed.is_current()
    assert signed.expires_on > timezone.localdate() + datetime.timedelta(days=360)
    assert {s.party for s in signed.signatures.all()} == {"coordinator", "provider"}
    assert signed.is_sealed
    data, text = pdf_text(signed)
    assert sha256_hex(data) == signed.sealed_sha256
    assert "Fire Service" in text and "Partner A" in text and "Coordinator A" in text
    assert "Safeguarding checks" in text
    assert seal_is_valid(data, [signing_material(signed.force).certificate_pem])
    sealed = OutboxEmail.objects.filter(template="agreements/email/provider_sealed")
    assert {e.to for e in sealed} == {world.partner.email, world.coordinator.email}
    signed_note = OutboxEmail.objects.filter(template="agreements/email/provider_signed")
    assert [e.to for e in signed_note] == [world.coordinator.email]


def test_the_check_page_recognises_a_sealed_provider_agreement(signed, world, client):
    data, _ = pdf_text(signed)
    client.force_login(world.coordinator)
    response = client.post(
        reverse("agreements:verify"),
        {"pdf": SimpleUploadedFile("p.pdf", data, content_type="application/pdf")},
    )
    page = response.content.decode()
    assert "This PDF is genuine" in page
    assert "Provider agreement with Fire Service" in page
    changed = bytearray(data)
    changed[len(changed) // 2] ^= 0x01
    response = client.post(
        reverse("agreements:verify"),
        {"pdf": SimpleUploadedFile("p.pdf", bytes(changed), content_type="application/pdf")},
    )
    assert "is not a genuine agreement" in response.content.decode()


def test_the_signed_version_never_changes_and_a_draft_change_is_only_for_drafts(signed, world):
    with pytest.raises(ValidationError):
        services.provider_agreement_update(agreement=signed, by=world.coordinator, delivers="x")
    with pytest.raises(Exception):  # noqa: B017 - append-only rows refuse any update
        version = ProviderAgreementVersion.objects.get(agreement=signed)
        version.content_html = "changed"
        version.save()


def test_an_ended_or_lapsed_agreement_is_not_current(signed, world):
    assert ProviderAgreement.objects.current().filter(pk=signed.pk).exists()
    later = signed.expires_on + datetime.timedelta(days=1)
    assert not ProviderAgreement.objects.current(today=later).filter(pk=signed.pk).exists()
    services.provider_agreement_end(
        agreement=signed,
        by=world.coordinator,
        reason="Stopped delivering",
        ended_on=timezone.localdate(),
    )
    assert not ProviderAgreement.objects.current().filter(pk=signed.pk).exists()
    ended = OutboxEmail.objects.filter(template="agreements/email/provider_ended")
    assert [e.to for e in ended] == [world.partner.email]


# Bad inputs ------------------------------------------------------------------------------------


def test_only_a_partner_organisation_of_the_force_and_only_one_in_progress(world, draft):
    with pytest.raises(ValidationError):
        services.provider_agreement_prepare(
            provider=world.orgs["council_a"], by=world.coordinator, delivers=DELIVERS
        )
    other_force_partner = OrganisationFactory(
        force=world.forces["b"], kind=Organisation.Kind.PARTNER, name="Wessex Youth Trust"
    )
    with pytest.raises(ValidationError):
        services.provider_agreement_prepare(
            provider=other_force_partner, by=world.coordinator, delivers=DELIVERS
        )
    with pytest.raises(ValidationError, match="already being prepared"):
        services.provider_agreement_prepare(
            provider=world.orgs["partner_a"], by=world.coordinator, delivers=DELIVERS
        )
    with pytest.raises(ValidationError):
        services.provider_agreement_prepare(
            provider=world.orgs["partner_a"], by=world.sergeant, delivers=DELIVERS
        )


def test_sending_needs_a_name_a_confirmation_and_someone_to_sign(world, draft):
    with pytest.raises(ValidationError) as error:
        services.provider_agreement_send(
            agreement=draft, by=world.coordinator, typed_name=" ", confirmed=False
        )
    assert set(error.value.message_dict) == {"typed_name", "confirmed"}
    world.partner.is_active = False
    world.partner.save()
    with pytest.raises(ValidationError, match="Nobody can sign"):
        services.provider_agreement_send(
            agreement=draft, by=world.coordinator, typed_name="C", confirmed=True
        )
    draft.refresh_from_db()
    assert draft.state == ProviderAgreement.State.DRAFT and not draft.versions.exists()


def test_only_the_partners_own_people_sign_and_only_the_latest_version(sent, world):
    other_partner = OrganisationFactory(
        force=world.forces["a"], kind=Organisation.Kind.PARTNER, name="Youth Trust"
    )
    stranger = UserFactory(organisation=other_partner, role=Role.PARTNER)
    for user in (stranger, world.coordinator, world.headteacher):
        with pytest.raises(ValidationError):
            services.provider_agreement_sign(
                agreement=sent, by=user, typed_name="X", confirmed=True
            )
    with pytest.raises(ValidationError, match="changed while you were reading"):
        services.provider_agreement_sign(
            agreement=sent, by=world.partner, typed_name="P", confirmed=True, version_number=9
        )


def test_the_pages_keep_what_was_typed_and_never_500(client, world, draft):
    client.force_login(world.coordinator)
    url = reverse("agreements:provider_prepare")
    response = client.post(url, {"provider": "not-a-number", "delivers": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "Choose one of the force&#x27;s education partners" in page or "education partner" in page
    )
    assert "Say what the partner delivers" in page
    response = client.post(url, {"provider": world.orgs["partner_a"].pk, "delivers": "A" * 5000})
    assert "4,000 characters or fewer" in response.content.decode()
    send = reverse("agreements:provider_send", args=[draft.pk])
    response = client.post(send, {"typed_name": "Typed by me", "version": "0"})
    page = response.content.decode()
    assert response.status_code == 200 and "Confirm that you sign for the partnership" in page
    assert 'value="Typed by me"' in page
    response = client.post(send, {"typed_name": "C", "version": "x", "confirmed": "on"})
    assert response.status_code == 200
    response = client.post(
        send, {"typed_name": "C", "version": "0", "confirmed": "on", "drawn_signature": "junk"}
    )
    assert response.status_code == 200 and "could not be read" in response.content.decode()


def test_the_partners_sign_page_and_the_pdf_download(
    client, world, sent, django_capture_on_commit_callbacks
):
    client.force_login(world.partner)
    url = reverse("agreements:provider_sign", args=[sent.pk])
    page = client.get(url).content.decode()
    assert "Arson and hoax-call workshops" in page and "Coordinator A" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"typed_name": "Partner A", "confirmed": "on", "version": "1"})
    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.state == "active" and sent.is_sealed
    assert sent.events.filter(kind="viewed", actor=world.partner).exists()
    response = client.get(reverse("agreements:provider_pdf", args=[sent.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


# Scoping ---------------------------------------------------------------------------------------


def test_who_sees_which_agreement(world, draft, sent):
    other_partner = OrganisationFactory(
        force=world.forces["a"], kind=Organisation.Kind.PARTNER, name="Youth Trust"
    )
    other_draft = services.provider_agreement_prepare(
        provider=other_partner, by=world.coordinator, delivers=DELIVERS
    )
    stranger = UserFactory(organisation=other_partner, role=Role.PARTNER)
    visible = ProviderAgreement.objects.visible_to
    assert set(visible(world.coordinator)) == {sent, other_draft}
    assert set(visible(world.manager)) == {sent, other_draft}
    assert set(visible(world.admin)) == {sent, other_draft}
    assert list(visible(world.partner)) == [sent]
    assert list(visible(stranger)) == []  # its own is still a draft
    for user in ("headteacher", "dsl", "neighbourhood", "sso", "other_force_manager"):
        assert list(visible(world.users[user])) == [], user


# The catalogue ---------------------------------------------------------------------------------


def test_the_catalogue_tags_providers_with_a_current_agreement(client, world, signed):
    other_partner = OrganisationFactory(
        force=world.forces["a"], kind=Organisation.Kind.PARTNER, name="Youth Trust"
    )
    SessionFactory(provider=world.orgs["partner_a"], title="Fire safety")
    SessionFactory(provider=other_partner, title="Knife crime")
    flags = dict(
        with_current_agreement(Session.objects.filter(force=world.forces["a"])).values_list(
            "title", "provider_has_agreement"
        )
    )
    assert flags == {"Fire safety": True, "Knife crime": False}
    client.force_login(world.headteacher)
    page = client.get(reverse("bookings:catalogue")).content.decode()
    assert page.count("data-provider-agreement") == 1
    fire = page.index("Fire safety")
    assert page.index("data-provider-agreement") > fire
    later = signed.expires_on + datetime.timedelta(days=1)
    assert (
        not with_current_agreement(Session.objects.all(), today=later)
        .filter(provider_has_agreement=True)
        .exists()
    )


def test_the_catalogue_query_count_does_not_grow_with_providers(client, world, count_queries):
    client.force_login(world.headteacher)
    url = reverse("bookings:catalogue")
    SessionFactory(provider=world.orgs["partner_a"])
    client.get(url)  # the first request of a session does its own once-only work
    few = count_queries(client, url)
    for n in range(6):
        partner = OrganisationFactory(
            force=world.forces["a"], kind=Organisation.Kind.PARTNER, name=f"Partner {n}"
        )
        UserFactory(organisation=partner, role=Role.PARTNER)
        agreement = services.provider_agreement_prepare(
            provider=partner, by=world.coordinator, delivers=DELIVERS
        )
        SessionFactory(provider=partner)
        ProviderAgreement.objects.filter(pk=agreement.pk).update(
            state="active", active_on=timezone.localdate(), expires_on=timezone.localdate()
        )
    assert count_queries(client, url) == few


def test_the_list_query_count_does_not_grow(client, world, count_queries):
    client.force_login(world.coordinator)
    url = reverse("agreements:provider_list")
    services.provider_agreement_prepare(
        provider=world.orgs["partner_a"], by=world.coordinator, delivers=DELIVERS
    )
    client.get(url)  # the first request of a session does its own once-only work
    few = count_queries(client, url)
    for n in range(5):
        partner = OrganisationFactory(
            force=world.forces["a"], kind=Organisation.Kind.PARTNER, name=f"Partner {n}"
        )
        services.provider_agreement_prepare(
            provider=partner, by=world.coordinator, delivers=DELIVERS
        )
    assert count_queries(client, url) == few


def test_the_home_panel_asks_the_partner_to_sign(client, world, sent):
    client.force_login(world.partner)
    page = client.get(reverse("home")).content.decode()
    assert reverse("agreements:provider_sign", args=[sent.pk]) in page


def test_a_renewal_signed_replaces_the_earlier_agreement(
    signed, world, django_capture_on_commit_callbacks
):
    renewal = services.provider_agreement_prepare(
        provider=world.orgs["partner_a"], by=world.coordinator, delivers=DELIVERS + "\n- More"
    )
    services.provider_agreement_send(
        agreement=renewal, by=world.coordinator, typed_name="C", confirmed=True
    )
    assert ProviderAgreement.objects.current().get() == signed  # until the partner signs
    with django_capture_on_commit_callbacks(execute=True):
        services.provider_agreement_sign(
            agreement=renewal, by=world.partner, typed_name="P", confirmed=True
        )
    signed.refresh_from_db()
    assert signed.state == "ended" and "Replaced by the renewed agreement" in signed.ended_reason
    assert signed.is_sealed  # its signed PDF stays as it was
    assert ProviderAgreement.objects.current().get() == renewal


def test_the_sweeper_seals_a_provider_agreement_left_unsealed(sent, world, monkeypatch):
    from agreements import provider_tasks
    from agreements.tasks import sweep_unsealed

    monkeypatch.setattr(provider_tasks, "provider_agreement_seal", lambda **kw: False)
    services.provider_agreement_sign(
        agreement=sent, by=world.partner, typed_name="P", confirmed=True
    )
    monkeypatch.undo()
    ProviderAgreement.objects.filter(pk=sent.pk).update(
        updated=timezone.now() - datetime.timedelta(minutes=10)
    )
    assert sweep_unsealed() == 1
    sent.refresh_from_db()
    assert sent.is_sealed


def test_the_partner_may_end_it_and_the_coordinator_is_told(signed, world, client):
    with pytest.raises(ValidationError):
        services.provider_agreement_end(
            agreement=signed, by=world.admin, reason="x", ended_on=timezone.localdate()
        )
    client.force_login(world.partner)
    url = reverse("agreements:provider_end", args=[signed.pk])
    response = client.post(url, {"reason": ""})
    assert "Give the reason for ending the agreement" in response.content.decode()
    today = timezone.localdate()
    response = client.post(
        url, {"reason": "We no longer deliver in schools", **date_data("ended_on", today)}
    )
    assert response.status_code == 302
    signed.refresh_from_db()
    assert signed.state == "ended" and not signed.is_current()
    ended = OutboxEmail.objects.filter(template="agreements/email/provider_ended")
    assert [e.to for e in ended] == [world.coordinator.email]
