"""Named contacts, and engagement this term against what each school's tier promises."""

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from needs_assessment.models import ServiceOffer
from needs_assessment.queries import with_tiers
from schools.models import Engagement, NamedContact, School, Term

from ..tables import Table, link

PRIMARY_PHASES = [School.Phase.PRIMARY, School.Phase.NURSERY, School.Phase.MIDDLE_PRIMARY]
STANDINGS = [
    ("met", "Promise met"),
    ("behind", "Behind"),
    ("none", "No engagement yet"),
    ("unassessed", "No promise (not assessed)"),
]


def current_term(scope):
    """The force's term containing today (default terms are made when none is set, as elsewhere)."""
    return Term.current_for(scope.force, on=scope.today)


def with_standing(schools, *, force, term, today):
    """Annotate promised, done and standing (met, behind, none, unassessed) for the term."""
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
        .values("number")[:1]
    )
    done = (
        Engagement.objects.filter(
            school=OuterRef("pk"),
            occurred_on__gte=term.starts_on,
            occurred_on__lte=min(term.ends_on, today),
        )
        .order_by()
        .values("school")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return (
        with_tiers(schools)
        .annotate(
            phase_group=Case(
                When(phase__in=PRIMARY_PHASES, then=Value(ServiceOffer.PhaseGroup.PRIMARY.value)),
                default=Value(ServiceOffer.PhaseGroup.SECONDARY.value),
                output_field=CharField(),
            )
        )
        .annotate(
            promised=Subquery(offers, output_field=IntegerField()),
            done=Coalesce(Subquery(done, output_field=IntegerField()), 0),
        )
        .annotate(
            standing=Case(
                When(promised__isnull=True, then=Value("unassessed")),
                When(done=0, then=Value("none")),
                When(done__gte=F("promised"), then=Value("met")),
                default=Value("behind"),
                output_field=CharField(),
            )
        )
    )


def _counts(standing_field="standing"):
    return {key: Count("pk", filter=Q(**{standing_field: key})) for key, _ in STANDINGS}


def without_contact(scope) -> Table:
    current = NamedContact.objects.current(on=scope.today)
    rows = (
        scope.schools()
        .exclude(named_contacts__in=current)
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
                link(row["n"], "schools:list", contact="none", **{**query, "la": row["la_code"]}),
            ]
        )
    table.footer = ["All", sum(row["n"] for row in rows)]
    return table


def standing_tables(scope, term) -> list[Table]:
    schools = with_standing(scope.schools(), force=scope.force, term=term, today=scope.today)
    overall = schools.aggregate(**_counts())
    query = scope.list_query()
    summary = Table(
        "standing",
        f"Engagement this term ({term}) against the tier's promise",
        ["Standing", "Schools"],
        rows=[
            [label, link(overall[key], "schools:list", engagement=key, **query)]
            for key, label in STANDINGS
        ],
        chart="doughnut",
        note=f"Engagements logged from {term.starts_on:%-d %B} to {min(term.ends_on, scope.today):%-d %B %Y}.",
    )
    columns = [label for _, label in STANDINGS]

    officer = Subquery(
        NamedContact.objects.current(on=scope.today)
        .filter(school=OuterRef("pk"))
        .order_by("pk")
        .values("officer_id")[:1]
    )
    by_officer_rows = (
        schools.annotate(officer_id=officer)
        .values("officer_id")
        .annotate(total=Count("pk"), **_counts())
        .order_by()
    )
    from accounts.models import User

    by_officer_rows = list(by_officer_rows)
    names = dict(
        User.objects.filter(
            pk__in=[r["officer_id"] for r in by_officer_rows if r["officer_id"]]
        ).values_list("pk", "full_name")
    )
    by_officer = Table(
        "by_officer",
        "Engagement by named officer",
        ["Officer", "Schools", *columns],
        chart="stacked",
        chart_columns=tuple(range(2, 2 + len(columns))),
    )
    for row in sorted(by_officer_rows, key=lambda r: names.get(r["officer_id"], "~")):
        officer_id = row["officer_id"]
        contact = str(officer_id) if officer_id else "none"
        by_officer.rows.append(
            [
                names.get(officer_id, "No named contact"),
                link(row["total"], "schools:list", contact=contact, **query),
                *(
                    link(row[key], "schools:list", contact=contact, engagement=key, **query)
                    for key, _ in STANDINGS
                ),
            ]
        )

    by_team_rows = (
        schools.values("team_id", "team__name")
        .annotate(total=Count("pk"), **_counts())
        .order_by("team__name")
    )
    by_team = Table(
        "by_team",
        "Engagement by team",
        ["Team", "Schools", *columns],
        chart="stacked",
        chart_columns=tuple(range(2, 2 + len(columns))),
    )
    for row in by_team_rows:
        team = {**query, "team": str(row["team_id"] or "")}
        by_team.rows.append(
            [
                row["team__name"] or "No team",
                link(row["total"], "schools:list", **team),
                *(link(row[key], "schools:list", engagement=key, **team) for key, _ in STANDINGS),
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
    without = (
        scope.schools()
        .exclude(named_contacts__in=NamedContact.objects.current(on=scope.end))
        .count()
    )
    return [
        ("Engagements logged", logged["total"]),
        ("Schools engaged at least once", logged["schools"]),
        ("Schools without a named contact at the end", without),
    ]
