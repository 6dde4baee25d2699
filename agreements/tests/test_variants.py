"""The MoU variant agrees with the officer it names: a Safer Schools officer's wording only
for a Safer Schools officer, and the preparing officer is told when the tier wants one."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agreements import services
from agreements.models import Agreement, AgreementTemplate
from needs_assessment import services as assessment_services
from schools.models import NamedContact

pytestmark = pytest.mark.django_db

PROMISE = "a dedicated Safer Schools officer"


@pytest.fixture
def complex_school(world):
    """Alder Academy, assessed and approved as Complex; its named contact is the
    neighbourhood officer (as the world has it)."""
    school = world.schools["a1"]
    assessment = assessment_services.assessment_start(school=school, by=world.sso)
    ratings = dict.fromkeys(["location", "attendance", "demographics"], "universal")
    ratings["high_risk"] = "complex"
    assessment_services.assessment_save(
        assessment=assessment,
        by=world.sso,
        ratings={factor: (level, "Evidence") for factor, level in ratings.items()},
        indicators={},
    )
    assessment_services.assessment_submit(assessment=assessment, by=world.sso)
    assessment_services.assessment_approve(assessment=assessment, by=world.manager)
    assessment.refresh_from_db()
    assert assessment.level.key == "complex"
    return school


def _content(agreement):
    from agreements.render import render_content_html

    return render_content_html(agreement)


def test_a_complex_school_with_a_neighbourhood_contact_gets_the_neighbourhood_wording(
    complex_school, world
):
    agreement = services.agreement_prepare(school=complex_school, by=world.neighbourhood)
    assert agreement.named_officer == world.neighbourhood
    assert agreement.template.kind == AgreementTemplate.Kind.NAMED_OFFICER
    content = _content(agreement)
    assert PROMISE not in content
    assert f"{world.neighbourhood.display_name}, neighbourhood officer or PCSO" in content
    assert "pcso" not in content


def test_the_preparing_officer_is_told_to_change_the_contact_for_a_safer_schools_officer(
    complex_school, world, client
):
    client.force_login(world.sergeant)
    page = client.get(reverse("agreements:prepare", args=[complex_school.pk])).content.decode()
    assert "tier calls for a Safer Schools officer" in page
    assert "change the school&#x27;s named police contact first" in page
    assert reverse("schools:hand_over", args=[complex_school.pk]) in page
    assert "Memorandum of Understanding: named neighbourhood officer</strong>" in page
    # Not said for a school whose contact is already a Safer Schools officer.
    NamedContact.objects.filter(school=complex_school).update(officer=world.sso)
    page = client.get(reverse("agreements:prepare", args=[complex_school.pk])).content.decode()
    assert "tier calls for a Safer Schools officer" not in page
    assert "Memorandum of Understanding: Safer Schools officer</strong>" in page


def test_a_complex_school_with_a_safer_schools_officer_gets_the_safer_schools_wording(
    complex_school, world
):
    NamedContact.objects.filter(school=complex_school).update(officer=world.sso)
    agreement = services.agreement_prepare(school=complex_school, by=world.neighbourhood)
    assert agreement.template.kind == AgreementTemplate.Kind.SAFER_SCHOOLS_OFFICER
    assert f"{PROMISE}, {world.sso.display_name}" in _content(agreement)


def test_the_safer_schools_wording_cannot_name_a_neighbourhood_officer(complex_school, world):
    sso_wording = AgreementTemplate.objects.get(
        force=complex_school.force, kind="safer_schools_officer", is_published=True
    )
    with pytest.raises(ValidationError) as error:
        services.agreement_prepare(
            school=complex_school,
            by=world.neighbourhood,
            template=sso_wording,
            named_officer=world.neighbourhood,
        )
    assert "named_officer" in error.value.message_dict
    assert not Agreement.objects.exists()


def test_the_prepare_form_explains_a_mismatch_and_keeps_what_was_typed(
    complex_school, world, client
):
    sso_wording = AgreementTemplate.objects.get(
        force=complex_school.force, kind="safer_schools_officer", is_published=True
    )
    client.force_login(world.neighbourhood)
    response = client.post(
        reverse("agreements:prepare", args=[complex_school.pk]),
        {
            "template": sso_wording.pk,
            "named_officer": world.neighbourhood.pk,
            "include_isa": "on",
            "local_arrangements": "Visits on Fridays.",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "promises a dedicated Safer Schools officer" in page
    assert "Visits on Fridays." in page
    assert not Agreement.objects.exists()


def test_changing_the_draft_to_an_officer_of_another_kind_is_refused(complex_school, world):
    NamedContact.objects.filter(school=complex_school).update(officer=world.sso)
    draft = services.agreement_prepare(school=complex_school, by=world.sso)
    with pytest.raises(ValidationError) as error:
        services.agreement_update(
            agreement=draft,
            by=world.sso,
            local_arrangements="",
            named_officer=world.neighbourhood,
        )
    assert "named_officer" in error.value.message_dict
    draft.refresh_from_db()
    assert draft.named_officer == world.sso


def test_a_renewal_follows_the_kind_of_todays_named_contact(
    world, django_capture_on_commit_callbacks
):
    from .conftest import sign

    school = world.schools["a1"]
    agreement = services.agreement_prepare(school=school, by=world.neighbourhood)
    services.agreement_send(agreement=agreement, by=world.neighbourhood)
    # The officer signs first (the default), then the headteacher.
    sign(agreement, world.neighbourhood)
    with django_capture_on_commit_callbacks(execute=True):
        sign(agreement, world.headteacher)
    agreement.refresh_from_db()
    NamedContact.objects.filter(school=school).update(officer=world.sso)
    renewal = services.agreement_renew(agreement=agreement, by=world.sergeant)
    assert renewal.named_officer == world.sso
    assert renewal.template.kind == AgreementTemplate.Kind.SAFER_SCHOOLS_OFFICER
