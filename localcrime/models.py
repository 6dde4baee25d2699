"""Street-level crime and anti-social behaviour from data.police.uk, and the figures near schools."""

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from accounts.models import Force, ScopedQuerySet, TimeStampedModel
from schools.models import School


class CrimeType(models.TextChoices):
    """The categories of the street-level files (police.uk), today's and those before 2013."""

    ASB = "Anti-social behaviour", "Anti-social behaviour"
    BICYCLE_THEFT = "Bicycle theft", "Bicycle theft"
    BURGLARY = "Burglary", "Burglary"
    CRIMINAL_DAMAGE = "Criminal damage and arson", "Criminal damage and arson"
    DRUGS = "Drugs", "Drugs"
    OTHER_CRIME = "Other crime", "Other crime"
    OTHER_THEFT = "Other theft", "Other theft"
    WEAPONS = "Possession of weapons", "Possession of weapons"
    PUBLIC_ORDER = "Public order", "Public order"
    ROBBERY = "Robbery", "Robbery"
    SHOPLIFTING = "Shoplifting", "Shoplifting"
    THEFT_FROM_PERSON = "Theft from the person", "Theft from the person"
    VEHICLE_CRIME = "Vehicle crime", "Vehicle crime"
    VIOLENCE = "Violence and sexual offences", "Violence and sexual offences"
    # Categories of the files published before May 2013.
    VIOLENT_CRIME = "Violent crime", "Violent crime"
    PUBLIC_DISORDER = "Public disorder and weapons", "Public disorder and weapons"


# The types that matter most to the partnership, shown first.
PARTNERSHIP_TYPES = (
    CrimeType.VIOLENCE,
    CrimeType.ROBBERY,
    CrimeType.WEAPONS,
    CrimeType.DRUGS,
    CrimeType.ASB,
)


def ordered_types(types) -> list[str]:
    """Return crime types with the partnership's first, then the rest by name."""
    types = set(types)
    first = [t.value for t in PARTNERSHIP_TYPES if t.value in types]
    return first + sorted(types - set(first))


class LocalCrimeSettings(TimeStampedModel):
    """How a force counts crime near its schools and how long it keeps the rows."""

    force = models.OneToOneField(Force, on_delete=models.CASCADE, related_name="local_crime")
    radius_m = models.PositiveIntegerField(
        "radius in metres",
        default=500,
        validators=[MinValueValidator(100), MaxValueValidator(3000)],
        help_text="Crimes within this distance of a school count as near it (100 to 3,000).",
    )
    retention_months = models.PositiveSmallIntegerField(
        "months kept",
        default=36,
        validators=[MinValueValidator(24), MaxValueValidator(120)],
        help_text="Older months are removed when new ones are loaded (24 to 120).",
    )
    force_path = "force_id"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "local crime settings"

    def __str__(self):
        return f"Local crime settings of {self.force}"

    @classmethod
    def of(cls, force_id) -> "LocalCrimeSettings":
        """Return the force's settings, unsaved defaults if it has none."""
        return cls.objects.filter(force_id=force_id).first() or cls(force_id=force_id)


class CrimeImport(TimeStampedModel):
    """An upload of street-level files: checked and previewed first, imported once."""

    class Status(models.TextChoices):
        CHECKING = "checking", "Checking"
        PREVIEWED = "previewed", "Previewed"
        IMPORTING = "importing", "Importing"
        APPLIED = "applied", "Imported"
        FAILED = "failed", "Failed"

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="crime_imports")
    uploaded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    # Always a zip: one or more CSV files are packed into one on upload.
    file = models.FileField(upload_to="crime-imports/")
    original_name = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CHECKING)
    preview = models.JSONField(default=dict, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    force_path = "force_id"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return (
            f"Street-level crime import {self.original_name} ({self.get_status_display().lower()})"
        )

    @property
    def running(self) -> bool:
        return self.status in {self.Status.CHECKING, self.Status.IMPORTING}


class StreetCrimeQuerySet(ScopedQuerySet):
    def in_months(self, first: datetime.date, last: datetime.date):
        return self.filter(month__gte=first, month__lte=last)


class StreetCrime(models.Model):
    """One row of a street-level file: a crime (with its ID) or an ASB report (without)."""

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="The first day of the month the row belongs to.")
    crime_id = models.CharField(max_length=64, null=True, blank=True)
    # The crime ID, or for a row without one (ASB) a digest of its month, position, location,
    # type and its occurrence among identical rows of the month: the file repeats identical
    # ASB rows for separate reports, so those are kept, and only a re-import is skipped.
    dedupe_key = models.CharField(max_length=64)
    reported_by = models.CharField(max_length=100)
    falls_within = models.CharField(max_length=100)
    longitude = models.FloatField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    # British National Grid metres (pyproj), so that distances are sums of squares.
    easting = models.IntegerField(null=True, blank=True)
    northing = models.IntegerField(null=True, blank=True)
    # The 250-metre square of the grid the row lies in (see figures.cell_of): the key that the
    # count near schools joins on, so each school reads only the squares around it.
    cell = models.IntegerField(null=True, blank=True)
    location = models.CharField(max_length=200, blank=True)
    lsoa_code = models.CharField("LSOA code", max_length=9, blank=True)
    lsoa_name = models.CharField("LSOA name", max_length=100, blank=True)
    crime_type = models.CharField(max_length=60, choices=CrimeType.choices)
    outcome = models.CharField("last outcome category", max_length=120, blank=True)

    force_path = "force_id"
    objects = StreetCrimeQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["force", "dedupe_key"], name="street_crime_once"),
        ]
        indexes = [
            models.Index(fields=["force", "cell"], name="street_crime_cell"),
            models.Index(fields=["force", "lsoa_code"], name="street_crime_lsoa"),
            models.Index(fields=["force", "month"], name="street_crime_month"),
        ]

    def __str__(self):
        return f"{self.crime_type}, {self.location} ({self.month:%B %Y})"


CELL_METRES = 250
# Cells are numbered row by row; the grid is less than 10,000 cells wide.
CELL_ROW = 10_000


def cell_of(easting: int, northing: int) -> int:
    """Return the number of the 250-metre grid square holding a grid reference."""
    return (northing // CELL_METRES) * CELL_ROW + easting // CELL_METRES


class LoadedMonth(models.Model):
    """A month of a force's street-level data that has been loaded, with its row counts."""

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    crimes = models.PositiveIntegerField(default=0)
    asb = models.PositiveIntegerField("anti-social behaviour", default=0)
    loaded_at = models.DateTimeField()

    force_path = "force_id"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["force", "month"], name="loaded_month_once"),
        ]

    def __str__(self):
        return f"{self.month:%B %Y}"


class SchoolCrimeCountQuerySet(ScopedQuerySet):
    def narrow(self, user):
        return self.filter(school__in=School.objects.visible_to(user))


class SchoolCrimeCount(models.Model):
    """How many of a type a month brought near a school and in its LSOA (the summary table)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="crime_counts")
    month = models.DateField()
    crime_type = models.CharField(max_length=60, choices=CrimeType.choices)
    near = models.PositiveIntegerField("within the radius", default=0)
    in_lsoa = models.PositiveIntegerField("in the school's LSOA", default=0)

    force_path = "school__force_id"
    objects = SchoolCrimeCountQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "month", "crime_type"], name="school_crime_count_once"
            ),
        ]

    def __str__(self):
        return f"{self.school}: {self.crime_type} in {self.month:%B %Y}"
