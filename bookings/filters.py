"""The filters of the catalogue and the bookings list (django-filter, shown as the MOJ filter)."""

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from accounts.filtering import GovukDateFilter, ListFilterSet, once
from accounts.models import Organisation, Team
from schools.models import School

from .models import KEY_STAGES, LONDON, RULE_FIELDS, YEAR_GROUPS, Session, Slot, Topic


def _topics(user):
    return once(lambda: [(t.pk, t.name) for t in Topic.objects.visible_to(user).only("name")])


def _providers(user):
    """The organisations offering sessions in the user's force."""
    return once(
        lambda: list(
            Organisation.objects.filter(
                pk__in=Session.objects.visible_to(user).values("provider_id")
            )
            .order_by("name")
            .values_list("pk", "name")
        )
    )


def local_day_start(day, *, days_after=0):
    """The first moment of a day in England (of the day `days_after` it)."""
    day += datetime.timedelta(days=days_after)
    return datetime.datetime.combine(day, datetime.time(), tzinfo=LONDON)


def _multiple(label, field_name, **kwargs):
    """A multi-select of checkboxes, matching any of the chosen values."""
    return django_filters.MultipleChoiceFilter(
        label=label,
        field_name=field_name,
        distinct=False,
        widget=forms.CheckboxSelectMultiple,
        **kwargs,
    )


# --- The catalogue -------------------------------------------------------------------------


class CatalogueFilterForm(forms.Form):
    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "The end of the date range must be after its start")
        return data


