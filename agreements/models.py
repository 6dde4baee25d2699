"""Memoranda of Understanding: the force's templates, each school's agreement, its signed
versions, signatures, timeline, the sealed PDF, and the review reminders sent."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.hashing import sha256_hex  # noqa: F401 - the agreements read it from here too
from accounts.models import (
    SCHOOL_ROLES,
    AppendOnlyModel,
    Force,
    Role,
    ScopedQuerySet,
    TimeStampedModel,
)
from schools.models import School

from .signing_models import (
    ChangesRequested,
    FrozenVersion,
    SealedPdf,
    SignatureRecord,
    SignatureReminderRecord,
    TimelineEvent,
)

# Reminders go out this many days before the review date, then weekly once it has passed.
REMINDER_DAYS_BEFORE = (60, 30, 7)
REVIEW_DUE_WINDOW = datetime.timedelta(days=REMINDER_DAYS_BEFORE[0])
# Unless the force says otherwise, the signer whose turn it is is reminded this many days
# after they were asked, and the link to sign works for this many days.
SIGNATURE_REMINDER_DAYS = "3,7,14"
SIGNING_LINK_DAYS = 30


def reminder_days_of(text: str) -> list[int]:
    """Return the reminder days written as "3, 7, 14", sorted; raise ValueError if unreadable."""
    days = sorted({int(part) for part in text.replace(" ", "").split(",") if part})
    if any(day < 1 or day > 90 for day in days) or len(days) > 6:
        raise ValueError(text)
    return days


def validate_reminder_days(text: str) -> None:
    try:
        reminder_days_of(text)
    except ValueError:
        raise ValidationError(
            "Enter up to 6 whole numbers of days from 1 to 90, separated by commas, "
            "for example 3, 7, 14"
        ) from None


# Where a school's MoU stands, each school in exactly one: the dashboard's figures and the
# school list's "MoU status" filter both read AgreementQuerySet.standing_of.
MOU_STANDINGS = [
    ("active", "Active"),
    ("review_due", f"Active, review due within {REMINDER_DAYS_BEFORE[0]} days"),
    ("overdue", "Active, review overdue"),
    ("awaiting_school", "Waiting for the school to sign"),
    ("awaiting_police", "Waiting for the police to sign"),
    ("draft", "Being prepared"),
    ("ended", "Ended"),
    ("none", "No agreement"),
]


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Return the same day `months` later, or the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in range(day.day, 27, -1):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    return day.replace(year=year, month=month, day=min(day.day, 28))


class AgreementSettingsQuerySet(ScopedQuerySet):
    # narrow: the police side (ScopedQuerySet's default); administrators change them.
    pass


class AgreementSettings(TimeStampedModel):
    """How a force runs its agreements: who signs first, a sergeant's countersignature, review."""

    force_path = "force_id"

    class SigningOrder(models.TextChoices):
        SCHOOL_FIRST = "school_first", "The headteacher signs first, then the police"
        POLICE_FIRST = "police_first", "The police sign first, then the headteacher"

    force = models.OneToOneField(Force, on_delete=models.CASCADE, related_name="agreement_settings")
    signing_order = models.CharField(
        max_length=20, choices=SigningOrder.choices, default=SigningOrder.POLICE_FIRST
    )
    sergeant_countersigns = models.BooleanField(
        "a sergeant countersigns",
        default=False,
        help_text="After the officer has signed, a sergeant of the force signs too.",
    )
    review_months = models.PositiveSmallIntegerField(
        "review after (months)",
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="An agreement falls due for review this many months after it became active.",
    )
    signature_reminder_days = models.CharField(
        "remind the signer after (days)",
        max_length=40,
        blank=True,
        default=SIGNATURE_REMINDER_DAYS,
        validators=[validate_reminder_days],
        help_text="Days after they were asked, separated by commas, for example 3, 7, 14. "
        "Leave empty to send no reminders.",
    )
    signing_link_days = models.PositiveSmallIntegerField(
        "the link to sign works for (days)",
        default=SIGNING_LINK_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    timestamp_url = models.URLField(
        "time-stamping authority (RFC 3161) address",
        blank=True,
        help_text="When given, each sealed PDF carries a trusted timestamp from this service.",
    )

    objects = AgreementSettingsQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "agreement settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(review_months__gte=1) & Q(review_months__lte=12),
                name="agreement_review_within_a_year",
            ),
        ]

    def __str__(self):
        return f"Agreement settings of {self.force}"

    @classmethod
    def for_force(cls, force) -> "AgreementSettings":
        found, _ = cls.objects.get_or_create(force=force)
        return found


