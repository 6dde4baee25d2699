"""The partnership cycle with each school: the level agreed with the school, the checklist
of what its level expects, its action plan with targets, and the termly review."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import SCHOOL_ROLES, AppendOnlyModel, ScopedQuerySet, TimeStampedModel
from agreements.models import sha256_hex
from needs_assessment.models import Aim, Assessment, Expectation
from schools.models import School, Term


class SchoolRecordQuerySet(ScopedQuerySet):
    """A school's partnership papers: the force's police side and the school's own staff."""

    def narrow(self, user):
        if user.is_police_side:
            return self
        if user.role in SCHOOL_ROLES:
            return self.filter(school__organisation_id=user.organisation_id)
        return self.none()

    def for_school(self, school):
        return self.filter(school=school)


class LevelAgreement(TimeStampedModel):
    """The school's answer to the level a manager approved: agreed, or a discussion asked for."""

    class Status(models.TextChoices):
        AWAITING = "awaiting", "Waiting for the school"
        AGREED = "agreed", "Agreed"
        DISCUSSION = "discussion", "Discussion asked for"

    force_path = "school__force_id"

    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, related_name="level_agreement"
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="level_agreements")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.AWAITING)
    reason = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = SchoolRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="discussion") | ~Q(reason=""),
                name="discussion_needs_a_reason",
            )
        ]

    def __str__(self):
        return f"Level of {self.school} ({self.get_status_display().lower()})"

    def get_absolute_url(self):
        return reverse("partnership:level_agreement", args=[self.school_id])

    def clean(self):
        if self.status == self.Status.DISCUSSION and not self.reason.strip():
            raise ValidationError({"reason": "Say what you would like to discuss about the level"})


class ExpectationCheck(TimeStampedModel):
    """One expectation of the school's level, ticked off by the partnership with evidence."""

    force_path = "school__force_id"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="expectation_checks")
    expectation = models.ForeignKey(Expectation, on_delete=models.CASCADE, related_name="checks")
    ticked_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    ticked_on = models.DateField()
    evidence = models.TextField(max_length=1000)

    objects = SchoolRecordQuerySet.as_manager()

    class Meta:
        ordering = ["expectation__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "expectation"], name="one_check_per_expectation"
            )
        ]

    def __str__(self):
        return f"{self.expectation} at {self.school}"


def academic_year_of(day: datetime.date) -> int:
    """Return the year a school year starts in: September 2026 to August 2027 is 2026."""
    return day.year if day.month >= 9 else day.year - 1


class ActionPlan(TimeStampedModel):
    """A school's multi-agency action plan for one school year."""

    force_path = "school__force_id"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="action_plans")
    year = models.PositiveSmallIntegerField(help_text="The year the school year starts in.")
    strategy = models.TextField(
        "strategy to reach a lower level",
        max_length=3000,
        blank=True,
        help_text="How the partnership means to bring the school to a lower level.",
    )

    objects = SchoolRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year"], name="one_plan_per_school_year")
        ]

    def __str__(self):
        return f"Action plan {self.year_label} for {self.school}"

    def get_absolute_url(self):
        return reverse("partnership:school", args=[self.school_id])

    @property
    def year_label(self):
        return f"{self.year} to {self.year + 1}"


class ObjectiveQuerySet(ScopedQuerySet):
    def narrow(self, user):
        if user.is_police_side:
            return self
        if user.role in SCHOOL_ROLES:
            return self.filter(plan__school__organisation_id=user.organisation_id)
        return self.none()


