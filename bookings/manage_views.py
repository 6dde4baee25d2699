"""Pages of providers and coordinators: sessions, dates, calendar feeds, topics, and results."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Avg, Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.decorators import permission_required
from accounts.models import Organisation

from . import services
from .calendar import deliverer_ics, provider_ics
from .forms import ProviderRulesForm, ReplyForm, SessionForm, SlotForm, TopicForm
from .models import (
    Booking,
    CalendarFeed,
    Evaluation,
    ProviderRules,
    Session,
    Slot,
    Topic,
)
from .pages import NOT_SAVED, permitted_or_404, save_posted


def _tier_choices(force):
    from needs_assessment.models import Framework

    framework = Framework.objects.chosen_for(force)
    if framework is None:
        return []
    return [(level.key, level.name) for level in framework.levels.order_by("rank")]


@permission_required("bookings.manage_sessions")
def manage(request):
    now = timezone.now()
    sessions = (
        Session.objects.managed_by(request.user)
        .select_related("topic", "provider")
        .annotate(
            upcoming_slots=Count("slots", filter=Q(slots__starts_at__gt=now), distinct=True),
            pending=Count(
                "slots__bookings",
                filter=Q(slots__bookings__status=Booking.Status.PENDING, slots__starts_at__gt=now),
                distinct=True,
            ),
        )
        .order_by("-active", "title", "pk")
    )
    providers = services.provider_choices(request.user)
    rules = ProviderRules.objects.visible_to(request.user).by_provider(providers)
    return render(
        request,
        "bookings/manage.html",
        {"sessions": sessions, "provider_rules": [(p, rules[p.pk]) for p in providers]},
    )


@permission_required("bookings.manage_provider_rules")
def provider_rules(request, pk):
    """The booking rules a provider sets once: every session of its follows them unless the
    session sets its own."""
    providers = Organisation.objects.visible_to(request.user).filter(
        kind__in=[Organisation.Kind.POLICE, Organisation.Kind.PARTNER]
    )
    provider = permitted_or_404(
        request,
        providers,
        "bookings.manage_provider_rules",
        pk=pk,
    )
    current = ProviderRules.objects.visible_to(request.user).filter(provider=provider).first()
    form = ProviderRulesForm(request.POST or None, instance=current)
    saved = save_posted(
        request,
        form,
        lambda data: services.provider_rules_save(
            provider=provider, by=request.user, request=request, **data
        ),
    )
    if saved is not NOT_SAVED:
        messages.success(request, f"Booking rules of {provider.name} saved")
        return redirect("bookings:manage")
    own = (
        Session.objects.visible_to(request.user)
        .managed_by(request.user)
        .filter(provider=provider, own_rules=True)
    )
    return render(
        request,
        "bookings/provider_rules.html",
        {"provider": provider, "form": form, "own_rules_sessions": own.order_by("title")[:50]},
    )


def _managed_session_or_404(request, pk):
    return permitted_or_404(
        request,
        Session.objects.visible_to(request.user).select_related("topic", "provider"),
        "bookings.manage_sessions",
        pk=pk,
    )


def _session_form_page(request, session=None):
    user = request.user
    providers = services.provider_choices(user)
    form = SessionForm(
        request.POST or None,
        instance=session,
        user=user,
        providers=providers,
        tiers=_tier_choices(user.force),
    )
    saved = save_posted(
        request,
        form,
        lambda data: services.session_save(
            by=user,
            session=Session.objects.managed_by(user).get(pk=session.pk) if session else None,
            request=request,
            **form.session_fields(),
        ),
    )
    if saved is not NOT_SAVED:
        messages.success(request, f"{saved.title} saved")
        if session is None:
            return redirect("bookings:session_slots", saved.pk)
        return redirect("bookings:manage")
    return render(request, "bookings/session_form.html", {"form": form, "session": session})


@permission_required("bookings.manage_sessions")
def session_create(request):
    if not services.provider_choices(request.user):
        raise PermissionDenied
    return _session_form_page(request)


@permission_required("bookings.manage_sessions")
def session_edit(request, pk):
    return _session_form_page(request, _managed_session_or_404(request, pk))


@permission_required("bookings.manage_sessions")
def session_slots(request, pk):
    """The session's dates with their bookings, and the form to publish more."""
    session = _managed_session_or_404(request, pk)
    form = SlotForm(request.POST or None, session=session)
    published = save_posted(
        request,
        form,
        lambda data: services.slots_publish(
            session=session,
            by=request.user,
            request=request,
            **{name: value for name, value in data.items() if name != "repeat"},
        ),
    )
    if published is not NOT_SAVED:
        created, skipped = published
        note = f"{len(created)} date{'s' if len(created) != 1 else ''} published"
        if skipped:
            note += f"; {len(skipped)} in school holidays left out"
        messages.success(request, note)
        return redirect("bookings:session_slots", session.pk)
    since = timezone.now() - datetime.timedelta(days=30)
    slots = (
        session.slots.filter(starts_at__gte=since)
        .prefetch_related(
            Prefetch(
                "bookings",
                queryset=Booking.objects.select_related("school").order_by("pk"),
            )
        )
        .select_related("deliverer_person")
        .annotate(
            waiting=Count(
                "waitlist", filter=Q(waitlist__status__in=["waiting", "offered"]), distinct=True
            )
        )
        .order_by("starts_at")
    )
    return render(
        request,
        "bookings/session_slots.html",
        {
            "session": session,
            "slots": slots,
            "form": form,
            "deliverers": list(session.deliverer_choices()),
        },
    )