class AgreementTemplateQuerySet(ScopedQuerySet):
    # narrow: the police side only (ScopedQuerySet's default).

    def published(self):
        return self.filter(is_published=True)


class AgreementTemplate(TimeStampedModel):
    """One version of a force's wording for one kind of agreement.

    A version used by an agreement is never edited: a change makes a new version.
    """

    force_path = "force_id"

    class Kind(models.TextChoices):
        NAMED_OFFICER = "named_officer", "MoU: named neighbourhood officer"
        SAFER_SCHOOLS_OFFICER = "safer_schools_officer", "MoU: Safer Schools officer"
        ISA = "isa", "Information sharing agreement"
        PROVIDER = "provider", "Provider agreement: education partner"

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="agreement_templates")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    version = models.PositiveIntegerField(default=1)
    title = models.CharField(max_length=200)
    sections = models.JSONField(
        default=list,
        help_text='A list of {"key", "heading", "body", "optional"} sections, in order.',
    )
    is_published = models.BooleanField(
        default=False, help_text="New agreements of this kind use this version."
    )

    objects = AgreementTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["force", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["force", "kind", "version"], name="agreement_template_version_unique"
            ),
            models.UniqueConstraint(
                fields=["force", "kind"],
                condition=Q(is_published=True),
                name="one_published_template_per_kind",
            ),
        ]

    def __str__(self):
        return f"{self.title} (version {self.version})"

    def get_absolute_url(self):
        return reverse("agreements:template_detail", args=[self.pk])

    @property
    def is_in_use(self):
        return (
            Agreement.objects.filter(Q(template=self) | Q(isa_template=self))
            .exclude(state=Agreement.State.DRAFT)
            .exists()
        )

    def section(self, key):
        return next((s for s in self.sections if s.get("key") == key), None)

    @classmethod
    def kind_for(cls, officer) -> str:
        """Return the MoU variant whose wording fits the officer who signs for the police: the
        Safer Schools officer's for a Safer Schools officer, else the named neighbourhood
        officer's (neighbourhood officers, PCSOs and sergeants)."""
        if officer is not None and officer.role == Role.SAFER_SCHOOLS_OFFICER:
            return cls.Kind.SAFER_SCHOOLS_OFFICER
        return cls.Kind.NAMED_OFFICER


