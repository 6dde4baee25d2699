"""Pages of schools and everyone who browses: the catalogue, booking in three screens, the
bookings list and page, cancel, reschedule, decide, evaluate, the waitlist and demand."""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.caching import cached, list_parameters
from accounts.decorators import permission_required
from accounts.forms import add_validation_errors
from accounts.models import Organisation
from schools import options as school_options
from schools.models import School

from . import services
from .calendar import booking_ics
from .forms import (
    CatalogueFilterForm,
    CohortForm,
    DecisionForm,
    DemandForm,
    EvaluationForm,
    FigureFilterForm,
    ReasonForm,
    RescheduleForm,
)
from .models import (
    KEY_STAGES,
    LONDON,
    Booking,
    DemandRequest,
    Session,
    Slot,
    Topic,
    WaitlistEntry,
    pack_codes,
    year_groups_label,
)
from .receivers import BOOKINGS_TOPIC

PAGE_SIZE = 20
DRAFT_KEY = "bookings.draft.{}"


def _own_school(user):
    """Return the school of a member of school staff, or None."""
    if not user.is_school_staff:
        return None
    return School.objects.filter(organisation_id=user.organisation_id).first()


def _school_tier(school):
    """Return the school's current tier (a needs_assessment Level), or None if not assessed."""
    from needs_assessment.models import Assessment

    current = (
        Assessment.objects.filter(school=school, is_current=True)
        .select_related("computed_level", "proposed_level")
        .first()
    )
    return current.level if current else None


def _day_start(day: datetime.date):
    return datetime.datetime.combine(day, datetime.time(), tzinfo=LONDON)


# --- The catalogue -------------------------------------------------------------------------


@permission_required("bookings.view_catalogue")
def catalogue(request):
    user = request.user
    school = _own_school(user)
    tier = _school_tier(school) if school else None
    # To the minute: everyone of the force asking the same question in that minute shares one
    # rendering. Sessions, dates and places are the force's; only "suggested for your school"
    # depends on the reader, through the school's tier.
    now = timezone.now().replace(second=0, microsecond=0)
    data, query = list_parameters(request.GET, CatalogueFilterForm.base_fields)
    page_number = request.GET.get("page", "")
    reader = ("force",)
    if school is not None:
        reader = ("school", tier.key, tier.rank == 1) if tier else ("school", None)

    def body():
        filters, sessions = _catalogue_sessions(user, data, now=now, school=school, tier=tier)
        page = Paginator(sessions, PAGE_SIZE).get_page(page_number)
        return render_to_string(
            "bookings/_catalogue_body.html",
            {"filters": filters, "page": page, "query": query},
        )

    parts = ("catalogue", now, reader, get_script_prefix(), query, page_number)
    body_html = cached(BOOKINGS_TOPIC, user.force_id, parts, body)
    return render(request, "bookings/catalogue.html", {"body": body_html})


def _catalogue_sessions(user, data, *, now, school, tier):
    """The catalogue's filter form and its sessions, the school's suggestions first."""
    sessions = Session.objects.visible_to(user).active()
    topics = Topic.objects.visible_to(user)
    providers = Organisation.objects.filter(
        pk__in=Session.objects.visible_to(user).active().values("provider_id")
    ).order_by("name")
    filters = CatalogueFilterForm(data or None, topics=topics, providers=providers)
    open_slots = Slot.objects.open(now=now)
    if filters.is_valid():
        data = filters.cleaned_data
        if data["topic"]:
            sessions = sessions.filter(topic_id=data["topic"])
        if data["key_stage"]:
            years = KEY_STAGES[data["key_stage"]][1]
            match = Q()
            for year in years:
                match |= Q(year_groups__contains=f",{year},")
            sessions = sessions.filter(match)
        if data["year"] is not None:
            sessions = sessions.filter(year_groups__contains=f",{data['year']},")
        if data["format"]:
            sessions = sessions.filter(format=data["format"])
        if data["provider"]:
            sessions = sessions.filter(provider_id=data["provider"])
        if data["cost"] == "free":
            sessions = sessions.filter(cost_pence=0)
        if data["date_from"]:
            open_slots = open_slots.filter(starts_at__gte=_day_start(data["date_from"]))
        if data["date_to"]:
            open_slots = open_slots.filter(
                starts_at__lt=_day_start(data["date_to"] + datetime.timedelta(days=1))
            )
        if data["date_from"] or data["date_to"]:
            sessions = sessions.filter(Exists(open_slots.filter(session=OuterRef("pk"))))
    sessions = sessions.annotate(
        next_start=Subquery(
            open_slots.filter(session=OuterRef("pk")).order_by("starts_at").values("starts_at")[:1]
        )
    )
    recommended = Value(0)
    if school is not None:
        wanted = Q(target_tiers__contains=f",{tier.key},") if tier is not None else Q()
        if tier is None or tier.rank == 1:
            # Universal (and unassessed) schools are offered the force's priority inputs first.
            wanted = (wanted | Q(is_priority=True)) if wanted else Q(is_priority=True)
        recommended = Case(
            When(wanted, then=Value(1)), default=Value(0), output_field=IntegerField()
        )
    sessions = (
        sessions.annotate(recommended=recommended)
        .select_related("topic", "provider")
        .prefetch_related(
            Prefetch("slots", queryset=open_slots.order_by("starts_at")[:3], to_attr="next_slots")
        )
        .order_by("-recommended", "next_start", "title", "pk")
    )
    return filters, sessions


