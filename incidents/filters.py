"""The incident list's filters (django-filter, shown as the MOJ filter): status (the tabs),
kind, where, outcome, team and area, the school, the officer's own schools, and a period.

The school page and the needs assessment link here with `school` and `period=6m` (the 26
weeks to today); the dashboards with `occurred_from` and `occurred_to` (the dates incidents
happened, both ends included), each team of a sergeant's slice (`team=1&team=2`) and an area
(`la`): the list then counts what the figure counted.
"""

import datetime

import django_filters
from django import forms
from django.http import Http404
from django.utils import timezone

from accounts.filtering import ListFilterSet, once
from accounts.models import POLICE_ROLES, Team
from schools.models import School

from .models import SIX_MONTHS, Incident, IncidentKind

STATUSES = [
    (Incident.Status.NEW, Incident.Status.NEW.label),
    (Incident.Status.ACKNOWLEDGED, Incident.Status.ACKNOWLEDGED.label),
    (Incident.Status.CLOSED, Incident.Status.CLOSED.label),
]


class IncidentFilter(ListFilterSet):
    """The sent incidents a reader may see, narrowed by the filters given."""

    # The status tab, and the school whose list it is (its name heads the page): kept when the
    # filters are cleared, never shown as tags.
    tabs = ("status", "school")
    period = ("Happened", "occurred_from", "occurred_to")

    status = django_filters.ChoiceFilter(choices=STATUSES, empty_label="All")
    kind = django_filters.ChoiceFilter(label="Kind", field_name="kind__key", empty_label="Any kind")
    place = django_filters.ChoiceFilter(
        label="Where it happened", choices=Incident.Place.choices, empty_label="Anywhere"
    )
    outcome = django_filters.ChoiceFilter(
        label="Outcome", choices=Incident.Outcome.choices, empty_label="Any outcome"
    )
    team = django_filters.MultipleChoiceFilter(
        label="Team",
        field_name="school__team_id",
        distinct=False,
        widget=forms.CheckboxSelectMultiple,
    )
    la = django_filters.ChoiceFilter(
        label="Local authority", field_name="school__la_code", empty_label="Any local authority"
    )
    school = django_filters.NumberFilter(
        label="School", method="at_school", widget=forms.HiddenInput
    )
    mine = django_filters.ChoiceFilter(
        label="Schools",
        choices=[("1", "Your schools only")],
        method="at_my_schools",
        widget=forms.HiddenInput,
    )
    period_6m = django_filters.ChoiceFilter(
        label="Period",
        field_name="period",
        choices=[("6m", "The last 26 weeks")],
        method="in_six_months",
        widget=forms.HiddenInput,
    )
    occurred_from = django_filters.DateFilter(
        label="Happened from", method="occurred_in_period", widget=forms.HiddenInput
    )
    occurred_to = django_filters.DateFilter(
        label="Happened until", method="occurred_in_period", widget=forms.HiddenInput
    )

    def __init__(self, data=None, queryset=None, *, request, today=None, **kwargs):
        data = data.copy() if data is not None else None
        if data is not None and "period" in data:
            # The address says `period=6m`; the filter is named apart from the dashboard's
            # period (ListFilterSet.period), which is the pair of dates.
            data.setlist("period_6m", data.getlist("period"))
            del data["period"]
        super().__init__(data, queryset, request=request, **kwargs)
        user = request.user
        self.user = user
        self.today = today or timezone.localdate()
        self.police = user.role in POLICE_ROLES
        self.panel = ("kind", "place", "outcome", "team", "la") if self.police else ("kind",)
        self.filters["kind"].extra["choices"] = once(
            lambda: list(
                IncidentKind.objects.visible_to(user)
                .filter(force_id=user.force_id)
                .values_list("key", "name")
            )
        )
        self.filters["team"].extra["choices"] = once(
            lambda: [
                (str(pk), name)
                for pk, name in Team.objects.filter(force_id=user.force_id)
                .order_by("name")
                .values_list("pk", "name")
            ]
        )
        self.filters["la"].extra["choices"] = once(
            lambda: list(
                School.objects.visible_to(user)
                .exclude(la_code="")
                .values_list("la_code", "la_name")
                .distinct()
                .order_by("la_name")
            )
        )
        self._school = None

    @property
    def chosen_school(self):
        """The school the list is narrowed to (a 404 when it is not the reader's to see)."""
        given = str((self.data or {}).get("school", ""))
        if not (given.isascii() and given.isdigit() and len(given) < 19):
            return None  # not an id: the list as if it were not given
        if self._school is None:
            self._school = School.objects.visible_to(self.user).filter(pk=given).first()
            if self._school is None:
                raise Http404
        return self._school

    @property
    def tab(self):
        """The status tab chosen ("" for all)."""
        value = (self.data or {}).get("status", "")
        return value if value in dict(STATUSES) else ""

    @property
    def six_months_text(self):
        """What `period=6m` covers, for the count line."""
        if (self.data or {}).get("period_6m") != "6m":
            return ""
        first = self.today - SIX_MONTHS + datetime.timedelta(days=1)
        return f"the 26 weeks from {first:%-d %B %Y} to {self.today:%-d %B %Y}"

    def at_school(self, incidents, name, value):
        school = self.chosen_school
        return incidents.for_school(school) if school is not None else incidents

    def at_my_schools(self, incidents, name, value):
        if value == "1" and self.user.is_officer:
            return incidents.at_schools_of(self.user)
        return incidents

    def in_six_months(self, incidents, name, value):
        return incidents.in_six_months_to(self.today)

    def occurred_in_period(self, incidents, name, value):
        """The dashboards' period: both ends, applied once (half a period filters nothing)."""
        data = self.form.cleaned_data
        if name == "occurred_to" or not data.get("occurred_to"):
            return incidents
        return incidents.occurred_between(value, data["occurred_to"])