class AgreementQuerySet(ScopedQuerySet):
    def narrow(self, user):
        """The police side sees the force's agreements; school staff their school's once
        sent; nobody else any."""
        if user.is_police_side:
            return self
        if user.is_school_staff:
            return self.filter(school__organisation_id=user.organisation_id).exclude(
                state=Agreement.State.DRAFT
            )
        return self.none()

    def live(self):
        """Return the agreements in progress or in force (not ended, not replaced)."""
        return self.exclude(state__in=[Agreement.State.ENDED, Agreement.State.RENEWED])

    def awaiting_signature(self):
        return self.filter(state__in=[Agreement.State.SENT, Agreement.State.PARTLY_SIGNED])

    def active(self):
        return self.filter(state=Agreement.State.ACTIVE)

    def review_due(self, *, today=None):
        """Return active agreements whose review date is within the first reminder's window."""
        today = today or timezone.localdate()
        return self.active().filter(review_due_on__lte=today + REVIEW_DUE_WINDOW)

    def for_school(self, school):
        return self.filter(school=school)

    def _standing_on(self, schools, *, day):
        of_school = self.filter(school=models.OuterRef("pk"), created__date__lte=day).exclude(
            ended_on__lte=day
        )
        active = of_school.filter(active_on__lte=day).order_by("-active_on", "-pk")
        awaiting = of_school.filter(sent_at__date__lte=day).exclude(active_on__lte=day)
        school_signed = Signature.objects.filter(
            agreement=models.OuterRef("pk"), party=Agreement.Party.SCHOOL, signed_at__date__lte=day
        )
        return schools.annotate(
            mou_review_on=models.Subquery(active.values("review_due_on")[:1]),
            mou_active=models.Exists(active),
            mou_awaiting_school=models.Exists(awaiting.filter(~models.Exists(school_signed))),
            mou_awaiting=models.Exists(awaiting),
            mou_draft=models.Exists(
                of_school.exclude(sent_at__date__lte=day).exclude(active_on__lte=day)
            ),
            mou_ended=models.Exists(self.filter(school=models.OuterRef("pk"), ended_on__lte=day)),
            mou_suggested=models.Value(False),
        ).annotate(
            mou=models.Case(
                models.When(mou_active=True, mou_review_on__lt=day, then=models.Value("overdue")),
                models.When(
                    mou_active=True,
                    mou_review_on__lte=day + REVIEW_DUE_WINDOW,
                    then=models.Value("review_due"),
                ),
                models.When(mou_active=True, then=models.Value("active")),
                models.When(mou_awaiting_school=True, then=models.Value("awaiting_school")),
                models.When(mou_awaiting=True, then=models.Value("awaiting_police")),
                models.When(mou_draft=True, then=models.Value("draft")),
                models.When(mou_ended=True, then=models.Value("ended")),
                default=models.Value("none"),
                output_field=models.CharField(),
            )
        )

    def standing_of(self, schools, *, today, past=False):
        """Annotate each school's MoU standing (`mou`, a key of MOU_STANDINGS) and whether a
        review is suggested (`mou_suggested`); an active agreement outranks a renewal.

        With `past`, `today` is a past day and the standing is read from the agreements' dates
        (made, sent, active, ended, the school's signature); a review suggestion has no date,
        so none is counted.
        """
        if past:
            return self._standing_on(schools, day=today)
        of_school = self.filter(school=models.OuterRef("pk"))
        active = of_school.filter(state=Agreement.State.ACTIVE).order_by("-active_on", "-pk")
        awaiting = of_school.awaiting_signature().order_by("-pk")
        return schools.annotate(
            mou_review_on=models.Subquery(active.values("review_due_on")[:1]),
            mou_active=models.Exists(active),
            mou_awaiting=models.Subquery(awaiting.values("awaiting_party")[:1]),
            mou_draft=models.Exists(of_school.filter(state=Agreement.State.DRAFT)),
            mou_ended=models.Exists(of_school.filter(state=Agreement.State.ENDED)),
            mou_suggested=models.Exists(of_school.live().filter(review_suggested=True)),
        ).annotate(
            mou=models.Case(
                models.When(mou_active=True, mou_review_on__lt=today, then=models.Value("overdue")),
                models.When(
                    mou_active=True,
                    mou_review_on__lte=today + REVIEW_DUE_WINDOW,
                    then=models.Value("review_due"),
                ),
                models.When(mou_active=True, then=models.Value("active")),
                models.When(
                    mou_awaiting=Agreement.Party.SCHOOL, then=models.Value("awaiting_school")
                ),
                models.When(mou_awaiting__isnull=False, then=models.Value("awaiting_police")),
                models.When(mou_draft=True, then=models.Value("draft")),
                models.When(mou_ended=True, then=models.Value("ended")),
                default=models.Value("none"),
                output_field=models.CharField(),
            )
        )


