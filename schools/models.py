"""The school register, keyed by the DfE's URN as published in GIAS."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from accounts.models import (
    OFFICER_ROLES,
    SCHOOL_ROLES,
    Force,
    Organisation,
    ScopedQuerySet,
    Team,
    TimeStampedModel,
)


class SchoolQuerySet(ScopedQuerySet):
    def narrow(self, user):
        """The police side sees the force's schools; school staff only their own school."""
        if user.is_police_side:
            return self
        if user.role in SCHOOL_ROLES:
            return self.filter(organisation_id=user.organisation_id)
        return self.none()

    def led_by(self, user):
        """Return the schools of a sergeant's teams (Team.objects.led_by)."""
        return self.filter(team__in=Team.objects.led_by(user))

    def open(self):
        return self.exclude(status=School.Status.CLOSED)

    def open_on(self, day):
        """Return the schools open on a past day, by their GIAS opening and closing dates."""
        return (
            self.exclude(closed_on__lte=day)
            .exclude(opened_on__gt=day)
            .exclude(status=School.Status.CLOSED, closed_on__isnull=True)
        )

    def without_position(self):
        """Return the schools GIAS gave no grid reference, so no local figures can be counted."""
        return self.filter(Q(easting__isnull=True) | Q(northing__isnull=True))

    def in_local_authority(self, code):
        return self.filter(la_code=code)

    def with_named_officer(self, *, on):
        """Annotate `named_officer_id`: the officer named as each school's contact on the date.

        The one definition of "a school's named officer" that the dashboards count and the
        school list filters by: the named officer only, never the deputy who covers.
        """
        officer = (
            NamedContact.objects.current(on=on)
            .filter(school=models.OuterRef("pk"))
            .order_by("pk")
            .values("officer_id")[:1]
        )
        return self.annotate(named_officer_id=models.Subquery(officer))

    def with_named_officer_of(self, officer_id, *, on):
        """Return the schools whose named officer on the date is this officer."""
        return self.with_named_officer(on=on).filter(named_officer_id=officer_id)

    def without_named_contact(self, *, on):
        """Return the schools with no named contact in post on the date."""
        return self.exclude(
            models.Exists(NamedContact.objects.current(on=on).filter(school=models.OuterRef("pk")))
        )

    def in_team(self, team):
        """Return the schools of a team (a team id), or of no team ("none")."""
        return self.in_teams([team])

    def in_teams(self, teams):
        """Return the schools of any of these teams (team ids), or of no team ("none")."""
        teams = [str(team) for team in teams]
        ids = [int(team) for team in teams if team.isdigit()]
        match = Q(team_id__in=ids)
        if "none" in teams:
            match |= Q(team__isnull=True)
        return self.filter(match)


class School(TimeStampedModel):
    """A school, college or other establishment of a force's area."""

    force_path = "force_id"

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
    # Where the school is, from GIAS: British National Grid metres and the 2011 LSOA; the
    # latitude and longitude are converted from the grid reference by pyproj on import.
    easting = models.PositiveIntegerField(null=True, blank=True)
    northing = models.PositiveIntegerField(null=True, blank=True)
    lsoa_code = models.CharField("LSOA code", max_length=9, blank=True, db_index=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
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


class ReadWithItsSchool(ScopedQuerySet):
    """Records of a school, read by whoever may read the school (School.objects.visible_to)."""

    def narrow(self, user):
        return self.filter(school__in=School.objects.visible_to(user))


class NamedContactQuerySet(ReadWithItsSchool):
    def current(self, *, on=None):
        """Return the contacts in post on the given date (today by default)."""
        from django.utils import timezone

        on = on or timezone.localdate()
        return self.filter(starts_on__lte=on).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))


class NamedContact(TimeStampedModel):
    """The officer named as a school's police contact for a period, with a deputy for cover."""

    force_path = "school__force_id"

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
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)

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

    def is_current(self, *, on):
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)

    def clean(self):
        if self.officer_id and self.officer.role not in OFFICER_ROLES:
            raise ValidationError({"officer": "Choose a police officer or PCSO."})
        if self.officer_id and self.officer.force_id != self.school.force_id:
            raise ValidationError({"officer": "Choose an officer of the school's force."})


class SchoolContact(TimeStampedModel):
    """A person at the school the police deal with: headteacher, DSL, senior link, PSHE lead."""

    force_path = "school__force_id"

    class Kind(models.TextChoices):
        HEADTEACHER = "headteacher", "Headteacher"
        DSL = "dsl", "Designated safeguarding lead"
        SENIOR_LINK = "senior_link", "Senior leadership link"
        PSHE_LEAD = "pshe_lead", "PSHE or booking lead"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=150)
    email = models.EmailField(blank=True)
    telephone = models.CharField(max_length=30, blank=True)
    user = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="school_contact_roles",
        help_text="The person's account, once they have been invited.",
    )

    objects = ReadWithItsSchool.as_manager()

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["school", "kind"], name="one_contact_of_each_kind"),
        ]

    def __str__(self):
        return f"{self.name}, {self.get_kind_display().lower()} at {self.school}"


