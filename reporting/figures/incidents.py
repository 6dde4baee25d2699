"""Incidents schools reported, in numbers: by kind over the period and the one before, where
they happened, where they stand and how the police dealt with them.

An incident is counted in a period when it happened in it (`occurred_on`, as the needs
assessment counts them), once it was sent; each figure links to the incident list filtered to
the same definition (incidents.filters.IncidentFilter). Counts only: no pupil reaches here.
"""

from django.db.models import Count, Q

from incidents.models import Incident, IncidentKind

from ..tables import Table

STATUSES = [
    (Incident.Status.NEW, "Waiting for acknowledgement"),
    (Incident.Status.ACKNOWLEDGED, "Acknowledged, waiting for an outcome"),
    (Incident.Status.CLOSED, "Outcome recorded"),
]
STATUS_COLOURS = ["red", "yellow", "green"]


def incidents_in(scope):
    """The sent incidents at the force's schools in the scope's slice (its teams, an area)."""
    incidents = Incident.objects.filter(school__force_id=scope.force_id).sent()
    if scope.team_ids:
        incidents = incidents.filter(school__team_id__in=scope.team_ids)
    if scope.la:
        incidents = incidents.filter(school__la_code=scope.la)
    return incidents


def _slice_q(scope, prefix="") -> Q:
    """The slice as a condition on incidents reached through `prefix` (for kinds' counts)."""
    condition = ~Q(**{f"{prefix}status": Incident.Status.DRAFT}) & Q(
        **{f"{prefix}school__force_id": scope.force_id}
    )
    if scope.team_ids:
        condition &= Q(**{f"{prefix}school__team_id__in": scope.team_ids})
    if scope.la:
        condition &= Q(**{f"{prefix}school__la_code": scope.la})
    return condition


def _in_period(start, end, prefix="") -> Q:
    return Q(**{f"{prefix}occurred_on__gte": start, f"{prefix}occurred_on__lte": end})


def _link(value, scope, start, end, **query):
    """A count of incidents that happened between start and end, linked to their list."""
    return scope.link(
        value,
        "incidents:list",
        occurred_from=start.isoformat(),
        occurred_to=end.isoformat(),
        **scope.list_query(),
        **query,
    )


def by_kind(scope) -> Table:
    """Each kind's incidents in the period and in the period of the same length before it, in
    one query (kinds no longer offered shown only when they were reported)."""
    before = scope.previous()
    reached = _slice_q(scope, "incidents__")
    kinds = list(
        IncidentKind.objects.filter(force_id=scope.force_id)
        .annotate(
            now=Count(
                "incidents",
                filter=reached & _in_period(scope.start, scope.end, "incidents__"),
            ),
            then=Count(
                "incidents",
                filter=reached & _in_period(before.start, before.end, "incidents__"),
            ),
        )
        .order_by("-in_protocol", "order", "name")
    )
    kinds = [kind for kind in kinds if kind.is_active or kind.now or kind.then]
    return Table(
        "incidents_by_kind",
        "Incidents by kind",
        ["Kind", "In the period", "In the period before"],
        note=(
            f"Incidents that happened from {scope.start:%-d %B %Y} to {scope.end:%-d %B %Y}, "
            f"and from {before.start:%-d %B %Y} to {before.end:%-d %B %Y}, by the date they "
            "happened."
        ),
        rows=[
            [
                kind.name,
                _link(kind.now, scope, scope.start, scope.end, kind=kind.key),
                _link(kind.then, scope, before.start, before.end, kind=kind.key),
            ]
            for kind in kinds
        ],
        chart="bar",
        chart_columns=(1, 2),
        footer=[
            "All incidents",
            _link(sum(kind.now for kind in kinds), scope, scope.start, scope.end),
            _link(sum(kind.then for kind in kinds), scope, before.start, before.end),
        ],
    )


def standing(scope) -> list[Table]:
    """Where the period's incidents happened, where they stand today and their outcomes: one
    query, each count filtered as the list behind it filters."""
    counts = (
        incidents_in(scope)
        .occurred_between(scope.start, scope.end)
        .aggregate(
            **{f"place_{key}": Count("pk", filter=Q(place=key)) for key in Incident.Place.values},
            **{f"status_{key}": Count("pk", filter=Q(status=key)) for key, _ in STATUSES},
            **{
                f"outcome_{key}": Count("pk", filter=Q(outcome=key))
                for key in Incident.Outcome.values
            },
        )
    )
    period = (scope, scope.start, scope.end)
    where = Table(
        "incidents_by_place",
        "Where the period's incidents happened",
        ["Where", "Incidents"],
        rows=[
            [label, _link(counts[f"place_{key}"], *period, place=key)]
            for key, label in Incident.Place.choices
        ],
        chart="bar",
    )
    stand = Table(
        "incidents_by_status",
        "Where the period's incidents stand",
        ["Status today", "Incidents"],
        note="The incidents that happened in the period, by where they stand today.",
        rows=[
            [label, _link(counts[f"status_{key}"], *period, status=key)] for key, label in STATUSES
        ],
        chart="bar",
        colours=STATUS_COLOURS,
    )
    outcomes = Table(
        "incidents_by_outcome",
        "Outcomes of the period's incidents",
        ["Outcome", "Incidents"],
        note="The outcome the police recorded for the incidents that happened in the period.",
        rows=[
            [label, _link(counts[f"outcome_{key}"], *period, outcome=key)]
            for key, label in Incident.Outcome.choices
        ],
        chart="bar",
        footer=[
            "All with an outcome",
            _link(counts[f"status_{Incident.Status.CLOSED}"], *period, status="closed"),
        ],
    )
    return [where, stand, outcomes]


def build(scope) -> list[Table]:
    return [by_kind(scope), *standing(scope)]


def headlines(scope) -> list[tuple[str, int]]:
    counts = (
        incidents_in(scope)
        .occurred_between(scope.start, scope.end)
        .aggregate(
            total=Count("pk"),
            waiting=Count("pk", filter=Q(status=Incident.Status.NEW)),
            closed=Count("pk", filter=Q(status=Incident.Status.CLOSED)),
        )
    )
    return [
        ("Incidents reported", counts["total"]),
        ("Incidents waiting for acknowledgement", counts["waiting"]),
        ("Incidents with an outcome", counts["closed"]),
    ]
