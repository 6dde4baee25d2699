"""Frameworks: list, detail, choosing one, and edits that make a new version when in use."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import AuditEntry
from needs_assessment import framework_services, services
from needs_assessment.models import (
    Assessment,
    Descriptor,
    Factor,
    Framework,
    Indicator,
    Level,
    ServiceOffer,
)
from needs_assessment.tests.factories import approved_assessment, rated_assessment
from tests.matrix import ANONYMOUS, BAD, DENIED, HIDDEN, LOGIN, OK, REDIRECT, Row, check, rows_for

pytestmark = pytest.mark.django_db

READERS = ("sso", "neighbourhood", "sergeant", "manager", "admin")
MANAGERS = ("manager", "admin")


def chosen(world, force="a"):
    return Framework.objects.chosen_for(world.forces[force])


def five_level(world, force="a"):
    return Framework.objects.get(force=world.forces[force], key="five-level")


def assess(world, school, ratings, *, approve=True):
    """Make an assessment of `school` by the SSO with {factor: level key}; approve it by default."""
    if approve:
        assessment = approved_assessment(school, ratings, by=world.sso, approver=world.manager)
    else:
        assessment = rated_assessment(school, ratings, by=world.sso)
    assessment.refresh_from_db()
    return assessment


ALL_UNIVERSAL = dict.fromkeys(["location", "attendance", "high_risk", "demographics"], "universal")


# Who may open each page.


def test_framework_list_rows(client, world):
    check(
        client,
        world,
        rows_for(
            "GET",
            reverse("needs_assessment:framework_list"),
            {**dict.fromkeys(READERS, OK), "other_force_admin": OK},
            DENIED,
        ),
    )


def test_framework_detail_rows(client, world):
    url = chosen(world).get_absolute_url()
    check(
        client,
        world,
        rows_for("GET", url, {**dict.fromkeys(READERS, OK), "other_force_admin": HIDDEN}, DENIED),
    )


def test_framework_choose_rows(client, world):
    url = reverse("needs_assessment:framework_choose", args=[five_level(world).pk])
    rows = rows_for("POST", url, {"other_force_admin": HIDDEN}, DENIED)
    rows = [row for row in rows if row.who not in MANAGERS]
    rows += [
        Row("manager", "GET", url, BAD),
        Row("manager", "POST", url, REDIRECT),
        Row("admin", "POST", url, REDIRECT),
        Row(ANONYMOUS, "POST", url, LOGIN),
    ]
    check(client, world, rows)


def _edit_urls(world):
    framework = chosen(world)
    return [
        reverse("needs_assessment:level_edit", args=[framework.pk, framework.levels.first().pk]),
        reverse(
            "needs_assessment:offer_edit", args=[framework.pk, framework.service_offers.first().pk]
        ),
        reverse(
            "needs_assessment:indicator_edit", args=[framework.pk, framework.indicators.first().pk]
        ),
    ]


def test_edit_page_rows(client, world):
    rows = []
    for url in _edit_urls(world):
        rows += rows_for(
            "GET", url, {**dict.fromkeys(MANAGERS, OK), "other_force_admin": HIDDEN}, DENIED
        )
        rows += [
            Row("sergeant", "POST", url, DENIED, {"name": "X"}),
            Row("other_force_admin", "POST", url, HIDDEN, {"name": "X"}),
        ]
    check(client, world, rows)


def test_a_level_of_another_framework_is_hidden(client, world):
    framework = chosen(world)
    other_level = five_level(world).levels.first()
    client.force_login(world.manager)
    url = reverse("needs_assessment:level_edit", args=[framework.pk, other_level.pk])
    assert client.get(url).status_code == 404


# The list and the detail page.


def test_list_shows_the_latest_version_of_each_framework_with_the_chosen_one_marked(client, world):
    framework = chosen(world)
    assess(world, world.schools["a1"], ALL_UNIVERSAL)
    framework_services.framework_revise(framework=framework, by=world.manager)
    client.force_login(world.manager)
    response = client.get(reverse("needs_assessment:framework_list"))
    listed = list(response.context["frameworks"])
    assert [(f.key, f.version) for f in listed] == [("three-tier", 2), ("five-level", 1)]
    assert listed[0].is_chosen
    body = response.content.decode()
    assert body.count("Use this framework") == 1
    assert "Wessex" not in body


def test_officers_see_the_list_without_the_choose_button(client, world):
    client.force_login(world.sso)
    response = client.get(reverse("needs_assessment:framework_list"))
    assert "Use this framework" not in response.content.decode()


def test_detail_shows_rules_descriptors_thresholds_and_offers(client, world):
    client.force_login(world.manager)
    body = client.get(five_level(world).get_absolute_url()).content.decode()
    assert "Pupils who have offended or Special measures or a failing school rated Level 1" in body
    assert "Any 3 factors rated Level 2 or above" in body
    assert "Level 1 when more than 10 %" in body
    assert "Level 3 when more than 2 %" in body
    assert "Level 2 when at least 8 decile" in body
    assert (
        "not available for other duties, with full-time project workers, an administrator" in body
    )
    assert "At least 6 times a term" in body
    three = client.get(chosen(world).get_absolute_url()).content.decode()
    assert "Any factor rated above Enhanced" in three
    assert "Every school the other tiers&#x27; rules do not reach" in three
    assert "The school runs specialist teaching for excluded children." in three
    assert "/edit/" in three  # a manager sees the change links


def test_detail_has_no_change_links_for_officers(client, world):
    client.force_login(world.sso)
    body = client.get(chosen(world).get_absolute_url()).content.decode()
    assert "/edit/" not in body


# Choosing a framework.


def test_choose_moves_the_chosen_mark_and_is_audited(client, world):
    client.force_login(world.manager)
    framework = five_level(world)
    response = client.post(reverse("needs_assessment:framework_choose", args=[framework.pk]))
    assert response.status_code == 302
    assert chosen(world) == framework
    assert Framework.objects.filter(force=world.forces["a"], is_chosen=True).count() == 1
    assert chosen(world, "b").key == "three-tier"  # another force's choice is untouched
    entry = AuditEntry.objects.get(action="needs_assessment.framework.chosen")
    assert entry.actor == world.manager and entry.target_id == str(framework.pk)
    # New assessments use it.
    assessment = services.assessment_start(school=world.schools["a1"], by=world.sso)
    assert assessment.framework == framework


def test_the_database_allows_one_chosen_framework_per_force(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Framework.objects.filter(pk=five_level(world).pk).update(is_chosen=True)


def test_an_old_version_cannot_be_chosen(client, world):
    old = chosen(world)
    assess(world, world.schools["a1"], ALL_UNIVERSAL)
    new = framework_services.framework_revise(framework=old, by=world.manager)
    client.force_login(world.manager)
    client.post(reverse("needs_assessment:framework_choose", args=[old.pk]))
    assert chosen(world) == new


# framework_revise.


def test_revise_returns_the_same_framework_when_no_assessment_uses_it(world):
    framework = chosen(world)
    assert framework_services.framework_revise(framework=framework, by=world.manager) == framework
    assert Framework.objects.filter(force=world.forces["a"], key="three-tier").count() == 1


def test_revise_copies_a_framework_in_use_deeply_and_moves_the_chosen_mark(world):
    old = chosen(world)
    past = assess(world, world.schools["a1"], {**ALL_UNIVERSAL, "high_risk": "complex"})
    new = framework_services.framework_revise(framework=old, by=world.manager)
    old.refresh_from_db()
    assert new.pk != old.pk and new.version == 2 and new.key == old.key
    assert new.is_chosen and not old.is_chosen
    for model, link in (
        (Level, "framework"),
        (Factor, "framework"),
        (Indicator, "framework"),
        (ServiceOffer, "framework"),
        (Descriptor, "factor__framework"),
    ):
        assert (
            model.objects.filter(**{link: new}).count()
            == model.objects.filter(**{link: old}).count()
            > 0
        ), model
    # Links point inside the new version.
    assert set(
        Indicator.objects.filter(framework=new).values_list("factor__framework", flat=True)
    ) == {new.pk}
    assert set(
        ServiceOffer.objects.filter(framework=new).values_list("level__framework", flat=True)
    ) == {new.pk}
    assert set(
        Descriptor.objects.filter(factor__framework=new).values_list("level__framework", flat=True)
    ) == {new.pk}
    enhanced = new.levels.get(key="enhanced")
    assert enhanced.key_factors == ["location"] and enhanced.min_factors == 2
    assert enhanced.lifted_by_higher
    assert AuditEntry.objects.filter(action="needs_assessment.framework.revised").count() == 1
    # The past assessment keeps the version it was made with.
    past.refresh_from_db()
    assert past.framework == old and past.computed_level.framework == old
    assert past.level.key == "complex"


def test_revising_a_framework_that_is_not_chosen_leaves_the_choice_alone(world):
    five = five_level(world)
    Assessment.objects.create(school=world.schools["a1"], framework=five, assessed_by=world.sso)
    new = framework_services.framework_revise(framework=five, by=world.manager)
    assert new.version == 2 and not new.is_chosen
    assert chosen(world).key == "three-tier"


# Edits through the pages.


def _level_post(level, **changes):
    data = {
        "name": level.name,
        "description": level.description,
        "key_factors": list(level.key_factors),
        "min_factors": level.min_factors or "",
        "colour": level.colour,
        "criteria": "\n".join(c["text"] for c in level.criteria),
        "resources": level.resources,
    }
    if level.lifted_by_higher:
        data["lifted_by_higher"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_editing_a_level_in_use_makes_a_new_version_and_past_assessments_keep_theirs(client, world):
    old = chosen(world)
    ratings = {**ALL_UNIVERSAL, "attendance": "complex", "demographics": "complex"}
    past = assess(world, world.schools["a1"], ratings)
    assert past.level.key == "complex"
    complex_level = old.levels.get(key="complex")
    client.force_login(world.manager)
    url = reverse("needs_assessment:level_edit", args=[old.pk, complex_level.pk])
    # Two Complex factors are no longer enough: three are needed.
    response = client.post(url, _level_post(complex_level, min_factors=3), follow=True)
    new = chosen(world)
    assert new.version == 2
    assert response.redirect_chain[-1][0] == new.get_absolute_url()
    assert "saved in a new version, version 2" in response.content.decode()
    assert new.levels.get(key="complex").min_factors == 3
    assert old.levels.get(key="complex").min_factors == 2
    entry = AuditEntry.objects.get(action="needs_assessment.framework.changed")
    assert entry.target_id == str(new.pk)
    assert entry.changes["min_factors"] == [2, 3]
    assert entry.changes["new_version"] is True
    # The past assessment keeps its version and tier; a new one follows the new rule.
    past.refresh_from_db()
    assert past.framework == old and past.level.key == "complex"
    again = assess(world, world.schools["a2"], ratings, approve=False)
    assert again.framework == new
    assert again.computed_level.key == "enhanced"
    assert services.computed_level_for(past).key == "complex"


def test_editing_a_level_not_in_use_changes_it_in_place(client, world):
    framework = chosen(world)
    level = framework.levels.get(key="enhanced")
    client.force_login(world.admin)
    url = reverse("needs_assessment:level_edit", args=[framework.pk, level.pk])
    response = client.post(
        url,
        _level_post(level, name="Targeted", colour="orange", key_factors=["location", "high_risk"]),
        follow=True,
    )
    assert "No assessment used this version yet" in response.content.decode()
    level.refresh_from_db()
    assert (level.name, level.colour, level.key_factors) == (
        "Targeted",
        "orange",
        ["location", "high_risk"],
    )
    assert Framework.objects.filter(force=world.forces["a"], key="three-tier").count() == 1
    entry = AuditEntry.objects.get(action="needs_assessment.framework.changed")
    assert entry.changes["new_version"] is False


def test_saving_without_a_change_makes_no_version(client, world):
    framework = chosen(world)
    assess(world, world.schools["a1"], ALL_UNIVERSAL)
    level = framework.levels.get(key="enhanced")
    client.force_login(world.manager)
    url = reverse("needs_assessment:level_edit", args=[framework.pk, level.pk])
    response = client.post(url, _level_post(level), follow=True)
    assert "Nothing was changed" in response.content.decode()
    assert Framework.objects.filter(force=world.forces["a"], key="three-tier").count() == 1
    assert not AuditEntry.objects.filter(action="needs_assessment.framework.changed").exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Enter the name"),
        ({"name": "N" * 81}, "Name must be 80 characters or fewer"),
        ({"min_factors": "9"}, "cannot be more than there are"),
        ({"min_factors": "0"}, "must be 1 or more"),
        ({"key_factors": ["nowhere"]}, "Select a valid choice"),
        ({"colour": "tartan"}, "Select a valid choice"),
        (
            {"key_factors": [], "min_factors": None, "lifted_by_higher": None},
            "Give this tier a rule",
        ),
    ],
)
def test_level_form_rejects_bad_input(client, world, changes, message):
    framework = chosen(world)
    level = framework.levels.get(key="enhanced")
    client.force_login(world.manager)
    url = reverse("needs_assessment:level_edit", args=[framework.pk, level.pk])
    data = _level_post(level, **changes)
    if changes.get("lifted_by_higher", "") is None:
        data.pop("lifted_by_higher", None)
    response = client.post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    level.refresh_from_db()
    assert level.name == "Enhanced" and level.min_factors == 2


def test_the_least_intensive_level_needs_no_rule(client, world):
    framework = chosen(world)
    level = framework.levels.get(key="universal")
    client.force_login(world.manager)
    url = reverse("needs_assessment:level_edit", args=[framework.pk, level.pk])
    response = client.post(url, _level_post(level, description="Every school."))
    assert response.status_code == 302
    level.refresh_from_db()
    assert level.description == "Every school."


def test_editing_an_old_version_sends_you_to_the_latest(client, world):
    old = chosen(world)
    assess(world, world.schools["a1"], ALL_UNIVERSAL)
    new = framework_services.framework_revise(framework=old, by=world.manager)
    client.force_login(world.manager)
    url = reverse("needs_assessment:level_edit", args=[old.pk, old.levels.first().pk])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == new.get_absolute_url()
    body = client.get(old.get_absolute_url()).content.decode()
    assert "This version has been replaced" in body and "/edit/" not in body


def _offer_post(record, **changes):
    data = {
        "contact": record.contact,
        "contact_role": record.contact_role,
        "frequency": record.frequency,
        "engagements_per_term": record.engagements_per_term,
        "offer": record.offer,
        "education_inputs": record.education_inputs,
    }
    if record.uses_force_enhanced_number:
        data["uses_force_enhanced_number"] = "on"
    data.update(changes)
    return data


def test_editing_a_service_offer(client, world):
    framework = chosen(world)
    assess(world, world.schools["a1"], ALL_UNIVERSAL)
    offer = framework.service_offers.get(level__key="universal", phase_group="primary")
    client.force_login(world.manager)
    url = reverse("needs_assessment:offer_edit", args=[framework.pk, offer.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, _offer_post(offer, engagements_per_term="2", contact_role="", offer="Twice a term.")
    )
    new = chosen(world)
    assert response["Location"] == new.get_absolute_url()
    changed = new.service_offers.get(level__key="universal", phase_group="primary")
    assert (changed.engagements_per_term, changed.contact_role, changed.offer) == (
        2,
        "",
        "Twice a term.",
    )
    assert changed.level.framework == new
    offer.refresh_from_db()
    assert offer.engagements_per_term == 1 and offer.contact_role == "neighbourhood"
    entry = AuditEntry.objects.get(action="needs_assessment.framework.changed")
    assert entry.changes["engagements_per_term"] == [1, 2]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"contact": ""}, "Enter who the police contact is"),
        ({"offer": "o" * 2001}, "The service, as the school is told it must be 2,000 characters"),
        ({"frequency": "daily"}, "Choose how often the school is engaged"),
        ({"engagements_per_term": "0"}, "must be 1 or more"),
        ({"contact_role": "admin"}, "Select a valid choice"),
        ({"offer": ""}, "Describe the service"),
    ],
)
def test_offer_form_rejects_bad_input(client, world, changes, message):
    framework = chosen(world)
    offer = framework.service_offers.get(level__key="complex", phase_group="secondary")
    client.force_login(world.manager)
    url = reverse("needs_assessment:offer_edit", args=[framework.pk, offer.pk])
    response = client.post(url, _offer_post(offer, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()


def _indicator_post(indicator, rows=(), **changes):
    data = {
        "name": indicator.name,
        "help_text": indicator.help_text,
        "minimum": str(indicator.minimum),
        "maximum": "" if indicator.maximum is None else str(indicator.maximum),
    }
    rows = list(rows)
    levels = indicator.framework.levels.count()
    data.update({"threshold-TOTAL_FORMS": str(levels), "threshold-INITIAL_FORMS": "0"})
    for i, (level, comparison, value) in enumerate(rows + [("", "", "")] * (levels - len(rows))):
        data[f"threshold-{i}-level"] = level
        data[f"threshold-{i}-comparison"] = comparison
        data[f"threshold-{i}-value"] = value
    data.update(changes)
    return data


def test_editing_an_indicator_saves_thresholds_most_intensive_first(client, world):
    framework = chosen(world)
    indicator = framework.indicators.get(key="fsm_percent")
    client.force_login(world.manager)
    url = reverse("needs_assessment:indicator_edit", args=[framework.pk, indicator.pk])
    assert "Threshold 3" in client.get(url).content.decode()
    response = client.post(
        url,
        _indicator_post(
            indicator,
            [("enhanced", "above", "25"), ("complex", "above", "40.5")],
            help_text="From the school census.",
        ),
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.thresholds == [
        {"level": "complex", "above": 40.5},
        {"level": "enhanced", "above": 25},
    ]
    assert indicator.help_text == "From the school census."
    # The thresholds now rate the demographics factor when the assessor has not.
    assessment = services.assessment_start(school=world.schools["a1"], by=world.sso)
    services.assessment_save(
        assessment=assessment,
        by=world.sso,
        ratings={},
        indicators={"fsm_percent": 41},
    )
    assessment.refresh_from_db()
    assert assessment.computed_level.key == "enhanced"  # one Complex factor lifts one step


def test_clearing_every_threshold(client, world):
    framework = five_level(world)
    indicator = framework.indicators.get(key="special_measures")
    client.force_login(world.manager)
    url = reverse("needs_assessment:indicator_edit", args=[framework.pk, indicator.pk])
    assert client.post(url, _indicator_post(indicator)).status_code == 302
    indicator.refresh_from_db()
    assert indicator.thresholds == []


@pytest.mark.parametrize(
    ("rows", "changes", "message"),
    [
        ([("complex", "", "5")], {}, "Choose the comparison of threshold 1"),
        ([("", "above", "5")], {}, "Choose the tier of threshold 1"),
        ([("complex", "above", "")], {}, "Enter the value of threshold 1"),
        ([("complex", "above", "abc")], {}, "Enter the value as a number"),
        ([("complex", "above", "150")], {}, "must be within the values allowed"),
        (
            [("complex", "above", "20"), ("complex", "above", "30")],
            {},
            "Give Complex one threshold only",
        ),
        (
            [("complex", "above", "40"), ("enhanced", "below", "10")],
            {},
            "a number cannot point both ways",
        ),
        (
            [("complex", "above", "20"), ("enhanced", "above", "30")],
            {},
            "The threshold of Complex must be higher than that of Enhanced",
        ),
        ([], {"maximum": "0"}, "The highest value must be more than the lowest"),
        ([], {"name": ""}, "Enter the name"),
    ],
)
def test_indicator_form_rejects_bad_thresholds(client, world, rows, changes, message):
    framework = chosen(world)
    indicator = framework.indicators.get(key="fsm_percent")
    client.force_login(world.manager)
    url = reverse("needs_assessment:indicator_edit", args=[framework.pk, indicator.pk])
    response = client.post(url, _indicator_post(indicator, rows, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    indicator.refresh_from_db()
    assert indicator.thresholds == []


def test_downward_thresholds_must_fall_as_tiers_intensify(client, world):
    framework = five_level(world)
    indicator = framework.indicators.get(key="feel_safe_percent")
    client.force_login(world.manager)
    url = reverse("needs_assessment:indicator_edit", args=[framework.pk, indicator.pk])
    bad = _indicator_post(indicator, [("level-1", "below", "80"), ("level-2", "below", "75")])
    assert "must be lower than" in client.post(url, bad).content.decode()
    good = _indicator_post(indicator, [("level-2", "below", "70"), ("level-1", "below", "40")])
    assert client.post(url, good).status_code == 302
    indicator.refresh_from_db()
    assert indicator.thresholds == [
        {"level": "level-1", "below": 40},
        {"level": "level-2", "below": 70},
    ]


def test_detail_and_list_cost_the_same_queries_with_more_versions(client, world, count_queries):
    client.force_login(world.manager)
    urls = [reverse("needs_assessment:framework_list"), chosen(world).get_absolute_url()]
    for url in urls:
        client.get(url)

    few = [count_queries(client, url, cold=False) for url in urls]
    assess(world, world.schools["a1"], ALL_UNIVERSAL)
    framework_services.framework_revise(framework=chosen(world), by=world.manager)
    urls[1] = chosen(world).get_absolute_url()
    assert [count_queries(client, url, cold=False) for url in urls] == few


def test_five_levels_carry_every_criterion_resource_aim_and_expectation_of_the_guidance(world):
    """The shipped five levels follow the guidance, and say what the product added."""
    five = five_level(world)
    levels = {level.key: level for level in five.levels.all()}
    level_1 = " ".join(c["text"] for c in levels["level-1"].criteria)
    for criterion in (
        "exclusions",
        "high crime and anti-social behaviour",
        "turnover of pupils or staff",
        "special measures",
    ):
        assert criterion in level_1
    assert "A failing school" in [c["text"] for c in levels["level-2"].criteria]
    assert "More than 2% of the roll has offended" in [
        c["text"] for c in levels["level-3"].criteria
    ]
    level_4 = " ".join(c["text"] for c in levels["level-4"].criteria)
    assert "Exclusions are low" in level_4 and "More calls to the police" in level_4
    assert "not available for other duties" in levels["level-1"].resources
    assert "project workers" in levels["level-1"].resources
    assert "administrator" in levels["level-1"].resources
    assert "seconded" in levels["level-1"].resources
    offer = levels["level-1"].service_offers.first()
    assert (
        "not available for other duties" in offer.offer
        and "at least once a week" not in offer.offer
    )
    assert {e.key for e in levels["level-2"].expectations.all()} >= {
        "steering_group",
        "information_sharing",
        "action_plan",
        "management_group",
        "behaviour_team",
        "police_data",
        "school_data",
        "targeted_group",
        "restorative",
    }
    assert [e.key for e in levels["level-5"].expectations.all()] == ["citizenship"]
    assert {a.key for a in five.aims.all()} >= {
        "offending",
        "truancy",
        "exclusions",
        "attendance",
        "results",
        "safety",
    }
    # What the guidance leaves open is labelled the force's own starting point.
    indicators = {i.key: i for i in five.indicators.all()}
    assert indicators["offending_percent"].thresholds_source == "guidance"
    assert indicators["incidents_per_week"].thresholds_source == "force"


def test_the_detail_page_labels_guidance_and_the_forces_starting_points(client, world):
    client.force_login(world.manager)
    body = client.get(five_level(world).get_absolute_url()).content.decode()
    assert "National guidance" in body
    assert "The force&#x27;s own starting point" in body
    assert "An information sharing protocol, signed by the partners" in body
    assert "Reduce truancy" in body


def test_a_criterion_the_force_changes_is_marked_as_its_own(client, world):
    framework = five_level(world)
    level = framework.levels.get(key="level-3")
    lines = [c["text"] for c in level.criteria]
    client.force_login(world.manager)
    url = reverse("needs_assessment:level_edit", args=[framework.pk, level.pk])
    edited = "\n".join([*lines[:-1], "Some concern in the local community, raised by councillors"])
    client.post(url, _level_post(level, criteria=edited))
    level.refresh_from_db()
    sources = [c["source"] for c in level.criteria]
    assert sources == ["guidance", "guidance", "force"]
    assert level.resources_source == "guidance"


def test_the_data_migration_brings_existing_forces_to_the_guidance(world):
    """A five-level version in use is kept and a new one made (chosen in its place); one not
    in use is brought up to date where it stands."""
    import importlib

    from django.apps import apps

    from needs_assessment.models import Assessment, Level

    migration = importlib.import_module(
        "needs_assessment.migrations.0007_shipped_frameworks_follow_the_guidance"
    )
    used = five_level(world, "a")
    Framework.objects.filter(force=world.forces["a"]).update(is_chosen=False)
    Framework.objects.filter(pk=used.pk).update(is_chosen=True)
    Assessment.objects.create(school=world.schools["a1"], framework=used, assessed_by=world.sso)
    # The old wording, as shipped before: Level 1 at least weekly, no criteria.
    Level.objects.filter(framework__force=world.forces["b"], key="level-1").update(
        criteria=[], resources=""
    )
    migration.forwards(apps, None)
    versions = Framework.objects.filter(force=world.forces["a"], key="five-level").order_by(
        "version"
    )
    assert [(v.version, v.is_chosen) for v in versions] == [(1, False), (2, True)]
    assert versions[1].levels.get(key="level-1").criteria
    other = Framework.objects.get(force=world.forces["b"], key="five-level")
    assert "project workers" in other.levels.get(key="level-1").resources
    assert other.version == 1


def test_the_indicator_keeps_its_threshold_rules_whoever_changes_it(world):
    """The rules live on the model: the service refuses what the form would, without the form."""
    framework = chosen(world)
    indicator = framework.indicators.get(key="fsm_percent")
    with pytest.raises(ValidationError, match="one threshold only"):
        framework_services.indicator_change(
            indicator=indicator,
            by=world.manager,
            values={
                "thresholds": [{"level": "complex", "above": 20}, {"level": "complex", "above": 30}]
            },
        )
    indicator.refresh_from_db()
    assert indicator.thresholds == []