class Agreement(SealedPdf, ChangesRequested, TimeStampedModel):
    """The Memorandum of Understanding between a school and its force, with its ISA."""

    force_path = "force_id"
    outbox_key = "agreements.agreement"

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SENT = "sent", "Sent for signature"
        PARTLY_SIGNED = "partly_signed", "Signed by one party"
        ACTIVE = "active", "Signed by both: active"
        RENEWED = "renewed", "Replaced by a renewed agreement"
        ENDED = "ended", "Ended"

    class Party(models.TextChoices):
        SCHOOL = "school", "Headteacher"
        POLICE = "police", "Police officer"
        SERGEANT = "sergeant", "Sergeant"

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="agreements")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="agreements")
    template = models.ForeignKey(
        AgreementTemplate, on_delete=models.PROTECT, related_name="agreements"
    )
    isa_template = models.ForeignKey(
        AgreementTemplate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="isa_agreements",
        verbose_name="information sharing agreement",
    )
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    named_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="agreements_as_officer",
        help_text="The officer who signs for the police.",
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="agreements_prepared"
    )
    local_arrangements = models.TextField(blank=True)
    left_out = models.JSONField(
        default=list, blank=True, help_text="Keys of the optional sections left out."
    )
    signing_order = models.CharField(
        max_length=20,
        choices=AgreementSettings.SigningOrder.choices,
        default=AgreementSettings.SigningOrder.POLICE_FIRST,
    )
    sergeant_countersigns = models.BooleanField(default=False)
    awaiting_party = models.CharField(
        max_length=20, choices=Party.choices, blank=True, help_text="Whose signature is next."
    )
    awaiting_since = models.DateTimeField(
        null=True, blank=True, help_text="When the signer whose turn it is was asked."
    )
    sign_link_expires_at = models.DateTimeField(
        null=True, blank=True, help_text="After this the signer needs a new link."
    )
    renews = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewal",
        help_text="The agreement this one replaces after a review.",
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    active_on = models.DateField(null=True, blank=True)
    review_due_on = models.DateField(null=True, blank=True)
    review_suggested = models.BooleanField(default=False)
    review_suggested_reason = models.CharField(max_length=250, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    ended_reason = models.TextField(blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements_ended",
    )
    seal_failures = models.PositiveSmallIntegerField(
        default=0, help_text="Sealing runs that gave up after their retries; the sweeper retries."
    )
    seal_failed_at = models.DateTimeField(null=True, blank=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["school"],
                condition=Q(state__in=["draft", "sent", "partly_signed"]),
                name="one_agreement_in_progress_per_school",
            ),
            models.UniqueConstraint(
                fields=["school"], condition=Q(state="active"), name="one_active_agreement"
            ),
            models.CheckConstraint(
                condition=~Q(state="ended") | (Q(ended_on__isnull=False) & ~Q(ended_reason="")),
                name="ended_agreement_has_date_and_reason",
            ),
        ]
        indexes = [models.Index(fields=["force", "state"])]

    def __str__(self):
        return f"{self.template.title} with {self.school}"

    def get_absolute_url(self):
        return reverse("agreements:detail", args=[self.pk])

    def clean(self):
        if self.school_id and self.force_id and self.school.force_id != self.force_id:
            raise ValidationError("The school must belong to the agreement's force.")
        if self.template_id and self.template.force_id != self.force_id:
            raise ValidationError({"template": "Choose a template of this force."})
        if self.named_officer_id and (
            self.named_officer.force_id != self.force_id or not self.named_officer.is_officer
        ):
            raise ValidationError({"named_officer": "Choose an officer of this force."})
        # The wording names the officer and says what kind of officer they are, so the two
        # must agree until it is frozen at sending.
        if (
            self.state == self.State.DRAFT
            and self.template_id
            and self.named_officer_id
            and self.template.kind
            not in {AgreementTemplate.Kind.ISA, AgreementTemplate.Kind.PROVIDER}
            and self.template.kind != AgreementTemplate.kind_for(self.named_officer)
        ):
            if self.template.kind == AgreementTemplate.Kind.SAFER_SCHOOLS_OFFICER:
                message = (
                    "The Safer Schools officer memorandum promises a dedicated Safer Schools "
                    "officer: choose a Safer Schools officer to sign for the police, or prepare "
                    "the named neighbourhood officer memorandum"
                )
            else:
                message = (
                    "The named neighbourhood officer memorandum is for a neighbourhood officer, "
                    "PCSO or sergeant: choose one of them to sign for the police, or prepare "
                    "the Safer Schools officer memorandum"
                )
            raise ValidationError({"named_officer": message})

    # The parties, in the order they sign.
    def signing_sequence(self) -> list[str]:
        police = [self.Party.POLICE] + ([self.Party.SERGEANT] if self.sergeant_countersigns else [])
        if self.signing_order == AgreementSettings.SigningOrder.POLICE_FIRST:
            return [*police, self.Party.SCHOOL]
        return [self.Party.SCHOOL, *police]

    @property
    def is_editable(self):
        return self.state in {self.State.DRAFT, self.State.SENT, self.State.PARTLY_SIGNED}

    @property
    def is_awaiting_signature(self):
        return self.state in {self.State.SENT, self.State.PARTLY_SIGNED}

    def sign_link_has_expired(self, *, now=None):
        return (
            self.is_awaiting_signature
            and self.sign_link_expires_at is not None
            and self.sign_link_expires_at <= (now or timezone.now())
        )

    def days_waiting(self, *, now=None):
        if not self.is_awaiting_signature or self.awaiting_since is None:
            return None
        return ((now or timezone.now()) - self.awaiting_since).days

    @property
    def is_live(self):
        return self.state not in {self.State.ENDED, self.State.RENEWED}

    def is_review_due(self, *, today=None):
        today = today or timezone.localdate()
        return (
            self.state == self.State.ACTIVE
            and self.review_due_on is not None
            and self.review_due_on <= today + REVIEW_DUE_WINDOW
        )

    def status_label(self, *, today=None):
        """Return the status as people read it, with "review due" for an active one near review."""
        if self.is_review_due(today=today):
            return "Review due"
        return self.get_state_display()

    @property
    def status_colour(self):
        return {
            self.State.DRAFT: "grey",
            self.State.SENT: "blue",
            self.State.PARTLY_SIGNED: "light-blue",
            self.State.ACTIVE: "orange" if self.is_review_due() else "green",
            self.State.RENEWED: "grey",
            self.State.ENDED: "red",
        }[self.state]

    @property
    def is_being_sealed(self):
        return self.state in {self.State.ACTIVE, self.State.RENEWED} and not self.sealed_sha256

    @property
    def seal_has_failed(self):
        return self.is_being_sealed and self.seal_failures > 0


