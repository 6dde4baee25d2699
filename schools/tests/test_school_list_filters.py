"""The school list's filters and rows show the force as it stands: a change shows at once (nothing
is cached but the current term), and each force sees its own."""

import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import TeamFactory, UserFactory
from needs_assessment import framework_services
from needs_assessment.models import Framework
from schools.gias import apply_gias, read_gias
from schools.tests.factories import SchoolFactory
from schools.tests.test_gias_import import EXTRACT_2021

pytestmark = pytest.mark.django_db


def _options(client, field):
    """Return {value: label} of the options of a filter (a select, or checkboxes), as the page
    shows them."""
    html = client.get(reverse("schools:list")).content.decode()
    select = re.search(rf'<select[^>]* name="{field}">(.*?)</select>', html, re.S)
    if select:
        return {
            unescape(value): unescape(label)
            for value, label in re.findall(
                r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1)
            )
        }
    boxes = re.findall(
        rf'name="{field}" type="checkbox" value="([^"]*)"[^>]*>\s*<label[^>]*>([^<]*)</label>', html
    )
    return {unescape(value): unescape(label.strip()) for value, label in boxes}


def test_the_options_are_the_forces_teams_officers_and_places(client, world):
    client.force_login(world.manager)
    teams = _options(client, "team")
    assert set(teams.values()) >= {"North NPT", "No team"}
    assert str(world.sso.pk) in _options(client, "contact")
    assert str(world.other_force_sso.pk) not in _options(client, "contact")


def test_a_new_officer_school_and_team_appear_once_saved(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.manager)
    assert "PC New Officer (1234)" not in _options(client, "contact").values()
    with django_capture_on_commit_callbacks(execute=True):
        officer = UserFactory(
            organisation=world.orgs["police_a"],
            role=Role.NEIGHBOURHOOD_OFFICER,
            full_name="New Officer",
            rank="PC",
            collar_number="1234",
        )
        SchoolFactory(force=world.forces["a"], la_code="999", la_name="Newtown")
        TeamFactory(force=world.forces["a"], name="East NPT")
    assert _options(client, "contact")[str(officer.pk)] == "PC New Officer (1234)"
    assert _options(client, "la")["999"] == "Newtown"
    assert "East NPT" in _options(client, "team").values()


def test_an_officer_who_leaves_is_no_longer_offered(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.manager)
    assert str(world.sso.pk) in _options(client, "contact")
    with django_capture_on_commit_callbacks(execute=True):
        world.sso.is_active = False
        world.sso.save()
    assert str(world.sso.pk) not in _options(client, "contact")


