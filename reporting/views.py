"""Each role's home page, the dashboards and their CSV exports."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts import audit
from accounts.caching import list_parameters
from accounts.decorators import permission_required
from accounts.exports import stream_csv
from accounts.home_panels import panels_for
from accounts.models import AGENCY_ROLES, OFFICER_ROLES, SCHOOL_ROLES, Role

from . import home as homes
from .dashboard_cache import section_figures
from .forms import DashboardFilterForm
from .models import SteeringReport
from .sections import BY_KEY, sections_for
from .steering import recent_quarters, request_report


def _home_for(user):
    """Return (template, context builder) for the user's role."""
    if user.role in SCHOOL_ROLES:
        return "reporting/home_school.html", homes.school_staff_home
    if user.role == Role.SERGEANT:
        return "reporting/home_sergeant.html", homes.sergeant_home
    if user.role in OFFICER_ROLES:
        return "reporting/home_officer.html", homes.officer_home
    if user.role == Role.PREVENTION_MANAGER:
        return "reporting/home_manager.html", homes.manager_home
    if user.role == Role.COORDINATOR:
        return "reporting/home_coordinator.html", homes.coordinator_home
    if user.role == Role.FORCE_ADMIN:
        return "reporting/home_admin.html", homes.admin_home
    if user.role == Role.PARTNER:
        return "reporting/home_partner.html", lambda user: {}
    if user.role in AGENCY_ROLES:
        return "reporting/home_agency.html", lambda user: {}
    return "reporting/home_other.html", lambda user: {}


@login_required
def home(request):
    template, build = _home_for(request.user)
    context = build(request.user)
    # The panels' access-log entries (each lists records) are written in one insert.
    with audit.accesses_in_one_insert():
        context["home_panels"] = panels_for(request.user)
    return render(request, template, context)


def _section_or_404(request, key):
    section = BY_KEY.get(key)
    if section is None:
        raise Http404
    if not request.user.has_perm("reporting.view_dashboards", key):
        raise PermissionDenied
    return section


@permission_required("reporting.view_dashboards")
def dashboard_index(request):
    sections = sections_for(request.user)
    if not sections:
        raise PermissionDenied
    return redirect("reporting:dashboard", section=sections[0].key)


@permission_required("reporting.view_dashboards")
def dashboard(request, section):
    section = _section_or_404(request, section)
    filters = DashboardFilterForm(request.GET or None, user=request.user)
    scope = filters.scope()
    _, query = list_parameters(request.GET, filters.fields)
    tables, worked_out = section_figures(section, scope, query)
    return render(
        request,
        "reporting/dashboard.html",
        {
            "section": section,
            "sections": sections_for(request.user),
            "filters": filters,
            "scope": scope,
            "tables": tables,
            "query": query,
            "worked_out": worked_out,
        },
    )


@permission_required("reporting.export")
def export_csv(request, section, table):
    section = _section_or_404(request, section)
    filters = DashboardFilterForm(request.GET or None, user=request.user)
    scope = filters.scope()
    found = next((t for t in section.build(scope) if t.key == table), None)
    if found is None:
        raise Http404
    audit.record(
        "reporting.exported",
        actor=request.user,
        force=request.user.force,
        changes={
            "dashboard": section.key,
            "table": found.key,
            "from": scope.start,
            "to": scope.end,
            "la": scope.la,
            "teams": list(scope.team_ids),
        },
        request=request,
    )
    name = f"{section.key}-{found.key}-{scope.start:%Y%m%d}-{scope.end:%Y%m%d}.csv"
    return stream_csv(found.csv_rows(), filename=name)


@permission_required("reporting.steering_report")
def steering_list(request):
    quarters = recent_quarters(timezone.localdate())
    choices = {start.isoformat(): (start, end) for start, end in quarters}
    error = ""
    if request.method == "POST":
        chosen = request.POST.get("quarter", "")
        if chosen in choices:
            report = request_report(
                user=request.user, quarter_start=choices[chosen][0], request=request
            )
            return redirect(report)
        error = "Choose the quarter the report is for."
    reports = Paginator(
        SteeringReport.objects.visible_to(request.user).select_related("requested_by"), 20
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "reporting/steering_list.html",
        {
            "quarters": quarters,
            "reports": reports,
            "error": error,
            "sections": sections_for(request.user),
        },
    )


def _report_or_404(request, pk):
    return get_object_or_404(SteeringReport.objects.visible_to(request.user), pk=pk)


@permission_required("reporting.steering_report")
def steering_detail(request, pk):
    report = _report_or_404(request, pk)
    return render(request, "reporting/steering_detail.html", {"report": report})


@permission_required("reporting.steering_report")
def steering_download(request, pk):
    report = _report_or_404(request, pk)
    if report.status != SteeringReport.Status.READY or not report.pdf:
        raise Http404
    audit.record_access(actor=request.user, target=report, action="downloaded", request=request)
    return FileResponse(
        report.pdf.open("rb"),
        as_attachment=True,
        filename=f"steering-group-report-{report.quarter_start:%Y-%m}.pdf",
        content_type="application/pdf",
    )
