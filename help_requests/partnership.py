"""What a school sees of its partnership with the police, read once for its home page, the
summary page and the termly PDF: its contact and cover, its tier's promise and what was
delivered this term, its agreement, its bookings and its requests for help.

Nothing here is a police note: engagements are counted by kind only, never their summaries.
Each part costs one query (terms and service offers come from the force's cache).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone

from agreements.models import Agreement
from bookings.models import Booking
from needs_assessment.panels import current_offer, promised_engagements
from schools.models import Engagement, NamedContact, School, Term

from .models import HelpRequest

SHOWN = 5


@dataclass
class Partnership:
    school: School
    today: datetime.date
    term: Term | None
    contact: NamedContact | None
    offer: object | None
    promised: int | None
    delivered: list = field(default_factory=list)  # [(kind label, count)]
    agreement: Agreement | None = None
    bookings: list = field(default_factory=list)
    requests: list = field(default_factory=list)

    @property
    def delivered_total(self):
        return sum(count for _, count in self.delivered)


def school_of(user) -> School | None:
    """Return the school of a member of school staff, through the school's own scoping."""
    if not user.is_school_staff:
        return None
    return (
        School.objects.visible_to(user)
        .select_related("force")
        .filter(organisation_id=user.organisation_id)
        .first()
    )


def delivered_in(school, term) -> list[tuple[str, int]]:
    """Return the engagements logged at the school in the term, as (kind, count), most first."""
    if term is None:
        return []
    labels = dict(Engagement.Kind.choices)
    # Counted by kind only: the officer's notes are police notes and never leave the police.
    rows = (
        Engagement.objects.filter(school=school)
        .in_term(term)
        .values("kind")
        .annotate(total=Count("pk"))
        .order_by("-total", "kind")
    )
    return [(labels.get(row["kind"], row["kind"]), row["total"]) for row in rows]


def partnership_of(user, school, *, today=None, with_lists=True) -> Partnership:
    """Return what the school sees of its partnership, as this member of its staff may."""
    today = today or timezone.localdate()
    term = Term.current_for(school.force, on=today)
    contact = (
        NamedContact.objects.current(on=today)
        .filter(school=school)
        .select_related("officer", "deputy")
        .order_by("pk")
        .first()
    )
    partnership = Partnership(
        school=school,
        today=today,
        term=term,
        contact=contact,
        offer=current_offer(school),
        promised=promised_engagements(school, term),
        delivered=delivered_in(school, term),
        agreement=(
            Agreement.objects.visible_to(user)
            .for_school(school)
            .live()
            .order_by("-created", "-pk")
            .first()
        ),
    )
    if with_lists:
        now = timezone.now()
        partnership.bookings = list(
            Booking.objects.visible_to(user)
            .filter(school=school)
            .active()
            .upcoming(now=now)
            .select_related("slot__session")
            .order_by("slot__starts_at")[:SHOWN]
        )
        partnership.requests = list(
            HelpRequest.objects.visible_to(user)
            .for_school(school)
            .order_by("-created", "-pk")[:SHOWN]
        )
    return partnership


def term_requests(user, school, term) -> list[HelpRequest]:
    """Return the school's requests for help made in the term, for the termly summary."""
    if term is None:
        return []
    return list(
        HelpRequest.objects.visible_to(user)
        .for_school(school)
        .filter(created__date__gte=term.starts_on, created__date__lte=term.ends_on)
        .order_by("created", "pk")
    )


def summary_context(user, school, *, today=None) -> dict:
    """Return what the termly summary shows, for the HTML preview and the PDF alike."""
    partnership = partnership_of(user, school, today=today)
    return {
        "partnership": partnership,
        "term_requests": term_requests(user, school, partnership.term),
        "generated_at": timezone.now(),
    }


def render_summary_html(context: dict) -> str:
    return render_to_string("help_requests/_summary_document.html", context)


def render_summary_pdf(context: dict) -> bytes:
    """Render the termly summary as a PDF: the same document the preview shows."""
    from weasyprint import HTML

    html = render_to_string(
        "help_requests/summary_pdf.html", {**context, "document": render_summary_html(context)}
    )
    return HTML(string=html).write_pdf()