class Objective(TimeStampedModel):
    """An objective of the plan, from one of the framework's aims: a baseline, a percentage
    target and a date."""

    force_path = "plan__school__force_id"

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="objectives")
    aim = models.ForeignKey(Aim, on_delete=models.PROTECT, related_name="+")
    baseline = models.DecimalField(max_digits=9, decimal_places=2)
    target_percent = models.DecimalField(
        "target change in %",
        max_digits=5,
        decimal_places=1,
        help_text="The reduction or improvement aimed for, as a share of the baseline.",
    )
    target_on = models.DateField("target date")

    objects = ObjectiveQuerySet.as_manager()

    class Meta:
        ordering = ["aim__order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_percent__gt=0) & Q(target_percent__lte=100),
                name="objective_target_between_0_and_100",
            )
        ]

    def __str__(self):
        return f"{self.aim.name}: {self.target_percent.normalize()}%"

    def clean(self):
        if self.target_percent is not None and not (0 < self.target_percent <= 100):
            raise ValidationError({"target_percent": "Enter a target between 1 and 100%"})

    @property
    def target_value(self) -> Decimal:
        """The number the objective aims for: the baseline moved by the target share."""
        change = self.baseline * self.target_percent / 100
        lower = self.aim.lower_is_better
        return (self.baseline - change if lower else self.baseline + change).quantize(
            Decimal("0.01")
        )

    def progress(self, latest: Decimal | None) -> int | None:
        """Return how far (0–100 %) the latest value has come from the baseline to the target."""
        if latest is None:
            return None
        distance = self.target_value - self.baseline
        if distance == 0:
            return 100
        share = (Decimal(latest) - self.baseline) / distance * 100
        return int(max(Decimal(0), min(Decimal(100), share)))


class ActionQuerySet(ScopedQuerySet):
    def narrow(self, user):
        """Police see the force's actions; school staff their school's; anyone the ones they own."""
        if user.is_police_side:
            return self
        if user.role in SCHOOL_ROLES:
            return self.filter(
                Q(plan__school__organisation_id=user.organisation_id) | Q(owner=user)
            )
        return self.filter(owner=user)

    def owned_by(self, user):
        return self.filter(owner=user)

    def open(self):
        return self.exclude(status=Action.Status.DONE)


class Action(TimeStampedModel):
    """A step of the plan, owned by a person of the school, the police or a partner."""

    SHORT_TERM_LIMIT = datetime.timedelta(days=183)
    LONG_TERM_LIMIT = datetime.timedelta(days=3 * 365 + 1)
    REVIEW_EVERY = datetime.timedelta(days=31)

    class Horizon(models.TextChoices):
        SHORT = "short", "Short term (up to 6 months, reviewed monthly)"
        LONG = "long", "Long term (6 months to 3 years)"

    class OwnerSide(models.TextChoices):
        SCHOOL = "school", "The school"
        POLICE = "police", "The police"
        PARTNER = "partner", "A partner organisation"

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    force_path = "plan__school__force_id"

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    objective = models.ForeignKey(
        Objective, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    description = models.CharField(max_length=300)
    horizon = models.CharField(max_length=10, choices=Horizon.choices)
    owner_side = models.CharField(max_length=10, choices=OwnerSide.choices, editable=False)
    owner = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="actions_owned"
    )
    starts_on = models.DateField()
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    progress_note = models.TextField(max_length=1000, blank=True)
    reviewed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("starts_on")), name="action_due_after_start"
            )
        ]
        indexes = [models.Index(fields=["owner", "status"])]

    def __str__(self):
        return self.description

    def get_absolute_url(self):
        return reverse("partnership:action_update", args=[self.pk])

    def clean(self):
        if not (self.starts_on and self.due_on):
            return
        span = self.due_on - self.starts_on
        if self.due_on < self.starts_on:
            raise ValidationError({"due_on": "The due date must be on or after the start"})
        if self.horizon == self.Horizon.SHORT and span > self.SHORT_TERM_LIMIT:
            raise ValidationError(
                {"due_on": "A short-term action is done within 6 months: make it long term"}
            )
        if self.horizon == self.Horizon.LONG and not (
            self.SHORT_TERM_LIMIT <= span <= self.LONG_TERM_LIMIT
        ):
            raise ValidationError(
                {"due_on": "A long-term action takes between 6 months and 3 years"}
            )

    def review_due_on(self):
        """Short-term actions are reviewed monthly: a month after the last review or the start."""
        if self.horizon != self.Horizon.SHORT or self.status == self.Status.DONE:
            return None
        return (self.reviewed_on or self.starts_on) + self.REVIEW_EVERY

    def is_review_due(self, *, today=None):
        due = self.review_due_on()
        return due is not None and due <= (today or timezone.localdate())


