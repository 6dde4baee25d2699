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


# What a form posts when the young person and the parents know and agree (issue 22 item 4).
WITH_CONSENT = {"consent_young_person": "agrees", "consent_parents": "agrees"}
