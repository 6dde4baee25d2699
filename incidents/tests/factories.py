import datetime

import factory
from django.utils import timezone

from incidents.models import Exhibit, Incident, IncidentKind, IncidentPerson


def kind_of(force, key="weapon"):
    """The force's kind of incident by key (every force gets the defaults when created)."""
    return IncidentKind.objects.get(force=force, key=key)


class IncidentFactory(factory.django.DjangoModelFactory):
    """A sent report, every question answered."""

    class Meta:
        model = Incident

    school = None
    reported_by = None
    kind = factory.LazyAttribute(lambda o: kind_of(o.school.force))
    status = Incident.Status.NEW
    occurred_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=2))
    place = Incident.Place.IN_SCHOOL
    summary = "A knife was found in a Year 10 bag at morning registration."
    third_party_reported = False
    evidence_kept = True
    evidence_detail = "The knife, bagged."
    parents_told = Incident.ParentsTold.YES
    sent_at = factory.LazyFunction(timezone.now)


class IncidentPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IncidentPerson

    incident = factory.SubFactory(IncidentFactory)
    part = IncidentPerson.Part.SUSPECT
    kind = IncidentPerson.Kind.PUPIL
    first_name = "Riley"
    last_name = "Demo-Okafor"
    year_group = "10"


class ExhibitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exhibit

    incident = factory.SubFactory(IncidentFactory)
    what = "Kitchen knife in a sealed bag"
    where_kept = "Headteacher's safe"
    held_by = "The headteacher"
