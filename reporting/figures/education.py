"""Safety-education sessions in numbers: delivered, schools reached, demand and evaluation."""

from django.db.models import Avg, Count, Q, Sum

from bookings.models import (
    Booking,
    DemandRequest,
    Evaluation,
    Session,
    Slot,
    day_bounds,
    schools_reached_between,
)

from ..tables import Table
from .tiers import NOT_ASSESSED, levels_of


def _bounds(scope):
    return day_bounds(scope.start, scope.end)


def delivered(scope):
    """Confirmed bookings at the scope's schools whose session ended within the period."""
    return Booking.objects.filter(
        slot__session__force_id=scope.force_id, school__in=scope.schools()
    ).delivered_between(scope.start, scope.end)


def ended(scope):
    """Confirmed bookings at the scope's schools whose session ended within the period: the
    delivered ones and those the provider said did not happen (the no-shows among them are
    the bookings list's no-show view)."""
    return Booking.objects.filter(
        slot__session__force_id=scope.force_id, school__in=scope.schools()
    ).ended_between(scope.start, scope.end)


def requests_in(scope):
    return DemandRequest.objects.filter(school__in=scope.schools()).requested_between(
        scope.start, scope.end
    )


def reached(scope):
    """The scope's schools with a session delivered in the period (one definition with the
    school list's "Reached by a session" filter)."""
    return schools_reached_between(scope.schools(), scope.start, scope.end)


def _list(value, url_name, scope, **query):
    """A count linked to the list of the bookings or requests behind it, for the same period
    and slice (bookings.forms.FigureFilterForm)."""
    return scope.link(
        value,
        url_name,
        since=scope.start.isoformat(),
        until=scope.end.isoformat(),
        **scope.list_query(),
        **query,
    )


def by_topic_and_provider(scope) -> list[Table]:
    """Sessions delivered by topic and by provider, and the no-shows by topic (counted in the
    topic query: the sessions that ended in the period, split by what the provider said)."""
    bookings = delivered(scope)
    by_topic = Table(
        "delivered_by_topic",
        "Sessions delivered by topic",
        ["Topic", "Sessions", "Pupils"],
        chart="bar",
        empty="No session was delivered in the period.",
    )
    no_shows = Table(
        "no_shows_by_topic",
        "Schools absent (no-shows) by topic",
        ["Topic", "No-shows"],
        chart="bar",
        empty="No school missed a session in the period.",
        note='Sessions the provider marked "school absent" once the date had passed.',
    )
    happened = ~Q(outcome__in=Booking.NOT_HAPPENED)
    for row in (
        ended(scope)
        .values("slot__session__topic_id", "slot__session__topic__name")
        .annotate(
            n=Count("pk", filter=happened),
            pupils=Sum("pupils", filter=happened),
            absent=Count("pk", filter=Q(outcome=Booking.Outcome.NO_SHOW)),
        )
        .order_by("slot__session__topic__name")
    ):
        if row["absent"]:
            no_shows.rows.append(
                [
                    row["slot__session__topic__name"],
                    _list(
                        row["absent"],
                        "bookings:booking_list",
                        scope,
                        show="no_show",
                        topic=row["slot__session__topic_id"],
                    ),
                ]
            )
        if not row["n"]:
            continue  # only no-shows or sessions cancelled on the day: nothing delivered
        by_topic.rows.append(
            [
                row["slot__session__topic__name"],
                _list(
                    row["n"], "bookings:booking_list", scope, topic=row["slot__session__topic_id"]
                ),
                row["pupils"] or 0,
            ]
        )
    by_provider = Table(
        "delivered_by_provider",
        "Sessions delivered by provider",
        ["Provider", "Sessions", "Pupils"],
        chart="bar",
        empty="No session was delivered in the period.",
    )
    for row in (
        bookings.values("slot__session__provider_id", "slot__session__provider__name")
        .annotate(n=Count("pk"), pupils=Sum("pupils"))
        .order_by("slot__session__provider__name")
    ):
        by_provider.rows.append(
            [
                row["slot__session__provider__name"],
                _list(
                    row["n"],
                    "bookings:booking_list",
                    scope,
                    provider=row["slot__session__provider_id"],
                ),
                row["pupils"] or 0,
            ]
        )
    return [by_topic, by_provider, no_shows]


def reached_by_tier(scope) -> Table:
    rows = (
        scope.tiered_schools()
        .values("tier_level_id")
        .annotate(
            total=Count("pk"),
            reached_n=Count("pk", filter=Q(pk__in=reached(scope).values("pk"))),
        )
        .order_by()
    )
    levels = levels_of(scope)
    known = {level.pk for level in levels}
    totals, reached_counts = {}, {}
    for row in rows:
        tier = row["tier_level_id"] if row["tier_level_id"] in known else None
        totals[tier] = totals.get(tier, 0) + row["total"]
        reached_counts[tier] = reached_counts.get(tier, 0) + row["reached_n"]
    table = Table(
        "reached_by_tier",
        "Schools reached by tier",
        ["Tier", "Schools reached", "Schools in the tier", "Share reached"],
        chart="bar",
        note="Schools with at least one session delivered in the period.",
    )
    for level in [*levels, None]:
        key = level.pk if level else None
        total, got = totals.get(key, 0), reached_counts.get(key, 0)
        share = f"{round(got * 100 / total)}%" if total else "–"
        tier = level.key if level else "none"
        in_tier = scope.standing_link(total, "schools:list", tier=tier, **scope.list_query())
        # The school list knows today's tiers: a past period's schools reached by the tier
        # they had then stand unlinked.
        got = scope.standing_link(
            got,
            "schools:list",
            tier=tier,
            reached="yes",
            since=scope.start.isoformat(),
            until=scope.end.isoformat(),
            **scope.list_query(),
        )
        table.rows.append([level.name if level else NOT_ASSESSED, got, in_tier, share])
    return table


