"""Frameworks (a force's tiers, factors and service offer, as data) and the assessments made with them."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from accounts.models import Force, Role, ScopedQuerySet, TimeStampedModel
from schools.models import School


class Source(models.TextChoices):
    """Where a piece of a framework comes from: the national guidance, or the force itself."""

    GUIDANCE = "guidance", "National guidance"
    FORCE = "force", "The force's own starting point"


class FrameworkQuerySet(ScopedQuerySet):
    def narrow(self, user):
        """Everyone of the force may read its frameworks (tiers and service offer)."""
        return self

    def latest_versions(self):
        """Keep the newest version of each framework."""
        newest = Framework.objects.filter(
            force_id=OuterRef("force_id"), key=OuterRef("key")
        ).order_by("-version")
        return self.filter(version=Subquery(newest.values("version")[:1]))

    def chosen_for(self, force):
        """Return the framework version new assessments of this force use."""
        return self.filter(force=force, is_chosen=True).first()


class Framework(TimeStampedModel):
    """One version of a force's needs-assessment framework.

    A framework in use is never edited: a change makes a new version, so past
    assessments keep the version they were made with.
    """

    force_path = "force_id"

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="frameworks")
    key = models.SlugField(max_length=40, help_text="Names the framework across its versions.")
    version = models.PositiveIntegerField(default=1)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    rule_summary = models.TextField(
        blank=True, help_text="How ratings combine into a tier, in plain words, shown to assessors."
    )
    is_chosen = models.BooleanField(
        default=False, help_text="New assessments of the force use this version."
    )

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        ordering = ["force", "key", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["force", "key", "version"], name="framework_version_unique"
            ),
            models.UniqueConstraint(
                fields=["force"], condition=Q(is_chosen=True), name="one_chosen_framework_per_force"
            ),
        ]

    def __str__(self):
        return f"{self.name} (version {self.version})"

    def get_absolute_url(self):
        return reverse("needs_assessment:framework_detail", args=[self.pk])

    @property
    def is_in_use(self):
        return self.assessments.exists()


class FrameworkPartQuerySet(ScopedQuerySet):
    """A framework's levels, factors, descriptors, indicators and offers: read with it."""

    def narrow(self, user):
        return self


class Level(models.Model):
    """A tier (or intervention level) of a framework, with the rule that places a school in it.

    rank orders the levels: 1 is the least intensive service. A school is placed in
    the most intensive level whose rule its ratings meet (see needs_assessment.rules).
    """

    force_path = "framework__force_id"

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="levels")
    key = models.SlugField(max_length=40)
    name = models.CharField(max_length=80)
    rank = models.PositiveSmallIntegerField()
    description = models.TextField(blank=True)
    key_factors = models.JSONField(
        default=list,
        blank=True,
        help_text="Factor keys: one of these rated at this level or above is enough on its own.",
    )
    min_factors = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="How many factors rated at this level or above place a school here.",
    )
    lifted_by_higher = models.BooleanField(
        default=False,
        help_text="Any factor rated above this level places a school here at least.",
    )
    colour = models.CharField(max_length=20, default="grey", help_text="The GOV.UK tag colour.")
    criteria = models.JSONField(
        default=list,
        blank=True,
        help_text='What a school at this level looks like: a list of {"text": ..., "source": ...}.',
    )
    resources = models.TextField(
        blank=True, help_text="The people and time a school at this level is given."
    )
    resources_source = models.CharField(max_length=20, choices=Source.choices, default=Source.FORCE)

    objects = FrameworkPartQuerySet.as_manager()

    class Meta:
        ordering = ["framework", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="level_key_unique"),
            models.UniqueConstraint(fields=["framework", "rank"], name="level_rank_unique"),
        ]

    def __str__(self):
        return self.name


class Factor(models.Model):
    """A risk factor assessors rate, such as location or attendance and exclusion."""

    force_path = "framework__force_id"

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="factors")
    key = models.SlugField(max_length=40)
    name = models.CharField(max_length=120)
    order = models.PositiveSmallIntegerField(default=0)
    guidance = models.TextField(blank=True)

    objects = FrameworkPartQuerySet.as_manager()

    class Meta:
        ordering = ["framework", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="factor_key_unique")
        ]

    def __str__(self):
        return self.name


class Descriptor(models.Model):
    """What a factor looks like at one level: the assessor's guide to rating it."""

    force_path = "factor__framework__force_id"

    factor = models.ForeignKey(Factor, on_delete=models.CASCADE, related_name="descriptors")
    level = models.ForeignKey(Level, on_delete=models.CASCADE, related_name="descriptors")
    text = models.TextField()

    objects = FrameworkPartQuerySet.as_manager()

    class Meta:
        ordering = ["factor", "level__rank"]
        constraints = [
            models.UniqueConstraint(fields=["factor", "level"], name="descriptor_unique")
        ]

    def __str__(self):
        return f"{self.factor} at {self.level}"


