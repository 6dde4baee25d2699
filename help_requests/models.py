"""A school asking its police contact for help short of a referral, and the answer it gets."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from accounts.models import (
    OFFICER_ROLES,
    SCHOOL_ROLES,
    Role,
    ScopedQuerySet,
    Team,
    TimeStampedModel,
)
from schools.models import School

NEED_MAX_LENGTH = 2000
ANSWER_MAX_LENGTH = 2000


class HelpRequestQuerySet(ScopedQuerySet):
    def narrow(self, user):
        """The police side reads the force's requests; school staff only their own school's."""
        if user.is_police_side:
            return self
        if user.role in SCHOOL_ROLES:
            return self.filter(school__organisation_id=user.organisation_id)
        return self.none()

    def open(self):
        return self.filter(status=HelpRequest.Status.OPEN)

    def answered(self):
        return self.filter(status=HelpRequest.Status.ANSWERED)

    def not_closed(self):
        return self.exclude(status=HelpRequest.Status.CLOSED)

    def for_school(self, school):
        return self.filter(school=school)

    def addressed_to(self, user):
        """Return the requests that reach this person: a named officer's or deputy's own, a
        sergeant's teams' schools' as well."""
        mine = Q(officer=user) | Q(deputy=user)
        if user.role == Role.SERGEANT:
            mine |= Q(team__in=Team.objects.led_by(user))
        return self.filter(mine)


class HelpRequest(TimeStampedModel):
    """What a school asks its officer for: advice, a talk, help at the gates or at home time."""

    force_path = "school__force_id"

    class Kind(models.TextChoices):
        ADVICE = "advice", "Advice"
        TALK = "talk", "A talk to a class or assembly"
        GATES = "gates", "A problem at the gates"
        PATROL = "patrol", "A patrol at home time"
        OTHER = "other", "Something else"

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for an answer"
        ANSWERED = "answered", "Answered"
        CLOSED = "closed", "Closed"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="help_requests")
    kind = models.CharField("what you need help with", max_length=10, choices=Kind.choices)
    need = models.TextField("what you need", max_length=NEED_MAX_LENGTH)
    needed_by = models.DateField("when it is needed", null=True, blank=True)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="help_requests_made"
    )
    # Who it reached when it was asked: the school's named officer, the cover and the team.
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="help_requests_received",
    )
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="help_requests_covered",
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="help_requests"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(max_length=ANSWER_MAX_LENGTH, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    engagement = models.OneToOneField(
        "schools.Engagement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="help_request",
    )
    incident = models.OneToOneField(
        "incidents.Incident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="help_request",
        help_text="The incident the officer recorded from the request.",
    )
    suggested_session = models.ForeignKey(
        "bookings.Session",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The session the officer suggests the school books.",
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = HelpRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="answered") | ~Q(answer=""),
                name="help_request_answered_has_answer",
            ),
        ]
        indexes = [
            models.Index(fields=["school", "status"]),
            # The list's newest-first page of a status (open by default), without a sort.
            models.Index(fields=["status", "-created", "-id"], name="help_request_newest_idx"),
        ]

    def __str__(self):
        return f"{self.reference}: {self.get_kind_display()} for {self.school}"

    def get_absolute_url(self):
        return reverse("help_requests:detail", args=[self.pk])

    @property
    def reference(self):
        return f"HR-{self.pk}"

    @property
    def is_closed(self):
        return self.status == self.Status.CLOSED

    @property
    def status_colour(self):
        return {
            self.Status.OPEN: "yellow",
            self.Status.ANSWERED: "green",
            self.Status.CLOSED: "grey",
        }[self.status]

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if not (self.need or "").strip():
            errors["need"] = "Say what you need"
        if self.asked_by_id and self.school_id:
            asker = self.asked_by
            if (
                asker.role not in SCHOOL_ROLES
                or asker.organisation_id != self.school.organisation_id
            ):
                errors["asked_by"] = "Only the school's own staff ask for help for it"
        if self.officer_id and self.officer.role not in OFFICER_ROLES:
            errors["officer"] = "The request reaches a police officer"
        if errors:
            raise ValidationError(errors)
