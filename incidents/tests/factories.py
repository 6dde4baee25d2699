import datetime

import factory
from django.utils import timezone

from incidents.models import Exhibit, Incident, IncidentKind, IncidentPerson
from incidents.records import Arrest, ConsentSignature, PupilSearch, RestorativeResolution


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


class PupilSearchFactory(factory.django.DjangoModelFactory):
    """A search of a pupil on the premises, recorded by the school's named officer."""

    class Meta:
        model = PupilSearch

    incident = factory.SubFactory(IncidentFactory)
    recorded_by = None
    officer = factory.SelfAttribute("recorded_by")
    pupil_name = "Riley Demo-Okafor"
    year_group = "10"
    searched_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))
    searched_at = datetime.time(9, 15)
    place = "Deputy head's office"
    grounds = "A teacher saw a knife handle in the pupil's bag."
    object_of_search = "A bladed article"
    found = "A kitchen knife"
    staff_present = "Mr A Patel, deputy head"
    parents_told = PupilSearch.ParentsTold.YES
    parents_told_by = "Mrs J Rowe, DSL"
    parents_told_how = PupilSearch.HowTold.PHONE
    parents_told_on = factory.SelfAttribute("searched_on")
    parents_told_at = datetime.time(10, 0)
    outcome = PupilSearch.Outcome.ITEM_SEIZED
    police_note = "Brother linked to county lines."


class RestorativeResolutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RestorativeResolution
        skip_postgeneration_save = True

    incident = factory.SubFactory(IncidentFactory)
    recorded_by = None
    proposed = "A written apology and two lunchtimes helping to repaint the wall."
    police_note = "Offender's cousin known to us."
    content_sha256 = factory.LazyAttribute(lambda o: "")

    @factory.post_generation
    def fingerprint(obj, create, extracted, **kwargs):
        obj.content_sha256 = obj.fingerprint()
        if create:
            obj.save(update_fields=["content_sha256"])


def consent_of(resolution, capacity, name, *, by):
    return ConsentSignature.objects.create(
        resolution=resolution,
        capacity=capacity,
        signer_name=name,
        typed_name=name,
        agreed=True,
        witnessed_by=by,
        content_sha256=resolution.content_sha256,
    )


class ArrestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Arrest

    incident = factory.SubFactory(IncidentFactory)
    recorded_by = None
    person_name = "Riley Demo-Okafor"
    year_group = "10"
    arrested_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))
    arrested_at = datetime.time(11, 0)
    offence = "Possession of a bladed article on school premises"
    necessity = "To prevent harm: threats made to another pupil."
    why_not_wait = "Threats to a named pupil at home time."
    protocol_confirmed = True
    head_told = "Ms K Hall, headteacher"
    head_told_at = datetime.time(10, 45)
