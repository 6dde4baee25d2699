import datetime

import factory

from accounts.tests.factories import ForceFactory
from localcrime.models import CrimeType, LoadedMonth, StreetCrime, cell_of


class StreetCrimeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StreetCrime

    force = factory.SubFactory(ForceFactory)
    month = datetime.date(2021, 2, 1)
    crime_id = factory.Sequence(lambda n: f"{n:064x}")
    dedupe_key = factory.SelfAttribute("crime_id")
    reported_by = "Dorset Police"
    falls_within = "Dorset Police"
    location = "On or near Example Street"
    crime_type = CrimeType.VIOLENCE
    easting = None
    northing = None
    cell = factory.LazyAttribute(
        lambda o: cell_of(o.easting, o.northing) if o.easting is not None else None
    )


class LoadedMonthFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LoadedMonth

    force = factory.SubFactory(ForceFactory)
    month = datetime.date(2021, 2, 1)
    loaded_at = factory.LazyFunction(lambda: datetime.datetime(2021, 4, 1, tzinfo=datetime.UTC))