class TermlyReview(TimeStampedModel):
    """The termly review of one school's partnership, signed off by the headteacher and officer."""

    force_path = "school__force_id"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="termly_reviews")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(max_length=3000, blank=True)
    figures = models.JSONField(
        default=dict, blank=True, help_text="The figures as they stood when the first side signed."
    )
    headteacher_signed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    headteacher_signed_at = models.DateTimeField(null=True, blank=True)
    officer_signed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    officer_signed_at = models.DateTimeField(null=True, blank=True)

    objects = SchoolRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-term__starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["school", "term"], name="one_review_per_school_term")
        ]

    def __str__(self):
        return f"{self.term} review of {self.school}"

    def get_absolute_url(self):
        return reverse("partnership:review", args=[self.school_id, self.term_id])

    @property
    def is_signed_off(self):
        return bool(self.headteacher_signed_at and self.officer_signed_at)


class GroupQuerySet(ScopedQuerySet):
    def narrow(self, user):
        """The police see the force's groups; others the groups they sit on, and school staff
        their own school's management group."""
        if user.is_police_side:
            return self
        mine = Q(members__user=user)
        if user.role in SCHOOL_ROLES:
            mine |= Q(school__organisation_id=user.organisation_id)
        return self.filter(mine).distinct()


class Group(TimeStampedModel):
    """A strategic steering group of the force (or an area), or a school's local management group."""

    class Kind(models.TextChoices):
        STEERING = "steering", "Strategic steering group"
        MANAGEMENT = "management", "Local management group"

    force_path = "force_id"

    force = models.ForeignKey("accounts.Force", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, related_name="groups"
    )
    name = models.CharField(max_length=150)
    la_code = models.CharField(
        "local authority",
        max_length=10,
        blank=True,
        help_text="A steering group of one local authority's area; empty for the whole force.",
    )
    terms_of_reference = models.TextField(max_length=5000)

    objects = GroupQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="steering") | Q(school__isnull=False),
                name="management_group_has_a_school",
            ),
            models.UniqueConstraint(
                fields=["school"],
                condition=Q(kind="management"),
                name="one_management_group_per_school",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partnership:group_detail", args=[self.pk])

    def current_terms(self):
        """The latest version of the terms of reference: the one members sign now."""
        return self.terms_versions.order_by("-number").first()

    @property
    def meets_every(self):
        return "quarter" if self.kind == self.Kind.STEERING else "half term"


class GroupMemberQuerySet(ScopedQuerySet):
    def narrow(self, user):
        """A group's members are read with the group: by whoever may read the group."""
        return self.filter(group__in=Group.objects.visible_to(user))


class GroupMember(TimeStampedModel):
    """A person on a group; their signatures of its terms of reference are TermsSignatures."""

    force_path = "group__force_id"

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    role_in_group = models.CharField(max_length=120)

    objects = GroupMemberQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="one_membership_per_person")
        ]

    def __str__(self):
        return f"{self.user} on {self.group}"


class ReadWithItsGroup(ScopedQuerySet):
    """A group's terms of reference and their signatures: read by whoever reads the group."""

    def narrow(self, user):
        return self.filter(group__in=Group.objects.visible_to(user))


class TermsVersion(AppendOnlyModel):
    """The exact wording of a group's terms of reference, frozen with its SHA-256 as the
    agreements' versions are: a changed wording is a new version that members sign again."""

    force_path = "group__force_id"

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="terms_versions")
    number = models.PositiveIntegerField()
    text = models.TextField(max_length=5000)
    text_sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    objects = ReadWithItsGroup.as_manager()

    class Meta:
        ordering = ["group", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["group", "number"], name="one_terms_version_number")
        ]

    def __str__(self):
        return f"Version {self.number} of the terms of reference of {self.group}"

    @property
    def is_intact(self):
        return sha256_hex(self.text) == self.text_sha256


