"""The app's sections of the home page and the school page, and new forces' default topics.

Each context function costs a small, fixed number of queries, whatever the numbers.
"""

from django.db.models import Case, Count, F, Q, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from accounts.models import Role

from .models import Booking, DemandRequest, Topic

LIMIT = 5


def give_new_force_the_default_topics(sender, instance, created, raw=False, **kwargs):
    """A new force starts with the common safety-education topics."""
    if created and not raw:
        Topic.install_defaults(instance)


def _bookings(user):
    return Booking.objects.visible_to(user).select_related("slot__session__provider", "school")


def school_home(user):
    """School staff: the school's next bookings, the sessions the user should evaluate, and
    (the in-app notice) the bookings a coordinator made on their behalf, until they open them.

    One query: the lists at once, each booking numbered within its list (a window), the
    first LIMIT of each kept, and every new booking made on the user's behalf."""
    if not user.is_school_staff:
        return None
    now = timezone.now()
    bookings = _bookings(user).select_related("booked_by")
    upcoming = bookings.active().upcoming(now=now)
    to_evaluate = bookings.awaiting_evaluation(now=now).filter(lead=user)
    # The two lists never share a booking: one starts after now, the other has ended by now.
    ahead = Case(When(slot__starts_at__gt=now, then=Value(True)), default=Value(False))
    new_for_user = Case(
        When(
            Q(lead=user, lead_seen_at__isnull=True) & ~Q(booked_by=user),
            then=Value(True),
        ),
        default=Value(False),
    )
    rows = list(
        (upcoming | to_evaluate)
        .annotate(
            is_ahead=ahead,
            is_new=new_for_user,
            soonest=Window(RowNumber(), partition_by=[ahead], order_by=F("slot__starts_at").asc()),
            latest=Window(RowNumber(), partition_by=[ahead], order_by=F("slot__starts_at").desc()),
        )
        .filter(
            Q(is_ahead=True, soonest__lte=LIMIT)
            | Q(is_ahead=False, latest__lte=LIMIT)
            | Q(is_ahead=True, is_new=True)
        )
        .order_by("slot__starts_at")
    )
    return {
        "upcoming": [b for b in rows if b.is_ahead and b.soonest <= LIMIT],
        "to_evaluate": [b for b in reversed(rows) if not b.is_ahead],
        "booked_for_you": [b for b in rows if b.is_ahead and b.is_new],
    }


def provider_home(user):
    """Partners: their next sessions and requests to answer; coordinators add demand counts."""
    if user.role not in {Role.PARTNER, Role.COORDINATOR}:
        return None
    now = timezone.now()
    bookings = _bookings(user)
    context = {
        "upcoming": list(
            bookings.filter(status=Booking.Status.CONFIRMED)
            .upcoming(now=now)
            .order_by("slot__starts_at")[:LIMIT]
        ),
        "pending": list(bookings.pending().upcoming(now=now).order_by("slot__starts_at")[:LIMIT]),
        "pending_count": bookings.pending().upcoming(now=now).count(),
    }
    if user.role == Role.COORDINATOR:
        context["demand_count"] = DemandRequest.objects.visible_to(user).count()
    return context


def school_panel(request, school):
    """The school page: its bookings, for those who may see them."""
    user = request.user
    if not user.has_perm("bookings.list_bookings"):
        return None
    # One query: the latest ten, each carrying the count of all the school's bookings (a window
    # over the whole filtered set, computed before the LIMIT).
    bookings = list(
        _bookings(user)
        .filter(school=school)
        .annotate(total=Window(Count("pk")))
        .order_by("-slot__starts_at", "-pk")[:10]
    )
    return {"school": school, "bookings": bookings, "total": bookings[0].total if bookings else 0}
