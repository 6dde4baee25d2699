"""Factories of agreements: a force's published template, new template versions, agreement rows.

Every force gets the shipped templates, published, when it is created; these factories build on
them. An agreement made by `AgreementFactory` is a row in the state asked for (a draft unless
told), written directly: for the steps of preparing, sending and signing, use the services (see
the fixtures in agreements/tests/conftest.py).
"""

import factory
from django.db.models import Max

from accounts.models import Organisation, Role
from accounts.tests.factories import OrganisationFactory, UserFactory
from agreements.models import Agreement, AgreementTemplate
from schools.tests.factories import SchoolFactory


def published_template(force, kind=AgreementTemplate.Kind.NAMED_OFFICER):
    """The version of `kind` that new agreements of `force` use."""
    return AgreementTemplate.objects.published().get(force=force, kind=kind)


class AgreementTemplateFactory(factory.django.DjangoModelFactory):
    """The next, unpublished version of a force's template of `kind`, worded as the published
    one unless told."""

    class Meta:
        model = AgreementTemplate

    force = None
    kind = AgreementTemplate.Kind.NAMED_OFFICER
    version = factory.LazyAttribute(
        lambda o: (
            (
                AgreementTemplate.objects.filter(force=o.force, kind=o.kind).aggregate(
                    last=Max("version")
                )["last"]
                or 0
            )
            + 1
        )
    )
    title = factory.LazyAttribute(lambda o: f"{o.kind} version {o.version}")
    sections = factory.LazyAttribute(
        lambda o: [dict(s) for s in published_template(o.force, o.kind).sections]
    )
    is_published = False


def _neighbourhood_officer(force):
    police = force.organisations.filter(kind=Organisation.Kind.POLICE).first()
    police = police or OrganisationFactory(force=force, kind=Organisation.Kind.POLICE)
    return UserFactory(organisation=police, role=Role.NEIGHBOURHOOD_OFFICER, mfa=False)


class AgreementFactory(factory.django.DjangoModelFactory):
    """An MoU of a school on its force's published named-officer template, prepared by its
    named officer (a new neighbourhood officer unless told); a draft unless `state` says."""

    class Meta:
        model = Agreement

    school = factory.SubFactory(SchoolFactory)
    force = factory.SelfAttribute("school.force")
    template = factory.LazyAttribute(lambda o: published_template(o.force))
    named_officer = factory.LazyAttribute(lambda o: _neighbourhood_officer(o.force))
    prepared_by = factory.SelfAttribute("named_officer")
    state = Agreement.State.DRAFT