class TermsSignature(AppendOnlyModel):
    """A member's signature of one version of the terms: who, as what, when, from which
    browser, of exactly which wording (its SHA-256)."""

    force_path = "group__force_id"

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="terms_signatures")
    version = models.ForeignKey(TermsVersion, on_delete=models.PROTECT, related_name="signatures")
    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    role_in_group = models.CharField(max_length=120)
    organisation = models.CharField(max_length=200)
    typed_name = models.CharField(max_length=150)
    signed_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)
    content_sha256 = models.CharField(max_length=64)

    objects = ReadWithItsGroup.as_manager()

    class Meta:
        ordering = ["signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "user"], name="one_terms_signature_each")
        ]

    def __str__(self):
        return f"{self.typed_name} signed {self.version}"


class MeetingQuerySet(ScopedQuerySet):
    def narrow(self, user):
        return self.filter(group__in=Group.objects.visible_to(user))


class Meeting(TimeStampedModel):
    """A meeting of a group: its agenda, drawn from the plans due for review, and its minutes."""

    force_path = "group__force_id"

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField()
    location = models.CharField(max_length=200)
    agenda = models.TextField(max_length=5000)
    minutes = models.TextField(max_length=10000, blank=True)
    decisions = models.TextField(max_length=5000, blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]

    def __str__(self):
        return f"{self.group} on {timezone.localtime(self.starts_at):%-d %B %Y}"

    def get_absolute_url(self):
        return reverse("partnership:meeting_detail", args=[self.pk])


class MeetingActionQuerySet(ScopedQuerySet):
    def narrow(self, user):
        if user.is_police_side:
            return self
        return self.filter(Q(owner=user) | Q(meeting__group__in=Group.objects.visible_to(user)))

    def owned_by(self, user):
        return self.filter(owner=user)


class MeetingAction(TimeStampedModel):
    """An action a meeting agreed: it lands in its owner's list."""

    force_path = "meeting__group__force_id"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=300)
    owner = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    done = models.BooleanField(default=False)

    objects = MeetingActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.description


class SchoolFigures(TimeStampedModel):
    """The figures a school supplies each term, checked on the way in; past terms are its history."""

    force_path = "school__force_id"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="termly_figures")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+")
    exclusions = models.PositiveIntegerField("exclusions (fixed-term and permanent)")
    unauthorised_absence_percent = models.DecimalField(
        "unauthorised absence (truancy), % of sessions", max_digits=5, decimal_places=2
    )
    total_absence_percent = models.DecimalField(
        "total absence, % of sessions", max_digits=5, decimal_places=2
    )
    incidents = models.PositiveIntegerField("incidents of crime or disorder in school")
    bullying_reports = models.PositiveIntegerField("reports of bullying or victimisation")
    results_percent = models.DecimalField(
        "pupils reaching grade 4 or above in English and maths, %",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    submitted_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    objects = SchoolRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-term__starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["school", "term"], name="one_set_of_figures_per_term"),
            models.CheckConstraint(
                condition=Q(unauthorised_absence_percent__lte=100)
                & Q(total_absence_percent__lte=100)
                & Q(unauthorised_absence_percent__lte=models.F("total_absence_percent")),
                name="absence_percentages_make_sense",
            ),
        ]

    def __str__(self):
        return f"{self.school}'s figures for the {self.term}"

    def clean(self):
        for name in ("unauthorised_absence_percent", "total_absence_percent", "results_percent"):
            value = getattr(self, name)
            if value is not None and not (0 <= value <= 100):
                raise ValidationError({name: "Enter a percentage from 0 to 100"})
        if (
            self.unauthorised_absence_percent is not None
            and self.total_absence_percent is not None
            and self.unauthorised_absence_percent > self.total_absence_percent
        ):
            raise ValidationError(
                {"unauthorised_absence_percent": "Truancy cannot be more than total absence"}
            )


class Survey(TimeStampedModel):
    """A school's perception-of-safety survey for a term: a link anyone at the school can answer."""

    force_path = "school__force_id"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="safety_surveys")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+")
    token = models.CharField(max_length=40, unique=True)
    opened_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    closed = models.BooleanField(default=False)

    objects = SchoolRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-term__starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["school", "term"], name="one_survey_per_school_term")
        ]

    def __str__(self):
        return f"Safety survey of {self.school}, {self.term}"

    def get_absolute_url(self):
        return reverse("partnership:survey_detail", args=[self.school_id, self.pk])

    def public_path(self):
        return reverse("partnership:survey_answer", args=[self.token])


