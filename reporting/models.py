"""Reporting reads the other apps; the one thing it keeps is each steering-group report it made."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from accounts.models import Force, ScopedQuerySet


class SteeringReportQuerySet(ScopedQuerySet):
    def narrow(self, user):
        """Everyone of the force (the pages ask reporting.view_dashboards)."""
        return self


class SteeringReport(models.Model):
    """A quarterly steering-group report PDF, made by a Celery task."""

    force_path = "force_id"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being prepared"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="steering_reports")
    quarter_start = models.DateField()
    quarter_end = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    step = models.CharField(max_length=120, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    pdf = models.FileField(upload_to="steering-reports/", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = SteeringReportQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quarter_end__gt=models.F("quarter_start")),
                name="steering_quarter_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="steering_progress_is_a_percent"
            ),
        ]

    def __str__(self):
        return f"Steering-group report, {self.quarter_label}"

    def get_absolute_url(self):
        return reverse("reporting:steering_detail", args=[self.pk])

    @property
    def quarter_label(self):
        return f"Q{(self.quarter_start.month - 1) // 3 + 1} {self.quarter_start.year}"

    @property
    def is_working(self):
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