class Indicator(models.Model):
    """A number recorded as evidence (FSM %, exclusions…), optionally rating its factor by thresholds.

    thresholds is a list of {"level": <level key>, "above": n} or {"level": ..., "below": n},
    most intensive first; the first that the value passes gives the indicator's level.
    """

    force_path = "framework__force_id"

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="indicators")
    factor = models.ForeignKey(
        Factor, on_delete=models.CASCADE, null=True, blank=True, related_name="indicators"
    )
    key = models.SlugField(max_length=40)
    name = models.CharField(max_length=120)
    unit = models.CharField(max_length=20, blank=True)
    help_text = models.CharField(max_length=250, blank=True)
    minimum = models.DecimalField(max_digits=9, decimal_places=2, default=Decimal("0"))
    maximum = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    thresholds = models.JSONField(default=list, blank=True)
    thresholds_source = models.CharField(
        max_length=20,
        choices=Source.choices,
        default=Source.FORCE,
        help_text="Whether the thresholds are the guidance's or the force's own starting point.",
    )
    order = models.PositiveSmallIntegerField(default=0)
    computed_from = models.CharField(
        max_length=40,
        blank=True,
        choices=[
            ("", "Typed by the assessor"),
            ("incidents_per_week", "Incidents the school reported, a week over 26 weeks"),
        ],
        help_text="Where the product takes the value from instead of the assessor typing it.",
    )

    objects = FrameworkPartQuerySet.as_manager()

    class Meta:
        ordering = ["framework", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="indicator_key_unique")
        ]

    def __str__(self):
        return self.name

    COMPARISONS = ("above", "at_least", "below")
    UPWARD = frozenset({"above", "at_least"})

    def clean(self):
        """The range is a range, and the thresholds rate the factor one way, tier by tier."""
        if self.maximum is not None and self.minimum is not None and self.maximum <= self.minimum:
            raise ValidationError({"maximum": "The highest value must be more than the lowest"})
        if self.thresholds:
            levels = {
                level.key: level for level in Level.objects.filter(framework_id=self.framework_id)
            }
            problems = self.threshold_problems(levels)
            if problems:
                raise ValidationError(problems)

    def threshold_problems(self, levels: dict) -> list[str]:
        """What is wrong with the thresholds, read most intensive tier first; [] when nothing."""
        if self.factor_id is None:
            return ["This indicator rates no factor, so it cannot have thresholds. Clear them."]
        rows = []
        for row in self.thresholds:
            comparisons = [c for c in self.COMPARISONS if c in row]
            level = levels.get(row.get("level"))
            if level is None or len(comparisons) != 1:
                return ["Each threshold needs a tier of this framework and one comparison"]
            rows.append((level, comparisons[0], Decimal(str(row[comparisons[0]]))))
        problems = [
            f"The {level.name} threshold must be within the values allowed"
            for level, _, value in rows
            if value < self.minimum or (self.maximum is not None and value > self.maximum)
        ]
        seen = set()
        for level, _, _ in rows:
            if level.key in seen:
                problems.append(f"Give {level.name} one threshold only")
            seen.add(level.key)
        if len({comparison in self.UPWARD for _, comparison, _ in rows}) > 1:
            problems.append(
                "Use “more than” or “at least” for every threshold, or “less than” for every "
                "threshold: a number cannot point both ways."
            )
        if problems:
            return problems
        upward = rows[0][1] in self.UPWARD
        rows.sort(key=lambda row: -row[0].rank)
        for (higher, _, high), (lower, _, low) in zip(rows, rows[1:], strict=False):
            if (upward and high <= low) or (not upward and high >= low):
                word = "higher" if upward else "lower"
                problems.append(
                    f"The threshold of {higher.name} must be {word} than that of {lower.name}"
                )
        return problems