class CatalogueFilter(ListFilterSet):
    """The catalogue's sessions by topic, audience, format, provider, cost and open dates."""

    panel = ("topic", "key_stage", "year", "format", "provider", "cost", "date_from", "date_to")

    topic = _multiple("Topic", "topic_id")
    key_stage = _multiple(
        "Key stage",
        "year_groups",
        choices=[(key, label) for key, (label, _) in KEY_STAGES.items()],
        method="for_key_stages",
    )
    year = django_filters.ChoiceFilter(
        label="Year group",
        choices=[(str(year), label) for year, label in YEAR_GROUPS],
        empty_label="Any year group",
        method="for_year",
    )
    format = _multiple("Format", "format", choices=Session.Format.choices)
    provider = _multiple("Provider", "provider_id")
    cost = django_filters.ChoiceFilter(
        label="Cost", choices=[("free", "Free only")], empty_label="Free or paid", method="free"
    )
    date_from = GovukDateFilter(label="Available from", method="offering_dates")
    date_to = GovukDateFilter(label="Available until", method="offering_dates")

    class Meta:
        form = CatalogueFilterForm

    def __init__(self, data=None, *args, user, now=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.now = now or timezone.now()
        self.filters["topic"].extra["choices"] = _topics(user)
        self.filters["provider"].extra["choices"] = _providers(user)

    def for_key_stages(self, sessions, name, stages):
        match = Q()
        for stage in stages:
            for year in KEY_STAGES[stage][1]:
                match |= Q(year_groups__contains=f",{year},")
        return sessions.filter(match)

    def for_year(self, sessions, name, year):
        return sessions.filter(year_groups__contains=f",{year},")

    def free(self, sessions, name, value):
        return sessions.filter(cost_pence=0)

    def offering_dates(self, sessions, name, value):
        """The sessions with an open date in the window (both ends, applied once)."""
        if name == "date_to" and self.form.cleaned_data.get("date_from"):
            return sessions
        return sessions.offering(self.open_slots())

    def open_slots(self):
        """The open dates in the chosen window: those a card shows as its next dates."""
        slots = Slot.objects.open(now=self.now)
        self.form.is_valid()  # an invalid end of the window is left out, the other kept
        data = self.form.cleaned_data
        if data.get("date_from"):
            slots = slots.filter(starts_at__gte=local_day_start(data["date_from"]))
        if data.get("date_to"):
            slots = slots.filter(starts_at__lt=local_day_start(data["date_to"], days_after=1))
        return slots


# --- The bookings list -----------------------------------------------------------------------

VIEWS = {
    "upcoming": (
        "Upcoming",
        lambda bookings, now: bookings.active().upcoming(now=now),
        "slot__starts_at",
    ),
    "pending": (
        "Waiting for the provider",
        lambda bookings, now: bookings.pending().upcoming(now=now),
        "slot__starts_at",
    ),
    "past": ("Past", lambda bookings, now: bookings.taken_place(now=now), "-slot__starts_at"),
    "cancelled": (
        "Cancelled or declined",
        lambda bookings, now: bookings.called_off(),
        "-slot__starts_at",
    ),
}
DELIVERED = "delivered"  # the bookings behind a dashboard figure: delivered in its period
NO_SHOW = "no_show"  # the no-shows behind a dashboard figure: school absent in its period
PERIOD_VIEWS = {DELIVERED: "Delivered", NO_SHOW: "School absent (no-show)"}


class BookingFilter(ListFilterSet):
    """A view of the bookings (a tab), or those behind a dashboard figure (delivered in its
    period at its slice's open schools), by topic, provider, local authority and teams."""

    tabs = ("show",)
    period = ("Delivered", "since", "until", "show")  # removing it goes back to a tab

    show = django_filters.ChoiceFilter(
        choices=[*((key, label) for key, (label, *_) in VIEWS.items()), *PERIOD_VIEWS.items()],
        empty_label=None,
        method="in_view",
    )
    since = django_filters.DateFilter(label="Delivered from", method="in_period")
    until = django_filters.DateFilter(label="Delivered until", method="in_period")
    topic = _multiple("Topic", "slot__session__topic_id")
    provider = _multiple("Provider", "slot__session__provider_id")
    team = _multiple("Team", "school__team_id")
    la = django_filters.ChoiceFilter(
        label="Local authority", field_name="school__la_code", empty_label="Any local authority"
    )
    evaluated = django_filters.BooleanFilter(
        label="Evaluated", widget=forms.CheckboxInput, method="was_evaluated"
    )

    def __init__(self, data, *args, user, now=None, **kwargs):
        data = data.copy()
        if data.get("since") and data.get("until"):
            if data.get("show") not in PERIOD_VIEWS:
                data["show"] = DELIVERED
        elif data.get("show") not in VIEWS:
            data["show"] = "upcoming"
        super().__init__(data, *args, **kwargs)
        self.now = now or timezone.now()
        if self.data["show"] in PERIOD_VIEWS:
            self.period = (PERIOD_VIEWS[self.data["show"]], *self.period[1:])
        self.filters["topic"].extra["choices"] = _topics(user)
        self.filters["provider"].extra["choices"] = _providers(user)
        self.filters["team"].extra["choices"] = once(
            lambda: (
                list(
                    Team.objects.filter(force_id=user.force_id)
                    .order_by("name")
                    .values_list("pk", "name")
                )
                if user.is_police_side
                else []
            )
        )
        self.filters["la"].extra["choices"] = once(
            lambda: (
                list(
                    School.objects.visible_to(user)
                    .exclude(la_code="")
                    .values_list("la_code", "la_name")
                    .distinct()
                    .order_by("la_name")
                )
                if user.is_police_side
                else []
            )
        )
        self.panel = ("topic",)
        if user.role != "partner":
            self.panel += ("provider",)
        if user.is_police_side:
            self.panel += ("team", "la")

    @property
    def view(self):
        return self.data["show"]

    @property
    def view_label(self):
        return dict(self.filters["show"].extra["choices"])[self.view]

    def in_view(self, bookings, name, view):
        if view in PERIOD_VIEWS:
            data = self.form.cleaned_data
            if not (data.get("since") and data.get("until")):
                return bookings.none()
            between = bookings.delivered_between if view == DELIVERED else bookings.no_shows_between
            listed = between(data["since"], data["until"], now=self.now)
            return listed.at_open_schools().order_by("-slot__starts_at", "pk")
        _, rows, order = VIEWS[view]
        return rows(bookings, self.now).order_by(order, "pk")

    def in_period(self, bookings, name, value):
        return bookings  # the period of the delivered view (in_view)

    def was_evaluated(self, bookings, name, value):
        return bookings.filter(evaluation__isnull=False) if value else bookings


BOOKING_LIST_FIELDS = (
    "status",
    "outcome",
    "year_groups",
    "pupils",
    "slot__starts_at",
    "slot__ends_at",
    "slot__session__title",
    "slot__session__provider__name",
    "school__name",
)


CATALOGUE_FIELDS = (
    "title",
    "year_groups",
    "format",
    "length_minutes",
    "capacity",
    "cost_pence",
    "topic__name",
    "provider__name",
    # The booking rules in force: the session's own, else its provider's.
    "own_rules",
    *RULE_FIELDS,
    *(f"provider__booking_rules__{name}" for name in RULE_FIELDS),
)


def catalogue_cards(sessions):
    """Only what a session's card shows: not its description or what the school provides."""
    return sessions.select_related("topic", "provider__booking_rules").only(*CATALOGUE_FIELDS)


def booking_rows(bookings):
    """Only what the bookings table shows: not the needs and reasons (free text), the
    session's description or the wide school row."""
    return bookings.select_related("slot__session__provider", "school").only(*BOOKING_LIST_FIELDS)