class ReadWithItsAgreement(ScopedQuerySet):
    """An agreement's versions, signatures and timeline: read by whoever reads the agreement."""

    def narrow(self, user):
        return self.filter(agreement__in=Agreement.objects.visible_to(user))


class AgreementVersion(FrozenVersion):
    """The exact content of an agreement as sent for signature, frozen with its SHA-256.

    Any change after sending makes a new version; only signatures of the latest count.
    """

    force_path = "agreement__force_id"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")

    objects = ReadWithItsAgreement.as_manager()

    class Meta:
        ordering = ["agreement", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"], name="agreement_version_number_unique"
            ),
        ]


class Signature(SignatureRecord):
    """One party's signature of one version: who, as what, how, when, from where, of what."""

    force_path = "agreement__force_id"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatures")
    version = models.ForeignKey(
        AgreementVersion, on_delete=models.PROTECT, related_name="signatures"
    )
    party = models.CharField(max_length=20, choices=Agreement.Party.choices)
    rank = models.CharField(max_length=60, blank=True)
    collar_number = models.CharField(max_length=20, blank=True)

    objects = ReadWithItsAgreement.as_manager()

    class Meta:
        ordering = ["signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "party"], name="one_signature_per_party"),
        ]

    @property
    def signer_title(self):
        """Return the name as it appears under the signature, with rank and collar number."""
        if self.rank and self.collar_number:
            return f"{self.rank} {self.typed_name} ({self.collar_number})"
        return self.typed_name


class AgreementEvent(TimelineEvent):
    """A step of the agreement's timeline, shown on its certificate page."""

    force_path = "agreement__force_id"

    class Kind(models.TextChoices):
        PREPARED = "prepared", "Prepared"
        CHANGED = "changed", "Changed"
        SENT = "sent", "Sent for signature"
        NEW_VERSION = "new_version", "New version sent"
        VIEWED = "viewed", "Viewed"
        SIGNED = "signed", "Signed"
        ACTIVE = "active", "Signed by all: active"
        SEALED = "sealed", "Signed PDF sealed"
        REVIEW_SUGGESTED = "review_suggested", "Review suggested"
        REMINDED = "reminded", "Review reminder sent"
        RENEWAL_STARTED = "renewal_started", "Renewal started"
        RENEWED = "renewed", "Replaced by a renewed agreement"
        ENDED = "ended", "Ended"
        SIGN_REMINDED = "sign_reminded", "Reminder to sign sent"
        NEW_LINK = "new_link", "New link to sign sent"
        CHANGES_REQUESTED = "changes_requested", "Changes requested: returned to the officer"
        SHARED = "shared", "Signed copy sent"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    version_number = models.PositiveIntegerField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ReadWithItsAgreement.as_manager()

    class Meta:
        ordering = ["created", "pk"]


class ReviewReminder(AppendOnlyModel):
    """A review reminder sent for an agreement: one row per kind and date, so never sent twice."""

    force_path = "agreement__force_id"

    class Kind(models.TextChoices):
        DAYS_60 = "60_days", "60 days before"
        DAYS_30 = "30_days", "30 days before"
        DAYS_7 = "7_days", "7 days before"
        OVERDUE = "overdue", "Overdue"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    for_date = models.DateField(
        help_text="The review date for reminders before it; the week's date once overdue."
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["agreement", "for_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "kind", "for_date"], name="review_reminder_sent_once"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} reminder for {self.agreement_id} ({self.for_date})"


class SignatureReminder(SignatureReminderRecord):
    """A reminder to sign sent to the party whose turn it is: one row per turn and day, so a
    rerun never sends it twice."""

    force_path = "agreement__force_id"

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="signature_reminders"
    )
    party = models.CharField(max_length=20, choices=Agreement.Party.choices)

    class Meta:
        ordering = ["agreement", "sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "party", "awaiting_since", "after_days"],
                name="signature_reminder_sent_once",
            ),
        ]