class ServiceOffer(models.Model):
    """What a school of a level and phase receives: its police contact and engagement promise."""

    force_path = "framework__force_id"

    class PhaseGroup(models.TextChoices):
        SECONDARY = "secondary", "Secondary and middle schools"
        PRIMARY = "primary", "Primary and first schools"

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", "At least weekly"
        PER_TERM = "per_term", "A number of times a term"

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="service_offers"
    )
    level = models.ForeignKey(Level, on_delete=models.CASCADE, related_name="service_offers")
    phase_group = models.CharField(max_length=20, choices=PhaseGroup.choices)
    contact = models.CharField(max_length=200, help_text="Who the school's police contact is.")
    contact_role = models.CharField(
        max_length=20,
        choices=[
            (Role.SAFER_SCHOOLS_OFFICER.value, "Safer Schools officer"),
            (Role.NEIGHBOURHOOD_OFFICER.value, "Neighbourhood officer or PCSO"),
        ],
        blank=True,
        help_text="The role the named contact must hold, if any.",
    )
    frequency = models.CharField(max_length=20, choices=Frequency.choices)
    engagements_per_term = models.PositiveSmallIntegerField(default=1)
    uses_force_enhanced_number = models.BooleanField(
        default=False,
        help_text="Take the number a term from the force's setting for Enhanced schools.",
    )
    offer = models.TextField(help_text="The service in plain words, as the school is told it.")
    education_inputs = models.TextField(blank=True)
    promise_source = models.CharField(
        max_length=20,
        choices=Source.choices,
        default=Source.FORCE,
        help_text="Whether the number of engagements promised is the guidance's or the force's.",
    )

    objects = FrameworkPartQuerySet.as_manager()

    class Meta:
        ordering = ["framework", "level__rank", "phase_group"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "phase_group"], name="one_offer_per_level_and_phase"
            ),
        ]

    def __str__(self):
        return f"{self.level} ({self.get_phase_group_display().lower()})"

    def promised_in(self, term) -> int:
        """Return how many engagements this offer promises in `term`."""
        if self.frequency == self.Frequency.WEEKLY:
            return term.weeks
        if self.uses_force_enhanced_number:
            return self.framework.force.enhanced_engagements_per_term
        return self.engagements_per_term

    @property
    def promise_text(self):
        if self.frequency == self.Frequency.WEEKLY:
            return "At least once a week"
        number = (
            self.framework.force.enhanced_engagements_per_term
            if self.uses_force_enhanced_number
            else self.engagements_per_term
        )
        return "At least once a term" if number == 1 else f"At least {number} times a term"

    @staticmethod
    def phase_group_of(school: School) -> str:
        if school.phase in {
            School.Phase.PRIMARY,
            School.Phase.NURSERY,
            School.Phase.MIDDLE_PRIMARY,
        }:
            return ServiceOffer.PhaseGroup.PRIMARY
        return ServiceOffer.PhaseGroup.SECONDARY


class Aim(models.Model):
    """What the partnership sets out to change (fewer truants, better results…): the
    objectives of a school's action plan are chosen from these."""

    force_path = "framework__force_id"

    class Direction(models.TextChoices):
        REDUCE = "reduce", "Reduce"
        IMPROVE = "improve", "Improve"

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="aims")
    key = models.SlugField(max_length=40)
    name = models.CharField(max_length=120)
    direction = models.CharField(max_length=10, choices=Direction.choices)
    indicator_key = models.SlugField(
        max_length=40,
        blank=True,
        help_text="The indicator that measures it, where the framework has one.",
    )
    lower_is_better = models.BooleanField(
        default=True, help_text="The indicator falls as things get better (absence, offending)."
    )
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.FORCE)
    order = models.PositiveSmallIntegerField(default=0)

    objects = FrameworkPartQuerySet.as_manager()

    class Meta:
        ordering = ["framework", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["framework", "key"], name="aim_key_unique")]

    def __str__(self):
        return self.name


class Expectation(models.Model):
    """What a partnership at a level is expected to have in place (a steering group, an
    information sharing protocol…): each school's checklist, ticked off with evidence."""

    force_path = "framework__force_id"

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="expectations")
    levels = models.ManyToManyField(Level, related_name="expectations")
    key = models.SlugField(max_length=40)
    text = models.CharField(max_length=300)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.FORCE)
    order = models.PositiveSmallIntegerField(default=0)

    objects = FrameworkPartQuerySet.as_manager()

    class Meta:
        ordering = ["framework", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="expectation_key_unique")
        ]

    def __str__(self):
        return self.text


class AssessmentQuerySet(ScopedQuerySet):
    # narrow: the police side only (ScopedQuerySet's default); school staff see none:
    # the evidence is police-only.

    def current(self):
        return self.filter(is_current=True)

    def awaiting_approval(self):
        return self.filter(status=Assessment.Status.SUBMITTED)

    def due_for_review(self, *, on=None):
        on = on or timezone.localdate()
        return self.current().filter(review_due_on__lte=on)

    def tier_changes_between(self, start, end):
        """The assessments approved on the days from `start` to `end` that gave their school
        its first tier or a different one, annotated with `from_level` (the level id of the
        approved assessment before, None for a first tier) and `to_level`: the tier
        dashboard's "tier changes in the period" and the assessment table's filter behind it."""
        tier = Coalesce("proposed_level_id", "computed_level_id")
        previous = (
            Assessment.objects.filter(
                Q(approved_on__lt=OuterRef("approved_on"))
                | Q(approved_on=OuterRef("approved_on"), pk__lt=OuterRef("pk")),
                school=OuterRef("school"),
                status=Assessment.Status.APPROVED,
            )
            .order_by("-approved_on", "-pk")
            .values(level=tier)[:1]
        )
        return (
            self.filter(
                status=Assessment.Status.APPROVED, approved_on__gte=start, approved_on__lte=end
            )
            .annotate(to_level=tier, from_level=Subquery(previous))
            .filter(Q(from_level__isnull=True) | ~Q(from_level=F("to_level")))
        )

    def changed_tier(self, *, from_level, to_level):
        """Of `tier_changes_between`, those from one level (an id, or None for a first tier)
        to another."""
        before = Q(from_level__isnull=True) if from_level is None else Q(from_level=from_level)
        return self.filter(before, to_level=to_level)