def _session_or_404(request, pk):
    return get_object_or_404(
        Session.objects.visible_to(request.user).select_related("topic", "provider"), pk=pk
    )


@permission_required("bookings.view_catalogue")
def session_detail(request, pk):
    """Screen 1 of booking: the session and its dates; pick one."""
    session = _session_or_404(request, pk)
    now = timezone.now()
    slots = list(Slot.objects.filter(session=session).upcoming(now=now).order_by("starts_at")[:40])
    school = _own_school(request.user)
    can_book = school is not None and request.user.has_perm("bookings.book", session)
    error = None
    if can_book and request.GET.get("error") == "choose":
        error = "Choose a date"
    return render(
        request,
        "bookings/session_detail.html",
        {
            "session": session,
            "slots": slots,
            "open_slots": [s for s in slots if not s.is_full],
            "full_slots": [s for s in slots if s.is_full],
            "can_book": can_book and session.active,
            "error": error,
            "can_manage": request.user.has_perm("bookings.manage_sessions", session),
        },
    )


def _bookable_slot(request, session, slot_pk):
    """Return the session's future slot named in the request, or None."""
    if not slot_pk or not str(slot_pk).isdigit():
        return None
    return (
        Slot.objects.filter(session=session, pk=slot_pk)
        .upcoming()
        .select_related("session")
        .first()
    )


def _school_for_booking(request, session):
    school = _own_school(request.user)
    if school is None or not request.user.has_perm("bookings.book", session):
        raise PermissionDenied
    if not session.active:
        raise Http404
    return school


@permission_required("bookings.book")
def book_cohort(request, pk):
    """Screen 2 of booking: the cohort (year groups, pupils, needs)."""
    session = _session_or_404(request, pk)
    _school_for_booking(request, session)
    slot = _bookable_slot(request, session, request.POST.get("slot") or request.GET.get("slot"))
    if slot is None:
        return redirect(reverse("bookings:session_detail", args=[pk]) + "?error=choose#dates")
    if slot.is_full:
        messages.info(request, "That date is full. You can join its waitlist or choose another.")
        return redirect("bookings:session_detail", pk)
    draft = request.session.get(DRAFT_KEY.format(session.pk), {})
    form = CohortForm(
        request.POST or None,
        session=session,
        initial={k: draft[k] for k in ("year_groups", "pupils", "needs") if k in draft},
    )
    if request.method == "POST" and form.is_valid():
        request.session[DRAFT_KEY.format(session.pk)] = {
            "slot": slot.pk,
            "year_groups": form.cleaned_data["year_groups"],
            "pupils": form.cleaned_data["pupils"],
            "needs": form.cleaned_data["needs"],
        }
        return redirect("bookings:book_check", session.pk)
    return render(
        request, "bookings/book_cohort.html", {"session": session, "slot": slot, "form": form}
    )


