"""Factories of needs assessments: frameworks, assessments, and the one "approved assessment" helper.

Two ways to an approved assessment:
- `approved_assessment(school, ratings, by=, approver=)` goes through the services, as the pages
  do (start, rate, submit, approve), so the tier, offer, audit and signals follow as in life;
- `ApprovedAssessmentFactory(school=, level=)` writes the approved, current row directly, for
  tests that only need a school to stand in a tier.
"""

import datetime

import factory
from django.utils import timezone

from accounts.models import Organisation, Role
from accounts.tests.factories import ForceFactory, OrganisationFactory, UserFactory
from needs_assessment import services
from needs_assessment.defaults import THREE_TIER, install_framework
from needs_assessment.models import Assessment, Framework
from schools.tests.factories import SchoolFactory


class FrameworkFactory(factory.django.DjangoModelFactory):
    """A force's framework installed from a spec (the shipped three tiers unless told), with
    its levels, factors, descriptors, indicators and service offers; a force that has the
    spec's key already gets its existing framework back."""

    class Meta:
        model = Framework

    force = factory.SubFactory(ForceFactory)
    spec = THREE_TIER
    chosen = False

    @classmethod
    def _create(cls, model_class, *, force, spec, chosen, **kwargs):
        return install_framework(force, spec, chosen=chosen)


def _police_officer(force):
    police = force.organisations.filter(kind=Organisation.Kind.POLICE).first()
    police = police or OrganisationFactory(force=force, kind=Organisation.Kind.POLICE)
    return UserFactory(organisation=police, role=Role.SAFER_SCHOOLS_OFFICER, mfa=False)


class AssessmentFactory(factory.django.DjangoModelFactory):
    """A draft assessment of a school with its force's chosen framework, by a new SSO."""

    class Meta:
        model = Assessment

    school = factory.SubFactory(SchoolFactory)
    framework = factory.LazyAttribute(lambda o: Framework.objects.chosen_for(o.school.force))
    assessed_by = factory.LazyAttribute(lambda o: _police_officer(o.school.force))
    status = Assessment.Status.DRAFT


class ApprovedAssessmentFactory(AssessmentFactory):
    """The school's approved, current assessment in the tier `level` (a level key), approved
    `approved_on` (30 days ago unless told) and due for review a year later. The school's
    earlier assessments stop being current."""

    class Params:
        level = "universal"

    status = Assessment.Status.APPROVED
    computed_level = factory.LazyAttribute(lambda o: o.framework.levels.get(key=o.level))
    approved_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    review_due_on = factory.LazyAttribute(
        lambda o: o.approved_on.replace(year=o.approved_on.year + 1)
    )
    is_current = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        Assessment.objects.filter(school=kwargs["school"], is_current=True).update(is_current=False)
        return super()._create(model_class, *args, **kwargs)


def rated_assessment(school, ratings, *, by, evidence="Evidence"):
    """A draft of `school` by `by`, each factor rated: `ratings` is {factor key: level key}."""
    assessment = services.assessment_start(school=school, by=by)
    services.assessment_save(
        assessment=assessment,
        by=by,
        ratings={factor: (level, evidence) for factor, level in ratings.items()},
        indicators={},
    )
    return assessment


def submitted_assessment(school, ratings, *, by, evidence="Evidence"):
    """A rated assessment of `school`, sent by `by` to the prevention managers for approval."""
    assessment = rated_assessment(school, ratings, by=by, evidence=evidence)
    return services.assessment_submit(assessment=assessment, by=by)


def approved_assessment(school, ratings, *, by, approver, today=None, evidence="Evidence"):
    """An assessment of `school` rated and submitted by `by` and approved by `approver` on
    `today` (the real today unless told), through the services as the pages do: the school's
    tier and service offer become this assessment's."""
    assessment = submitted_assessment(school, ratings, by=by, evidence=evidence)
    return services.assessment_approve(assessment=assessment, by=approver, today=today)