class SurveyAnswerQuerySet(ScopedQuerySet):
    def narrow(self, user):
        """Anonymous answers, read as the survey's results: by the force's police side and the
        school's own staff."""
        if user.is_police_side:
            return self
        if user.role in SCHOOL_ROLES:
            return self.filter(survey__school__organisation_id=user.organisation_id)
        return self.none()


class SurveyAnswer(models.Model):
    """One anonymous answer: who answered (pupil, staff, parent), not which person."""

    force_path = "survey__school__force_id"

    class Respondent(models.TextChoices):
        PUPIL = "pupil", "A pupil"
        STAFF = "staff", "A member of staff"
        PARENT = "parent", "A parent or carer"

    class FeelsSafe(models.TextChoices):
        YES = "yes", "Safe"
        MOSTLY = "mostly", "Mostly safe"
        NO = "no", "Not safe"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="answers")
    respondent = models.CharField(max_length=10, choices=Respondent.choices)
    feels_safe = models.CharField(max_length=10, choices=FeelsSafe.choices)
    bullied = models.BooleanField()
    device = models.CharField(max_length=64, help_text="A hash of the answering device's cookie.")
    created = models.DateTimeField(auto_now_add=True)

    objects = SurveyAnswerQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "device"], name="one_answer_per_device")
        ]

    def __str__(self):
        return f"Answer to {self.survey}"


class ReadWithItsAgreement(ScopedQuerySet):
    """A joint review or NMT meeting of an agreement: read by whoever reads the agreement (the
    force's police side, and every school role of its school once it was sent)."""

    def narrow(self, user):
        from agreements.models import Agreement

        return self.filter(agreement__in=Agreement.objects.visible_to(user))


class AgreementReviewQuerySet(ReadWithItsAgreement):
    def open(self):
        return self.filter(outcome="")


class AgreementReview(TimeStampedModel):
    """The yearly joint review of an agreement: both sides answer whether it is still current,
    whether it is effective and what should improve; it ends in renewing it unchanged,
    renewing it with changes (a new agreement to sign) or ending it."""

    force_path = "agreement__force_id"

    class Outcome(models.TextChoices):
        RENEW_UNCHANGED = "renew_unchanged", "Renew it unchanged"
        RENEW_WITH_CHANGES = "renew_with_changes", "Renew it with changes (a new version to sign)"
        END = "end", "End it"

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.PROTECT, related_name="joint_reviews"
    )
    started_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    police_current = models.BooleanField("still current (police)", null=True, blank=True)
    police_effective = models.BooleanField("effective (police)", null=True, blank=True)
    police_improve = models.TextField("what should improve (police)", max_length=2000, blank=True)
    police_answered_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    police_answered_at = models.DateTimeField(null=True, blank=True)
    school_current = models.BooleanField("still current (school)", null=True, blank=True)
    school_effective = models.BooleanField("effective (school)", null=True, blank=True)
    school_improve = models.TextField("what should improve (school)", max_length=2000, blank=True)
    school_answered_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    school_answered_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(max_length=2000, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    renewal = models.ForeignKey(
        "agreements.Agreement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The new agreement a renewal with changes started.",
    )

    objects = AgreementReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement"], condition=Q(outcome=""), name="one_open_review_each"
            )
        ]

    def __str__(self):
        return f"Joint review of {self.agreement}"

    def get_absolute_url(self):
        return reverse("partnership:agreement_review", args=[self.pk])

    @property
    def both_answered(self):
        return bool(self.police_answered_at and self.school_answered_at)

    @property
    def is_open(self):
        return not self.outcome


class NmtMeeting(TimeStampedModel):
    """A termly meeting with the neighbourhood management team, recorded against the agreement."""

    force_path = "agreement__force_id"

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.PROTECT, related_name="nmt_meetings"
    )
    held_on = models.DateField("date held")
    attendees = models.TextField(max_length=1000, help_text="Roles and names; no pupils.")
    notes = models.TextField(max_length=5000)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    objects = ReadWithItsAgreement.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"Neighbourhood management team meeting on {self.held_on:%-d %B %Y}"
