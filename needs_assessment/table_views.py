"""Managers' pages: every school's tier and review date, the indicator upload, contacts to change."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.db.models.functions import Lower
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts import audit
from accounts.decorators import permission_required
from accounts.exports import stream_csv
from accounts.models import Force, Role
from schools.models import NamedContact, School
from schools.overview import schools_overseen

from .filters import AssessmentFilter, chosen_levels
from .indicator_upload import InvalidUpload, apply_upload, read_upload, template_csv
from .manage_forms import IndicatorUploadForm
from .models import Assessment, Framework
from .queries import DUE_SOON, needing_contact_change, with_tiers

PAGE_SIZE = 50
SHOWN_ERRORS = 50


def _current_assessments():
    return Prefetch(
        "assessments",
        queryset=Assessment.objects.filter(is_current=True).select_related(
            "computed_level", "proposed_level"
        ),
        to_attr="current_assessments",
    )


def _open_assessments():
    return Prefetch(
        "assessments",
        queryset=Assessment.objects.exclude(status=Assessment.Status.APPROVED).select_related(
            "computed_level", "proposed_level"
        ),
        to_attr="open_assessments",
    )


def _current_contacts(today):
    return Prefetch(
        "named_contacts",
        queryset=NamedContact.objects.current(on=today).select_related("officer"),
        to_attr="current_contacts",
    )


def _table_csv(request, schools, filters, levels):
    """Stream the filtered table as CSV (one row per school), and log the export."""
    names = {level.key: level.name for level in levels}
    statuses = dict(Assessment.Status.choices)
    phases = dict(School.Phase.choices)
    chosen = {}
    for name, value in filters.chosen():
        chosen.setdefault(f"filter_{name}", []).append(value)
    audit.record(
        "needs_assessment.table.exported",
        actor=request.user,
        force=request.user.force,
        changes={name: ",".join(values) for name, values in chosen.items()},
        request=request,
    )
    rows = schools.values_list(
        "urn", "name", "la_name", "phase", "tier_key", "review_due_on", "open_status"
    )
    header = [
        "URN",
        "School",
        "Local authority",
        "Phase",
        "Current tier",
        "Review due",
        "In progress",
    ]

    def lines():
        yield header
        for urn, name, la, phase, tier, due, status in rows.iterator(chunk_size=2000):
            yield [
                urn,
                name,
                la,
                phases.get(phase, phase),
                names.get(tier, "Not assessed" if tier is None else tier),
                due.isoformat() if due else "",
                statuses.get(status, ""),
            ]

    return stream_csv(lines(), filename="assessments.csv")


def _table_rows(schools, page_number, *, today):
    page = Paginator(
        schools.prefetch_related(_current_assessments(), _open_assessments()), PAGE_SIZE
    ).get_page(page_number)
    for school in page.object_list:
        school.current = school.current_assessments[0] if school.current_assessments else None
        school.open = school.open_assessments[0] if school.open_assessments else None
        due = school.review_due_on
        school.overdue = due is not None and due < today
        school.due_soon = due is not None and today <= due <= today + DUE_SOON
        school.change_proposed = (
            school.open is not None
            and school.open.level is not None
            and (school.current is None or school.open.level.key != school.current.level.key)
        )
    return page


@permission_required("needs_assessment.view_assessments")
def assessment_table(request, **kwargs):
    user = request.user
    levels = chosen_levels(user.force_id)
    schools = with_tiers(School.objects.visible_to(user).open())
    filters = AssessmentFilter(request.GET, schools, request=request, levels=levels)
    if request.GET.get("format") == "csv":
        return _table_csv(request, filters.qs, filters, levels)
    rows = filters.qs.only("name", "urn", "la_name", "phase")
    page = _table_rows(rows, request.GET.get("page"), today=filters.today)
    framework = levels[0].framework if levels else Framework.objects.chosen_for(user.force)
    return render(
        request,
        "needs_assessment/table_list.html",
        {
            "filters": filters,
            "page": page,
            "framework": framework,
            "can_upload": user.has_perm("needs_assessment.assess"),
            "can_see_contacts": user.has_perm("schools.view_contact_overview"),
        },
    )


def _upload_template(framework, force):
    """A CSV of the force's open schools with a column for each indicator, to fill in."""
    response = HttpResponse(
        template_csv(framework, School.objects.filter(force=force).open()),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{force.slug}-indicator-values.csv"'
    return response


@permission_required("needs_assessment.assess")
def indicator_upload(request, **kwargs):
    user = request.user
    force = user.force
    framework = Framework.objects.chosen_for(force)
    if framework is None:
        return render(request, "needs_assessment/upload_form.html", {"framework": None})
    if request.GET.get("template"):
        return _upload_template(framework, force)
    # A post with no file and no other field is still a post: it gets "Select a CSV file".
    posted = request.method == "POST"
    form = IndicatorUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        upload.seek(0)
        try:
            rows = read_upload(upload.read(), framework=framework, force=force)
            result = apply_upload(rows, by=user, request=request)
        except InvalidUpload as error:
            shown = error.errors[:SHOWN_ERRORS]
            if more := len(error.errors) - len(shown):
                shown.append(f"The file has {more} more problems. Fix these and upload it again.")
            form.add_error("file", shown)
            messages.error(request, "Nothing was saved. Fix the file and upload it again.")
        else:
            return render(request, "needs_assessment/upload_done.html", {"result": result})
    return render(
        request,
        "needs_assessment/upload_form.html",
        {
            "form": form,
            "framework": framework,
            "indicators": framework.indicators.select_related("factor"),
        },
    )


@permission_required("schools.view_contact_overview")
def contacts_to_change(request, **kwargs):
    user = request.user
    if not user.has_perm("needs_assessment.view_assessments"):
        raise PermissionDenied
    today = timezone.localdate()
    schools, scope = schools_overseen(user)
    team_model = user.force.contact_model == Force.ContactModel.TEAM_CASELOAD
    schools = (
        needing_contact_change(schools, team_model=team_model, today=today)
        .select_related("team")
        .prefetch_related(_current_assessments(), _current_contacts(today))
        .order_by(Lower("name"), "pk")
    )
    page = Paginator(schools, PAGE_SIZE).get_page(request.GET.get("page"))
    role_names = dict(Role.choices)
    for school in page.object_list:
        school.current = school.current_assessments[0] if school.current_assessments else None
        contacts = sorted(school.current_contacts, key=lambda c: c.starts_on, reverse=True)
        school.contact = contacts[0] if contacts else None
        school.required_role_name = role_names.get(school.required_role or "", "")
    return render(
        request,
        "needs_assessment/contacts_to_change.html",
        {"page": page, "scope": scope, "team_model": team_model},
    )
