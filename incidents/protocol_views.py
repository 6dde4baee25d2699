"""The force's protocol: its kinds of incident and the steps agreed for each, edited by its
administrators and prevention managers."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render

from accounts.decorators import permission_required

from . import services
from .forms import ProtocolKindForm
from .models import IncidentKind


def _posted(request):
    return request.POST if request.method == "POST" else None


@permission_required("incidents.manage_protocol")
def protocol(request):
    kinds = IncidentKind.objects.visible_to(request.user).prefetch_related("steps")
    return render(request, "incidents/protocol.html", {"kinds": kinds})


@permission_required("incidents.manage_protocol")
def kind_create(request):
    return _kind_form(request, IncidentKind(force_id=request.user.force_id))


@permission_required("incidents.manage_protocol")
def kind_edit(request, pk):
    kind = get_object_or_404(IncidentKind.objects.visible_to(request.user), pk=pk)
    if not request.user.has_perm("incidents.manage_protocol", kind):
        raise PermissionDenied
    return _kind_form(request, kind)


def _kind_form(request, kind):
    form = ProtocolKindForm(_posted(request), instance=kind)
    if request.method == "POST" and form.is_valid():
        services.kind_save(
            kind=form.instance, steps=form.step_texts, by=request.user, request=request
        )
        messages.success(request, f"{kind.name}: saved.")
        return redirect("incidents:protocol")
    return render(request, "incidents/kind_form.html", {"form": form, "kind": kind})
