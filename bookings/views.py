"""Pages of schools and everyone who browses: the catalogue, booking in three screens, the
bookings list and page, cancel, reschedule, decide, evaluate, the waitlist and demand."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import (
    Count,
)
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.decorators import permission_required
from accounts.forms import add_validation_errors
from agreements.provider_models import with_current_agreement
from schools.models import School

from . import services
from .calendar import booking_ics
from .filters import VIEWS, BookingFilter, CatalogueFilter, booking_rows, catalogue_cards
from .forms import (
    CaseInputForm,
    CohortForm,
    DecisionForm,
    DemandForm,
    EvaluationForm,
    FigureFilterForm,
    ForSchoolForm,
    OfferAnswerForm,
    OutcomeForm,
    ProposalAnswerForm,
    ProposalForm,
    ReasonForm,
    RescheduleForm,
)
from .models import (
    Booking,
    DateProposal,
    DemandRequest,
    Session,
    Slot,
    Topic,
    WaitlistEntry,
    pack_codes,
    year_groups_label,
)
from .pages import NOT_SAVED, permitted_or_404, save_posted

PAGE_SIZE = 20
DRAFT_KEY = "bookings.draft.{}"
FOR_SCHOOL_KEY = "bookings.for_school"


def _own_school(user):
    """Return the school of a member of school staff, or None."""
    if not user.is_school_staff:
        return None
    return School.objects.filter(organisation_id=user.organisation_id).first()


def _booking_school(request):
    """Return the school the user books for: school staff their own; a coordinator the school
    they chose to book on behalf of (kept in their session), or None."""
    user = request.user
    if user.is_school_staff:
        return _own_school(user)
    chosen = request.session.get(FOR_SCHOOL_KEY)
    if chosen is None or not user.has_perm("bookings.book_for_school"):
        return None
    return School.objects.visible_to(user).open().filter(pk=chosen).first()


def _for_school(request, school):
    """The banner's school when a coordinator books on a school's behalf, else None."""
    return school if school is not None and not request.user.is_school_staff else None


def _school_tier(school):
    """Return the school's current tier (a needs_assessment Level), or None if not assessed."""
    from needs_assessment.models import Assessment

    current = (
        Assessment.objects.filter(school=school, is_current=True)
        .select_related("computed_level", "proposed_level")
        .first()
    )
    return current.level if current else None


# --- The catalogue -------------------------------------------------------------------------


@permission_required("bookings.view_catalogue")
def catalogue(request):
    """The force's sessions; a school's suggestions (by its tier) first."""
    school = _booking_school(request)
    filters = CatalogueFilter(
        request.GET, queryset=Session.objects.visible_to(request.user).active(), user=request.user
    )
    sessions = (
        catalogue_cards(filters.qs)
        .with_evaluation_scores()
        .with_next_dates(filters.open_slots())
        .suggested_first(school, _school_tier(school) if school else None)
    )
    sessions = with_current_agreement(sessions)  # the provider's agreement, as a tag
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "bookings/catalogue.html",
        {
            "filters": filters,
            "page": page,
            "query": filters.query(),
            "booking_for": _for_school(request, school),
        },
    )


def _session_or_404(request, pk):
    return get_object_or_404(
        Session.objects.visible_to(request.user).select_related("topic", "provider__booking_rules"),
        pk=pk,
    )


