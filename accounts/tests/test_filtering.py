"""The list filters' base: tags that remove one value each, links that keep only filters,
dates asked as GOV.UK date inputs, invalid values ignored."""

import django_filters
import pytest
from django import forms
from django.http import QueryDict

from accounts.filtering import GovukDateFilter, IdsField, ListFilterSet, once
from accounts.models import Team
from accounts.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


class TeamFilter(ListFilterSet):
    panel = ("kind", "created_from")
    tabs = ("tab",)

    tab = django_filters.ChoiceFilter(choices=[("all", "All")], method="same")
    kind = django_filters.MultipleChoiceFilter(
        label="Kind", choices=Team.Kind.choices, widget=forms.CheckboxSelectMultiple
    )
    created_from = GovukDateFilter(
        label="Created from", field_name="created__date", lookup_expr="gte"
    )
    name = django_filters.CharFilter(label="Name", lookup_expr="icontains")

    def same(self, teams, name, value):
        return teams


def _filter(query):
    return TeamFilter(QueryDict(query), queryset=Team.objects.all())


def test_each_chosen_value_is_a_tag_that_removes_only_itself(world):
    kinds = list(Team.Kind.values)[:2]
    filters = _filter(f"tab=all&kind={kinds[0]}&kind={kinds[1]}&name=north&utm_source=x&page=2")
    (kind, name) = filters.selected()
    assert kind["label"] == "Kind" and len(kind["items"]) == 2
    assert kind["items"][0]["href"] == f"?tab=all&kind={kinds[1]}&name=north"
    assert name["items"] == [{"text": "north", "href": f"?tab=all&kind={kinds[0]}&kind={kinds[1]}"}]
    assert filters.query() == f"tab=all&kind={kinds[0]}&kind={kinds[1]}&name=north"
    assert filters.clear_url() == "?tab=all"
    assert ("name", "north") in filters.hidden_params()  # not asked by the panel: kept
    assert ("utm_source", "x") not in filters.hidden_params()


def test_a_date_is_asked_in_boxes_and_removed_with_them(world):
    filters = _filter("created_from_0=1&created_from_1=2&created_from_2=2020&other_0=1")
    assert filters.selected() == [
        {"label": "Created from", "items": [{"text": "1 February 2020", "href": "?"}]}
    ]
    assert filters.query() == "created_from_0=1&created_from_1=2&created_from_2=2020"
    assert [kind for _, kind in filters.panel_fields()] == ["checkboxes", "date"]
    assert filters.qs.count() == Team.objects.count()


def test_an_invalid_value_is_ignored_and_explained(world):
    filters = _filter("kind=nonsense&created_from_0=31&created_from_1=2&created_from_2=2020")
    assert filters.qs.count() == Team.objects.count() > 0
    assert [field.name for field in filters.errors_shown()] == ["kind", "created_from"]
    assert filters.selected() == []


def test_choices_are_worked_out_once(world, django_assert_num_queries):
    TeamFactory(force=world.forces["a"])
    choices = once(lambda: Team.objects.values_list("pk", "name"))
    with django_assert_num_queries(1):
        assert choices() == choices() and len(choices()) >= 1


def test_ids_given_again_and_again_are_all_kept():
    field = IdsField(required=False)
    assert field.clean(["1", "2", "x"]) == [1, 2]
    assert field.clean([]) == []
    assert field.widget.value_from_datadict(QueryDict("team=1&team=2"), None, "team") == [
        "1",
        "2",
    ]


class PeriodFilter(ListFilterSet):
    panel = ("kind",)
    period = ("Created", "since", "until", "counted")

    kind = django_filters.MultipleChoiceFilter(
        label="Kind", choices=Team.Kind.choices, widget=forms.CheckboxSelectMultiple
    )
    since = django_filters.DateFilter(label="Created from", method="same")
    until = django_filters.DateFilter(label="Created until", method="same")
    counted = django_filters.CharFilter(label="Counted", method="same")

    def same(self, teams, name, value):
        return teams


def test_a_dashboards_period_is_one_tag_that_removes_it_and_what_it_counted(world):
    kind = Team.Kind.values[0]
    filters = PeriodFilter(
        QueryDict(f"since=2026-09-01&until=2026-12-01&counted=x&kind={kind}&page=2"),
        queryset=Team.objects.all(),
    )
    kind_tag, period_tag = filters.selected()
    assert kind_tag["label"] == "Kind"
    assert kind_tag["items"][0]["href"] == "?since=2026-09-01&until=2026-12-01&counted=x"
    assert period_tag == {
        "label": "Created",
        "items": [{"text": "1 Sep 2026 to 1 Dec 2026", "href": f"?kind={kind}"}],
    }
    # Not asked by the panel: it travels on when the panel is applied.
    assert filters.hidden_params() == [
        ("since", "2026-09-01"),
        ("until", "2026-12-01"),
        ("counted", "x"),
    ]


def test_half_a_period_or_an_invalid_end_shows_no_tag(world):
    for query in ("since=2026-09-01&counted=x", "since=2026-09-01&until=31-02-2026"):
        filters = PeriodFilter(QueryDict(query), queryset=Team.objects.all())
        assert filters.selected() == []
        assert filters.period_tag() is None
