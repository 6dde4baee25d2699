"""The school register, keyed by the DfE's URN as published in GIAS."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from accounts.models import Force, Organisation, Role, TimeStampedModel


class SchoolQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return the schools this user may see: their force's, or their own school."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_police_side:
            return self.filter(force_id=user.force_id)
        if user.role in {Role.HEADTEACHER, Role.DSL, Role.SCHOOL_LINK}:
            return self.filter(organisation_id=user.organisation_id)
        return self.none()

    def open(self):
        return self.exclude(status=School.Status.CLOSED)

    def in_local_authority(self, code):
        return self.filter(la_code=code)


class School(TimeStampedModel):
    """A school, college or other establishment of a force's area."""

    class Phase(models.TextChoices):
        NURSERY = "nursery", "Nursery"
        PRIMARY = "primary", "Primary"
        MIDDLE_PRIMARY = "middle_primary", "Middle deemed primary"
        MIDDLE_SECONDARY = "middle_secondary", "Middle deemed secondary"
        SECONDARY = "secondary", "Secondary"
        ALL_THROUGH = "all_through", "All-through"
        SIXTEEN_PLUS = "16_plus", "16 plus"
        NOT_APPLICABLE = "not_applicable", "Not applicable"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        PROPOSED_TO_CLOSE = "proposed_to_close", "Open, but proposed to close"
        PROPOSED_TO_OPEN = "proposed_to_open", "Proposed to open"
        CLOSED = "closed", "Closed"

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="schools")
    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="school"
    )
    urn = models.PositiveIntegerField("URN", unique=True)
    name = models.CharField(max_length=200)
    establishment_type = models.CharField("type of establishment", max_length=120)
    type_group = models.CharField("establishment group", max_length=120, blank=True)
    phase = models.CharField(max_length=20, choices=Phase.choices)
    statutory_low_age = models.PositiveSmallIntegerField(null=True, blank=True)
    statutory_high_age = models.PositiveSmallIntegerField(null=True, blank=True)
    number_of_pupils = models.PositiveIntegerField(null=True, blank=True)
    la_code = models.CharField("local authority code", max_length=10, db_index=True)
    la_name = models.CharField("local authority", max_length=120)
    street = models.CharField(max_length=200, blank=True)
    locality = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=120, blank=True)
    postcode = models.CharField(max_length=10, blank=True, db_index=True)
    telephone = models.CharField(max_length=30, blank=True)
    website = models.CharField(max_length=200, blank=True)
    headteacher_name = models.CharField(max_length=150, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    opened_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="schools",
        help_text="The police team whose area holds the school (its caseload in the team model).",
    )

    objects = SchoolQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(statutory_low_age__isnull=True)
                | Q(statutory_high_age__isnull=True)
                | Q(statutory_low_age__lte=models.F("statutory_high_age")),
                name="school_age_range_ordered",
            ),
        ]
        indexes = [models.Index(fields=["force", "name"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("schools:detail", args=[self.pk])

    def clean(self):
        if self.organisation_id and self.force_id and self.organisation.force_id != self.force_id:
            raise ValidationError("The school's organisation must belong to the same force.")

    @property
    def age_range(self):
        if self.statutory_low_age is None or self.statutory_high_age is None:
            return ""
        return f"{self.statutory_low_age} to {self.statutory_high_age}"

    @property
    def address(self):
        return ", ".join(p for p in [self.street, self.locality, self.town, self.postcode] if p)


class NamedContactQuerySet(models.QuerySet):
    def current(self, *, on=None):
        """Return the contacts in post on the given date (today by default)."""
        from django.utils import timezone

        on = on or timezone.localdate()
        return self.filter(starts_on__lte=on).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))


class NamedContact(TimeStampedModel):
    """The officer named as a school's police contact for a period, with a deputy for cover."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="named_contacts")
    officer = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="named_contact_for"
    )
    deputy = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deputy_contact_for",
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    objects = NamedContactQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="named_contact_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["school"], condition=Q(ends_on__isnull=True), name="one_open_named_contact"
            ),
        ]

    def __str__(self):
        return f"{self.officer} for {self.school}"

    def clean(self):
        if self.officer_id and self.officer.role not in {
            Role.SAFER_SCHOOLS_OFFICER,
            Role.NEIGHBOURHOOD_OFFICER,
            Role.SERGEANT,
        }:
            raise ValidationError({"officer": "Choose a police officer or PCSO."})
        if self.officer_id and self.officer.force_id != self.school.force_id:
            raise ValidationError({"officer": "Choose an officer of the school's force."})
