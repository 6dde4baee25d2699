"""Pages of the documents both sides attach: upload one on the agreement, download one (to
the parties only, logged), and the force's own documents for its managers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render

from accounts import audit
from accounts.decorators import permission_required
from accounts.forms import add_validation_errors

from . import documents
from .document_forms import DocumentForm
from .models import SCHOOL_SIDE, AgreementDocument, DocumentKind, side_of
from .views import _agreement_or_404, _posted


def _kind_or_404(kind):
    if kind not in DocumentKind.values:
        raise Http404
    return kind


def _upload(request, *, kind, force, school, back, context):
    form = DocumentForm(
        _posted(request), request.FILES if request.method == "POST" else None, kind=kind
    )
    if request.method == "POST" and form.is_valid():
        try:
            documents.document_upload(
                force=force,
                school=school,
                kind=kind,
                upload=form.cleaned_data["file"],
                expires_on=form.cleaned_data.get("expires_on"),
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, f"{DocumentKind(kind).label} uploaded.")
            return redirect(back)
    context.update(form=form, kind_label=DocumentKind(kind).label, back=back)
    return render(request, "agreements/documents/upload.html", context)


@login_required
def agreement_document_upload(request, pk, kind):
    """Upload one of the documents the agreement lists: the school's by its staff; the
    force's (held once for all its schools) by the police."""
    kind = _kind_or_404(kind)
    agreement = _agreement_or_404(request, pk)
    if not documents.may_upload(request.user, agreement, kind):
        raise PermissionDenied
    school = agreement.school if side_of(kind) == SCHOOL_SIDE else None
    return _upload(
        request,
        kind=kind,
        force=agreement.force,
        school=school,
        back=agreement.get_absolute_url(),
        context={
            "agreement": agreement,
            "school": agreement.school,
            "replaces_signed": agreement.is_awaiting_signature
            and agreement.versions.filter(signatures__isnull=False).exists(),
            "force_wide": school is None,
        },
    )


@login_required
def document_download(request, pk):
    """Serve one stored document to a party, and log the access."""
    document = get_object_or_404(
        AgreementDocument.objects.visible_to(request.user).select_related("school", "force"),
        pk=pk,
    )
    if not request.user.has_perm("agreements.view_document", document):
        raise PermissionDenied
    audit.record_access(actor=request.user, target=document, action="exported", request=request)
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@permission_required("agreements.manage_force_documents")
def force_documents(request):
    """The force's own documents, current and replaced, for its managers and administrators."""
    held = (
        AgreementDocument.objects.visible_to(request.user)
        .filter(school__isnull=True)
        .select_related("uploaded_by")
        .order_by("kind", "-created")
    )
    by_kind = {kind: [] for kind in documents.kinds_of(documents.POLICE_SIDE)}
    for document in held:
        by_kind.setdefault(document.kind, []).append(document)
    rows = [
        {"kind": kind, "label": DocumentKind(kind).label, "documents": found}
        for kind, found in by_kind.items()
    ]
    return render(request, "agreements/documents/force_documents.html", {"rows": rows})


@login_required
def force_document_upload(request, kind):
    kind = _kind_or_404(kind)
    force = request.user.force
    if (
        force is None
        or side_of(kind) == SCHOOL_SIDE
        or not request.user.has_perm("agreements.manage_force_documents", force)
    ):
        raise PermissionDenied
    return _upload(
        request,
        kind=kind,
        force=force,
        school=None,
        back="agreements:force_documents",
        context={"force_wide": True},
    )
