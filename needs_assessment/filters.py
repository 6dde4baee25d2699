"""The assessment table's filters: a FilterSet over the reader's open schools, with their tiers."""

import django_filters
from django import forms
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.filtering import ListFilterSet
from schools.filters import team_choices
from schools.models import School

from .models import Assessment, Level
from .queries import review_due_soon, review_overdue

NOT_ASSESSED = "none"
NO_OPEN = "none"


class AssessmentFilter(ListFilterSet):
    """Filter schools annotated by `with_tiers`: tier, review, assessment in progress, team."""

    SORTS = {
        "name": ("Name", (Lower("name"),)),
        "due": ("Review due, soonest first", ("review_due_on", Lower("name"))),
        "la": ("Local authority", ("la_name", Lower("name"))),
    }
    panel = ("q", "tier", "la", "team", "due", "status", "sort")
    tabs = ("sort",)
    period = ("Tier changed", "changed_since", "changed_until", "moved_from", "moved_to")

    q = django_filters.CharFilter(label="Name or URN", method="matching")
    tier = django_filters.ChoiceFilter(
        label="Current tier", method="in_tier", empty_label="Any tier"
    )
    la = django_filters.ChoiceFilter(
        label="Local authority", field_name="la_code", empty_label="Any local authority"
    )
    team = django_filters.MultipleChoiceFilter(
        label="Team", method="in_teams", widget=forms.CheckboxSelectMultiple
    )
    due = django_filters.ChoiceFilter(
        label="Review due",
        choices=[("overdue", "Overdue"), ("soon", "Within 60 days")],
        empty_label="Any time",
        method="review_due",
    )
    status = django_filters.ChoiceFilter(
        label="Assessment in progress",
        choices=[
            *((s.value, s.label) for s in Assessment.Status if s != Assessment.Status.APPROVED),
            (NO_OPEN, "None in progress"),
        ],
        empty_label="Any",
        method="in_progress",
    )
    # The schools behind a dashboard's tier change: an approved assessment in the period that
    # moved the school from one level (an id, or "none" for a first tier) to another.
    changed_since = django_filters.DateFilter(method="pass_through", widget=forms.HiddenInput)
    changed_until = django_filters.DateFilter(method="pass_through", widget=forms.HiddenInput)
    moved_from = django_filters.CharFilter(method="pass_through", widget=forms.HiddenInput)
    moved_to = django_filters.NumberFilter(method="pass_through", widget=forms.HiddenInput)
    sort = django_filters.ChoiceFilter(
        label="Sort by",
        choices=[(key, label) for key, (label, _) in SORTS.items()],
        empty_label=None,
        method="pass_through",  # applied last, with its default (filter_queryset)
    )

    class Meta:
        model = School
        fields = []

    def __init__(self, data=None, queryset=None, *, request, levels, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        self.today = timezone.localdate()
        force_id = request.user.force_id
        las = (
            School.objects.filter(force_id=force_id)
            .open()
            .order_by("la_name")
            .values_list("la_code", "la_name")
            .distinct()
        )
        self.filters["la"].extra["choices"] = list(las)
        self.filters["tier"].extra["choices"] = [
            *((level.key, level.name) for level in levels),
            (NOT_ASSESSED, "Not assessed"),
        ]
        self.filters["team"].extra["choices"] = team_choices(force_id)
        self.level_names = {str(level.pk): level.name for level in levels}

    def period_text(self, since, until):
        """The period, after the move from one tier to another the dashboard counted in it."""
        text = super().period_text(since, until)
        data = self.form.cleaned_data
        moved_from, moved_to = data.get("moved_from") or "", data.get("moved_to")
        if moved_to:
            before = "Not assessed" if moved_from == NOT_ASSESSED else None
            before = before or self.level_names.get(moved_from, "another tier")
            after = self.level_names.get(str(int(moved_to)), "another tier")
            text = f"{before} to {after}, {text}"
        return text

    def pass_through(self, schools, name, value):
        return schools

    def matching(self, schools, name, value):
        match = Q(name__icontains=value)
        if value.isdigit():
            match |= Q(urn=int(value))
        return schools.filter(match)

    def in_tier(self, schools, name, value):
        if value == NOT_ASSESSED:
            return schools.filter(tier_level_id__isnull=True)
        return schools.filter(tier_key=value)

    def in_teams(self, schools, name, value):
        return schools.in_teams(value)

    def review_due(self, schools, name, value):
        due = review_overdue if value == "overdue" else review_due_soon
        return schools.filter(due(today=self.today))

    def in_progress(self, schools, name, value):
        if value == NO_OPEN:
            return schools.filter(open_status__isnull=True)
        return schools.filter(open_status=value)

    def filter_queryset(self, queryset):
        schools = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if data.get("changed_since") and data.get("changed_until"):
            changes = Assessment.objects.tier_changes_between(
                data["changed_since"], data["changed_until"]
            )
            moved_from = data.get("moved_from") or ""
            if data.get("moved_to") and (moved_from == NOT_ASSESSED or moved_from.isdigit()):
                changes = changes.changed_tier(
                    from_level=None if moved_from == NOT_ASSESSED else int(moved_from),
                    to_level=int(data["moved_to"]),
                )
            schools = schools.filter(pk__in=changes.values("school"))
        order = self.SORTS[data.get("sort") or "name"][1]
        sort = ((F(f) if isinstance(f, str) else f).asc(nulls_last=True) for f in order)
        return schools.order_by(*sort, "pk")


def chosen_levels(force_id) -> list:
    """The tiers of the force's chosen framework, lowest need first, with their framework."""
    return list(
        Level.objects.filter(framework__force_id=force_id, framework__is_chosen=True)
        .select_related("framework")
        .order_by("rank")
    )
