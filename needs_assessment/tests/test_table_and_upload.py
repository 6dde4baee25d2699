"""The assessment table, the CSV upload of indicator values, and the contacts to change."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Force, Team
from accounts.tests.factories import TeamFactory
from needs_assessment import services
from needs_assessment.models import (
    Assessment,
    Framework,
    IndicatorValue,
    Rating,
    ServiceOffer,
)
from needs_assessment.tests.factories import ApprovedAssessmentFactory
from schools.models import NamedContact, School
from schools.tests.factories import NamedContactFactory, SchoolFactory
from tests.matrix import ANONYMOUS, DENIED, LOGIN, OK, Row, check, rows_for

pytestmark = pytest.mark.django_db

TABLE = reverse("needs_assessment:assessment_table")
UPLOAD = reverse("needs_assessment:indicator_upload")
CONTACTS = reverse("needs_assessment:contacts_to_change")
FACTORS = ("location", "attendance", "high_risk", "demographics")


def approved(school, level_key, *, approved_on=None, framework=None):
    """Record an approved, current assessment of `school` in the tier `level_key`."""
    given = {"approved_on": approved_on, "framework": framework}
    return ApprovedAssessmentFactory(
        school=school, level=level_key, **{k: v for k, v in given.items() if v}
    )


def draft(school, by, ratings=None, indicators=None, proposed=None):
    """Start a draft of `school` by `by` with {factor: level} ratings and indicator values."""
    assessment = services.assessment_start(school=school, by=by)
    services.assessment_save(
        assessment=assessment,
        by=by,
        ratings={f: (level, f"Seen: {f}") for f, level in (ratings or {}).items()},
        indicators=indicators or {},
        proposed_level=proposed and assessment.framework.levels.get(key=proposed),
        override_reason="Known local risk" if proposed else "",
    )
    assessment.refresh_from_db()
    return assessment


# Who may open each page.

POLICE_READERS = ("sso", "neighbourhood", "sergeant", "manager", "admin", "other_force_admin")


def test_table_rows(client, world):
    check(client, world, rows_for("GET", TABLE, dict.fromkeys(POLICE_READERS, OK), DENIED))


def test_upload_rows(client, world):
    assessors = ("sso", "neighbourhood", "sergeant", "manager")
    rows = rows_for("GET", UPLOAD, dict.fromkeys(assessors, OK), DENIED)
    rows += rows_for("GET", UPLOAD + "?template=1", dict.fromkeys(assessors, OK), DENIED)
    rows += [
        Row(ANONYMOUS, "POST", UPLOAD, LOGIN),
        Row("admin", "POST", UPLOAD, DENIED),
        Row("headteacher", "POST", UPLOAD, DENIED),
    ]
    check(client, world, rows)


def test_contacts_to_change_rows(client, world):
    check(
        client,
        world,
        rows_for(
            "GET",
            CONTACTS,
            dict.fromkeys(("sergeant", "manager", "admin", "other_force_admin"), OK),
            DENIED,
        ),
    )


def test_another_forces_schools_never_appear(client, world):
    approved(world.schools["b1"], "complex")
    draft(world.schools["b1"], world.other_force_sso)
    client.force_login(world.other_force_admin)
    body = client.get(TABLE).content.decode()
    assert "Cedar School" in body and "Alder Academy" not in body
    for url in (TABLE, CONTACTS):
        client.force_login(world.manager)
        body = client.get(url).content.decode()
        assert "Cedar School" not in body and "Birch Primary" in body, url


# The table.


def test_table_lists_every_open_school_with_tier_review_and_open_assessment(client, world):
    today = timezone.localdate()
    a1 = world.schools["a1"]
    approved(a1, "universal", approved_on=today - datetime.timedelta(days=340))
    draft(a1, world.sso, {"high_risk": "complex"})
    closed = SchoolFactory(force=world.forces["a"], name="Shut School", status="closed")
    approved(closed, "enhanced")
    client.force_login(world.manager)
    response = client.get(TABLE)
    rows = {school.name: school for school in response.context["page"].object_list}
    assert set(rows) == {"Alder Academy", "Birch Primary"}
    alder = rows["Alder Academy"]
    assert alder.current.level.key == "universal" and alder.due_soon and not alder.overdue
    assert alder.open.status == "draft" and alder.open.computed_level.key == "complex"
    assert alder.change_proposed
    assert rows["Birch Primary"].current is None
    body = response.content.decode()
    assert "govuk-tag--green" in body and "Due soon" in body and "Change to Complex" in body
    assert "Not assessed" in body


def test_table_marks_overdue_reviews(client, world):
    approved(world.schools["a1"], "enhanced", approved_on=timezone.localdate().replace(year=2020))
    client.force_login(world.manager)
    body = client.get(TABLE).content.decode()
    assert "Overdue" in body and "Due soon" not in body


def test_an_open_assessment_with_the_same_tier_is_not_a_change(client, world):
    approved(world.schools["a1"], "universal")
    draft(world.schools["a1"], world.sso, dict.fromkeys(FACTORS, "universal"))
    client.force_login(world.manager)
    body = client.get(TABLE).content.decode()
    assert "Change to" not in body
    assert "Computed: Universal" in body


def _names(client, query):
    response = client.get(TABLE + query)
    assert response.status_code == 200
    return sorted(s.name for s in response.context["page"].object_list)


def test_table_filters(client, world):
    force = world.forces["a"]
    today = timezone.localdate()
    a1, a2 = world.schools["a1"], world.schools["a2"]
    poole = SchoolFactory(force=force, name="Poole High", la_code="839", la_name="BCP", urn=123456)
    approved(a1, "complex", approved_on=today - datetime.timedelta(days=400))
    approved(a2, "universal", approved_on=today - datetime.timedelta(days=320))
    draft(a2, world.sso, {"location": "enhanced"})
    submitted = draft(poole, world.sso, dict.fromkeys(FACTORS, "universal"))
    services.assessment_submit(assessment=submitted, by=world.sso)
    client.force_login(world.manager)
    assert _names(client, "") == ["Alder Academy", "Birch Primary", "Poole High"]
    assert _names(client, "?tier=complex") == ["Alder Academy"]
    assert _names(client, "?tier=none") == ["Poole High"]
    assert _names(client, "?la=839") == ["Poole High"]
    assert _names(client, "?due=overdue") == ["Alder Academy"]
    assert _names(client, "?due=soon") == ["Birch Primary"]
    assert _names(client, "?status=draft") == ["Birch Primary"]
    assert _names(client, "?status=submitted") == ["Poole High"]
    assert _names(client, "?status=none") == ["Alder Academy"]
    assert _names(client, "?q=birch") == ["Birch Primary"]
    assert _names(client, "?q=123456") == ["Poole High"]
    assert _names(client, "?tier=complex&due=soon") == []
    response = client.get(TABLE + "?sort=due")
    assert [s.name for s in response.context["page"].object_list] == [
        "Alder Academy",
        "Birch Primary",
        "Poole High",
    ]
    # A bad filter value shows the whole list rather than an error.
    assert _names(client, "?tier=nonsense") == ["Alder Academy", "Birch Primary", "Poole High"]


def test_table_tier_filter_offers_the_chosen_frameworks_levels(client, world):
    client.force_login(world.manager)
    choices = client.get(TABLE).context["filters"].form.fields["tier"].choices
    assert [key for key, _ in choices] == ["", "universal", "enhanced", "complex", "none"]


def _grow(world, n):
    force = world.forces["a"]
    for i in range(n):
        school = SchoolFactory(force=force, team=world.teams["npt_a"])
        approved(school, ("complex", "universal", "enhanced")[i % 3])
        NamedContactFactory(school=school, officer=world.neighbourhood)
        if i % 2:
            draft(school, world.sso, {"location": "enhanced"})


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("manager", TABLE),
        ("manager", TABLE + "?tier=complex&status=none&q=school&sort=due&la=838"),
        ("manager", CONTACTS),
        ("sergeant", CONTACTS),
        ("sergeant", TABLE),
    ],
)
def test_pages_cost_the_same_queries_with_1_and_50_schools(client, world, who, url, count_queries):
    client.force_login(world.users[who])
    _grow(world, 1)
    client.get(url)  # warm per-session caches
    few = count_queries(client, url)
    _grow(world, 49)
    many = count_queries(client, url)
    assert few == many, f"{url}: {few} queries with few schools and {many} with 50 more"
    cache.clear()
    assert len(client.get(url).context["page"].object_list) > 1
    assert many <= 12, many
    if url.startswith(TABLE) and not url.startswith(CONTACTS):
        # Asked again, the table is read again: no cached page stands between a change and
        # the reader (the rows cost the same queries as the first time).
        assert count_queries(client, url, cold=False) == many


def test_table_pages_by_50(client, world):
    for _ in range(55):
        SchoolFactory(force=world.forces["a"])
    client.force_login(world.manager)
    response = client.get(TABLE)
    assert len(response.context["page"].object_list) == 50
    assert "Page 1 of 2" in response.content.decode()
    assert len(client.get(TABLE + "?page=2").context["page"].object_list) == 7


# The upload.


def _upload(client, text, name="values.csv"):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, text.encode(), "text/csv")})


def test_upload_page_documents_the_columns_and_offers_a_template(client, world):
    client.force_login(world.sso)
    body = client.get(UPLOAD).content.decode()
    for key in ("fsm_percent", "deprivation_decile", "permanent_exclusions"):
        assert f"<code>{key}</code>" in body
    assert "1 to 10" in body and "?template=1" in body
    response = client.get(UPLOAD + "?template=1")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    lines = response.content.decode().splitlines()
    assert lines[0] == (
        "URN,fsm_percent,send_percent,persistent_absence_percent,permanent_exclusions,"
        "incidents_per_week,offending_percent,deprivation_decile,"
        "local_crime_per_week,local_crime_per_1000_pupils,"
        # What the school supplies each term (partnership's figures fill them).
        "school_truancy_percent,school_absence_percent,school_exclusions,school_incidents,"
        "school_bullying_reports,school_results_percent"
    )
    assert sorted(lines[1:]) == sorted(
        str(world.schools[key].urn) for key in ("a1", "a2")
    )  # this force's open schools only


def test_upload_starts_drafts_and_updates_open_ones_keeping_ratings(client, world):
    a1, a2 = world.schools["a1"], world.schools["a2"]
    existing = draft(
        a1,
        world.sso,
        {"location": "enhanced", "attendance": "universal"},
        {"send_percent": Decimal("12")},
        proposed="complex",
    )
    client.force_login(world.neighbourhood)
    response = _upload(
        client,
        f"URN,fsm_percent,permanent_exclusions\r\n{a1.urn},31.5,\r\n{a2.urn},12,3\r\n",
    )
    assert response.status_code == 200
    result = response.context["result"]
    assert [a.school for a in result.created] == [a2]
    assert [a.school for a in result.updated] == [a1]
    assert "1 draft started, 1 updated" in " ".join(response.content.decode().split())
    existing.refresh_from_db()
    values = dict(existing.indicator_values.values_list("indicator__key", "value"))
    assert values == {"fsm_percent": Decimal("31.5"), "send_percent": Decimal("12")}
    ratings = {
        r.factor.key: (r.level.key if r.level_id else None, r.evidence)
        for r in existing.ratings.select_related("factor", "level")
    }
    assert ratings["location"] == ("enhanced", "Seen: location")
    assert ratings["attendance"] == ("universal", "Seen: attendance")
    assert existing.computed_level.key == "enhanced"
    assert existing.proposed_level.key == "complex"
    assert existing.override_reason == "Known local risk"
    new = Assessment.objects.get(school=a2)
    assert new.status == "draft" and new.assessed_by == world.neighbourhood
    assert dict(new.indicator_values.values_list("indicator__key", "value")) == {
        "fsm_percent": Decimal("12"),
        "permanent_exclusions": Decimal("3"),
    }
    assert Rating.objects.filter(assessment=new).count() == 4


def test_upload_recomputes_the_tier_from_thresholds(client, world):
    five = Framework.objects.get(force=world.forces["a"], key="five-level")
    Framework.objects.filter(force=world.forces["a"]).update(is_chosen=False)
    five.is_chosen = True
    five.save()
    a1 = world.schools["a1"]
    client.force_login(world.manager)
    _upload(client, f"URN,offending_percent,gcse_decile\n{a1.urn},12,5\n")
    assessment = Assessment.objects.get(school=a1)
    assert assessment.computed_level.key == "level-1"
    _upload(client, f"URN,offending_percent\n{a1.urn},6\n")
    assessment.refresh_from_db()
    assert assessment.computed_level.key == "level-2"


def test_rows_with_only_empty_values_start_nothing(client, world):
    a1, a2 = world.schools["a1"], world.schools["a2"]
    client.force_login(world.sso)
    _upload(client, f"URN,fsm_percent\n{a1.urn},\n{a2.urn},5\n\n")
    assert list(Assessment.objects.values_list("school", flat=True)) == [a2.pk]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("\n\n", "The file is empty"),
        ("School,fsm_percent\n", "The first column of the header must be URN"),
        ("URN,fsm,send_percent\n", "Column &#x27;fsm&#x27; is not an indicator"),
        ("URN,fsm_percent,fsm_percent\n", "appears twice"),
        ("URN\n{a1},\n", "The header names no indicator"),
        (
            "URN,fsm_percent\n{a1},abc\n",
            "Row 2, column fsm_percent: &#x27;abc&#x27; is not a number",
        ),
        (
            "URN,fsm_percent\n{a2},5\n{a1},120\n",
            "Row 3, column fsm_percent: 120 must be between 0 and 100",
        ),
        ("URN,fsm_percent\n{a1},-1\n", "must be between 0 and 100"),
        ("URN,permanent_exclusions\n{a1},-2\n", "-2 must be 0 or more"),
        ("URN,fsm_percent\n{a1},NaN\n", "is not a number"),
        ("URN,fsm_percent\n{a1},1.234\n", "more than 2 decimal places"),
        ("URN,fsm_percent\n999999,5\n", "Row 2: URN 999999 is not a school of Dorset Police"),
        ("URN,fsm_percent\n{b1},5\n", "is not a school of Dorset Police"),
        ("URN,fsm_percent\nabc,5\n", "the URN &#x27;abc&#x27; is not a number"),
        ("URN,fsm_percent\n,5\n", "Row 2: the URN is missing"),
        ("URN,fsm_percent\n{a1},5\n{a1},6\n", "Row 3: URN {a1} is already on row 2"),
        ("URN,fsm_percent\n{a1},5,7\n", "Row 2 has more cells than the header"),
        ("URN,fsm_percent\n{a1},\n", "The file has no values to save"),
    ],
)
def test_any_error_saves_nothing(client, world, text, message):
    urns = {key: world.schools[key].urn for key in ("a1", "a2", "b1")}
    client.force_login(world.sso)
    response = _upload(client, text.format(**urns))
    assert response.status_code == 200
    body = response.content.decode()
    assert message.format(**urns) in body, body[body.find("govuk-error-summary") :][:2000]
    assert "Nothing was saved" in body
    assert not Assessment.objects.exists()
    assert not IndicatorValue.objects.exists()


def test_a_school_waiting_for_approval_is_an_error_and_nothing_is_saved(client, world):
    a1, a2 = world.schools["a1"], world.schools["a2"]
    submitted = draft(a1, world.sso, dict.fromkeys(FACTORS, "universal"))
    services.assessment_submit(assessment=submitted, by=world.sso)
    client.force_login(world.sso)
    body = _upload(client, f"URN,fsm_percent\n{a2.urn},5\n{a1.urn},6\n").content.decode()
    assert (
        f"Row 3: the assessment of Alder Academy (URN {a1.urn}) is waiting for approval; ask "
        "the manager to return it first"
    ) in body
    assert not Assessment.objects.filter(school=a2).exists()
    assert not IndicatorValue.objects.exists()


def test_a_returned_assessment_takes_the_values(client, world):
    a1 = world.schools["a1"]
    assessment = draft(a1, world.sso, dict.fromkeys(FACTORS, "universal"))
    services.assessment_submit(assessment=assessment, by=world.sso)
    services.assessment_return(assessment=assessment, by=world.manager, comment="Add numbers")
    client.force_login(world.sso)
    response = _upload(client, f"URN,fsm_percent\n{a1.urn},5\n")
    assert [a.pk for a in response.context["result"].updated] == [assessment.pk]
    assessment.refresh_from_db()
    assert assessment.status == "returned"
    assert assessment.indicator_values.get().value == 5


def test_a_failure_while_saving_undoes_earlier_rows(client, world, monkeypatch):
    from django.core.exceptions import ValidationError

    a1, a2 = world.schools["a1"], world.schools["a2"]
    real_save = services.assessment_save

    def failing_save(*, assessment, **kwargs):
        if assessment.school_id == a2.pk:
            raise ValidationError("Something went wrong")
        return real_save(assessment=assessment, **kwargs)

    monkeypatch.setattr(services, "assessment_save", failing_save)
    client.force_login(world.sso)
    body = _upload(client, f"URN,fsm_percent\n{a1.urn},5\n{a2.urn},6\n").content.decode()
    assert "Row 3: Something went wrong" in body
    assert not Assessment.objects.exists()


def test_the_upload_is_a_csv_of_modest_size(client, world):
    client.force_login(world.sso)
    body = _upload(client, "URN,fsm_percent\n1,2\n", name="values.xlsx").content.decode()
    assert "The selected file must be a CSV" in body


def test_excel_style_files_are_read(client, world):
    a1 = world.schools["a1"]
    client.force_login(world.sso)
    text = f"\ufeffurn,FSM_Percent,,\r\n{a1.urn}, 7 ,,\r\n"
    response = _upload(client, text)
    assert response.status_code == 200 and "result" in response.context
    assert IndicatorValue.objects.get().value == 7


def test_without_a_chosen_framework_the_page_says_so(client, world):
    Framework.objects.filter(force=world.forces["a"]).update(is_chosen=False)
    client.force_login(world.sso)
    body = client.get(UPLOAD).content.decode()
    assert "has not chosen a needs-assessment framework" in body


# Contacts to change.


def _contacts(client):
    response = client.get(CONTACTS)
    assert response.status_code == 200
    return sorted(s.name for s in response.context["page"].object_list)


def test_contacts_to_change_lists_mismatched_and_missing_contacts(client, world):
    force = world.forces["a"]
    a1, a2 = world.schools["a1"], world.schools["a2"]  # a1's contact is a neighbourhood officer
    approved(a1, "complex")  # needs a Safer Schools officer
    approved(a2, "enhanced")  # primary Enhanced: the offer names no role; a2 has no contact
    fine = SchoolFactory(force=force, name="Fine Academy")
    approved(fine, "complex")
    NamedContactFactory(school=fine, officer=world.sso)
    universal = SchoolFactory(force=force, name="Quiet School")
    approved(universal, "universal")
    NamedContactFactory(school=universal, officer=world.neighbourhood)
    wrong_way = SchoolFactory(force=force, name="Calm High")
    approved(wrong_way, "universal")  # a Safer Schools officer where a neighbourhood one is asked
    NamedContactFactory(school=wrong_way, officer=world.sso)
    any_officer = SchoolFactory(force=force, name="Primary With Anyone", phase="primary")
    approved(any_officer, "enhanced")
    NamedContactFactory(school=any_officer, officer=world.sso)
    client.force_login(world.manager)
    assert _contacts(client) == ["Alder Academy", "Birch Primary", "Calm High"]
    body = client.get(CONTACTS).content.decode()
    assert reverse("schools:hand_over", args=[a1.pk]) in body
    assert "Safer Schools officer" in body and "Name a contact" in body


def test_a_contact_whose_time_has_ended_does_not_count(client, world):
    force = world.forces["a"]
    school = SchoolFactory(force=force, name="Ended School")
    approved(school, "complex")
    NamedContact.objects.create(
        school=school,
        officer=world.sso,
        starts_on=datetime.date(2025, 9, 1),
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    client.force_login(world.manager)
    assert "Ended School" in _contacts(client)


def test_sergeants_see_their_teams_schools_only(client, world):
    force = world.forces["a"]
    mine = SchoolFactory(force=force, name="Mine", team=world.teams["npt_a"])
    led = TeamFactory(force=force, name="East NPT", sergeant=world.sergeant)
    also_mine = SchoolFactory(force=force, name="Also Mine", team=led)
    SchoolFactory(force=force, name="Not Mine", team=world.teams["sst_a"])
    SchoolFactory(force=force, name="No Team")
    for school in (mine, also_mine):
        approved(school, "complex")
    client.force_login(world.sergeant)
    assert _contacts(client) == ["Also Mine", "Mine"]


def test_a_sergeant_without_a_team_sees_only_teams_they_lead(client, world):
    world.sergeant.team = None
    world.sergeant.save()
    SchoolFactory(force=world.forces["a"], name="No Team")
    client.force_login(world.sergeant)
    assert "No Team" not in _contacts(client)


def test_team_caseload_forces_compare_the_team(client, world):
    force = world.forces["a"]
    force.contact_model = Force.ContactModel.TEAM_CASELOAD
    force.save()
    a1 = world.schools["a1"]
    a1.team = world.teams["npt_a"]
    a1.save()
    approved(a1, "complex")  # held by a neighbourhood team, needs the Safer Schools team
    right = SchoolFactory(force=force, name="Right Team", team=world.teams["sst_a"])
    approved(right, "complex")
    NamedContact.objects.all().delete()
    client.force_login(world.manager)
    assert _contacts(client) == ["Alder Academy", "Birch Primary"]  # Birch has no team
    assert world.teams["sst_a"].kind == Team.Kind.SAFER_SCHOOLS


def test_the_school_list_of_contacts_has_every_school_without_one(client, world):
    School.objects.filter(pk=world.schools["a1"].pk).update(status="closed")
    client.force_login(world.admin)
    assert _contacts(client) == ["Birch Primary"]


def test_the_table_shows_a_new_draft_and_approval_at_once(client, world):
    client.force_login(world.manager)
    school = world.schools["a1"]

    def row():
        html = client.get(TABLE, {"q": "Alder"}).content.decode()
        return html[html.index("Alder Academy</a>") :]

    assert "Not assessed" in row() and "Draft" not in row()
    draft(school, world.sso, {"location": "enhanced"})
    assert "Draft" in row()
    approved(school, "complex")
    assert "Complex" in row()


def test_the_same_table_query_in_another_force_gets_its_own_answer(client, world):
    client.force_login(world.manager)
    assert "Alder Academy" in client.get(TABLE).content.decode()
    client.force_login(world.other_force_manager)
    html = client.get(TABLE).content.decode()
    assert "Cedar School" in html and "Alder Academy" not in html


def test_the_school_page_shows_a_changed_offer_at_once(client, world):
    school = world.schools["a1"]
    assessment = approved(school, "complex")
    client.force_login(world.sso)
    assert (
        "Weekly drop-in at the gate" not in client.get(school.get_absolute_url()).content.decode()
    )
    offer = ServiceOffer.objects.get(
        level=assessment.level, phase_group=ServiceOffer.phase_group_of(school)
    )
    offer.contact = "Weekly drop-in at the gate"
    offer.save()
    assert "Weekly drop-in at the gate" in client.get(school.get_absolute_url()).content.decode()


def test_the_table_filters_by_several_teams_at_once(client, world):
    """Issue 15, item 5: a sergeant's tier figures link here with every team they lead."""
    north, safer = world.teams["npt_a"], world.teams["sst_a"]
    School.objects.filter(pk=world.schools["a1"].pk).update(team=north)
    School.objects.filter(pk=world.schools["a2"].pk).update(team=None)
    SchoolFactory(force=world.forces["a"], name="Safer Team School", team=safer)
    client.force_login(world.sergeant)
    assert _names(client, f"?team={north.pk}") == ["Alder Academy"]
    assert _names(client, f"?team={north.pk}&team={safer.pk}") == [
        "Alder Academy",
        "Safer Team School",
    ]
    assert _names(client, "?team=none") == ["Birch Primary"]
    assert _names(client, "?team=nonsense") == [
        "Alder Academy",
        "Birch Primary",
        "Safer Team School",
    ]


