"""What a school sees of its partnership with the police, read once for its home page, the
summary page and the termly PDF: its contact and cover, its tier's promise and what was
delivered this term, its agreement, its bookings and its requests for help.

Nothing here is a police note: engagements are counted by kind only, never their summaries.
The school and its current term are read once a request (schools.staff.school_of, shared with
the home page's other panels); its engagements of the term and its agreement's standing come in
one query; the tier's promise in one more (service offers come from the force's cache).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement
from bookings.models import Booking
from needs_assessment.panels import current_offer, promised_engagements
from schools.models import Engagement, NamedContact, School, Term
from schools.staff import school_of

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


def standing_annotations(user, *, starts_on=None, ends_on=None) -> dict:
    """Return the expressions that annotate a School queryset with its engagements of the term
    by kind and its live agreement (the latest one the user may read). The term's bounds are
    dates, or references to the outer query's term (schools.staff); without them, no counts."""
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
    if starts_on is not None:
        # Counted by kind only: the officer's notes are police notes and never leave the police.
        for kind in Engagement.Kind.values:
            in_term = (
                Engagement.objects.filter(
                    school=OuterRef("pk"),
                    kind=kind,
                    occurred_on__gte=starts_on,
                    occurred_on__lte=ends_on,
                )
                .order_by()
                .values("school")
                .annotate(n=Count("pk"))
                .values("n")
            )
            annotations[f"delivered_{kind}"] = Coalesce(Subquery(in_term), 0)
    return annotations


def staff_school_annotations(user) -> dict:
    """What the school staff's school is read with once a request (schools.staff.school_of):
    its standing in today's term, so the home page's partnership costs no query of its own."""
    return standing_annotations(
        user,
        starts_on=OuterRef("current_term_starts_on"),
        ends_on=OuterRef("current_term_ends_on"),
    )


_STANDING = ("agreement_pk", "agreement_state", "agreement_review_due_on")


def _standing_of(user, school, term, *, read_with_school) -> dict:
    """Return the school's standing: as read with it (today's term), or in one query."""
    if read_with_school and hasattr(school, "agreement_pk"):
        names = [*_STANDING, *(f"delivered_{kind}" for kind in Engagement.Kind.values)]
        return {name: getattr(school, name) for name in names}
    bounds = {"starts_on": term.starts_on, "ends_on": term.ends_on} if term else {}
    annotations = standing_annotations(user, **bounds)
    return School.objects.filter(pk=school.pk).annotate(**annotations).values(*annotations).first()


def partnership_of(user, *, today=None, with_lists=False) -> Partnership | None:
    """Return what the user's school sees of its partnership (None for anyone else); with
    lists, also its contact, upcoming bookings and latest requests (the summary's extras)."""
    if not user.is_school_staff or user.force is None:
        return None
    school = school_of(user)
    if school is None:
        return None
    # Today's term and standing come with the school, unless the term was made on this request
    # (a force's first) or another day is asked for.
    read_with_school = (today is None or today == timezone.localdate()) and (
        school.current_term_pk is not None
    )
    if today is None or today == timezone.localdate():
        today, term = timezone.localdate(), school.current_term
    else:
        term = Term.current_for(user.force, on=today)
    standing = _standing_of(user, school, term, read_with_school=read_with_school)
    delivered = sorted(
        (
            (label, standing.get(f"delivered_{kind}", 0))
            for kind, label in Engagement.Kind.choices
            if standing.get(f"delivered_{kind}", 0)
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
                standing["agreement_pk"],
                standing["agreement_state"],
                standing["agreement_review_due_on"],
            )
            if standing["agreement_pk"]
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
