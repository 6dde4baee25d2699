import datetime

import factory

from referrals.models import Case, Referral, RiskAssessment, Source, Threshold, YoungPerson


class YoungPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = YoungPerson

    first_name = factory.Sequence(lambda n: f"Jamie{chr(97 + n // 26 % 26)}{chr(97 + n % 26)}")
    last_name = "Smith"
    date_of_birth = datetime.date(2011, 5, 4)
    year_group = "9"


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    force = factory.SelfAttribute("young_person.force")
    young_person = factory.SubFactory(YoungPersonFactory)
    thresholds = factory.LazyFunction(lambda: [Threshold.EXPLOITATION])
    source = Source.MISSING_PERSONS
    concern = "Missing three times this month; found with older males."


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case
        skip_postgeneration_save = True

    force = factory.SelfAttribute("young_person.force")
    young_person = factory.SubFactory(YoungPersonFactory)
    risk_level = "medium"

    @factory.post_generation
    def risk(case, create, extracted, **kwargs):
        if create:
            RiskAssessment.objects.create(
                case=case, level=case.risk_level, assessed_by=case.officer, reason="Initial"
            )


def agency_worker(world, key="agency", *, force="a", name=None):
    """A partner agency worker of a force (the world has one in each; this makes more)."""
    from accounts.models import Organisation, Role
    from accounts.tests.factories import OrganisationFactory, UserFactory

    organisation = OrganisationFactory(
        force=world.forces[force],
        kind=Organisation.Kind.AGENCY,
        agency_type=Organisation.AgencyType.EARLY_HELP,
        name=name or f"Early Help {key}",
    )
    return UserFactory(
        email=f"{key}@example.org", organisation=organisation, role=Role.PARTNER_AGENCY
    )


def panel_meeting(world, *, starts_in, by=None, members=(), cases=(), title="Youth panel"):
    """A panel meeting of force A starting `starts_in` (a timedelta) from now, with the force's
    default window (3 days before, 2 after), its members and agenda."""
    from django.utils import timezone

    from referrals.models import PanelAgendaItem, PanelMeeting, PanelMember

    by = by or world.sergeant
    meeting = PanelMeeting.objects.create(
        force=world.forces["a"],
        title=title,
        starts_at=timezone.now() + starts_in,
        place="Dorchester police station",
        access_days_before=3,
        access_days_after=2,
        created_by=by,
    )
    for user in (by, *members):
        PanelMember.objects.create(meeting=meeting, user=user, added_by=by)
    for case in cases:
        PanelAgendaItem.objects.create(meeting=meeting, case=case, added_by=by)
    return meeting


# What a form posts when the young person and the parents know and agree (issue 22 item 4).
WITH_CONSENT = {"consent_young_person": "agrees", "consent_parents": "agrees"}
