"""The headteacher's termly summary of the partnership: a page and the same as a PDF."""

from django.http import Http404, HttpResponse
from django.shortcuts import render

from accounts import audit
from accounts.decorators import permission_required

from .partnership import render_summary_html, render_summary_pdf, summary_context


def _summary(request):
    context = summary_context(request.user)
    if context is None:
        raise Http404
    return context


@permission_required("help_requests.view_summary")
def partnership_summary(request):
    context = _summary(request)
    return render(
        request,
        "help_requests/summary.html",
        {**context, "document": render_summary_html(context)},
    )


@permission_required("help_requests.view_summary")
def partnership_summary_pdf(request):
    context = _summary(request)
    school = context["partnership"].school
    pdf = render_summary_pdf(context)
    audit.record(
        "help_requests.summary.downloaded",
        actor=request.user,
        target=school,
        request=request,
    )
    term = context["partnership"].term
    name = f"partnership-{school.urn}-{term.starts_on:%Y-%m}.pdf" if term else "partnership.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