@permission_required("bookings.book")
def book_check(request, pk):
    """Screen 3 of booking: check and confirm. A lost race offers the nearest term-time dates, keeping the cohort."""
    session = _session_or_404(request, pk)
    school = _school_for_booking(request, session)
    key = DRAFT_KEY.format(session.pk)
    draft = request.session.get(key)
    if not draft:
        return redirect("bookings:session_detail", pk)
    if request.method == "POST" and request.POST.get("slot"):
        # "Book this date instead" after a lost race: the same cohort on another date.
        chosen = _bookable_slot(request, session, request.POST["slot"])
        if chosen is None:
            raise Http404
        draft["slot"] = chosen.pk
        request.session[key] = draft
    slot = _bookable_slot(request, session, draft["slot"])
    if slot is None:
        request.session.pop(key, None)
        messages.info(request, "That date has passed. Choose another.")
        return redirect("bookings:session_detail", pk)
    errors, next_slots = [], []
    if request.method == "POST":
        try:
            booking = services.booking_create(
                slot=slot,
                school=school,
                by=request.user,
                year_groups=draft["year_groups"],
                pupils=draft["pupils"],
                needs=draft["needs"],
                request=request,
            )
        except services.PlaceTaken as taken:
            errors = [f"{services.TAKEN_MESSAGE}. Choose one of the nearest dates below."]
            next_slots = taken.next_slots
        except ValidationError as error:
            errors = error.messages
        else:
            request.session.pop(key, None)
            if booking.status == Booking.Status.CONFIRMED:
                messages.success(request, "Booking confirmed")
            else:
                messages.success(
                    request, "Booking requested: the provider will accept or decline it"
                )
            return redirect(booking)
    return render(
        request,
        "bookings/book_check.html",
        {
            "session": session,
            "slot": slot,
            "school": school,
            "draft": draft,
            "year_groups_text": year_groups_label(pack_codes(draft["year_groups"])),
            "errors": errors,
            "next_slots": next_slots,
        },
    )


# --- Bookings -------------------------------------------------------------------------------

LIST_VIEWS = {
    "upcoming": "Upcoming",
    "pending": "Waiting for the provider",
    "past": "Past",
    "cancelled": "Cancelled or declined",
}


BOOKING_LIST_FIELDS = (
    "status",
    "year_groups",
    "pupils",
    "slot__starts_at",
    "slot__ends_at",
    "slot__session__title",
    "slot__session__provider__name",
    "school__name",
)


@permission_required("bookings.list_bookings")
def booking_list(request):
    # To the minute, so that everyone reading the list in that minute shares one cached page.
    now = timezone.now().replace(second=0, microsecond=0)
    show = request.GET.get("show", "upcoming")
    if show not in LIST_VIEWS:
        show = "upcoming"
    # Only what the table shows: not the needs and reasons (free text), the session's
    # description or the wide school row.
    bookings = (
        Booking.objects.visible_to(request.user)
        .select_related("slot__session__provider", "school")
        .only(*BOOKING_LIST_FIELDS)
    )
    figure = FigureFilterForm(request.GET or None)
    show_label = LIST_VIEWS.get(show)
    query = f"show={show}"  # the list's only parameter besides the page
    if figure.applied:
        # The bookings behind a dashboard figure: delivered in its period, at its schools.
        bookings = figure.bookings(bookings).order_by("-slot__starts_at", "pk")
        show, show_label = "delivered", "Delivered"
        query = urlencode(sorted((k, v) for k, v in request.GET.items() if k != "page"))
    elif show == "upcoming":
        bookings = bookings.active().upcoming(now=now).order_by("slot__starts_at", "pk")
    elif show == "pending":
        bookings = bookings.pending().upcoming(now=now).order_by("slot__starts_at", "pk")
    elif show == "past":
        bookings = bookings.filter(
            status=Booking.Status.CONFIRMED, slot__starts_at__lte=now
        ).order_by("-slot__starts_at", "pk")
    else:
        bookings = bookings.filter(
            status__in=[Booking.Status.CANCELLED, Booking.Status.DECLINED]
        ).order_by("-slot__starts_at", "pk")
    waiting = None
    if request.user.is_school_staff:
        waiting = list(
            WaitlistEntry.objects.visible_to(request.user)
            .filter(status__in=[WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED])
            .select_related("slot__session")
            .order_by("slot__starts_at")[:20]
        )
    # A page of rows is the same for every reader of the force (or of one school or provider)
    # asking the same question in the same minute; any booking, slot or session change, or a
    # school's new name, clears it (bookings.receivers, schools.options).
    user = request.user
    reader = "force" if user.is_police_side else (user.role, user.organisation_id)
    page_number = request.GET.get("page", "")

    def rows():
        page = Paginator(bookings, PAGE_SIZE).get_page(page_number)
        return render_to_string(
            "bookings/_booking_rows.html",
            {"page": page, "show_label": show_label, "query": query},
        )

    parts = ("bookings", show, reader, now, get_script_prefix(), query, page_number)
    topics = (BOOKINGS_TOPIC, school_options.TOPIC)
    return render(
        request,
        "bookings/booking_list.html",
        {
            "rows": cached(topics, user.force_id, parts, rows),
            "show": show,
            "views": LIST_VIEWS,
            "waiting": waiting,
        },
    )


