"""Named contacts, and engagement this term against what each school's tier promises."""

from collections import Counter, defaultdict

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from needs_assessment.models import ServiceOffer
from needs_assessment.queries import phase_group, with_tiers
from schools.models import Engagement, Term

from ..tables import Table

STANDINGS = [
    ("met", "Promise met"),
    ("behind", "Behind"),
    ("none", "No engagement yet"),
    ("unassessed", "No promise (not assessed)"),
]


def current_term(scope):
    """The force's term containing the period's end, or today while the period runs (default
    terms are made when none is set, as elsewhere)."""
    term = Term.current_for(scope.force, on=scope.as_at)
    if term is None and scope.is_past:
        # A past period that ends in a holiday: the last term that had begun by its end.
        term = (
            Term.objects.filter(force_id=scope.force_id, starts_on__lte=scope.as_at)
            .order_by("-starts_on")
            .first()
        )
    return term


def counted_from(scope, term):
    """The first day of engagement counted: the term's, or the period's when it starts later."""
    return max(term.starts_on, scope.start) if scope.is_past else term.starts_on


def with_promise(schools, *, force, term, today, tiers_on=None, since=None):
    """Annotate each school's phase group, `promised` (None: not assessed) and `done` in the term."""
    offers = (
        ServiceOffer.objects.filter(
            level_id=OuterRef("tier_level_id"), phase_group=OuterRef("phase_group")
        )
        .annotate(
            number=Case(
                When(frequency=ServiceOffer.Frequency.WEEKLY, then=Value(term.weeks)),
                When(
                    uses_force_enhanced_number=True,
                    then=Value(force.enhanced_engagements_per_term),
                ),
                default=F("engagements_per_term"),
                output_field=IntegerField(),
            )
        )
        # One offer per tier and phase group (a constraint): the default order would join
        # framework, force and level inside every school's subquery.
        .order_by()
        .values("number")[:1]
    )
    done = (
        Engagement.objects.filter(
            school=OuterRef("pk"),
            occurred_on__gte=since or term.starts_on,
            occurred_on__lte=min(term.ends_on, today),
        )
        .order_by()
        .values("school")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return (
        with_tiers(schools, on=tiers_on)
        .annotate(phase_group=phase_group())
        .annotate(
            promised=Subquery(offers, output_field=IntegerField()),
            done=Coalesce(Subquery(done, output_field=IntegerField()), 0),
        )
    )


def standing_of(promised, done) -> str:
    """Return a school's standing in the term: as `with_standing` computes it in SQL."""
    if promised is None:
        return "unassessed"
    if done == 0:
        return "none"
    return "met" if done >= promised else "behind"


def with_standing(schools, *, force, term, today):
    """Annotate promised, done and standing (met, behind, none, unassessed) for the term."""
    return with_promise(schools, force=force, term=term, today=today).annotate(
        standing=Case(
            When(promised__isnull=True, then=Value("unassessed")),
            When(done=0, then=Value("none")),
            When(done__gte=F("promised"), then=Value("met")),
            default=Value("behind"),
            output_field=CharField(),
        )
    )


def without_contact(scope) -> Table:
    rows = (
        scope.schools()
        .without_named_contact(on=scope.as_at)
        .values("la_code", "la_name")
        .annotate(n=Count("pk", distinct=True))
        .order_by("la_name")
    )
    query = scope.list_query()
    table = Table(
        "without_contact",
        "Schools without a named contact",
        ["Local authority", "Schools"],
        chart="bar",
        empty="Every school has a named contact.",
    )
    for row in rows:
        table.rows.append(
            [
                row["la_name"],
                scope.standing_link(
                    row["n"], "schools:list", contact="none", **{**query, "la": row["la_code"]}
                ),
            ]
        )
    table.footer = [
        "All",
        scope.standing_link(sum(row["n"] for row in rows), "schools:list", contact="none", **query),
    ]
    return table


def standing_rows(scope, term) -> list[tuple]:
    """Return (team id, team name, named officer id, standing) for each school of the scope.

    One query reads every school's promise and engagements once; the three tables are sums over
    its rows. (Counting standings in SQL repeats the per-school subqueries inside every CASE and
    FILTER, which made this dashboard take seconds at a large force's size.)
    """
    schools = scope.schools().with_named_officer(on=scope.as_at)
    rows = (
        with_promise(
            schools,
            force=scope.force,
            term=term,
            today=scope.as_at,
            tiers_on=scope.as_at if scope.is_past else None,
            since=counted_from(scope, term),
        )
        .values_list("team_id", "team__name", "named_officer_id", "promised", "done")
        .order_by()
    )
    return [
        (team_id, team_name, officer_id, standing_of(promised, done))
        for team_id, team_name, officer_id, promised, done in rows
    ]


def _tally(rows, key) -> dict:
    """Return {key(row): Counter of standings, with 'total'} over the rows."""
    groups = defaultdict(Counter)
    for row in rows:
        counts = groups[key(row)]
        counts[row[3]] += 1
        counts["total"] += 1
    return groups


def standing_tables(scope, term) -> list[Table]:
    rows = standing_rows(scope, term)
    overall = Counter(row[3] for row in rows)
    query = scope.list_query()
    summary = Table(
        "standing",
        f"Engagement this term ({term}) against the tier's promise",
        ["Standing", "Schools"],
        rows=[
            [label, scope.standing_link(overall[key], "schools:list", engagement=key, **query)]
            for key, label in STANDINGS
        ],
        chart="doughnut",
        note=f"Engagements logged from {counted_from(scope, term):%-d %B} to {min(term.ends_on, scope.as_at):%-d %B %Y}.",
    )
    columns = [label for _, label in STANDINGS]

    by_officer_counts = _tally(rows, lambda row: row[2])
    from accounts.models import User

    names = dict(
        User.objects.filter(pk__in=[pk for pk in by_officer_counts if pk]).values_list(
            "pk", "full_name"
        )
    )
    by_officer = Table(
        "by_officer",
        "Engagement by named officer",
        ["Officer", "Schools", *columns],
        chart="stacked",
        chart_columns=tuple(range(2, 2 + len(columns))),
    )
    for officer_id in sorted(by_officer_counts, key=lambda pk: names.get(pk, "~")):
        counts = by_officer_counts[officer_id]
        contact = str(officer_id) if officer_id else "none"
        by_officer.rows.append(
            [
                names.get(officer_id, "No named contact"),
                scope.standing_link(counts["total"], "schools:list", contact=contact, **query),
                *(
                    scope.standing_link(
                        counts[key], "schools:list", contact=contact, engagement=key, **query
                    )
                    for key, _ in STANDINGS
                ),
            ]
        )

    by_team_counts = _tally(rows, lambda row: (row[0], row[1]))
    by_team = Table(
        "by_team",
        "Engagement by team",
        ["Team", "Schools", *columns],
        chart="stacked",
        chart_columns=tuple(range(2, 2 + len(columns))),
    )
    # By team name, as the database sorts them: schools without a team last.
    for team_id, team_name in sorted(by_team_counts, key=lambda t: (t[1] is None, t[1] or "")):
        counts = by_team_counts[(team_id, team_name)]
        team = {**query, "team": str(team_id or "none")}
        by_team.rows.append(
            [
                team_name or "No team",
                scope.standing_link(counts["total"], "schools:list", **team),
                *(
                    scope.standing_link(counts[key], "schools:list", engagement=key, **team)
                    for key, _ in STANDINGS
                ),
            ]
        )
    return [summary, by_officer, by_team]


def build(scope) -> list[Table]:
    tables = [without_contact(scope)]
    term = current_term(scope)
    if term is None:
        tables.append(
            Table(
                "standing",
                "Engagement this term",
                ["Standing", "Schools"],
                empty="No term dates cover today: add them on the term dates page.",
            )
        )
        return tables
    return tables + standing_tables(scope, term)


def filter_by_standing(schools, value, *, user):
    """The school list's "engagement this term" filter."""
    from django.utils import timezone

    today = timezone.localdate()
    term = Term.current_for(user.force, on=today)
    return with_standing(schools, force=user.force, term=term, today=today).filter(standing=value)


def headlines(scope) -> list[tuple[str, int]]:
    """Key figures of the scope's period, for the steering-group report."""
    logged = Engagement.objects.filter(
        school__in=scope.schools(), occurred_on__gte=scope.start, occurred_on__lte=scope.end
    ).aggregate(total=Count("pk"), schools=Count("school", distinct=True))
    without = scope.schools().without_named_contact(on=scope.end).count()
    return [
        ("Engagements logged", logged["total"]),
        ("Schools engaged at least once", logged["schools"]),
        ("Schools without a named contact at the end", without),
    ]