class TermQuerySet(ScopedQuerySet):
    def narrow(self, user):
        """Everyone of the force may read its term dates."""
        return self

    def containing(self, day):
        """Return the terms whose dates include `day`."""
        return self.filter(starts_on__lte=day, ends_on__gte=day)


class Term(TimeStampedModel):
    """A school term of a force's area: the period engagement is counted against."""

    force_path = "force_id"

    class Name(models.TextChoices):
        AUTUMN = "autumn", "Autumn"
        SPRING = "spring", "Spring"
        SUMMER = "summer", "Summer"

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="terms")
    name = models.CharField(max_length=10, choices=Name.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()

    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="term_ends_after_start"
            ),
            models.UniqueConstraint(fields=["force", "starts_on"], name="one_term_per_start"),
        ]

    def __str__(self):
        return f"{self.get_name_display()} term {self.academic_year}"

    @property
    def academic_year(self):
        first = self.starts_on.year if self.starts_on.month >= 8 else self.starts_on.year - 1
        return f"{first}/{str(first + 1)[-2:]}"

    @property
    def weeks(self):
        """Return the number of weeks the term spans, counting a part week as one."""
        return -(-((self.ends_on - self.starts_on).days + 1) // 7)

    @classmethod
    def default_terms_for_year(cls, force, first_year: int):
        """Return unsaved default terms for the academic year starting in September."""
        import datetime

        return [
            cls(
                force=force,
                name=cls.Name.AUTUMN,
                starts_on=datetime.date(first_year, 9, 1),
                ends_on=datetime.date(first_year, 12, 31),
            ),
            cls(
                force=force,
                name=cls.Name.SPRING,
                starts_on=datetime.date(first_year + 1, 1, 1),
                ends_on=datetime.date(first_year + 1, 4, 15),
            ),
            cls(
                force=force,
                name=cls.Name.SUMMER,
                starts_on=datetime.date(first_year + 1, 4, 16),
                ends_on=datetime.date(first_year + 1, 8, 31),
            ),
        ]

    @classmethod
    def current_for(cls, force, *, on=None):
        """Return the force's term containing `on` (today), creating default terms if none."""
        from django.utils import timezone

        from accounts.caching import cached

        on = on or timezone.localdate()
        # Read on most police pages; terms change a few times a year (see schools.receivers).
        term = cached(
            TERMS_TOPIC,
            force.pk,
            ("containing", on),
            lambda: cls.objects.filter(force=force).containing(on).first(),
        )
        if term is None:
            first_year = on.year if on.month >= 9 else on.year - 1
            for candidate in cls.default_terms_for_year(force, first_year):
                if not cls.objects.filter(
                    force=force, starts_on__lte=candidate.ends_on, ends_on__gte=candidate.starts_on
                ).exists():
                    candidate.save()
            term = cls.objects.filter(force=force).containing(on).first()
        return term


TERMS_TOPIC = "terms"


class EngagementQuerySet(ScopedQuerySet):
    # narrow: the police side only (ScopedQuerySet's default): they are police notes.

    def in_term(self, term):
        return self.filter(occurred_on__gte=term.starts_on, occurred_on__lte=term.ends_on)


class EngagementPurposeQuerySet(ScopedQuerySet):
    def narrow(self, user):
        """Everyone of the force may read the roles its engagement log records."""
        return self

    def active(self):
        return self.filter(is_active=True)


class EngagementPurpose(TimeStampedModel):
    """A role an engagement may serve, as the force lists them: the officer's four roles (Law,
    Educator, Advisor, Role Model) unless the force changes them. A role taken off the list is
    kept, inactive, so the entries that name it still read."""

    force_path = "force_id"

    force = models.ForeignKey("accounts.Force", on_delete=models.CASCADE, related_name="+")
    key = models.SlugField(max_length=20)
    name = models.CharField(max_length=60)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    objects = EngagementPurposeQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["force", "key"], name="one_purpose_key_per_force")
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        from accounts.caching import invalidate_on_commit

        super().save(*args, **kwargs)
        invalidate_on_commit(self.CACHE_TOPIC, self.force_id)

    @classmethod
    def choices_for(cls, force_id) -> list[tuple[str, str]]:
        """The roles an engagement may be logged against now: the force's list, or the four."""
        rows = list(cls.objects.filter(force_id=force_id).active().values_list("key", "name"))
        return rows or list(Engagement.Purpose.choices)

    @classmethod
    def names_for(cls, force_id) -> dict[str, str]:
        """Every role's name by key, taken off the list or not (cached per force)."""
        from accounts.caching import cached

        def compute():
            names = dict(Engagement.Purpose.choices)
            names.update(cls.objects.filter(force_id=force_id).values_list("key", "name"))
            return names

        return cached(cls.CACHE_TOPIC, force_id, (), compute)

    CACHE_TOPIC = "engagement-purposes"


