"""What a force changes for its own cycle: the engagement log's roles, and the levels' aims
and expectations."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import AuditEntry
from needs_assessment.models import Aim, Expectation, Framework
from schools.models import Engagement, EngagementPurpose

pytestmark = pytest.mark.django_db


def test_the_four_roles_are_the_engagement_logs_purposes_until_the_force_changes_them(
    client, world
):
    force = world.forces["a"]
    assert [k for k, _ in EngagementPurpose.choices_for(force.pk)] == [
        "law",
        "educator",
        "advisor",
        "role_model",
    ]
    school = world.schools["a1"]
    old = Engagement.objects.create(
        school=school,
        officer=world.neighbourhood,
        occurred_on=datetime.date.today(),
        kind="visit",
        purpose="advisor",
        duration_minutes=30,
    )
    client.force_login(world.manager)
    url = reverse("partnership:purposes_edit")
    duplicate = client.post(url, {"names": "Law\nlaw"})
    assert "Give each role once" in duplicate.content.decode()
    assert client.post(url, {"names": ""}).status_code == 200
    response = client.post(url, {"names": "Law\nEducator\nRole Model\nCommunity reassurance"})
    assert response.status_code == 302
    assert [k for k, _ in EngagementPurpose.choices_for(force.pk)] == [
        "law",
        "educator",
        "role_model",
        "community_reassuranc",  # keys fit the log's 20 characters
    ]
    assert AuditEntry.objects.filter(action="partnership.engagement_purposes.changed").exists()
    # The officer's form offers the force's roles; an entry logged as Advisor still reads.
    client.force_login(world.neighbourhood)
    form = client.get(
        reverse("schools:engagement_create") + f"?school={school.pk}"
    ).content.decode()
    assert "Community reassurance" in form and 'value="advisor"' not in form
    old.refresh_from_db()
    assert old.get_purpose_display() == "Advisor"
    old.full_clean()  # still valid: the role was taken off, not deleted
    fresh = Engagement(
        school=school,
        officer=world.neighbourhood,
        occurred_on=old.occurred_on,
        kind="visit",
        purpose="advisor",
        duration_minutes=30,
    )
    with pytest.raises(Exception, match="Choose one of the roles your force lists"):
        fresh.full_clean()
    # Another force keeps the four roles.
    assert len(EngagementPurpose.choices_for(world.forces["b"].pk)) == 4


def test_force_managers_edit_the_levels_aims_and_expectations(client, world):
    framework = Framework.objects.chosen_for(world.forces["a"])
    aim = framework.aims.get(key="exclusions")
    client.force_login(world.manager)
    assert "Change the roles" in client.get(reverse("partnership:cycle_settings")).content.decode()
    url = reverse("partnership:aim_edit", args=[aim.pk])
    bad = client.post(url, {"name": "", "indicator_key": "nonsense", "lower_is_better": "1"})
    assert "Enter the aim" in bad.content.decode()
    assert "Choose an indicator of this framework" in bad.content.decode()
    client.post(
        url,
        {
            "name": "Halve exclusions",
            "indicator_key": "school_exclusions",
            "lower_is_better": "1",
        },
    )
    aim.refresh_from_db()
    assert (aim.name, aim.indicator_key, aim.source) == (
        "Halve exclusions",
        "school_exclusions",
        "force",
    )
    # The force chooses the levels that expect a local management group.
    expectation = framework.expectations.get(key="management_group")
    complex_level = framework.levels.get(key="complex")
    url = reverse("partnership:expectation_edit", args=[expectation.pk])
    none = client.post(url, {"text": expectation.text})
    assert "Choose at least one level" in none.content.decode()
    client.post(url, {"text": expectation.text, "levels": [str(complex_level.pk)]})
    assert list(expectation.levels.all()) == [complex_level]
    client.post(
        reverse("partnership:expectation_create"),
        {"text": "A transition plan for Year 6 pupils", "levels": [str(complex_level.pk)]},
    )
    added = Expectation.objects.get(framework=framework, text__startswith="A transition plan")
    assert added.source == "force" and added.key == "a_transition_plan_for_year_6_pupils"
    assert AuditEntry.objects.filter(action="partnership.expectation.added").exists()


def test_only_force_managers_change_them_and_only_their_forces(client, world):
    other = Framework.objects.chosen_for(world.forces["b"])
    client.force_login(world.sso)
    assert client.get(reverse("partnership:cycle_settings")).status_code == 403
    client.force_login(world.manager)
    foreign = Aim.objects.filter(framework=other).first()
    assert client.get(reverse("partnership:aim_edit", args=[foreign.pk])).status_code == 404