class ActingHeadteacherQuerySet(ScopedQuerySet):
    def narrow(self, user):
        if user.is_police_side:
            return self
        if user.is_school_staff:
            return self.filter(school__organisation_id=user.organisation_id)
        return self.none()

    def current(self, *, on=None):
        on = on or timezone.localdate()
        return self.filter(starts_on__lte=on, ends_on__gte=on)


class ActingHeadteacher(TimeStampedModel):
    """A member of the school's staff named to act as headteacher for a period: during it
    they may sign the school's agreement."""

    force_path = "school__force_id"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="acting_heads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="acting_head_periods"
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = ActingHeadteacherQuerySet.as_manager()

    class Meta:
        ordering = ["school", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="acting_head_period_order"
            ),
        ]

    def __str__(self):
        return f"{self.user} acting headteacher of {self.school}"

    def clean(self):
        errors = {}
        if self.starts_on and self.ends_on:
            if self.ends_on < self.starts_on:
                errors["ends_on"] = "The last day must be on or after the first day"
            elif (self.ends_on - self.starts_on).days > 366:
                errors["ends_on"] = "Name an acting headteacher for a year at most"
        if (
            self.user_id
            and self.school_id
            and (
                self.user.organisation_id != self.school.organisation_id
                or self.user.role not in SCHOOL_ROLES
                or not self.user.is_active
            )
        ):
            errors["user"] = "Choose a member of the school's staff"
        if errors:
            raise ValidationError(errors)


# Documents both sides attach ----------------------------------------------------------------


class DocumentKind(models.TextChoices):
    """The documents an agreement lists. Which side supplies each, and whether it has an
    expiry date, is in DOCUMENT_KINDS below."""

    POLICE_RISK_ASSESSMENT = "police_risk_assessment", "Police generic risk assessment"
    POLICE_INSURANCE = "police_insurance", "Police liability insurance certificate"
    SCHOOL_RISK_ASSESSMENT = "school_risk_assessment", "School risk assessment"
    FIRE_RISK_ASSESSMENT = "fire_risk_assessment", "Fire risk assessment"
    FIRE_PLAN = "fire_plan", "Fire plan"
    SCHOOL_INSURANCE = "school_insurance", "School liability insurance certificate"
    ANTI_BULLYING_POLICY = "anti_bullying_policy", "Anti-bullying policy"
    BEHAVIOUR_POLICY = "behaviour_policy", "Behaviour policy"


POLICE_SIDE, SCHOOL_SIDE = "police", "school"
# kind: (the side that supplies it, whether it carries an expiry date). The police's are
# held once per force; the school's once per school, listed in each of its agreements.
DOCUMENT_KINDS = {
    DocumentKind.POLICE_RISK_ASSESSMENT: (POLICE_SIDE, False),
    DocumentKind.POLICE_INSURANCE: (POLICE_SIDE, True),
    DocumentKind.SCHOOL_RISK_ASSESSMENT: (SCHOOL_SIDE, False),
    DocumentKind.FIRE_RISK_ASSESSMENT: (SCHOOL_SIDE, False),
    DocumentKind.FIRE_PLAN: (SCHOOL_SIDE, False),
    DocumentKind.SCHOOL_INSURANCE: (SCHOOL_SIDE, True),
    DocumentKind.ANTI_BULLYING_POLICY: (SCHOOL_SIDE, False),
    DocumentKind.BEHAVIOUR_POLICY: (SCHOOL_SIDE, False),
}


def side_of(kind: str) -> str:
    return DOCUMENT_KINDS[DocumentKind(kind)][0]


def kind_expires(kind: str) -> bool:
    return DOCUMENT_KINDS[DocumentKind(kind)][1]


def kinds_of(side: str) -> list[str]:
    return [kind for kind, (supplier, _) in DOCUMENT_KINDS.items() if supplier == side]