def test_signing_in_does_not_clear_the_forces_cached_values(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        world.sso.save(update_fields=["last_login"])
    assert callbacks == []


def test_another_forces_changes_and_options_are_kept_apart(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.manager)
    before = _options(client, "team")
    with django_capture_on_commit_callbacks(execute=True):
        TeamFactory(force=world.forces["b"], name="Far Away NPT")
    assert _options(client, "team") == before
    assert "South NPT" not in before.values()
    client.force_login(world.other_force_manager)
    teams = _options(client, "team").values()
    assert "Far Away NPT" in teams and "North NPT" not in teams


def test_choosing_another_framework_changes_the_tier_options(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.manager)
    before = _options(client, "tier")
    other = Framework.objects.filter(force=world.forces["a"], is_chosen=False).first()
    with django_capture_on_commit_callbacks(execute=True):
        framework_services.framework_choose(framework=other, by=world.manager)
    after = _options(client, "tier")
    expected = {level.key for level in other.levels.all()} | {"", "none"}
    assert set(after) == expected != set(before)


def test_a_gias_import_shows_in_the_options_although_it_writes_in_bulk(
    client, world, django_capture_on_commit_callbacks
):
    force = world.forces["a"]
    client.force_login(world.manager)
    assert "Camden" not in _options(client, "la").values()
    with django_capture_on_commit_callbacks(execute=True):
        apply_gias(read_gias(EXTRACT_2021.read_bytes()), force=force, la_codes=["202"])
    assert _options(client, "la")["202"] == "Camden"


def test_the_chosen_option_is_selected_and_labels_are_escaped(client, world):
    TeamFactory(force=world.forces["a"], name="<b>Bold</b> & Co")
    client.force_login(world.manager)
    html = client.get(reverse("schools:list"), {"phase": "primary"}).content.decode()
    assert '<option value="primary" selected>Primary</option>' in html
    assert '<option value="" selected>Any phase</option>' not in html
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; Co</label>" in html  # a team is a checkbox


# Pages of results.


def _rows(client, **params):
    return client.get(reverse("schools:list"), params).content.decode()


def test_a_hand_over_shows_in_the_list_at_once(client, world):
    from schools import services

    client.force_login(world.manager)
    assert "Sso</td>" not in _rows(client, q="Alder")
    services.named_contact_hand_over(
        school=world.schools["a1"],
        officer=world.sso,
        deputy=None,
        starts_on=timezone.localdate(),
        by=world.sergeant,
    )
    assert "Sso</td>" in _rows(client, q="Alder")


def test_a_renamed_or_closed_school_shows_at_once(client, world):
    client.force_login(world.manager)
    assert "Alder Academy" in _rows(client)
    school = world.schools["a1"]
    school.name = "Alder Community Academy"
    school.save()
    assert "Alder Community Academy" in _rows(client)
    school.status = school.Status.CLOSED
    school.save()
    assert "Alder Community Academy" not in _rows(client)


def test_the_same_question_in_another_force_gets_its_own_answer(client, world):
    client.force_login(world.manager)
    assert "Alder Academy" in _rows(client)
    client.force_login(world.other_force_manager)
    html = _rows(client)
    assert "Cedar School" in html and "Alder Academy" not in html


def test_results_of_a_later_apps_filter_show_a_change_at_once(client, world):
    from needs_assessment.models import Assessment, Framework

    client.force_login(world.manager)
    assert "Alder Academy" not in _rows(client, tier="complex")
    framework = Framework.objects.chosen_for(world.forces["a"])
    Assessment.objects.create(  # no signal the school list listens to
        school=world.schools["a1"],
        framework=framework,
        assessed_by=world.sso,
        status="approved",
        computed_level=framework.levels.get(key="complex"),
        is_current=True,
    )
    assert "Alder Academy" in _rows(client, tier="complex")


# Terms.


def test_the_current_term_is_read_once_then_cleared_when_terms_change(
    world, django_assert_num_queries
):
    import datetime

    from schools.models import Term

    force = world.forces["a"]
    on = datetime.date(2026, 10, 1)
    autumn = Term.current_for(force, on=on)  # creates the force's default terms
    Term.current_for(force, on=on)
    with django_assert_num_queries(0):
        assert Term.current_for(force, on=on) == autumn
    autumn.ends_on = datetime.date(2026, 9, 30)
    autumn.save()
    assert Term.current_for(force, on=on) is None  # 1 October is now in no term
    autumn.ends_on = datetime.date(2026, 12, 31)
    autumn.save()
    assert Term.current_for(force, on=on) == autumn
    assert Term.current_for(world.forces["b"], on=on).force == world.forces["b"]


# Several teams at once, and the chosen filters as tags.


def test_the_list_filters_by_several_teams_at_once(client, world):
    north, safer = world.teams["npt_a"], world.teams["sst_a"]
    world.schools["a1"].team = north
    world.schools["a1"].save()
    SchoolFactory(force=world.forces["a"], name="Safer Team School", team=safer)
    SchoolFactory(force=world.forces["a"], name="Teamless School", team=None)
    client.force_login(world.sergeant)
    url = reverse("schools:list")

    def names(query):
        return sorted(s.name for s in client.get(url + query).context["page"].object_list)

    assert names(f"?team={north.pk}") == ["Alder Academy"]
    assert names(f"?team={north.pk}&team={safer.pk}") == ["Alder Academy", "Safer Team School"]
    assert "Teamless School" in names(f"?team={north.pk}&team=none")
    assert "Safer Team School" not in names(f"?team={north.pk}&team=none")


def test_chosen_filters_show_as_tags_that_each_remove_one_value(client, world):
    north, safer = world.teams["npt_a"], world.teams["sst_a"]
    client.force_login(world.manager)
    html = client.get(
        reverse("schools:list"), {"team": [north.pk, safer.pk], "phase": "primary", "page": "2"}
    ).content.decode()
    assert "Selected filters" in html
    tags = {
        unescape(text.strip()): unescape(href)
        for href, text in re.findall(
            r'<a class="moj-filter__tag" href="([^"]*)"><span[^>]*>Remove this filter:?</span>([^<]*)</a>',
            html,
        )
    }
    assert tags == {
        "North NPT": f"?team={safer.pk}&phase=primary",
        "Safer Schools": f"?team={north.pk}&phase=primary",
        "Primary": f"?team={north.pk}&team={safer.pk}",
    }
    # Both teams are ticked, and the pages keep the filters.
    assert html.count(" checked>") == 2
    assert "Selected filters" not in client.get(reverse("schools:list")).content.decode()


def test_a_period_filter_is_offered_with_its_period_and_shown_as_a_tag(client, world):
    client.force_login(world.manager)
    html = client.get(reverse("schools:list")).content.decode()
    assert 'name="reached"' not in html  # no period: nothing to be reached in
    html = client.get(
        reverse("schools:list"),
        {"reached": "yes", "since": "2026-09-01", "until": "2026-12-01", "phase": "primary"},
    ).content.decode()
    assert 'name="reached"' in html
    assert "1 Sep 2026 to 1 Dec 2026" in html
    assert 'class="moj-filter__tag" href="?phase=primary"' in html
