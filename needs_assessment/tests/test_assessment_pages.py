"""The assessment pages: start, the working document, submit, decide, review date and the inbox."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from needs_assessment import services
from needs_assessment.defaults import THREE_TIER, install_framework
from needs_assessment.models import Assessment, Framework
from needs_assessment.signals import tier_changed
from needs_assessment.tests.factories import approved_assessment, submitted_assessment
from schools.tests.factories import SchoolFactory
from tests.matrix import (
    BAD,
    DENIED,
    HIDDEN,
    OK,
    REDIRECT,
    Row,
    check,
    rows_for,
)

pytestmark = pytest.mark.django_db

FACTORS = ("location", "attendance", "high_risk", "demographics")
ALL_UNIVERSAL = dict.fromkeys(FACTORS, "universal")
COMPLEX = ALL_UNIVERSAL | {"high_risk": "complex"}
OTHER_FORCE = ("other_force_admin", "other_force_headteacher")
SCHOOL_STAFF = ("headteacher", "dsl", "school_link", "other_school_headteacher")


def _edit_url(assessment):
    return reverse("needs_assessment:assessment_edit", args=[assessment.pk])


def _decide_url(assessment):
    return reverse("needs_assessment:assessment_decide", args=[assessment.pk])


def _form(ratings, *, action="save", evidence="Seen on patrol and in the school's log.", **extra):
    """Return the edit page's POST data: each factor's rating and evidence, no numbers."""
    data = {"action": action, "proposed_level": "", "override_reason": ""}
    for factor in FACTORS:
        data[f"rating_{factor}"] = ratings.get(factor, "")
        data[f"evidence_{factor}"] = evidence if ratings.get(factor) else ""
    return data | extra


def _start(client, user, school):
    client.force_login(user)
    response = client.post(reverse("needs_assessment:assessment_start", args=[school.pk]))
    assessment = Assessment.objects.get(school=school, status=Assessment.Status.DRAFT)
    assert response["Location"] == _edit_url(assessment)
    return assessment


def _a_year_on(day):
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def test_the_whole_flow_from_start_to_the_school_page(client, world):
    school = world.schools["a1"]
    previous = approved_assessment(
        school,
        ALL_UNIVERSAL,
        by=world.neighbourhood,
        approver=world.manager,
        today=datetime.date(2025, 9, 1),
    )
    assert previous.is_current

    assessment = _start(client, world.sso, school)
    page = client.get(_edit_url(assessment)).content.decode()
    # One fieldset per factor, its levels' descriptors as the radio hints.
    assert "High-risk issues: exploitation, county lines, radicalisation, weapons" in page
    assert "Several pupils are linked to these harms" in page
    assert "Computed tier: not worked out yet" in page

    response = client.post(_edit_url(assessment), _form(COMPLEX, action="tier"))
    assert response["Location"] == _edit_url(assessment) + "#computed-tier"
    page = client.get(_edit_url(assessment)).content.decode()
    assert "Saved. The computed tier is Complex." in page
    assert 'Computed tier: <strong class="govuk-tag govuk-tag--red">Complex</strong>' in page
    assert 'value="complex" checked' in page  # the saved rating is shown again

    response = client.post(_edit_url(assessment), _form(COMPLEX, action="submit"))
    assert response["Location"] == assessment.get_absolute_url()
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED

    client.force_login(world.manager)
    inbox = client.get(reverse("needs_assessment:inbox")).content.decode()
    assert "Alder Academy" in inbox and "Change from Universal" in inbox
    assert (
        "Approve: Alder Academy becomes Complex"
        in client.get(_decide_url(assessment)).content.decode()
    )
    response = client.post(_decide_url(assessment), {"decision": "approve", "comment": ""})
    assert response["Location"] == school.get_absolute_url()

    assessment.refresh_from_db()
    previous.refresh_from_db()
    assert assessment.status == Assessment.Status.APPROVED and assessment.is_current
    assert not previous.is_current
    assert assessment.review_due_on == _a_year_on(timezone.localdate())
    page = client.get(school.get_absolute_url()).content.decode()
    assert "Alder Academy is now Complex." in page
    assert "Complex" in page and "At least once a week" in page
    assert "Alder Academy" not in client.get(reverse("needs_assessment:inbox")).content.decode()


def test_proposing_a_different_tier_needs_a_reason(client, world):
    assessment = _start(client, world.sso, world.schools["a1"])
    response = client.post(_edit_url(assessment), _form(ALL_UNIVERSAL, proposed_level="enhanced"))
    assert response.status_code == 200
    assert "Give the reason for proposing a different tier" in response.content.decode()
    # What was typed is still there.
    assert 'value="enhanced" checked' in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.proposed_level is None

    client.post(
        _edit_url(assessment),
        _form(
            ALL_UNIVERSAL,
            proposed_level="enhanced",
            override_reason="Knife crime near the gates since Easter.",
        ),
    )
    assessment.refresh_from_db()
    assert (assessment.computed_level.key, assessment.proposed_level.key) == (
        "universal",
        "enhanced",
    )
    assert assessment.level.key == "enhanced"


def test_submitting_with_unrated_factors_is_refused_naming_them(client, world):
    assessment = _start(client, world.sso, world.schools["a1"])
    partial = {"location": "enhanced", "attendance": "universal"}
    response = client.post(_edit_url(assessment), _form(partial, action="submit"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert (
        "Rate every factor before submitting: High-risk issues: exploitation, county lines, "
        "radicalisation, weapons; Free school meals, SEND and attainment." in page
    )
    # Nothing typed is lost: the ratings were saved and are shown again.
    assert 'value="enhanced" checked' in page
    assert "Computed tier: <strong" in page
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT
    assert assessment.ratings.filter(level__isnull=False).count() == 2

    # The detail page's submit button says the same.
    response = client.post(reverse("needs_assessment:assessment_submit", args=[assessment.pk]))
    assert response.status_code == 200
    assert "Rate every factor before submitting" in response.content.decode()


def test_numbers_outside_their_range_are_refused_with_a_clear_message(client, world):
    assessment = _start(client, world.sso, world.schools["a1"])
    response = client.post(
        _edit_url(assessment),
        _form(ALL_UNIVERSAL, indicator_fsm_percent="120", indicator_deprivation_decile="ten"),
    )
    page = response.content.decode()
    assert "Pupils eligible for free school meals must be between 0 and 100" in page
    assert (
        "Deprivation decile of the school&#x27;s area (1 = most deprived) must be a number" in page
    )
    client.post(_edit_url(assessment), _form(ALL_UNIVERSAL, indicator_fsm_percent="31.5"))
    assert assessment.indicator_values.get().value == pytest.approx(31.5)
    assert 'value="31.5"' in client.get(_edit_url(assessment)).content.decode()


def test_the_assessor_cannot_approve_their_own_assessment(client, world):
    assessment = _start(client, world.manager, world.schools["a1"])
    client.post(_edit_url(assessment), _form(COMPLEX, action="submit"))
    response = client.post(_decide_url(assessment), {"decision": "approve"})
    assert response.status_code == 200
    assert (
        "Someone other than the assessor must approve an assessment." in response.content.decode()
    )
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED


def test_returning_needs_a_comment_and_reopens_the_assessment(client, world):
    school = world.schools["a1"]
    assessment = submitted_assessment(school, COMPLEX, by=world.sso)
    client.force_login(world.manager)
    response = client.post(_decide_url(assessment), {"decision": "return", "comment": " "})
    assert "Say what needs to change" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED

    response = client.post(
        _decide_url(assessment),
        {"decision": "return", "comment": "Say where the weapons evidence comes from."},
    )
    assert response["Location"] == reverse("needs_assessment:inbox")
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.RETURNED

    client.force_login(world.sso)
    page = client.get(_edit_url(assessment)).content.decode()
    assert "Returned for changes" in page
    assert "Say where the weapons evidence comes from." in page
    client.post(_edit_url(assessment), _form(COMPLEX, action="submit"))
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED


def test_a_submitted_assessment_is_not_edited_and_is_decided_once(client, world):
    assessment = submitted_assessment(world.schools["a1"], COMPLEX, by=world.sso)
    client.force_login(world.sso)
    response = client.get(_edit_url(assessment))
    assert response["Location"] == assessment.get_absolute_url()
    client.force_login(world.manager)
    client.post(_decide_url(assessment), {"decision": "approve"})
    response = client.get(_decide_url(assessment))
    assert response["Location"] == assessment.get_absolute_url()


def test_the_detail_page_shows_everything_and_offers_what_the_viewer_may_do(client, world):
    school = world.schools["a1"]
    assessment = approved_assessment(school, COMPLEX, by=world.sso, approver=world.manager)
    client.force_login(world.manager)
    page = client.get(assessment.get_absolute_url()).content.decode()
    for text in (
        "Three tiers: Universal, Enhanced, Complex, version 1",
        "Approved",
        world.sso.display_name,
        "Evidence",
        "Request an earlier review",
        "Next review by",
    ):
        assert text in page, text
    assert "Continue the assessment" not in page
    client.force_login(world.sso)
    page = client.get(assessment.get_absolute_url()).content.decode()
    assert "Request an earlier review" not in page and "Approve or return" not in page


def test_a_manager_brings_the_review_forward(client, world):
    school = world.schools["a1"]
    assessment = approved_assessment(school, COMPLEX, by=world.sso, approver=world.manager)
    url = reverse("needs_assessment:reassessment_request", args=[assessment.pk])
    client.force_login(world.manager)
    soon = timezone.localdate() + datetime.timedelta(days=30)
    response = client.post(
        url, {"due_on_0": soon.day, "due_on_1": soon.month, "due_on_2": soon.year}
    )
    assert response["Location"] == assessment.get_absolute_url()
    assessment.refresh_from_db()
    assert assessment.review_due_on == soon
    assert "is now due for reassessment by" in client.get(response["Location"]).content.decode()

    past = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(
        url, {"due_on_0": past.day, "due_on_1": past.month, "due_on_2": past.year}
    )
    assert response.status_code == 200
    assert "The date cannot be in the past" in response.content.decode()
    response = client.post(url, {"due_on_0": "31", "due_on_1": "2", "due_on_2": "2027"})
    assert "Enter a real date, for example 27 3 2027" in response.content.decode()
    response = client.post(url, {})
    assert "Enter the date the school should be reassessed by" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.review_due_on == soon


def test_the_inbox_lists_the_forces_submissions_oldest_first(client, world):
    newer = submitted_assessment(world.schools["a1"], COMPLEX, by=world.sso)
    older = submitted_assessment(world.schools["a2"], ALL_UNIVERSAL, by=world.neighbourhood)
    Assessment.objects.filter(pk=older.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=3)
    )
    submitted_assessment(world.schools["b1"], COMPLEX, by=world.other_force_sso)
    client.force_login(world.manager)
    page = client.get(reverse("needs_assessment:inbox")).content.decode()
    assert page.index("Birch Primary") < page.index("Alder Academy")
    assert "Cedar School" not in page
    assert "First assessment" in page
    assert newer.pk and _decide_url(newer) in page


def test_school_staff_see_the_tier_but_never_the_assessment(client, world):
    school = world.schools["a1"]
    assessment = approved_assessment(school, COMPLEX, by=world.sso, approver=world.manager)
    draft = services.assessment_start(school=school, by=world.sso)
    for who in ("headteacher", "dsl", "school_link"):
        client.force_login(world.users[who])
        page = client.get(school.get_absolute_url()).content.decode()
        assert "Complex" in page and "At least once a week" in page
        assert "Evidence" not in page
        for url in (
            assessment.get_absolute_url(),
            _edit_url(draft),
            _decide_url(assessment),
        ):
            assert client.get(url).status_code == 404, (who, url)


def test_tier_changed_is_sent_once_on_a_change_and_not_when_the_tier_stays(
    client, world, django_capture_on_commit_callbacks
):
    school = world.schools["a1"]
    sent = []

    def receiver(sender, school, previous_level, level, assessment, **kwargs):
        sent.append((previous_level.key if previous_level else None, level.key))

    tier_changed.connect(receiver, weak=False, dispatch_uid="test_assessment_pages")
    try:
        client.force_login(world.manager)
        for ratings in (ALL_UNIVERSAL, COMPLEX, COMPLEX | {"location": "enhanced"}):
            assessment = submitted_assessment(school, ratings, by=world.sso)
            with django_capture_on_commit_callbacks(execute=True):
                client.post(_decide_url(assessment), {"decision": "approve"})
    finally:
        tier_changed.disconnect(dispatch_uid="test_assessment_pages")
    assert sent == [(None, "universal"), ("universal", "complex")]


# Permission rows: anonymous, every role, another school and another force.


@pytest.fixture
def records(world):
    """An approved, current assessment and a draft of school A1; a submitted one of A2."""
    a1, a2 = world.schools["a1"], world.schools["a2"]
    current = approved_assessment(a1, ALL_UNIVERSAL, by=world.sso, approver=world.manager)
    draft = services.assessment_start(school=a1, by=world.sso)
    submitted = submitted_assessment(a2, COMPLEX, by=world.sso)
    return {"current": current, "draft": draft, "submitted": submitted}


def _other_force_rows(method, url, expected=HIDDEN, data=None):
    return [
        Row(who, method, url, expected, data) for who in ("other_force_manager", "other_force_sso")
    ]


def test_inbox_permissions(client, world, records):
    url = reverse("needs_assessment:inbox")
    check(
        client,
        world,
        rows_for("GET", url, {"manager": OK}, DENIED)
        # Another force's manager sees their own force's inbox, without force A's assessments.
        + [Row("other_force_manager", "GET", url, OK), Row("other_force_sso", "GET", url, DENIED)],
    )


def test_start_permissions(client, world, records):
    # A1 has an open draft, so starting again leads to it and creates nothing.
    url = reverse("needs_assessment:assessment_start", args=[world.schools["a1"].pk])
    check(
        client,
        world,
        rows_for(
            "POST",
            url,
            {
                **dict.fromkeys(("sso", "neighbourhood", "sergeant", "manager"), REDIRECT),
                **dict.fromkeys((*OTHER_FORCE, "other_school_headteacher", "partner"), HIDDEN),
            },
            DENIED,
        )
        + _other_force_rows("POST", url)
        + [Row("sso", "GET", url, BAD)],
    )
    assert Assessment.objects.filter(school=world.schools["a1"]).count() == 2


def test_detail_permissions(client, world, records):
    url = records["draft"].get_absolute_url()
    check(
        client,
        world,
        rows_for(
            "GET",
            url,
            {
                **dict.fromkeys(("sso", "neighbourhood", "sergeant", "manager", "admin"), OK),
                "coordinator": DENIED,
            },
            HIDDEN,
        )
        + _other_force_rows("GET", url),
    )


def test_edit_permissions(client, world, records):
    url = _edit_url(records["draft"])
    check(
        client,
        world,
        rows_for(
            "GET",
            url,
            {
                **dict.fromkeys(("sso", "neighbourhood", "sergeant", "manager"), OK),
                **dict.fromkeys(("admin", "coordinator"), DENIED),
            },
            HIDDEN,
        )
        + _other_force_rows("GET", url)
        + [Row("sso", "GET", _edit_url(records["submitted"]), REDIRECT)],
    )


def test_submit_permissions(client, world, records):
    # The draft has no ratings yet, so every allowed submit is refused on the page itself.
    url = reverse("needs_assessment:assessment_submit", args=[records["draft"].pk])
    check(
        client,
        world,
        rows_for(
            "POST",
            url,
            {
                **dict.fromkeys(("sso", "neighbourhood", "sergeant", "manager"), OK),
                **dict.fromkeys(("admin", "coordinator"), DENIED),
            },
            HIDDEN,
        )
        + _other_force_rows("POST", url)
        + [Row("sso", "GET", url, BAD)],
    )
    records["draft"].refresh_from_db()
    assert records["draft"].status == Assessment.Status.DRAFT


def test_decide_permissions(client, world, records):
    url = _decide_url(records["submitted"])
    check(
        client,
        world,
        rows_for(
            "GET",
            url,
            {
                "manager": OK,
                **dict.fromkeys(
                    ("sso", "neighbourhood", "sergeant", "admin", "coordinator"), DENIED
                ),
            },
            HIDDEN,
        )
        + _other_force_rows("GET", url)
        + [Row("other_force_manager", "POST", url, HIDDEN, {"decision": "approve"})],
    )
    records["submitted"].refresh_from_db()
    assert records["submitted"].status == Assessment.Status.SUBMITTED


def test_review_date_permissions(client, world, records):
    url = reverse("needs_assessment:reassessment_request", args=[records["current"].pk])
    soon = timezone.localdate() + datetime.timedelta(days=10)
    data = {"due_on_0": soon.day, "due_on_1": soon.month, "due_on_2": soon.year}
    check(
        client,
        world,
        rows_for(
            "POST",
            url,
            {
                "manager": REDIRECT,
                **dict.fromkeys(
                    ("sso", "neighbourhood", "sergeant", "admin", "coordinator"), DENIED
                ),
            },
            HIDDEN,
            data=data,
        )
        + _other_force_rows("POST", url, data=data)
        + [Row("manager", "GET", url, BAD)],
    )


# Query counts: the inbox and the edit page cost the same with 1 row as with 50.

MAX_QUERIES = 12


def test_the_inbox_does_not_grow_queries_with_rows(client, world, count_queries):
    force = world.forces["a"]
    client.force_login(world.manager)
    url = reverse("needs_assessment:inbox")

    def grow(n):
        for _ in range(n):
            school = SchoolFactory(force=force)
            approved_assessment(school, ALL_UNIVERSAL, by=world.sso, approver=world.manager)
            submitted_assessment(school, COMPLEX, by=world.neighbourhood)

    grow(1)
    client.get(url)
    few = count_queries(client, url, cold=False)
    grow(49)
    many = count_queries(client, url, cold=False)
    assert few == many, f"{few} queries with 1 row, {many} with 50"
    assert many <= MAX_QUERIES


def _framework_with(force, size):
    """Install a three-tier framework with `size` factors and `size` numbers, and choose it."""
    spec = dict(THREE_TIER, key=f"wide-{size}")
    spec["factors"] = [
        dict(THREE_TIER["factors"][n % 4], key=f"factor_{n}", name=f"Factor {n}")
        for n in range(size)
    ]
    spec["indicators"] = [
        dict(THREE_TIER["indicators"][0], key=f"number_{n}", factor=f"factor_{n}")
        for n in range(size)
    ]
    Framework.objects.filter(force=force).update(is_chosen=False)
    return install_framework(force, spec, chosen=True)


def test_the_edit_page_does_not_grow_queries_with_factors(client, world, count_queries):
    force = world.forces["a"]
    client.force_login(world.sso)
    counts = []
    for size, school in ((1, world.schools["a1"]), (50, world.schools["a2"])):
        _framework_with(force, size)
        assessment = services.assessment_start(school=school, by=world.sso)
        services.assessment_save(
            assessment=assessment,
            by=world.sso,
            ratings={f"factor_{n}": ("enhanced", "Evidence") for n in range(size)},
            indicators={f"number_{n}": 12 for n in range(size)},
        )
        client.get(_edit_url(assessment))
        counts.append(count_queries(client, _edit_url(assessment), cold=False))
    assert counts[0] == counts[1], f"{counts[0]} queries with 1 factor, {counts[1]} with 50"
    assert counts[1] <= MAX_QUERIES
