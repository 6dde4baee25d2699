"""What a school sees of its partnership with the police, read once for its home page, the
summary page and the termly PDF: its contact and cover, its tier's promise and what was
delivered this term, its agreement, its bookings and its requests for help.

Nothing here is a police note: engagements are counted by kind only, never their summaries.
The school, its engagements of the term and its agreement's standing come in one query; the
tier's promise in one more (terms and service offers come from the force's cache).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement
from bookings.models import Booking
from needs_assessment.panels import current_offer, promised_engagements
from schools.models import Engagement, NamedContact, School, Term

from .models import HelpRequest

SHOWN = 5


@dataclass(frozen=True)
class AgreementStanding:
    """The school's live agreement as its staff see it: its state and where to read it."""

    pk: int
    state: str
    review_due_on: datetime.date | None

    @property
    def state_label(self):
        return Agreement.State(self.state).label

    def get_absolute_url(self):
        return reverse("agreements:detail", args=[self.pk])


@dataclass
class Partnership:
    school: School
    today: datetime.date
    term: Term | None
    offer: object | None
    promised: int | None
    delivered: list = field(default_factory=list)  # [(kind label, count)], most first
    agreement: AgreementStanding | None = None
    contact: NamedContact | None = None
    bookings: list = field(default_factory=list)
    requests: list = field(default_factory=list)

    @property
    def delivered_total(self):
        return sum(count for _, count in self.delivered)


def _school_with_standing(user, term):
    """Return the user's school annotated with its engagements of the term by kind and its live
    agreement (the latest one the user may read), or None for anyone but school staff."""
    if not user.is_school_staff:
        return None
    latest = (
        Agreement.objects.visible_to(user)
        .filter(school=OuterRef("pk"))
        .live()
        .order_by("-created", "-pk")
    )
    annotations = {
        "agreement_pk": Subquery(latest.values("pk")[:1]),
        "agreement_state": Subquery(latest.values("state")[:1]),
        "agreement_review_due_on": Subquery(latest.values("review_due_on")[:1]),
    }
    if term is not None:
        in_term = Q(
            engagements__occurred_on__gte=term.starts_on,
            engagements__occurred_on__lte=term.ends_on,
        )
        # Counted by kind only: the officer's notes are police notes and never leave the police.
        for kind in Engagement.Kind.values:
            annotations[f"delivered_{kind}"] = Count(
                "engagements", filter=in_term & Q(engagements__kind=kind)
            )
    return (
        School.objects.visible_to(user)
        .filter(organisation_id=user.organisation_id)
        .select_related("force")
        .annotate(**annotations)
        .first()
    )


def partnership_of(user, *, today=None, with_lists=False) -> Partnership | None:
    """Return what the user's school sees of its partnership (None for anyone else); with
    lists, also its contact, upcoming bookings and latest requests (the summary's extras)."""
    if not user.is_school_staff or user.force is None:
        return None
    today = today or timezone.localdate()
    term = Term.current_for(user.force, on=today)
    school = _school_with_standing(user, term)
    if school is None:
        return None
    delivered = sorted(
        (
            (label, getattr(school, f"delivered_{kind}", 0))
            for kind, label in Engagement.Kind.choices
            if getattr(school, f"delivered_{kind}", 0)
        ),
        key=lambda row: -row[1],
    )
    partnership = Partnership(
        school=school,
        today=today,
        term=term,
        offer=current_offer(school),
        promised=promised_engagements(school, term),
        delivered=delivered,
        agreement=(
            AgreementStanding(
                school.agreement_pk, school.agreement_state, school.agreement_review_due_on
            )
            if school.agreement_pk
            else None
        ),
    )
    if with_lists:
        partnership.contact = (
            NamedContact.objects.current(on=today)
            .filter(school=school)
            .select_related("officer", "deputy")
            .order_by("pk")
            .first()
        )
        partnership.bookings = list(
            Booking.objects.visible_to(user)
            .filter(school=school)
            .active()
            .upcoming(now=timezone.now())
            .select_related("slot__session")
            .order_by("slot__starts_at")[:SHOWN]
        )
    partnership.requests = list(
        HelpRequest.objects.visible_to(user).for_school(school).order_by("-created", "-pk")[:SHOWN]
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


def summary_context(user, *, today=None) -> dict | None:
    """Return what the termly summary shows, for the HTML preview and the PDF alike."""
    partnership = partnership_of(user, today=today, with_lists=True)
    if partnership is None:
        return None
    return {
        "partnership": partnership,
        "term_requests": term_requests(user, partnership.school, partnership.term),
        "generated_at": timezone.now(),
    }


def render_summary_html(context: dict) -> str:
    """Render the termly summary's document: the page shows it, the PDF wraps it."""
    return render_to_string("help_requests/_summary_document.html", context)


def render_summary_pdf(context: dict) -> bytes:
    """Render the termly summary as a PDF: the same document the preview shows."""
    from weasyprint import HTML

    html = render_to_string(
        "help_requests/summary_pdf.html", {**context, "document": render_summary_html(context)}
    )
    return HTML(string=html).write_pdf()