def test_a_dashboards_tier_change_shows_as_a_tag_that_removes_it(client, world):
    today = timezone.localdate()
    assessment = approved(world.schools["a1"], "complex", approved_on=today)
    level = assessment.level
    client.force_login(world.manager)
    since = (today - datetime.timedelta(days=30)).isoformat()
    query = f"?changed_since={since}&changed_until={today.isoformat()}&moved_from=none&moved_to={level.pk}"
    response = client.get(TABLE + query + "&la=")
    assert [s.name for s in response.context["page"].object_list] == ["Alder Academy"]
    html = response.content.decode()
    assert "Tier changed" in html
    assert f"Not assessed to {level.name}, " in html
    assert 'class="moj-filter__tag" href="?"' in html  # removing it lists every school
    assert f'name="moved_to" value="{level.pk}"' in html  # kept when other filters apply


def test_the_tables_teams_are_checkboxes_and_each_tag_removes_one(client, world):
    north, safer = world.teams["npt_a"], world.teams["sst_a"]
    client.force_login(world.manager)
    html = client.get(TABLE, {"team": [north.pk, safer.pk], "due": "overdue"}).content.decode()
    assert f'type="checkbox" value="{north.pk}" checked>' in html
    assert f'type="checkbox" value="{safer.pk}" checked>' in html
    assert f'href="?team={safer.pk}&amp;due=overdue"' in html  # removes North NPT only
    assert f'href="?team={north.pk}&amp;team={safer.pk}"' in html  # removes "Overdue" only
