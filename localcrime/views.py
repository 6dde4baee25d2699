"""Load street-level crime, set how it is counted, and see it near the force's schools."""

from django.contrib import messages
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts import audit
from accounts.decorators import permission_required
from schools.models import School

from . import streetcrime
from .forms import CrimeUploadForm, MapFilterForm, SettingsForm
from .models import CrimeImport, CrimeType, LoadedMonth, LocalCrimeSettings
from .panels import tier_legend
from .schoolmap import school_map


@permission_required("localcrime.import_street_crime")
def import_upload(request):
    """Take street-level files, store them and go to their check and preview."""
    form = CrimeUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        crime_import = streetcrime.crime_import_upload(
            force=request.user.force,
            uploaded_by=request.user,
            files=form.uploaded,
            original_name=form.original_name,
        )
        return redirect("localcrime:import_preview", pk=crime_import.pk)
    months = LoadedMonth.objects.visible_to(request.user)
    recent = CrimeImport.objects.visible_to(request.user).select_related("uploaded_by")[:5]
    settings_ = LocalCrimeSettings.of(request.user.force_id)
    return render(
        request,
        "localcrime/import_upload.html",
        {"form": form, "months": months, "recent": recent, "settings": settings_},
    )


def _import_or_404(request, pk):
    return get_object_or_404(
        CrimeImport.objects.visible_to(request.user).select_related("uploaded_by"), pk=pk
    )


@permission_required("localcrime.import_street_crime")
def import_preview(request, pk):
    """Show what the upload holds (saving nothing), its progress, then what it loaded."""
    crime_import = _import_or_404(request, pk)
    if request.method == "POST":
        try:
            streetcrime.crime_import_queue(crime_import, by=request.user, request=request)
        except streetcrime.AlreadyApplied:
            messages.info(request, "These files have already been imported. Nothing was changed.")
        return redirect("localcrime:import_preview", pk=crime_import.pk)
    if crime_import.running:
        progress = streetcrime.import_progress(crime_import)
        return render(
            request,
            "localcrime/import_progress.html",
            {"crime_import": crime_import, "progress": progress},
        )
    preview = crime_import.preview
    # A failed check has its problems in the preview, a failed import in its summary.
    failed = crime_import.summary if crime_import.summary.get("error_count") else preview
    loaded = {
        f"{month:%Y-%m}"
        for month in LoadedMonth.objects.visible_to(request.user).values_list("month", flat=True)
    }
    months = [
        (month, counts, month in loaded) for month, counts in preview.get("months", {}).items()
    ]
    return render(
        request,
        "localcrime/import_preview.html",
        {
            "crime_import": crime_import,
            "preview": preview,
            "result": crime_import.summary,
            "errors": failed.get("errors", []),
            "count": failed.get("error_count", 0),
            "months": months,
            "types": sorted(preview.get("types", {}).items(), key=lambda item: -item[1]),
        },
    )


@permission_required("localcrime.import_street_crime")
def import_status(request, pk):
    """Answer how far a running check or import has got, for its waiting page."""
    crime_import = _import_or_404(request, pk)
    return JsonResponse(
        {
            "status": crime_import.status,
            "finished": not crime_import.running,
            "progress": streetcrime.import_progress(crime_import) if crime_import.running else None,
        }
    )


@permission_required("localcrime.manage_settings")
def settings_edit(request):
    """Set the force's radius and the months it keeps."""
    instance = LocalCrimeSettings.of(request.user.force_id)
    form = SettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save()
            audit.record(
                "localcrime.settings.changed",
                actor=request.user,
                target=saved,
                force=request.user.force,
                changes=form.cleaned_data,
                request=request,
            )
            force_pk = request.user.force_id
            transaction.on_commit(lambda: streetcrime.queue_refresh(force_pk))
        messages.success(
            request, "Local crime settings saved. The figures near schools are being counted again."
        )
        return redirect("localcrime:settings")
    return render(request, "localcrime/settings_form.html", {"form": form})


@permission_required("localcrime.view_local_crime")
def crime_map(request):
    """The force's schools on a map, coloured by tier, sized by pupils, with crime near them."""
    form = MapFilterForm(request.GET or None)
    crime_type, months, la = form.chosen()
    found = school_map(request.user, crime_type=crime_type, months=months, la=la)
    return render(
        request,
        "localcrime/map.html",
        {
            "form": form,
            "rows": found.rows,
            "table_html": found.table_html(),
            "map_data": found.map_data(request.user.force_id),
            "period": found.period,
            "crime_type_label": CrimeType(crime_type).label if crime_type else "All crime and ASB",
            "legend": tier_legend(request.user),
            "la_name": found.la_name,
            "unplaced": School.objects.visible_to(request.user).open().without_position().count(),
        },
    )


@permission_required("localcrime.view_local_crime")
def unplaced_schools(request):
    """The schools GIAS gave no grid reference: nothing can be counted near them."""
    schools = (
        School.objects.visible_to(request.user)
        .without_position()
        .only("pk", "name", "urn", "la_name", "status")
    )
    return render(request, "localcrime/unplaced_schools.html", {"schools": schools})