class AgreementDocumentQuerySet(ScopedQuerySet):
    def narrow(self, user):
        """The police side reads the force's documents and every school's; school staff
        read their own school's, and the force's once their school has an agreement sent
        to it (they are a party); nobody else any."""
        if user.is_police_side:
            return self
        if user.is_school_staff:
            party = Agreement.objects.filter(
                force_id=user.force_id, school__organisation_id=user.organisation_id
            ).exclude(state=Agreement.State.DRAFT)
            mine = Q(school__organisation_id=user.organisation_id)
            force_wide = Q(school__isnull=True) & Q(models.Exists(party))
            return self.filter(mine | force_wide)
        return self.none()

    def current(self):
        """The documents in use: the latest upload of each kind (replaced ones are kept, as
        signed agreements list them)."""
        return self.filter(replaced_at__isnull=True)

    def for_school(self, school):
        """The current documents an agreement with this school lists: the force's and the
        school's own."""
        return self.current().filter(
            Q(force_id=school.force_id, school__isnull=True) | Q(school=school)
        )


class AgreementDocument(TimeStampedModel):
    """One uploaded document: the force's (school empty) or a school's, of one kind.

    Stored privately through the configured storage and served only by the permission-
    checked view. A new upload of the same kind replaces it; the old one is kept, with its
    SHA-256, because an agreement signed earlier lists it.
    """

    force_path = "force_id"

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="agreement_documents")
    school = models.ForeignKey(
        School,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="agreement_documents",
        help_text="Empty for the force's own documents.",
    )
    kind = models.CharField(max_length=40, choices=DocumentKind.choices)
    file = models.FileField(upload_to="agreement-documents/", max_length=300)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    expires_on = models.DateField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    replaced_at = models.DateTimeField(null=True, blank=True)

    objects = AgreementDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["force", "school", "kind", "-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["force", "kind"],
                condition=Q(school__isnull=True, replaced_at__isnull=True),
                name="one_current_force_document_per_kind",
            ),
            models.UniqueConstraint(
                fields=["school", "kind"],
                condition=Q(school__isnull=False, replaced_at__isnull=True),
                name="one_current_school_document_per_kind",
            ),
        ]
        indexes = [models.Index(fields=["force", "kind"])]

    def __str__(self):
        owner = self.school.name if self.school_id else self.force.name
        return f"{self.get_kind_display()} of {owner}"

    def clean(self):
        if self.kind and self.kind in DocumentKind.values:
            side = side_of(self.kind)
            if side == POLICE_SIDE and self.school_id:
                raise ValidationError({"kind": "The police's documents are held for the force."})
            if side == SCHOOL_SIDE and not self.school_id:
                raise ValidationError({"kind": "A school's document needs its school."})
            if kind_expires(self.kind) and self.expires_on is None:
                raise ValidationError({"expires_on": "Enter the date the certificate expires"})
        if self.school_id and self.force_id and self.school.force_id != self.force_id:
            raise ValidationError("The school must belong to the document's force.")

    @property
    def side(self):
        return side_of(self.kind)

    def get_absolute_url(self):
        return reverse("agreements:document", args=[self.pk])


class DocumentReminder(AppendOnlyModel):
    """A chasing email sent about a document missing, expiring or expired: one row per owner
    (the force, or a school), kind, stage and document, so each stage is sent once."""

    force_path = "force_id"

    class Stage(models.TextChoices):
        MISSING = "missing", "Missing"
        EXPIRING = "expiring", "Expiring within 30 days"
        EXPIRED = "expired", "Expired"

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=40, choices=DocumentKind.choices)
    stage = models.CharField(max_length=20, choices=Stage.choices)
    # The document the stage is about (0 when it is missing): a replacement that expires in
    # turn is chased again.
    document_ref = models.PositiveBigIntegerField(default=0)
    # The school's pk, or 0 for the force's documents (a null would not be unique).
    owner_ref = models.PositiveBigIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["force", "sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["force", "owner_ref", "kind", "stage", "document_ref"],
                name="document_reminder_sent_once",
            ),
        ]

    def __str__(self):
        return f"{self.get_stage_display()} reminder: {self.get_kind_display()}"


# Provider agreements (the co-ordinated education model) live in their own module.
from .provider_models import (  # noqa: E402, F401
    ProviderAgreement,
    ProviderAgreementEvent,
    ProviderAgreementVersion,
    ProviderSignature,
    ProviderSignatureReminder,
)
