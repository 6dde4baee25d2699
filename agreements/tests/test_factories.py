"""The test factories of agreements make what they say: the shared helpers stay honest."""

import pytest

from agreements.models import Agreement, AgreementTemplate
from agreements.tests.factories import (
    AgreementFactory,
    AgreementTemplateFactory,
    published_template,
)
from schools.tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def test_an_agreement_is_a_draft_mou_on_its_forces_published_template():
    agreement = AgreementFactory()
    force = agreement.school.force
    assert agreement.force == force
    assert agreement.state == Agreement.State.DRAFT
    assert agreement.template == published_template(force)
    assert agreement.template.kind == AgreementTemplate.Kind.NAMED_OFFICER
    assert agreement.prepared_by == agreement.named_officer
    assert agreement.named_officer.force_id == force.pk
    assert list(Agreement.objects.for_school(agreement.school)) == [agreement]


def test_a_template_is_the_next_unpublished_version_worded_as_the_published_one():
    force = SchoolFactory().force
    published = published_template(force, AgreementTemplate.Kind.ISA)
    new = AgreementTemplateFactory(force=force, kind=AgreementTemplate.Kind.ISA)
    assert new.version == published.version + 1
    assert not new.is_published
    assert new.sections == published.sections
    assert published_template(force, AgreementTemplate.Kind.ISA) == published