class Engagement(TimeStampedModel):
    """One piece of police work with a school, logged by the officer who did it."""

    force_path = "school__force_id"
    CORRECTION_WINDOW = timedelta(hours=24)

    class Kind(models.TextChoices):
        VISIT = "visit", "Visit to the school"
        PATROL = "patrol", "Patrol near the school"
        SENIOR_MEETING = "senior_meeting", "Meeting with senior staff"
        INPUT = "input", "Input to a class or assembly"
        SMALL_GROUP = "small_group", "1:1 or small-group work"
        MULTI_AGENCY = "multi_agency", "Multi-agency meeting"
        OTHER = "other", "Other"

    class Purpose(models.TextChoices):
        """The four nationally recognised roles of a Safer Schools officer."""

        LAW = "law", "Law"
        EDUCATOR = "educator", "Educator"
        ADVISOR = "advisor", "Advisor"
        ROLE_MODEL = "role_model", "Role Model"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="engagements")
    officer = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="engagements"
    )
    occurred_on = models.DateField("date")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # A key of the force's EngagementPurpose list (the four roles unless the force changed it).
    purpose = models.CharField("role it served", max_length=20)
    duration_minutes = models.PositiveSmallIntegerField("duration in minutes")
    with_whom = models.CharField(
        "with whom",
        max_length=200,
        blank=True,
        help_text="Roles or groups, for example 'Year 9 assembly' or 'DSL and head of year'. No pupil names.",
    )
    summary = models.TextField(max_length=1000, blank=True)
    follow_up = models.TextField("follow-up", max_length=1000, blank=True)

    objects = EngagementQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-created"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1) & Q(duration_minutes__lte=1440),
                name="engagement_duration_within_a_day",
            ),
        ]
        indexes = [models.Index(fields=["school", "occurred_on"])]

    def __str__(self):
        return f"{self.get_kind_display()} at {self.school} on {self.occurred_on:%d %b %Y}"

    def clean(self):
        if not (self.school_id and self.purpose):
            return
        force_id = self.school.force_id
        # An entry logged earlier keeps a role the force has since taken off its list.
        allowed = (
            dict(EngagementPurpose.choices_for(force_id))
            if self._state.adding
            else EngagementPurpose.names_for(force_id)
        )
        if self.purpose not in allowed:
            raise ValidationError({"purpose": "Choose one of the roles your force lists"})

    def get_purpose_display(self):
        """The role's name as the force lists it (the entry's school is read with it). A key
        is made from its role's name, so the four roles' keys always name the four roles:
        only a force's own roles are looked up (once per force, cached)."""
        four = dict(Engagement.Purpose.choices)
        if self.purpose in four:
            return four[self.purpose]
        return EngagementPurpose.names_for(self.school.force_id).get(self.purpose, self.purpose)

    def can_be_corrected_by(self, user, *, now=None):
        """Only the author may correct an entry, and only within 24 hours of logging it."""
        from django.utils import timezone

        now = now or timezone.now()
        return user.pk == self.officer_id and now - self.created <= self.CORRECTION_WINDOW


class GiasImportQuerySet(ScopedQuerySet):
    # narrow: the police side (ScopedQuerySet's default); the pages ask schools.import_gias.
    pass


class GiasImport(TimeStampedModel):
    """An uploaded GIAS extract: previewed first, applied once."""

    force_path = "force_id"

    class Status(models.TextChoices):
        CHECKING = "checking", "Checking"
        PREVIEWED = "previewed", "Previewed"
        IMPORTING = "importing", "Importing"
        APPLIED = "applied", "Applied"
        FAILED = "failed", "Failed"

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="gias_imports")
    uploaded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to="gias-imports/")
    original_name = models.CharField(max_length=200)
    la_codes = models.JSONField(default=list)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PREVIEWED)
    summary = models.JSONField(default=dict, blank=True)
    preview = models.JSONField(
        default=dict,
        blank=True,
        help_text="What a large file would change, worked out by a task after its upload.",
    )
    applied_at = models.DateTimeField(null=True, blank=True)

    objects = GiasImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return f"GIAS import {self.original_name} ({self.get_status_display().lower()})"
