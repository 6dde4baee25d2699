"""Provider agreements: for the co-ordinated education model, the partnership's education
coordinator and an education partner (a charity, the fire service, a council service) sign an
agreement on what the partner delivers to schools and the standards it keeps.

The same engine as a school's MoU, on its own rows (a school's agreement is bound to its
school, its headteacher and its officer): the force's published wording of kind "provider",
the content frozen with its SHA-256 when the coordinator signs and sends it, the partner's
signature of exactly that version, and the PDF sealed with the force's certificate and
checked on the same check page. It is current while signed and not past its review date.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import (
    Force,
    Organisation,
    Role,
    ScopedQuerySet,
    TimeStampedModel,
)

from .signing_models import (
    ChangesRequested,
    FrozenVersion,
    SealedPdf,
    SignatureRecord,
    SignatureReminderRecord,
    TimelineEvent,
)

# Who reads every provider agreement of the force: those who run the partnership.
PROVIDER_AGREEMENT_READERS = frozenset(
    {Role.COORDINATOR, Role.PREVENTION_MANAGER, Role.FORCE_ADMIN}
)


class ProviderAgreementQuerySet(ScopedQuerySet):
    def narrow(self, user):
        """The force's coordinators, prevention managers and administrators see all; a partner
        its own organisation's once sent; nobody else any (schools, officers)."""
        if user.role in PROVIDER_AGREEMENT_READERS and user.is_police_side:
            return self
        if user.role == Role.PARTNER:
            return self.filter(provider_id=user.organisation_id).exclude(
                state=ProviderAgreement.State.DRAFT
            )
        return self.none()

    def current(self, *, today=None):
        """Signed by both and not past its review date."""
        today = today or timezone.localdate()
        return self.filter(state=ProviderAgreement.State.ACTIVE, expires_on__gte=today)


def with_current_agreement(queryset, *, provider_field="provider", today=None):
    """Annotate each row (a session, an organisation) with `provider_has_agreement`: whether
    its provider has a current provider agreement. One subquery, whatever the rows."""
    return queryset.annotate(
        provider_has_agreement=Exists(
            ProviderAgreement.objects.current(today=today).filter(
                provider_id=OuterRef(provider_field)
            )
        )
    )


class ProviderAgreement(SealedPdf, ChangesRequested, TimeStampedModel):
    """The agreement between the partnership (its coordinator signs for the force) and one
    education partner."""

    force_path = "force_id"
    outbox_key = "agreements.provider_agreement"

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SENT = "sent", "Waiting for the partner to sign"
        ACTIVE = "active", "Signed by both: current"
        ENDED = "ended", "Ended"

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="provider_agreements")
    provider = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="provider_agreements",
        limit_choices_to={"kind": Organisation.Kind.PARTNER},
    )
    template = models.ForeignKey(
        "agreements.AgreementTemplate", on_delete=models.PROTECT, related_name="+"
    )
    delivers = models.TextField(
        "what the partner delivers",
        help_text="The sessions and services this partner delivers to schools.",
    )
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The coordinator who signed for the partnership.",
    )
    sent_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the partner was asked to sign: reminders count from it.",
    )
    active_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(
        null=True, blank=True, help_text="The review date: current until then."
    )
    ended_on = models.DateField(null=True, blank=True)
    ended_reason = models.TextField(blank=True)

    objects = ProviderAgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider"],
                condition=Q(state__in=["draft", "sent"]),
                name="one_provider_agreement_in_progress",
            ),
            models.CheckConstraint(
                condition=~Q(state="ended") | (Q(ended_on__isnull=False) & ~Q(ended_reason="")),
                name="ended_provider_agreement_has_reason",
            ),
        ]

    def __str__(self):
        return f"Provider agreement with {self.provider.name}"

    def get_absolute_url(self):
        return reverse("agreements:provider_detail", args=[self.pk])

    def clean(self):
        if self.provider_id and (
            self.provider.kind != Organisation.Kind.PARTNER
            or self.provider.force_id != self.force_id
        ):
            raise ValidationError({"provider": "Choose an education partner of this force"})
        if self.template_id and (
            self.template.force_id != self.force_id or self.template.kind != "provider"
        ):
            raise ValidationError({"template": "Choose the force's provider agreement wording"})

    def is_current(self, *, today=None):
        today = today or timezone.localdate()
        return (
            self.state == self.State.ACTIVE
            and self.expires_on is not None
            and self.expires_on >= today
        )

    @property
    def status_label(self):
        if self.state == self.State.ACTIVE and not self.is_current():
            return "Past its review date"
        return self.get_state_display()

    @property
    def status_colour(self):
        if self.state == self.State.ACTIVE:
            return "green" if self.is_current() else "orange"
        return {self.State.DRAFT: "grey", self.State.SENT: "blue", self.State.ENDED: "red"}[
            self.state
        ]