def _booking_or_404(request, pk, perm="bookings.view_booking"):
    booking = get_object_or_404(
        Booking.objects.visible_to(request.user).select_related(
            "slot__session__provider", "slot__session__topic", "school", "booked_by"
        ),
        pk=pk,
    )
    if not request.user.has_perm(perm, booking):
        raise PermissionDenied
    return booking


@permission_required("bookings.list_bookings")
def booking_detail(request, pk):
    booking = _booking_or_404(request, pk)
    now = timezone.now()
    user = request.user
    evaluation = getattr(booking, "evaluation", None) if booking.status == "confirmed" else None
    return render(
        request,
        "bookings/booking_detail.html",
        {
            "booking": booking,
            "evaluation": evaluation,
            "can_change": booking.is_active
            and not booking.has_started(now=now)
            and user.has_perm("bookings.cancel_booking", booking),
            "can_decide": booking.status == Booking.Status.PENDING
            and user.has_perm("bookings.decide_booking", booking),
            "can_evaluate": booking.status == Booking.Status.CONFIRMED
            and booking.has_ended(now=now)
            and evaluation is None
            and user.has_perm("bookings.evaluate", booking),
        },
    )


@permission_required("bookings.list_bookings")
def booking_ics_download(request, pk):
    booking = _booking_or_404(request, pk)
    response = HttpResponse(booking_ics(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="booking-{booking.pk}.ics"'
    return response


@permission_required("bookings.list_bookings")
def booking_cancel(request, pk):
    booking = _booking_or_404(request, pk, "bookings.cancel_booking")
    form = ReasonForm(request.POST or None, submit_label="Cancel the booking")
    if request.method == "POST" and form.is_valid():
        try:
            services.booking_cancel(
                booking=booking,
                by=request.user,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Booking cancelled. The other side has been told.")
            return redirect(booking)
    return render(request, "bookings/booking_cancel.html", {"booking": booking, "form": form})


@permission_required("bookings.list_bookings")
def booking_reschedule(request, pk):
    booking = _booking_or_404(request, pk, "bookings.cancel_booking")
    slots = (
        Slot.objects.filter(session_id=booking.slot.session_id)
        .open()
        .exclude(pk=booking.slot_id)
        .order_by("starts_at")
    )
    form = RescheduleForm(request.POST or None, slots=slots)
    if request.method == "POST" and form.is_valid():
        try:
            services.booking_reschedule(
                booking=booking,
                to_slot=form.cleaned_data["slot"],
                by=request.user,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except services.PlaceTaken:
            form.add_error("slot", f"{services.TAKEN_MESSAGE}. Choose another date")
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Booking moved. The other side has been told.")
            return redirect(booking)
    return render(
        request,
        "bookings/booking_reschedule.html",
        {"booking": booking, "form": form, "has_dates": slots.exists()},
    )


@permission_required("bookings.list_bookings")
def booking_decide(request, pk):
    booking = _booking_or_404(request, pk, "bookings.decide_booking")
    if booking.status != Booking.Status.PENDING:
        messages.info(request, "This booking has already been decided.")
        return redirect(booking)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        try:
            services.booking_decide(
                booking=booking,
                by=request.user,
                accept=accept,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request,
                "Booking confirmed. The school has been told."
                if accept
                else "Booking declined. The school has been told.",
            )
            return redirect(booking)
    return render(request, "bookings/booking_decide.html", {"booking": booking, "form": form})


@permission_required("bookings.list_bookings")
def booking_evaluate(request, pk):
    booking = _booking_or_404(request, pk, "bookings.evaluate")
    if booking.status != Booking.Status.CONFIRMED or not booking.has_ended():
        messages.info(request, "You can evaluate the session once it has taken place.")
        return redirect(booking)
    if hasattr(booking, "evaluation"):
        messages.info(request, "This session has already been evaluated.")
        return redirect(booking)
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_give(
                booking=booking, by=request.user, request=request, **form.answers
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Thank you: your evaluation has been sent")
            return redirect(booking)
    return render(request, "bookings/booking_evaluate.html", {"booking": booking, "form": form})


# --- The waitlist ----------------------------------------------------------------------------


@permission_required("bookings.book")
def waitlist_join(request, pk):
    slot = get_object_or_404(
        Slot.objects.visible_to(request.user).select_related("session__provider"), pk=pk
    )
    session = slot.session
    school = _school_for_booking(request, session)
    form = CohortForm(request.POST or None, session=session, submit_label="Join the waitlist")
    if request.method == "POST" and form.is_valid():
        try:
            services.waitlist_join(
                slot=slot, school=school, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request,
                "You are on the waitlist. If a place comes up, we will email you and hold it "
                "for 48 hours.",
            )
            return redirect("bookings:booking_list")
    return render(request, "bookings/waitlist_join.html", {"slot": slot, "form": form})


def _entry_or_404(request, pk):
    entry = get_object_or_404(
        WaitlistEntry.objects.visible_to(request.user).select_related(
            "slot__session__provider", "school"
        ),
        pk=pk,
    )
    if not request.user.has_perm("bookings.take_offer", entry):
        raise PermissionDenied
    return entry


@permission_required("bookings.book")
def waitlist_offer(request, pk):
    entry = _entry_or_404(request, pk)
    now = timezone.now()
    is_open = entry.status == WaitlistEntry.Status.OFFERED and entry.offer_expires_at > now
    if request.method == "POST":
        try:
            booking = services.waitlist_take_offer(entry=entry, by=request.user, request=request)
        except (ValidationError, services.PlaceTaken):
            messages.error(request, "This offer has ended.")
            return redirect("bookings:waitlist_offer", entry.pk)
        messages.success(request, "The place is yours")
        return redirect(booking)
    return render(request, "bookings/waitlist_offer.html", {"entry": entry, "is_open": is_open})


@require_POST
@permission_required("bookings.book")
def waitlist_leave(request, pk):
    entry = _entry_or_404(request, pk)
    services.waitlist_leave(entry=entry, by=request.user, request=request)
    messages.success(request, "You have left the waitlist")
    return redirect("bookings:booking_list")


# --- Demand ------------------------------------------------------------------------------------


@permission_required("bookings.request_session")
def demand_create(request):
    school = _own_school(request.user)
    if school is None:
        raise PermissionDenied
    form = DemandForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.demand_request(
                school=school,
                by=request.user,
                topic=data["topic"],
                other_topic=data["other_topic"],
                year_groups=data["year_groups"],
                pupils=data["pupils"],
                note=data["note"],
                request=request,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request, "Request sent. The force's coordinator will look for a provider."
            )
            return redirect("bookings:catalogue")
    return render(request, "bookings/demand_form.html", {"form": form})


@permission_required("bookings.view_demand")
def date_list(request):
    """The dates the catalogue offers: those behind a dashboard figure (a period and topic),
    else the coming ones."""
    slots = Slot.objects.visible_to(request.user)
    figure = FigureFilterForm(request.GET or None)
    coming = slots.filter(session__active=True).upcoming()
    slots = figure.slots(slots) if figure.applied else coming
    listed = slots.select_related("session__topic", "session__provider").order_by("starts_at", "pk")
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "bookings/date_list.html", {"page": page, "figure": figure.applied})


@permission_required("bookings.view_demand")
def demand_list(request):
    requests_ = DemandRequest.objects.visible_to(request.user)
    figure = FigureFilterForm(request.GET or None)
    if figure.applied:
        # The requests behind a dashboard figure: made in its period, at its schools.
        listed = (
            figure.requests(requests_)
            .select_related("school", "topic", "requested_by")
            .order_by("-created", "-pk")
        )
        page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request, "bookings/demand_list.html", {"page": page, "recent": page, "figure": True}
        )
    by_topic = list(
        requests_.values("topic__name", "other_topic", "school__la_name")
        .annotate(total=Count("pk"), schools=Count("school", distinct=True))
        .order_by("topic__name", "other_topic", "school__la_name")
    )
    recent = list(
        requests_.select_related("school", "topic", "requested_by").order_by("-created")[:50]
    )
    return render(request, "bookings/demand_list.html", {"by_topic": by_topic, "recent": recent})
