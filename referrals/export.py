"""Subject access: everything held about one young person, as a PDF made by WeasyPrint."""

from django.contrib.contenttypes.models import ContentType
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import AccessLogEntry

from .models import Case, YoungPerson


def subject_access_context(person: YoungPerson, *, by=None) -> dict:
    """Return every record about the young person: referrals, cases, risk, actions, log, shares."""
    cases = list(
        Case.objects.filter(young_person=person)
        .select_related("team", "officer")
        .prefetch_related("risk_assessments__assessed_by", "actions__owner_user", "shares__user")
        .order_by("opened_on", "pk")
    )
    for case in cases:
        case.timeline = list(
            case.log_entries.select_related("author").order_by("occurred_on", "created", "pk")
        )
    case_type = ContentType.objects.get_for_model(Case)
    views = (
        AccessLogEntry.objects.filter(
            target_type=case_type, target_id__in=[str(c.pk) for c in cases]
        )
        .select_related("actor")
        .order_by("created")
    )
    return {
        "person": person,
        "referrals": list(
            person.referrals.select_related("school", "referred_by", "decided_by").order_by(
                "created"
            )
        ),
        "cases": cases,
        "views": views,
        "generated_at": timezone.now(),
        "generated_by": by,
    }


def render_subject_access_pdf(person: YoungPerson, *, by=None) -> bytes:
    """Return the subject access PDF; the HTML is the same template, for a preview or a test."""
    from weasyprint import HTML  # imported late: it is heavy and only exports need it

    html = render_to_string("referrals/subject_access.html", subject_access_context(person, by=by))
    return HTML(string=html).write_pdf()
