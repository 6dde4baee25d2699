import datetime

import factory

from accounts.models import Organisation
from accounts.tests.factories import ForceFactory, OrganisationFactory
from schools.models import NamedContact, School


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    force = factory.SubFactory(ForceFactory)
    name = factory.Sequence(lambda n: f"Example School {n}")
    organisation = factory.SubFactory(
        OrganisationFactory,
        force=factory.SelfAttribute("..force"),
        kind=Organisation.Kind.SCHOOL,
        name=factory.SelfAttribute("..name"),
    )
    urn = factory.Sequence(lambda n: 800000 + n)
    establishment_type = "Academy converter"
    type_group = "Academies"
    phase = School.Phase.SECONDARY
    statutory_low_age = 11
    statutory_high_age = 16
    number_of_pupils = 900
    la_code = "838"
    la_name = "Dorset"
    town = "Dorchester"
    # Unique for the first 10,000 schools, and never a postcode a test types (DTn nAB).
    postcode = factory.Sequence(lambda n: f"ZZ{n // 100 % 100} {n % 10}{chr(65 + n // 10 % 10)}Z")


class NamedContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NamedContact

    school = factory.SubFactory(SchoolFactory)
    officer = None
    starts_on = factory.LazyFunction(lambda: datetime.date(2026, 9, 1))


def contacts_post(**kinds) -> dict:
    """The contacts page's POST: {kind: {name, email, telephone}}, every kind's row present."""
    from schools.models import SchoolContact

    data = {"contacts-TOTAL_FORMS": "4", "contacts-INITIAL_FORMS": "4"}
    for i, (kind, _) in enumerate(SchoolContact.Kind.choices):
        for field in ("name", "email", "telephone"):
            data[f"contacts-{i}-{field}"] = kinds.get(kind, {}).get(field, "")
    return data