@permission_required("bookings.book_for_school")
def book_for_school(request):
    """A coordinator books on a school's behalf: choose the school, then the usual steps."""
    schools = School.objects.visible_to(request.user).open().order_by("name")
    if request.method == "POST" and request.POST.get("action") == "stop":
        request.session.pop(FOR_SCHOOL_KEY, None)
        messages.info(request, "You are no longer booking for a school")
        return redirect("bookings:catalogue")
    form = ForSchoolForm(request.POST or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        school = form.cleaned_data["school"]
        request.session[FOR_SCHOOL_KEY] = school.pk
        messages.info(request, f"Choose a session and a date to book for {school.name}")
        return redirect("bookings:catalogue")
    return render(request, "bookings/book_for_school.html", {"form": form})


@permission_required("bookings.view_catalogue")
def session_detail(request, pk):
    """Screen 1 of booking: the session and its dates; pick one."""
    session = _session_or_404(request, pk)
    now = timezone.now()
    slots = list(Slot.objects.filter(session=session).upcoming(now=now).order_by("starts_at")[:40])
    school = _booking_school(request)
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
            "booking_for": _for_school(request, school),
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
    school = _booking_school(request)
    if school is None or not request.user.has_perm("bookings.book", session):
        raise PermissionDenied
    if not session.active:
        raise Http404
    return school


@permission_required("bookings.book")
def book_cohort(request, pk):
    """Screen 2 of booking: the cohort (year groups, pupils, needs)."""
    session = _session_or_404(request, pk)
    school = _school_for_booking(request, session)
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
        request,
        "bookings/book_cohort.html",
        {
            "session": session,
            "slot": slot,
            "form": form,
            "booking_for": _for_school(request, school),
        },
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
            if booking.booked_on_behalf:
                request.session.pop(FOR_SCHOOL_KEY, None)
                lead = booking.lead.display_name if booking.lead else None
                messages.info(
                    request,
                    f"Booked on behalf of {school.name}. "
                    + (
                        f"{lead}, its booking lead, has been told."
                        if lead
                        else "The school has no booking lead signed up, so nobody there has "
                        "been told: let them know."
                    ),
                )
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
            "booking_for": _for_school(request, school),
        },
    )


# --- Bookings -------------------------------------------------------------------------------


@permission_required("bookings.list_bookings")
def booking_list(request):
    """A view of the bookings (upcoming, waiting, past, cancelled), or those behind a
    dashboard figure, filtered."""
    user = request.user
    filters = BookingFilter(
        request.GET, queryset=booking_rows(Booking.objects.visible_to(user)), user=user
    )
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    waiting = (
        WaitlistEntry.objects.visible_to(user)
        .filter(status__in=[WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED])
        .select_related("slot__session")
        .order_by("slot__starts_at")[:20]
        if user.is_school_staff
        else None
    )
    proposals = list(
        DateProposal.objects.visible_to(user)
        .open()
        .select_related("session__provider", "school")
        .order_by("starts_at", "pk")[:20]
    )
    return render(
        request,
        "bookings/booking_list.html",
        {
            "proposals": proposals,
            "filters": filters,
            "page": page,
            "query": filters.query(),
            "views": VIEWS,
            "waiting": waiting,
        },
    )


def _booking_or_404(request, pk, perm="bookings.view_booking"):
    booking = permitted_or_404(
        request,
        Booking.objects.visible_to(request.user).select_related(
            "slot__session__provider",
            "slot__session__topic",
            "slot__deliverer_person",
            "school",
            "booked_by",
            "lead",
        ),
        perm,
        pk=pk,
    )
    return booking


@permission_required("bookings.list_bookings")
def booking_detail(request, pk):
    booking = _booking_or_404(request, pk)
    now = timezone.now()
    user = request.user
    services.booking_seen_by_lead(booking=booking, by=user, now=now)
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
            and not booking.did_not_happen
            and evaluation is None
            and user.has_perm("bookings.evaluate", booking),
            "can_record_outcome": booking.status == Booking.Status.CONFIRMED
            and booking.has_started(now=now)
            and not booking.outcome
            and evaluation is None
            and user.has_perm("bookings.record_outcome", booking),
            "can_reply": evaluation is not None
            and (evaluation.comment or evaluation.what_changed)
            and user.has_perm("bookings.reply_evaluation", evaluation),
        },
    )