class ReadWithItsProviderAgreement(ScopedQuerySet):
    def narrow(self, user):
        return self.filter(agreement__in=ProviderAgreement.objects.visible_to(user))


class ProviderAgreementVersion(FrozenVersion):
    """The exact content the coordinator signed and sent, frozen with its SHA-256."""

    force_path = "agreement__force_id"

    agreement = models.ForeignKey(
        ProviderAgreement, on_delete=models.CASCADE, related_name="versions"
    )

    objects = ReadWithItsProviderAgreement.as_manager()

    class Meta:
        ordering = ["agreement", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"], name="provider_agreement_version_unique"
            ),
        ]


class ProviderSignature(SignatureRecord):
    """One party's signature of one version."""

    force_path = "agreement__force_id"

    class Party(models.TextChoices):
        COORDINATOR = "coordinator", "Education coordinator"
        PROVIDER = "provider", "Education partner"

    agreement = models.ForeignKey(
        ProviderAgreement, on_delete=models.CASCADE, related_name="signatures"
    )
    version = models.ForeignKey(
        ProviderAgreementVersion, on_delete=models.PROTECT, related_name="signatures"
    )
    party = models.CharField(max_length=20, choices=Party.choices)

    objects = ReadWithItsProviderAgreement.as_manager()

    class Meta:
        ordering = ["signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "party"], name="one_provider_signature_per_party"
            ),
        ]


class ProviderAgreementEvent(TimelineEvent):
    """A step of the provider agreement's timeline, shown on its page and certificate."""

    force_path = "agreement__force_id"

    class Kind(models.TextChoices):
        PREPARED = "prepared", "Prepared"
        CHANGED = "changed", "Changed"
        SENT = "sent", "Signed by the coordinator and sent"
        VIEWED = "viewed", "Viewed"
        CHANGES_REQUESTED = "changes_requested", "Changes requested: returned to the coordinator"
        SIGN_REMINDED = "sign_reminded", "Reminder to sign sent"
        SIGNED = "signed", "Signed by the partner: current"
        SEALED = "sealed", "Signed PDF sealed"
        ENDED = "ended", "Ended"

    agreement = models.ForeignKey(
        ProviderAgreement, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)

    objects = ReadWithItsProviderAgreement.as_manager()

    class Meta:
        ordering = ["created", "pk"]


class ProviderSignatureReminder(SignatureReminderRecord):
    """A reminder to sign sent to the partner whose turn it is (the school's MoU keeps its own
    in SignatureReminder): one row per turn and day, so a rerun never sends it twice."""

    force_path = "agreement__force_id"

    agreement = models.ForeignKey(
        ProviderAgreement, on_delete=models.CASCADE, related_name="signature_reminders"
    )
    party = models.CharField(max_length=20, choices=ProviderSignature.Party.choices)

    class Meta:
        ordering = ["agreement", "sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "party", "awaiting_since", "after_days"],
                name="provider_signature_reminder_sent_once",
            ),
        ]
