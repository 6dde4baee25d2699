"""The filters of the case list and of the referrals behind a dashboard figure (django-filter,
shown as the MOJ filter). Dashboards link here with ids and codes, never names; a sergeant's
link names every team they lead (``team=1&team=2``)."""

import django_filters
from django import forms
from django.utils import timezone

from accounts.filtering import ListFilterSet, once
from accounts.models import OFFICER_ROLES, Team, User
from schools.models import School

from .models import ALLOCATION_WAITS, Case, Referral, RiskLevel, Source, Threshold


class AnyIdChoiceField(django_filters.fields.ChoiceField):
    """A choice of a record by id: an id the choices do not list (an officer since made
    inactive, whose cases a dashboard still counts) is accepted too."""

    def valid_value(self, value):
        return str(value).isdigit() or super().valid_value(value)


class AnyIdChoiceFilter(django_filters.ChoiceFilter):
    field_class = AnyIdChoiceField


def _multiple(label, field_name, **kwargs):
    return django_filters.MultipleChoiceFilter(
        label=label,
        field_name=field_name,
        distinct=False,
        widget=forms.CheckboxSelectMultiple,
        **kwargs,
    )


def _teams(user):
    return once(
        lambda: list(
            Team.objects.filter(force_id=user.force_id).order_by("name").values_list("pk", "name")
        )
    )


def _local_authorities(user):
    return once(
        lambda: list(
            School.objects.visible_to(user)
            .exclude(la_code="")
            .values_list("la_code", "la_name")
            .distinct()
            .order_by("la_name")
        )
    )


STATUSES = [("open", "Open cases"), ("closed", "Closed cases"), ("all", "All")]
ACTIONS = [("open", "With open actions"), ("overdue", "With actions past their due date")]


class CaseFilter(ListFilterSet):
    """The cases a reader may see, open ones by default, by risk, team, officer, area, action
    plan and outcome; the dashboards add a closing period."""

    tabs = ("status",)
    panel = ("mine", "risk", "team", "officer", "la", "actions", "review", "outcome")
    period = ("Closed", "closed_from", "closed_to")

    status = django_filters.ChoiceFilter(choices=STATUSES, empty_label=None, method="in_status")
    mine = django_filters.BooleanFilter(
        label="Only cases allocated to me", widget=forms.CheckboxInput, method="allocated_to_me"
    )
    risk = _multiple("Risk", "risk_level", choices=RiskLevel.choices)
    team = _multiple("Team", "team_id")
    officer = AnyIdChoiceFilter(label="Officer", empty_label="Any officer", method="for_officer")
    la = django_filters.ChoiceFilter(
        label="Local authority", empty_label="Any local authority", method="in_area"
    )
    actions = django_filters.ChoiceFilter(
        label="Action plan", choices=ACTIONS, empty_label="Any", method="with_actions"
    )
    review = django_filters.ChoiceFilter(
        label="Monthly review",
        choices=[("overdue", "Overdue")],
        empty_label="Any",
        method="with_review",
    )
    outcome = _multiple("Outcome (closed cases)", "closure_outcome", choices=Case.Outcome.choices)
    closed_from = django_filters.DateFilter(label="Closed from", method="closed_in_period")
    closed_to = django_filters.DateFilter(label="Closed until", method="closed_in_period")

    def __init__(self, data, *args, user, today=None, **kwargs):
        if data.get("status") not in dict(STATUSES):
            data = data.copy()
            data["status"] = "open"
        super().__init__(data, *args, **kwargs)
        self.user = user
        self.today = today or timezone.localdate()
        self.filters["team"].extra["choices"] = _teams(user)
        self.filters["la"].extra["choices"] = _local_authorities(user)
        self.filters["officer"].extra["choices"] = once(
            lambda: [
                ("none", "Not allocated"),
                *User.objects.filter(organisation__force_id=user.force_id, role__in=OFFICER_ROLES)
                .order_by("full_name")
                .values_list("pk", "full_name"),
            ]
        )

    @property
    def tab(self):
        return self.data["status"]

    def in_status(self, cases, name, status):
        return cases if status == "all" else cases.filter(status=status)

    def allocated_to_me(self, cases, name, mine):
        return cases.filter(officer=self.user) if mine else cases

    def for_officer(self, cases, name, officer):
        return cases.for_officer(officer)

    def in_area(self, cases, name, code):
        return cases.in_local_authority(code)

    def with_actions(self, cases, name, which):
        if which == "overdue":
            return cases.with_actions_overdue(today=self.today)
        return cases.with_open_actions()

    def with_review(self, cases, name, value):
        return cases.with_review_overdue(today=self.today)

    def closed_in_period(self, cases, name, value):
        """The dashboards' closing period: both ends, applied once."""
        data = self.form.cleaned_data
        if name == "closed_to" or not data.get("closed_to"):
            return cases
        return cases.closed_between(value, data["closed_to"])


class ReferralFilter(ListFilterSet):
    """The referrals behind a dashboard figure: received in a period, by source, threshold,
    decision or wait for allocation, reaching the given teams, of schools of an area."""

    panel = ("source", "threshold", "decision", "wait", "team", "la")
    period = ("Received", "received_from", "received_to")

    received_from = django_filters.DateFilter(label="Received from", method="received_in_period")
    received_to = django_filters.DateFilter(label="Received until", method="received_in_period")
    source = django_filters.ChoiceFilter(
        label="Source", choices=Source.choices, empty_label="Any source"
    )
    threshold = django_filters.ChoiceFilter(
        label="Threshold", choices=Threshold.choices, empty_label="Any threshold", method="meeting"
    )
    decision = django_filters.ChoiceFilter(
        label="Decision", field_name="status", choices=Referral.Status.choices, empty_label="Any"
    )
    wait = django_filters.ChoiceFilter(
        label="Time to allocation",
        choices=[(key, label) for key, label, *_ in ALLOCATION_WAITS],
        empty_label="Any",
        method="allocated_within",
    )
    team = _multiple("Team", "case__team_id", method="reaching_teams")
    la = django_filters.ChoiceFilter(
        label="Local authority", field_name="school__la_code", empty_label="Any local authority"
    )

    def __init__(self, data, *args, user, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["team"].extra["choices"] = _teams(user)
        self.filters["la"].extra["choices"] = _local_authorities(user)

    @property
    def applied(self):
        """Whether the list is one behind a dashboard figure (any of its filters given)."""
        return any(self.data.get(name) for name in self.filters)

    def received_in_period(self, referrals, name, value):
        data = self.form.cleaned_data
        if name == "received_to" or not data.get("received_to"):
            return referrals
        return referrals.received_between(value, data["received_to"])

    def meeting(self, referrals, name, key):
        return referrals.meeting_threshold(key)

    def allocated_within(self, referrals, name, key):
        return referrals.allocated_within(key)

    def reaching_teams(self, referrals, name, teams):
        """What reached these teams' cases, and what still waits for triage."""
        return referrals.reached_teams([int(team) for team in teams])
