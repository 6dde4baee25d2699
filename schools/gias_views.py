"""Upload a GIAS extract, preview what it would change, and confirm it."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.decorators import permission_required

from . import gias
from .gias_forms import GiasUploadForm
from .models import GiasImport

PREVIEW_ROWS = gias.PREVIEW_ROWS
COUNT_LABELS = (
    ("created", "New schools"),
    ("updated", "Schools updated"),
    ("closed", "Schools closed"),
    ("unchanged", "Schools unchanged"),
    ("skipped", "Rows of other local authorities (skipped)"),
    ("warnings", "Values that could not be read (left out)"),
)


@permission_required("schools.import_gias")
def import_upload(request):
    """Read an uploaded extract; store it and go to its preview if it has no problems."""
    force = request.user.force
    initial = {"la_codes": ", ".join(force.home_la_codes)}
    if request.method == "POST":
        form = GiasUploadForm(request.POST, request.FILES, initial=initial)
        if form.is_valid():
            gias_import = gias.gias_import_upload(
                force=force,
                uploaded_by=request.user,
                data=form.data_bytes,
                original_name=form.cleaned_data["file"].name,
                la_codes=form.cleaned_data["la_codes"],
                check_in_background=form.check_in_background,
            )
            return redirect("schools:import_preview", pk=gias_import.pk)
    else:
        form = GiasUploadForm(initial=initial)
    recent = GiasImport.objects.visible_to(request.user).select_related("uploaded_by")[:5]
    return render(request, "schools/gias_upload.html", {"form": form, "recent": recent})


def _gias_import_or_404(request, pk):
    return get_object_or_404(
        GiasImport.objects.visible_to(request.user).select_related("force", "uploaded_by"),
        pk=pk,
    )


@permission_required("schools.import_gias")
def import_preview(request, pk):
    """Show what the upload would change (saving nothing), then its progress and its result.

    Confirming queues the import as a task; this page shows how far it has got until it ends.
    """
    gias_import = _gias_import_or_404(request, pk)
    if request.method == "POST":
        try:
            gias.gias_import_queue(gias_import, by=request.user, request=request)
        except gias.AlreadyApplied:
            messages.info(request, "This file has already been imported. Nothing was changed.")
        return redirect("schools:import_preview", pk=gias_import.pk)
    if gias_import.status in {GiasImport.Status.CHECKING, GiasImport.Status.IMPORTING}:
        return render(
            request,
            "schools/gias_progress.html",
            {"gias_import": gias_import, "progress": gias.import_progress(gias_import)},
        )
    return render(request, "schools/gias_preview.html", _preview(gias_import))


def _preview(gias_import):
    """What the page shows of an import: what it would change, or what it did, and why it failed."""
    summary = None
    counts = gias_import.summary
    warnings = counts.get("warning_messages", [])
    failed = gias_import.status == GiasImport.Status.FAILED
    if gias_import.status != GiasImport.Status.APPLIED:
        if gias_import.preview:  # a large file, read by a task after its upload
            summary = gias.GiasSummary.from_preview_json(gias_import.preview)
        else:
            summary = gias.preview_gias_import(gias_import)
        counts = summary.counts()
        warnings = summary.warnings
    return {
        "gias_import": gias_import,
        "summary": summary,
        "changes": summary.changes[:PREVIEW_ROWS] if summary else [],
        "preview_rows": PREVIEW_ROWS,
        "warnings": warnings[:PREVIEW_ROWS],
        "more_warnings": max(len(warnings) - PREVIEW_ROWS, 0),
        # Why the last attempt failed, when the file itself reads without errors now.
        "failed_errors": gias_import.summary.get("error_messages", []) if failed else [],
        "count_rows": [(label, counts.get(key, 0)) for key, label in COUNT_LABELS],
    }


@permission_required("schools.import_gias")
def import_status(request, pk):
    """Answer how far a running import has got, for its page that waits for it."""
    gias_import = _gias_import_or_404(request, pk)
    running = gias_import.status in {GiasImport.Status.CHECKING, GiasImport.Status.IMPORTING}
    return JsonResponse(
        {
            "status": gias_import.status,
            "finished": not running,
            "progress": gias.import_progress(gias_import) if running else None,
        }
    )