@permission_required("bookings.list_bookings")
def booking_outcome(request, pk):
    """Did it happen: the provider records delivered, school absent or cancelled on the day."""
    booking = _booking_or_404(request, pk, "bookings.record_outcome")
    if booking.status != Booking.Status.CONFIRMED or not booking.has_started() or booking.outcome:
        messages.info(request, "You can say what happened once, after the session's date.")
        return redirect(booking)
    form = OutcomeForm(request.POST or None)
    saved = save_posted(
        request,
        form,
        lambda data: services.booking_record_outcome(
            booking=booking, by=request.user, request=request, **data
        ),
    )
    if saved is not NOT_SAVED:
        messages.success(request, "Saved. The school's booking lead has been told.")
        return redirect(booking)
    return render(request, "bookings/booking_outcome.html", {"booking": booking, "form": form})


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
    saved = save_posted(
        request,
        form,
        lambda data: services.booking_cancel(
            booking=booking, by=request.user, reason=data["reason"], request=request
        ),
    )
    if saved is not NOT_SAVED:
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
    saved = save_posted(
        request,
        form,
        lambda data: services.booking_reschedule(
            booking=booking,
            to_slot=data["slot"],
            by=request.user,
            reason=data["reason"],
            request=request,
        ),
        taken_field="slot",
    )
    if saved is not NOT_SAVED:
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
    decided = save_posted(
        request,
        form,
        lambda data: services.booking_decide(
            booking=booking,
            by=request.user,
            accept=data["decision"] == "accept",
            reason=data["reason"],
            request=request,
        ),
    )
    if decided is not NOT_SAVED:
        messages.success(
            request,
            "Booking confirmed. The school has been told."
            if decided.status == Booking.Status.CONFIRMED
            else "Booking declined. The school has been told.",
        )
        return redirect(booking)
    return render(request, "bookings/booking_decide.html", {"booking": booking, "form": form})


@permission_required("bookings.list_bookings")
def booking_evaluate(request, pk):
    booking = _booking_or_404(request, pk, "bookings.evaluate")
    if (
        booking.status != Booking.Status.CONFIRMED
        or not booking.has_ended()
        or booking.did_not_happen
    ):
        messages.info(request, "You can evaluate the session once it has taken place.")
        return redirect(booking)
    if hasattr(booking, "evaluation"):
        messages.info(request, "This session has already been evaluated.")
        return redirect(booking)
    form = EvaluationForm(request.POST or None)
    saved = save_posted(
        request,
        form,
        lambda data: services.evaluation_give(
            booking=booking, by=request.user, request=request, **form.answers
        ),
    )
    if saved is not NOT_SAVED:
        messages.success(request, "Thank you: your evaluation has been sent")
        return redirect(booking)
    return render(request, "bookings/booking_evaluate.html", {"booking": booking, "form": form})


# --- Officers ------------------------------------------------------------------------------------


def officers_schools(user):
    """The schools an officer answers for: those they are the named contact or deputy of
    today, and for a sergeant their teams' schools (a School queryset)."""
    from django.db.models import Q

    from schools.models import NamedContact

    named = NamedContact.objects.visible_to(user).current().filter(Q(officer=user) | Q(deputy=user))
    schools = School.objects.visible_to(user)
    match = Q(pk__in=named.values("school_id"))
    if user.role == "sergeant":
        match |= Q(pk__in=schools.led_by(user).values("pk"))
    return schools.filter(match)


@permission_required("bookings.view_school_sessions")
def school_sessions(request):
    """Officers: the sessions coming to their schools: who comes, when, and what."""
    bookings = (
        Booking.objects.visible_to(request.user)
        .active()
        .upcoming()
        .filter(school__in=officers_schools(request.user))
        .select_related(
            "slot__session__provider", "slot__session__topic", "slot__deliverer_person", "school"
        )
        .order_by("slot__starts_at", "pk")
    )
    page = Paginator(bookings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "bookings/school_sessions.html", {"page": page})


# --- Education a case needs ------------------------------------------------------------------


def _case_input(request, case, data):
    """Book the chosen date for the case (returning the booking), or ask for the topic."""
    common = {
        "case": case,
        "by": request.user,
        "who": data["who"],
        "year_groups": data["year_groups"],
        "pupils": data["pupils"],
        "request": request,
    }
    if data["slot"] is not None:
        return services.case_input_book(slot=data["slot"], **common)
    services.case_input_request(topic=data["topic"], **common)
    return None


@permission_required("bookings.book_for_case")
def case_input(request, public_id):
    """From a referral case: book a date, or ask for a topic, as a targeted input for the
    pupil or a group, linked to the case. The provider never learns who the pupil is."""
    from referrals.models import Case

    case = permitted_or_404(
        request,
        Case.objects.visible_to(request.user).select_related("young_person__school"),
        "referrals.view_case",
        public_id=public_id,
    )
    school = case.young_person.school
    form = CaseInputForm(
        request.POST or None,
        slots=Slot.objects.visible_to(request.user).for_case_input(now=timezone.now()),
        topics=Topic.objects.visible_to(request.user),
    )
    booking = save_posted(
        request, form, lambda data: _case_input(request, case, data), taken_field="slot"
    )
    if booking is None:  # no date: a topic was asked for
        messages.success(request, "Request sent. The force's coordinator will look for a provider.")
        return redirect("referrals:case_detail", case.public_id)
    if booking is not NOT_SAVED:
        messages.success(request, "Targeted input booked. The school's booking lead has been told.")
        return redirect(booking)
    return render(
        request, "bookings/case_input.html", {"case": case, "school": school, "form": form}
    )


