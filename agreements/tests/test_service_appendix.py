"""The appendix stating the school's tier and service: frozen into the signed content and the
sealed PDF; a later tier change leaves a signed version alone; the renewal carries the new one."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from agreements import services
from agreements.models import Agreement, sha256_hex
from agreements.tests.conftest import sign
from needs_assessment.tests.factories import approved_assessment

UNIVERSAL = dict.fromkeys(["location", "attendance", "high_risk", "demographics"], "universal")
COMPLEX = {**UNIVERSAL, "high_risk": "complex", "attendance": "complex"}


def pdf_text(agreement):
    with agreement.sealed_pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def approve(world, ratings, school="a1"):
    return approved_assessment(
        world.schools[school], ratings, by=world.sergeant, approver=world.manager
    )


def sign_all(agreement, world, django_capture_on_commit_callbacks):
    sign(agreement, world.neighbourhood)
    with django_capture_on_commit_callbacks(execute=True):
        sign(agreement, world.headteacher)
    agreement.refresh_from_db()
    return agreement


@pytest.fixture
def universal_and_signed(world, django_capture_on_commit_callbacks):
    """Alder Academy approved Universal, then its MoU prepared, sent and signed by both (the
    officer first, the force's default)."""
    approve(world, UNIVERSAL)
    agreement = services.agreement_prepare(school=world.schools["a1"], by=world.neighbourhood)
    services.agreement_send(agreement=agreement, by=world.neighbourhood)
    return sign_all(agreement, world, django_capture_on_commit_callbacks)


def test_the_appendix_is_in_the_signed_content_and_its_hash(universal_and_signed):
    version = universal_and_signed.versions.get()
    content = version.content_html
    assert "Appendix: the school's tier and the service it receives" in content
    assert "Universal" in content
    assert "A named neighbourhood officer" in content
    assert "At least once a term" in content
    assert "weapons, child exploitation and sexting" in content
    assert "compared with 1 engagement a term" in content
    assert version.content_sha256 == sha256_hex(content)
    assert {s.content_sha256 for s in universal_and_signed.signatures.all()} == {
        version.content_sha256
    }


def test_the_appendix_is_in_the_sealed_pdf(universal_and_signed):
    assert universal_and_signed.is_sealed
    text = pdf_text(universal_and_signed)
    assert "Appendix: the school's tier and the service it receives" in text
    assert "Universal" in text and "At least once a term" in text


def test_a_tier_change_after_signing_leaves_the_signed_version_and_pdf_unchanged(
    universal_and_signed, world, client, django_capture_on_commit_callbacks
):
    version = universal_and_signed.versions.get()
    before = (version.content_html, version.content_sha256, universal_and_signed.sealed_sha256)
    with django_capture_on_commit_callbacks(execute=True):
        approve(world, COMPLEX)
    universal_and_signed.refresh_from_db()
    # The change suggests a review, as it did before the appendix.
    assert universal_and_signed.review_suggested
    assert "Complex" in universal_and_signed.review_suggested_reason
    version.refresh_from_db()
    assert (version.content_html, version.content_sha256, universal_and_signed.sealed_sha256) == (
        before
    )
    assert "Complex" not in version.content_html
    # The agreement page shows the signed content: still Universal.
    client.force_login(world.headteacher)
    page = client.get(universal_and_signed.get_absolute_url()).content.decode()
    assert "Universal" in page.split('id="service-appendix"')[1].split("</section>")[0]


def test_the_renewal_carries_the_new_tier(
    universal_and_signed, world, django_capture_on_commit_callbacks
):
    approve(world, COMPLEX)
    renewal = services.agreement_renew(agreement=universal_and_signed, by=world.neighbourhood)
    services.agreement_send(agreement=renewal, by=world.neighbourhood)
    renewal = sign_all(renewal, world, django_capture_on_commit_callbacks)
    content = renewal.versions.get().content_html
    assert "Complex" in content and "Universal" not in content
    assert "At least once a week" in content
    assert "one for every week of the term" in content
    assert renewal.state == Agreement.State.ACTIVE
    assert "Complex" in pdf_text(renewal)
    old = universal_and_signed.versions.get().content_html
    assert "Universal" in old and "Complex" not in old


def test_a_school_without_an_approved_tier_gets_a_not_yet_agreed_appendix(world):
    agreement = services.agreement_prepare(school=world.schools["a1"], by=world.neighbourhood)
    services.agreement_send(agreement=agreement, by=world.neighbourhood)
    content = agreement.versions.get().content_html
    assert "Tier not yet agreed" in content
    assert "no number of engagements is promised" in content
    assert "At least" not in content


def test_a_submitted_but_unapproved_assessment_is_not_agreed(world):
    from needs_assessment.tests.factories import submitted_assessment

    submitted_assessment(world.schools["a1"], COMPLEX, by=world.sergeant)
    agreement = services.agreement_prepare(school=world.schools["a1"], by=world.neighbourhood)
    services.agreement_send(agreement=agreement, by=world.neighbourhood)
    content = agreement.versions.get().content_html
    assert "Tier not yet agreed" in content and "Complex" not in content


def test_the_draft_page_shows_the_appendix_as_it_stands(world, client):
    approve(world, UNIVERSAL)
    agreement = services.agreement_prepare(school=world.schools["a1"], by=world.neighbourhood)
    client.force_login(world.neighbourhood)
    response = client.get(reverse("agreements:detail", args=[agreement.pk]))
    assert response.status_code == 200
    assert "At least once a term" in response.content.decode()


def test_the_agreement_page_says_the_renewal_states_the_new_tier(
    universal_and_signed, world, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        approve(world, COMPLEX)
    client.force_login(world.neighbourhood)
    page = client.get(universal_and_signed.get_absolute_url()).content.decode()
    assert "Review suggested." in page
    assert "a renewal states the school&#x27;s current ones" in page or (
        "a renewal states the school's current ones" in page
    )
