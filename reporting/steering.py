"""The quarterly steering-group report: every dashboard's figures for a quarter, as a PDF."""

import hashlib
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts import audit

from .models import SteeringReport
from .scope import Scope, quarter_of
from .sections import SECTIONS
from .svg import bar_chart


def recent_quarters(today: date, count: int = 8) -> list[tuple[date, date]]:
    """Return the last `count` quarters that have ended, newest first."""
    quarters = []
    start, _end = quarter_of(today)
    for _ in range(count):
        end = start - timedelta(days=1)
        start, end = quarter_of(end)
        quarters.append((start, end))
    return quarters


def request_report(*, user, quarter_start: date, request=None) -> SteeringReport:
    """Queue a report for the quarter starting on `quarter_start`; the task runs after commit."""
    from .tasks import make_steering_report

    start, end = quarter_of(quarter_start)
    with transaction.atomic():
        report = SteeringReport.objects.create(
            force=user.force, quarter_start=start, quarter_end=end, requested_by=user
        )
        audit.record(
            "reporting.steering_report.requested",
            actor=user,
            target=report,
            changes={"quarter": report.quarter_label},
            request=request,
        )
        transaction.on_commit(lambda: make_steering_report.delay(report.pk))
    return report


def _progress(report, step, percent):
    SteeringReport.objects.filter(pk=report.pk).update(
        status=SteeringReport.Status.RUNNING, step=step, progress=percent
    )


def count_sections(scope: Scope, previous: Scope, *, progress=None) -> list[dict]:
    """Every dashboard's headlines and tables for the scope's period, with the previous one's
    headlines to compare. Standing figures are taken at the period's end (Scope.as_at)."""
    sections = []
    for index, section in enumerate(SECTIONS):
        if progress:
            progress(f"Counting {section.title.lower()}", 10 + 80 * index // len(SECTIONS))
        headlines = []
        if section.headlines:
            before = dict(section.headlines(previous))
            for label, value in section.headlines(scope):
                was = before.get(label)
                headlines.append(
                    {"label": label, "value": value, "previous": was, "change": value - (was or 0)}
                )
        tables = [
            {"table": table, "chart": bar_chart(table.chart_data())}
            for table in section.build(scope)
        ]
        sections.append({"section": section, "headlines": headlines, "tables": tables})
    return sections


def build_pdf(report: SteeringReport) -> bytes:
    """Count every dashboard for the quarter and the one before, and render the PDF."""
    from weasyprint import HTML

    scope = Scope(report.requested_by, report.quarter_start, report.quarter_end)
    previous = Scope(scope.user, *quarter_of(scope.start - timedelta(days=1)))
    sections = count_sections(
        scope, previous, progress=lambda step, percent: _progress(report, step, percent)
    )
    _progress(report, "Drawing the PDF", 90)
    html = render_to_string(
        "reporting/steering_report_pdf.html",
        {
            "report": report,
            "force": report.force,
            "scope": scope,
            "previous": previous,
            "sections": sections,
            "made_at": timezone.now(),
        },
    )
    return HTML(string=html).write_pdf()


def make_report(report_id: int) -> SteeringReport:
    """Run one report to the end; a failure is recorded on it, not lost."""
    report = SteeringReport.objects.select_related("force", "requested_by").get(pk=report_id)
    if report.status == SteeringReport.Status.READY:
        return report  # a retried task makes nothing twice
    try:
        pdf = build_pdf(report)
    except Exception:
        SteeringReport.objects.filter(pk=report.pk).update(
            status=SteeringReport.Status.FAILED,
            step="Something went wrong",
            finished_at=timezone.now(),
        )
        raise
    digest = hashlib.sha256(pdf).hexdigest()
    report.pdf.save(
        f"steering-{report.force.slug}-{report.quarter_start:%Y-%m}-{report.pk}.pdf",
        ContentFile(pdf),
        save=False,
    )
    report.status = SteeringReport.Status.READY
    report.step = f"Ready (SHA-256 {digest[:16]}…)"
    report.progress = 100
    report.finished_at = timezone.now()
    report.save(update_fields=["pdf", "status", "step", "progress", "finished_at"])
    return report
