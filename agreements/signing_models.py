"""What every signed agreement keeps, stated once: the frozen version with its SHA-256, a
signature of that version, a step of the timeline, the sealed PDF, and a reminder to sign.

A school's MoU (models.py) and a provider agreement (provider_models.py) are both built on
these abstract bases; each adds its own link to its agreement and its own parties, so their
tables stay their own.
"""

import base64

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from accounts.hashing import sha256_hex
from accounts.models import AppendOnlyModel


class SealedPdf(models.Model):
    """The signed PDF, sealed with the force's certificate, and its SHA-256."""

    sealed_pdf = models.FileField(upload_to="agreements/", blank=True)
    sealed_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    sealed_at = models.DateTimeField(null=True, blank=True)
    seal_certificate = models.TextField(
        blank=True, help_text="The PEM certificate the PDF was sealed with."
    )

    class Meta:
        abstract = True

    @property
    def is_sealed(self):
        return bool(self.sealed_sha256)


class ChangesRequested(models.Model):
    """A signer may decline with a reason ("request changes"): the agreement goes back to
    whoever prepares it as a draft, with the reason, until it is sent again."""

    changes_requested_reason = models.TextField(blank=True)
    changes_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True

    def return_for_changes(self, *, by, reason: str) -> str:
        """Make it a draft again with the signer's reason; return the reason as kept. The
        caller checks it was this signer's turn, then saves."""
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": "Say what should change"})
        self.state = self.State.DRAFT
        self.changes_requested_reason = reason
        self.changes_requested_by = by
        return reason

    def clear_changes_requested(self) -> None:
        """Sent again: the reason has been answered."""
        self.changes_requested_reason = ""
        self.changes_requested_by = None


class FrozenVersion(AppendOnlyModel):
    """The exact content as sent for signature, frozen with its SHA-256."""

    number = models.PositiveIntegerField()
    content_html = models.TextField()
    content_sha256 = models.CharField(max_length=64)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self):
        return f"Version {self.number} of {self.agreement}"

    def is_intact(self) -> bool:
        """True while the stored content still matches the fingerprint it was signed with."""
        return sha256_hex(self.content_html) == self.content_sha256


class SignatureRecord(AppendOnlyModel):
    """One party's signature of one version: who, as what, how, when, from where, of what."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=80)
    organisation = models.CharField(max_length=200)
    typed_name = models.CharField(max_length=150)
    drawn_png = models.BinaryField(blank=True, default=b"", editable=True)
    signed_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)
    content_sha256 = models.CharField(max_length=64)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.typed_name} for {self.organisation}"

    @property
    def drawn_data_uri(self):
        if not self.drawn_png:
            return ""
        return "data:image/png;base64," + base64.b64encode(bytes(self.drawn_png)).decode("ascii")

    @property
    def signer_title(self):
        """Return the name as it appears under the signature."""
        return self.typed_name


class TimelineEvent(AppendOnlyModel):
    """A step of an agreement's timeline, shown on its page and certificate."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    detail = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.get_kind_display()} at {self.created:%Y-%m-%d %H:%M}"


class SignatureReminderRecord(AppendOnlyModel):
    """A reminder to sign sent to the party whose turn it is: one row per turn and day, so a
    rerun never sends it twice (the concrete model adds its agreement and a unique constraint
    over agreement, party, awaiting_since and after_days)."""

    awaiting_since = models.DateTimeField(help_text="The start of the turn reminded of.")
    after_days = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self):
        return f"Reminder after {self.after_days} days for agreement {self.agreement_id}"