def demand_against_offer(scope) -> Table:
    demand = requests_in(scope)
    asked_rows = list(demand.values("topic_id", "topic__name").annotate(n=Count("pk")).order_by())
    asked = {row["topic_id"]: row["n"] for row in asked_rows}
    offered = {
        row["topic_id"]: row
        for row in Session.objects.filter(force_id=scope.force_id)
        .active()
        .values("topic_id", "topic__name")
        .annotate(
            sessions=Count("pk", distinct=True),
        )
        .order_by()
    }
    # The dates of the catalogue's sessions in the period (one definition with the list of dates).
    dates = {
        row["session__topic_id"]: row["n"]
        for row in Slot.objects.filter(session__force_id=scope.force_id)
        .offered_between(scope.start, scope.end)
        .values("session__topic_id")
        .annotate(n=Count("pk"))
        .order_by()
    }
    names = {row["topic_id"]: row["topic__name"] for row in asked_rows if row["topic_id"]}
    names.update({topic_id: row["topic__name"] for topic_id, row in offered.items()})
    table = Table(
        "demand",
        "Requests from schools against sessions offered",
        ["Topic", "Requests", "Sessions offered", "Dates in the period"],
        chart="bar",
        chart_columns=(1, 2),
        empty="No requests and no sessions yet.",
        note=(
            "Requests made in the period; sessions as offered today (the catalogue keeps no "
            "history of what was offered when)."
            if scope.is_past
            else ""
        ),
    )
    for topic_id in sorted(set(asked) | set(offered), key=lambda t: names.get(t, "~")):
        offer = offered.get(topic_id, {})
        table.rows.append(
            [
                names.get(topic_id, "A topic not listed"),
                _list(
                    asked.get(topic_id, 0), "bookings:demand_list", scope, topic=topic_id or "none"
                ),
                # Today's offer: the catalogue's sessions of the topic (Session.objects.active).
                scope.standing_link(offer.get("sessions", 0), "bookings:catalogue", topic=topic_id)
                if topic_id
                else "–",  # a topic schools named that the catalogue does not list
                scope.link(
                    dates.get(topic_id, 0),
                    "bookings:date_list",
                    since=scope.start.isoformat(),
                    until=scope.end.isoformat(),
                    topic=topic_id,
                )
                if topic_id
                else "–",
            ]
        )
    return table


def evaluation_scores(scope) -> Table:
    evaluations = Evaluation.objects.filter(booking__in=delivered(scope))
    if scope.is_past:
        # What schools had said by the end of the period, not since.
        evaluations = evaluations.filter(created__lte=_bounds(scope)[1])
    table = Table(
        "evaluations",
        "Evaluation by topic",
        [
            "Topic",
            "Evaluations",
            "Average usefulness (1 to 5)",
            "Suitable for the age group",
            "Confidence before",
            "Confidence after",
        ],
        chart="bar",
        chart_columns=(2,),
        empty="No evaluations yet.",
    )
    for row in (
        evaluations.values(
            "booking__slot__session__topic_id", "booking__slot__session__topic__name"
        )
        .annotate(
            n=Count("pk"),
            useful=Avg("usefulness"),
            suitable=Count("pk", filter=Q(suitable_for_age=True)),
            rated_suitable=Count("pk", filter=Q(suitable_for_age__isnull=False)),
            before=Avg("confidence_before"),
            after=Avg("confidence_after"),
        )
        .order_by("booking__slot__session__topic__name")
    ):
        suitable = (
            f"{round(row['suitable'] * 100 / row['rated_suitable'])}%"
            if row["rated_suitable"]
            else "–"
        )
        table.rows.append(
            [
                row["booking__slot__session__topic__name"],
                # Past: evaluations given by the period's end, which the list cannot tell.
                row["n"]
                if scope.is_past
                else _list(
                    row["n"],
                    "bookings:booking_list",
                    scope,
                    topic=row["booking__slot__session__topic_id"],
                    evaluated="on",
                ),
                round(float(row["useful"]), 1) if row["useful"] is not None else "–",
                suitable,
                round(float(row["before"]), 1) if row["before"] is not None else "–",
                round(float(row["after"]), 1) if row["after"] is not None else "–",
            ]
        )
    return table


def build(scope) -> list[Table]:
    return [
        *by_topic_and_provider(scope),
        reached_by_tier(scope),
        demand_against_offer(scope),
        evaluation_scores(scope),
    ]


def headlines(scope) -> list[tuple[str, int]]:
    figures = delivered(scope).aggregate(sessions=Count("pk"), pupils=Sum("pupils"))
    requests = requests_in(scope).count()
    return [
        ("Sessions delivered", figures["sessions"]),
        ("Pupils in sessions delivered", figures["pupils"] or 0),
        ("Schools reached", reached(scope).count()),
        ("Requests for sessions nobody offered", requests),
    ]