class Assessment(TimeStampedModel):
    """One assessment of one school: ratings with evidence, a computed tier, a manager's decision."""

    force_path = "school__force_id"
    REVIEW_AFTER = datetime.timedelta(days=365)

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Waiting for approval"
        RETURNED = "returned", "Returned for changes"
        APPROVED = "approved", "Approved"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="assessments")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="assessments")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    computed_level = models.ForeignKey(
        Level, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proposed_level = models.ForeignKey(
        Level,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="A tier other than the computed one, proposed with a reason.",
    )
    override_reason = models.TextField(blank=True)
    assessed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="assessments_made"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments_decided",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True)
    approved_on = models.DateField(null=True, blank=True)
    is_current = models.BooleanField(default=False)
    review_due_on = models.DateField(null=True, blank=True)
    review_reminded_for = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="The due date a reminder was last sent for.",
    )
    submission_emailed_for = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="The submission (its time) the managers were emailed about.",
    )
    decision_emailed_for = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="The decision (its time) the assessor was emailed about.",
    )

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["school"],
                condition=Q(is_current=True),
                name="one_current_assessment_per_school",
            ),
            models.UniqueConstraint(
                fields=["school"],
                condition=Q(status__in=["draft", "submitted", "returned"]),
                name="one_open_assessment_per_school",
            ),
            models.CheckConstraint(
                condition=Q(proposed_level__isnull=True) | ~Q(override_reason=""),
                name="override_needs_a_reason",
            ),
        ]
        indexes = [models.Index(fields=["status"]), models.Index(fields=["review_due_on"])]

    def __str__(self):
        return f"Assessment of {self.school} ({self.get_status_display().lower()})"

    def get_absolute_url(self):
        return reverse("needs_assessment:assessment_detail", args=[self.pk])

    @property
    def reference(self):
        """Name it in emails: the school's public URN and the assessment's number."""
        return f"URN {self.school.urn}, assessment {self.pk}"

    @property
    def level(self):
        """Return the tier this assessment sets: the proposed one if any, else the computed one."""
        return self.proposed_level or self.computed_level

    @property
    def is_open(self):
        return self.status in {self.Status.DRAFT, self.Status.SUBMITTED, self.Status.RETURNED}

    @property
    def is_editable(self):
        return self.status in {self.Status.DRAFT, self.Status.RETURNED}

    def clean(self):
        if self.proposed_level_id and not self.override_reason.strip():
            raise ValidationError(
                {"override_reason": "Give the reason for proposing a different tier"}
            )
        if self.proposed_level_id and self.proposed_level.framework_id != self.framework_id:
            raise ValidationError({"proposed_level": "Choose a tier of this framework"})
        if self.framework_id and self.school_id and self.framework.force_id != self.school.force_id:
            raise ValidationError("The framework must be the school's force's.")


class AssessmentPartQuerySet(ScopedQuerySet):
    """An assessment's ratings and numbers: the police side only, like the assessment."""


class Rating(models.Model):
    """An assessor's rating of one factor, with the evidence for it."""

    force_path = "assessment__school__force_id"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    factor = models.ForeignKey(Factor, on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey(
        Level, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    evidence = models.TextField(blank=True)

    objects = AssessmentPartQuerySet.as_manager()

    class Meta:
        ordering = ["assessment", "factor__order"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "factor"], name="one_rating_per_factor")
        ]

    def __str__(self):
        return f"{self.factor}: {self.level or 'not rated'}"


class IndicatorValue(models.Model):
    """A number recorded in an assessment, such as FSM 31.5 %."""

    force_path = "assessment__school__force_id"

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="indicator_values"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(max_digits=9, decimal_places=2)
    source_note = models.CharField(
        max_length=250,
        blank=True,
        help_text="Where a value filled in for the assessor came from, and the months it covers.",
    )

    objects = AssessmentPartQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator"], name="one_value_per_indicator"
            ),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.value}"