@require_POST
@permission_required("bookings.manage_sessions")
def slot_deliverer(request, pk):
    """Name the person who delivers one date (or nobody)."""
    slot = get_object_or_404(Slot.objects.visible_to(request.user).select_related("session"), pk=pk)
    if not request.user.has_perm("bookings.manage_sessions", slot.session):
        raise PermissionDenied
    chosen = request.POST.get("person", "")
    person = None
    if chosen:
        person = (
            slot.session.deliverer_choices().filter(pk=chosen).first() if chosen.isdigit() else None
        )
        if person is None:
            messages.error(request, "Choose one of the listed people")
            return redirect("bookings:session_slots", slot.session_id)
    try:
        services.slot_set_deliverer(slot=slot, person=person, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Deliverer saved")
    return redirect("bookings:session_slots", slot.session_id)


@require_POST
@permission_required("bookings.manage_sessions")
def session_round_robin(request, pk):
    """Share the session's future dates without a deliverer among its provider's people."""
    session = _managed_session_or_404(request, pk)
    try:
        assigned = services.assign_round_robin(session=session, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"{len(assigned)} date{'s' if len(assigned) != 1 else ''} given a deliverer in turn"
            if assigned
            else "No date was left without a deliverer that anyone could take",
        )
    return redirect("bookings:session_slots", session.pk)


@require_POST
@permission_required("bookings.manage_sessions")
def slot_withdraw(request, pk):
    slot = get_object_or_404(Slot.objects.visible_to(request.user).select_related("session"), pk=pk)
    if not request.user.has_perm("bookings.manage_sessions", slot.session):
        raise PermissionDenied
    try:
        services.slot_delete(slot=slot, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Date withdrawn")
    return redirect("bookings:session_slots", slot.session_id)


# --- Calendar feeds ----------------------------------------------------------------------------


def _feeds_of(user, providers):
    """The calendar feeds of the providers this user manages, by provider id."""
    return {
        f.provider_id: f
        for f in CalendarFeed.objects.visible_to(user).filter(
            provider__in=providers, person__isnull=True
        )
    }


@permission_required("bookings.manage_sessions")
def calendar_settings(request):
    providers = services.provider_choices(request.user)
    if not providers:
        raise PermissionDenied
    feeds = _feeds_of(request.user, providers)
    new_address = None
    if request.method == "POST":
        chosen = next((p for p in providers if str(p.pk) == request.POST.get("provider")), None)
        if chosen is None:
            raise Http404
        if request.POST.get("action") == "revoke":
            services.feed_revoke(provider=chosen, by=request.user, request=request)
            messages.success(request, f"The calendar address of {chosen.name} no longer works")
            return redirect("bookings:calendar_settings")
        token = services.feed_renew(provider=chosen, by=request.user, request=request)
        new_address = (
            chosen,
            request.build_absolute_uri(reverse("bookings:provider_feed", args=[token])),
        )
        feeds = _feeds_of(request.user, providers)
    rows = [(p, feeds.get(p.pk)) for p in providers]
    return render(
        request, "bookings/calendar_settings.html", {"rows": rows, "new_address": new_address}
    )


def provider_feed(request, token):
    """A provider's calendar, for calendar apps that cannot sign in: the secret address is the key."""
    feed = (
        CalendarFeed.objects.select_related("provider", "person")
        .filter(token_hash=CalendarFeed.hash(token))
        .first()
    )
    if feed is None:
        raise Http404
    since = timezone.now() - datetime.timedelta(days=30)
    if feed.person_id is not None:
        # A deliverer's own feed: the dates they deliver, whichever session.
        dates = Slot.objects.filter(deliverer_person_id=feed.person_id)
    else:
        dates = Slot.objects.filter(session__provider=feed.provider)
    slots = list(
        dates.filter(starts_at__gte=since)
        .select_related("session", "deliverer_person")
        .prefetch_related(
            Prefetch(
                "bookings",
                queryset=Booking.objects.active().select_related("school").order_by("pk"),
            )
        )
        .order_by("starts_at")[:1000]
    )
    body = (
        deliverer_ics(feed.person, slots)
        if feed.person_id is not None
        else provider_ics(feed.provider, slots)
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response


# --- Topics and results -----------------------------------------------------------------------------


@permission_required("bookings.manage_topics")
def topics(request):
    form = TopicForm(request.POST or None)
    topic = save_posted(
        request,
        form,
        lambda data: services.topic_add(
            force=request.user.force, by=request.user, request=request, **data
        ),
    )
    if topic is not NOT_SAVED:
        messages.success(request, f"Topic {topic.name} added")
        return redirect("bookings:topics")
    listed = Topic.objects.visible_to(request.user).annotate(
        offered=Count("sessions", filter=Q(sessions__active=True))
    )
    return render(request, "bookings/topics.html", {"form": form, "topics": listed})


def _results(evaluations, *group):
    return list(
        evaluations.values(*group)
        .annotate(
            count=Count("pk"),
            delivered=Count("pk", filter=Q(delivered=True)),
            suitable=Count("pk", filter=Q(suitable_for_age=True)),
            usefulness=Avg("usefulness"),
            before=Avg("confidence_before"),
            after=Avg("confidence_after"),
        )
        .order_by(*group)
    )


@permission_required("bookings.view_evaluations")
def evaluation_results(request):
    """The shared evaluation of impact: every provider of the force sees the figures and the
    schools' comments (never a pupil's name), with each provider's answer; a session's own
    provider (or a coordinator) answers them."""
    user = request.user
    force_wide = Evaluation.objects.filter(booking__school__force_id=user.force_id)
    comments = [
        (evaluation, user.has_perm("bookings.reply_evaluation", evaluation))
        for evaluation in Evaluation.objects.visible_to(user)
        .exclude(what_changed="", comment="")
        .select_related("booking__slot__session__provider", "booking__school")
        .order_by("-created")[:30]
    ]
    return render(
        request,
        "bookings/evaluation_results.html",
        {
            "by_session": _results(
                force_wide,
                "booking__slot__session__title",
                "booking__slot__session__provider__name",
            ),
            "by_provider": _results(force_wide, "booking__slot__session__provider__name"),
            "by_topic": _results(force_wide, "booking__slot__session__topic__name"),
            "comments": comments,
        },
    )


@permission_required("bookings.view_evaluations")
def evaluation_reply(request, pk):
    """The session's provider answers a school's comments; every partner sees the answer."""
    evaluation = permitted_or_404(
        request,
        Evaluation.objects.visible_to(request.user).select_related(
            "booking__slot__session__provider", "booking__school"
        ),
        "bookings.reply_evaluation",
        pk=pk,
    )
    form = ReplyForm(request.POST or None, initial={"reply": evaluation.reply})
    replied = save_posted(
        request,
        form,
        lambda data: services.evaluation_reply(
            evaluation=evaluation, by=request.user, request=request, **data
        ),
    )
    if replied is not NOT_SAVED:
        messages.success(request, "Answer saved")
        return redirect("bookings:evaluation_results")
    return render(
        request, "bookings/evaluation_reply.html", {"evaluation": evaluation, "form": form}
    )


# --- Deliverers and officers ------------------------------------------------------------------------


@permission_required("bookings.deliver")
def my_deliveries(request):
    """A deliverer's own calendar: the dates they deliver (any session), and their feed."""
    user = request.user
    new_address = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.person_feed_revoke(by=user, request=request)
            messages.success(request, "Your calendar address no longer works")
            return redirect("bookings:my_deliveries")
        token = services.person_feed_renew(by=user, request=request)
        new_address = request.build_absolute_uri(reverse("bookings:provider_feed", args=[token]))
    since = timezone.now() - datetime.timedelta(days=1)
    slots = (
        Slot.objects.visible_to(user)
        .filter(deliverer_person=user, starts_at__gte=since)
        .select_related("session__provider")
        .prefetch_related(
            Prefetch(
                "bookings",
                queryset=Booking.objects.active().select_related("school").order_by("pk"),
            )
        )
        .order_by("starts_at", "pk")[:200]
    )
    return render(
        request,
        "bookings/my_deliveries.html",
        {
            "slots": slots,
            "feed": CalendarFeed.objects.visible_to(user).filter(person=user).first(),
            "new_address": new_address,
        },
    )
