"""The school list's filters: a FilterSet over the reader's schools.

The filters of later apps (tier, MoU status, engagement this term, reached by a session) come
from their registrations (schools.panels.ListFilter). The choices are the reader's force's,
worked out on each request: a few small queries, and nothing to keep fresh.
"""

import django_filters
from django import forms
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.filtering import ListFilterSet
from accounts.forms_kit import force_officers
from accounts.models import Team

from .models import School
from .panels import list_filters

NO_TEAM = "none"


def team_choices(force_id) -> list[tuple[str, str]]:
    """The force's teams by name, and "No team": one query."""
    teams = Team.objects.filter(force_id=force_id).order_by("name").values_list("pk", "name")
    return [*((str(pk), name) for pk, name in teams), (NO_TEAM, "No team")]


class SchoolFilter(ListFilterSet):
    SORTS = {
        "name": (Lower("name"), "Name"),
        "urn": ("urn", "URN"),
        "pupils": ("-number_of_pupils", "Most pupils"),
        "la": ("la_name", "Local authority"),
    }
    tabs = ("sort",)
    period = ("Period", "since", "until")

    q = django_filters.CharFilter(label="Name, URN or postcode", method="matching")
    la = django_filters.ChoiceFilter(
        label="Local authority", field_name="la_code", empty_label="Any local authority"
    )
    type = django_filters.ChoiceFilter(
        label="Type of establishment", field_name="establishment_type", empty_label="Any type"
    )
    phase = django_filters.ChoiceFilter(
        label="Phase", choices=School.Phase.choices, empty_label="Any phase"
    )
    team = django_filters.MultipleChoiceFilter(
        label="Team", method="in_teams", widget=forms.CheckboxSelectMultiple
    )
    contact = django_filters.ChoiceFilter(
        label="Named contact", method="named_contact", empty_label="Anyone"
    )
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=[("closed", "Closed"), ("all", "Open and closed")],
        empty_label="Open",
        method="pass_through",  # applied last, with its default (filter_queryset)
    )
    # The period of a later app's period filter (ListFilter.period), carried by the links
    # from a dashboard's figures as ISO dates.
    since = django_filters.DateFilter(method="pass_through", widget=forms.HiddenInput)
    until = django_filters.DateFilter(method="pass_through", widget=forms.HiddenInput)

    def __init__(self, data=None, queryset=None, *, request, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        user = request.user
        self.today = timezone.localdate()
        self.extras = {extra.name: extra for extra in list_filters()}
        self.extras_applied = False
        given = data or {}
        with_period = bool(given.get("since") and given.get("until"))
        for extra in self.extras.values():
            if extra.period and not with_period:
                continue  # a filter over a period is offered with the period it is over
            self.filters[extra.name] = django_filters.ChoiceFilter(
                label=extra.label,
                choices=[(str(v), str(label)) for v, label in extra.choices(user)],
                empty_label="Any",
                method="later_apps_filter",
            )
            self.filters[extra.name].parent = self
            self.filters[extra.name].field_name = extra.name
        self.filters["sort"] = django_filters.ChoiceFilter(
            label="Sort by",
            choices=[(key, label) for key, (_, label) in self.SORTS.items()],
            empty_label=None,
            method="pass_through",  # applied last, with its default (filter_queryset)
        )
        self.filters["sort"].parent = self
        self.panel = (
            *("q", "la", "type", "phase", "team", "contact", "status"),
            *(name for name in self.extras if name in self.filters),
            "sort",
        )
        places = (
            School.objects.filter(force_id=user.force_id)
            .order_by("la_name", "establishment_type")
            .values_list("la_code", "la_name", "establishment_type")
            .distinct()
        )
        las, types = {}, set()
        for code, name, kind in places:
            las.setdefault(code, name)
            types.add(kind)
        self.filters["la"].extra["choices"] = sorted(las.items(), key=lambda c: c[1])
        self.filters["type"].extra["choices"] = [(t, t) for t in sorted(types)]
        self.filters["team"].extra["choices"] = team_choices(user.force_id)
        officers = force_officers(user.force_id).only("full_name", "email", "rank", "collar_number")
        self.filters["contact"].extra["choices"] = [
            ("none", "No named contact"),
            *((str(o.pk), o.display_name) for o in officers),
        ]

    class Meta:
        model = School
        fields = []

    def pass_through(self, schools, name, value):
        return schools

    def matching(self, schools, name, value):
        """Name or postcode containing the words, a URN, or a postcode typed without its space."""
        q = value.strip()
        if not q:
            return schools
        compact = q.replace(" ", "").upper()
        match = Q(name__icontains=q) | Q(postcode__icontains=q)
        if len(compact) >= 2 and compact.isalnum():
            match |= Q(postcode__iexact=f"{compact[:-3]} {compact[-3:]}")
        if q.isdigit():
            match |= Q(urn=int(q))
        return schools.filter(match)

    def in_teams(self, schools, name, value):
        return schools.in_teams(value)

    def named_contact(self, schools, name, value):
        if value == "none":
            return schools.without_named_contact(on=self.today)
        return schools.with_named_officer_of(int(value), on=self.today)

    def later_apps_filter(self, schools, name, value):
        extra = self.extras[name]
        kwargs = {"user": self.request.user} if extra.with_user else {}
        if extra.period:
            period = {key: self.form.cleaned_data.get(key) for key in ("since", "until")}
            if not all(period.values()):
                return schools  # a period filter needs its period
            kwargs.update(period)
        self.extras_applied = True
        return extra.apply(schools, value, **kwargs)

    def period_tag(self):
        """The period shows as a tag with the filters over it that it narrows, and removing it
        removes them too; without one of them it narrows nothing and shows nothing."""
        tag = super().period_tag()
        data = self.form.cleaned_data
        over = [name for name, extra in self.extras.items() if extra.period and data.get(name)]
        if not (tag and over):
            return None
        label, text, names = tag
        return (label, text, (*names, *over))

    def filter_queryset(self, queryset):
        schools = super().filter_queryset(queryset)
        if self.extras_applied:
            # A later app's filter may join rows of which a school has many: keep each school
            # once by its key, which costs far less than DISTINCT over every column.
            schools = School.objects.filter(pk__in=schools.values("pk"))
        data = self.form.cleaned_data
        status = data.get("status") or ""
        if status == "closed":
            schools = schools.filter(status=School.Status.CLOSED)
        elif status != "all":
            schools = schools.open()
        return schools.order_by(self.SORTS[data.get("sort") or "name"][0], "pk")