# --- Propose a date ---------------------------------------------------------------------------


@permission_required("bookings.book")
def proposal_create(request, pk):
    """A school asks for the session on a date it chooses; the provider answers."""
    session = _session_or_404(request, pk)
    school = _school_for_booking(request, session)
    form = ProposalForm(request.POST or None, session=session)
    proposal = save_posted(
        request,
        form,
        lambda data: services.proposal_create(
            session=session, school=school, by=request.user, request=request, **data
        ),
    )
    if proposal is not NOT_SAVED:
        messages.success(
            request, f"Request sent. {session.provider.name} will accept it or offer another date."
        )
        return redirect(proposal)
    return render(
        request,
        "bookings/proposal_form.html",
        {"session": session, "form": form, "booking_for": _for_school(request, school)},
    )


def _answer(request, proposal, data, *, provider_side):
    """The provider answers a school's date request, or the school answers the date offered."""
    if provider_side:
        services.proposal_answer(proposal=proposal, by=request.user, request=request, **data)
    else:
        services.proposal_take_offer(
            proposal=proposal, by=request.user, accept=data["answer"] == "accept", request=request
        )


@permission_required("bookings.list_bookings")
def proposal_detail(request, pk):
    """A school's date request: the provider answers it; the school takes an offered date."""
    user = request.user
    proposal = permitted_or_404(
        request,
        DateProposal.objects.visible_to(request.user).select_related(
            "session__provider", "school", "proposed_by", "booking"
        ),
        "bookings.view_proposal",
        pk=pk,
    )
    Status = DateProposal.Status
    answering = proposal.status == Status.PROPOSED and user.has_perm(
        "bookings.answer_proposal", proposal
    )
    taking = proposal.status == Status.OFFERED and user.has_perm(
        "bookings.take_date_offer", proposal
    )
    form_class = ProposalAnswerForm if answering else OfferAnswerForm if taking else None
    form = form_class(request.POST or None) if form_class else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                _answer(request, proposal, form.cleaned_data, provider_side=answering)
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, "Answer sent. The other side has been told.")
                return redirect(proposal)
    return render(request, "bookings/proposal_detail.html", {"proposal": proposal, "form": form})


# --- The waitlist ----------------------------------------------------------------------------


@permission_required("bookings.book")
def waitlist_join(request, pk):
    slot = get_object_or_404(
        Slot.objects.visible_to(request.user).select_related("session__provider"), pk=pk
    )
    session = slot.session
    if not request.user.is_school_staff:
        raise PermissionDenied  # an offer is held for the school's own staff to take
    school = _school_for_booking(request, session)
    form = CohortForm(request.POST or None, session=session, submit_label="Join the waitlist")
    joined = save_posted(
        request,
        form,
        lambda data: services.waitlist_join(
            slot=slot, school=school, by=request.user, request=request, **data
        ),
    )
    if joined is not NOT_SAVED:
        messages.success(
            request,
            "You are on the waitlist. If a place comes up, we will email you and hold it "
            "for 48 hours.",
        )
        return redirect("bookings:booking_list")
    return render(request, "bookings/waitlist_join.html", {"slot": slot, "form": form})


def _entry_or_404(request, pk):
    entry = permitted_or_404(
        request,
        WaitlistEntry.objects.visible_to(request.user).select_related(
            "slot__session__provider", "school"
        ),
        "bookings.take_offer",
        pk=pk,
    )
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
    sent = save_posted(
        request,
        form,
        lambda data: services.demand_request(
            school=school, by=request.user, request=request, **data
        ),
    )
    if sent is not NOT_SAVED:
        messages.success(request, "Request sent. The force's coordinator will look for a provider.")
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
