"""Who may open each page of the partnership: every role, another school, another force."""

import pytest
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone

from partnership import groups, voice
from partnership.tests.factories import agreed_level, management_group, plan_with_action
from schools.models import Term
from tests.matrix import DENIED, HIDDEN, OK, REDIRECT, Row, check, rows_for

pytestmark = pytest.mark.django_db

OTHER_FORCE = {"other_force_admin": HIDDEN, "other_force_headteacher": HIDDEN}
# The school's partnership page: the force's police readers and the school's own staff.
VIEWERS = {
    **dict.fromkeys(["sso", "neighbourhood", "sergeant", "manager", "admin"], OK),
    **dict.fromkeys(["headteacher", "dsl", "school_link"], OK),
    "other_school_headteacher": HIDDEN,
    **OTHER_FORCE,
}
# The plan and its checklist: the police and the school's headteacher.
EDITORS = {
    **dict.fromkeys(["sso", "neighbourhood", "sergeant", "manager", "headteacher"], OK),
    "other_school_headteacher": HIDDEN,
    "other_force_headteacher": HIDDEN,
}


# Who runs groups: the police of the force.
MANAGERS = dict.fromkeys(["sso", "neighbourhood", "sergeant", "manager"], OK)
# A school's management group: the police side, the school's staff, its members (the partner).
GROUP_READERS = {"other_school_headteacher": HIDDEN, **OTHER_FORCE}


def _partnership_url_names():
    resolver = next(
        p for p in get_resolver().url_patterns if getattr(p, "namespace", None) == "partnership"
    )
    return {f"partnership:{p.name}" for p in resolver.url_patterns if isinstance(p, URLPattern)}


def matrix(world):
    school = world.schools["a1"]
    agreement = agreed_level(school, by=world.sso, approver=world.manager)
    expectation = agreement.assessment.level.expectations.first()
    _, action = plan_with_action(school, by=world.sso, owner=world.school_link)
    term = Term.current_for(school.force)
    at = lambda name, *args: reverse(f"partnership:{name}", args=[school.pk, *args])  # noqa: E731
    review_url = at("review", term.pk)
    group = management_group(
        school,
        by=world.manager,
        members={world.headteacher: "Senior leadership", world.partner: "Youth service"},
    )
    meeting = groups.meeting_schedule(
        group=group, starts_at=timezone.now(), location="Library", by=world.sergeant
    )
    meeting_action = groups.meeting_action_add(
        meeting=meeting,
        description="Send the figures",
        owner=world.partner,
        due_on=timezone.localdate(),
        by=world.sergeant,
    )
    survey = voice.survey_open(school=school, term=term, by=world.headteacher)
    group_url = lambda name, pk: reverse(f"partnership:{name}", args=[pk])  # noqa: E731
    return {
        "partnership:figures_edit": rows_for(
            "GET",
            at("figures_edit"),
            {
                **dict.fromkeys(["headteacher", "dsl", "school_link"], OK),
                "other_school_headteacher": HIDDEN,
                "other_force_headteacher": HIDDEN,
            },
            DENIED,
        ),
        "partnership:survey_open": rows_for(
            "POST",
            at("survey_open"),
            {
                **dict.fromkeys(
                    [
                        "headteacher",
                        "dsl",
                        "school_link",
                        "sso",
                        "neighbourhood",
                        "sergeant",
                        "manager",
                    ],
                    REDIRECT,
                ),
                "other_school_headteacher": HIDDEN,
                "other_force_headteacher": HIDDEN,
            },
            DENIED,
        ),
        "partnership:survey_detail": rows_for(
            "GET", at("survey_detail", survey.pk), VIEWERS, DENIED
        ),
        # The survey is public by its link: anyone may answer, signed in or not.
        "partnership:survey_answer": rows_for("GET", survey.public_path(), {"anonymous": OK}, OK)
        + [
            Row(
                "anonymous",
                "GET",
                reverse("partnership:survey_answer", args=["no-such-token"]),
                HIDDEN,
            )
        ],
        "partnership:group_list": rows_for("GET", reverse("partnership:group_list"), {}, OK),
        "partnership:group_create": rows_for(
            "GET", reverse("partnership:group_create"), MANAGERS, DENIED
        ),
        "partnership:group_detail": rows_for(
            "GET", group_url("group_detail", group.pk), GROUP_READERS, OK
        ),
        "partnership:group_member_add": rows_for(
            "GET", group_url("group_member_add", group.pk), MANAGERS, DENIED
        ),
        "partnership:group_sign": [
            Row("anonymous", "POST", group_url("group_sign", group.pk), "login", {}),
            Row("headteacher", "POST", group_url("group_sign", group.pk), OK, {}),
            Row("partner", "POST", group_url("group_sign", group.pk), OK, {"typed_name": "x"}),
            Row("dsl", "POST", group_url("group_sign", group.pk), DENIED, {}),
            Row("sso", "POST", group_url("group_sign", group.pk), DENIED, {}),
            Row("other_school_headteacher", "POST", group_url("group_sign", group.pk), HIDDEN, {}),
            Row("other_force_headteacher", "POST", group_url("group_sign", group.pk), HIDDEN, {}),
            Row("headteacher", "GET", group_url("group_sign", group.pk), "bad"),
        ],
        "partnership:group_terms_edit": rows_for(
            "GET", group_url("group_terms_edit", group.pk), MANAGERS, DENIED
        ),
        "partnership:meeting_create": rows_for(
            "GET", group_url("meeting_create", group.pk), MANAGERS, DENIED
        ),
        "partnership:meeting_detail": rows_for(
            "GET", group_url("meeting_detail", meeting.pk), GROUP_READERS, OK
        )
        + [Row("headteacher", "POST", group_url("meeting_detail", meeting.pk), DENIED, {})],
        "partnership:meeting_ics": rows_for(
            "GET", group_url("meeting_ics", meeting.pk), GROUP_READERS, OK
        ),
        "partnership:meeting_action_add": rows_for(
            "GET", group_url("meeting_action_add", meeting.pk), MANAGERS, DENIED
        ),
        "partnership:meeting_action_done": rows_for(
            "POST",
            group_url("meeting_action_done", meeting_action.pk),
            {
                **dict.fromkeys(
                    ["sso", "neighbourhood", "sergeant", "manager", "partner"], REDIRECT
                ),
                "other_school_headteacher": HIDDEN,
                **OTHER_FORCE,
            },
            DENIED,
        ),
        "partnership:school": rows_for("GET", at("school"), VIEWERS, DENIED),
        "partnership:level_agreement": rows_for("GET", at("level_agreement"), VIEWERS, DENIED)
        + [
            Row("dsl", "POST", at("level_agreement"), DENIED, {"answer": "agree"}),
            Row("sso", "POST", at("level_agreement"), DENIED, {"answer": "agree"}),
            Row(
                "other_school_headteacher",
                "POST",
                at("level_agreement"),
                HIDDEN,
                {"answer": "agree"},
            ),
            Row(
                "other_force_headteacher",
                "POST",
                at("level_agreement"),
                HIDDEN,
                {"answer": "agree"},
            ),
            Row("headteacher", "POST", at("level_agreement"), OK, {"answer": "discuss"}),
            Row("headteacher", "POST", at("level_agreement"), REDIRECT, {"answer": "agree"}),
        ],
        "partnership:expectation_tick": rows_for(
            "GET", at("expectation_tick", expectation.pk), EDITORS, DENIED
        )
        + [Row("headteacher", "GET", at("expectation_tick", 999999), HIDDEN)],
        "partnership:strategy_edit": rows_for("GET", at("strategy_edit"), EDITORS, DENIED),
        "partnership:objective_create": rows_for("GET", at("objective_create"), EDITORS, DENIED),
        "partnership:action_create": rows_for("GET", at("action_create"), EDITORS, DENIED)
        + [Row("sso", "POST", at("action_create"), OK, {"owner": "not a number"})],
        "partnership:review": rows_for("GET", review_url, VIEWERS, DENIED)
        + [
            Row("dsl", "POST", review_url, DENIED, {}),
            Row("admin", "POST", review_url, DENIED, {}),
            Row("other_force_headteacher", "POST", review_url, HIDDEN, {}),
            Row("headteacher", "POST", review_url, REDIRECT, {}),
            Row("neighbourhood", "POST", review_url, REDIRECT, {}),
            Row(
                "headteacher",
                "GET",
                reverse("partnership:review", args=[school.pk, 999999]),
                HIDDEN,
            ),
        ],
        "partnership:action_update": rows_for(
            "GET",
            reverse("partnership:action_update", args=[action.pk]),
            {
                **dict.fromkeys(["sso", "neighbourhood", "sergeant", "manager", "school_link"], OK),
                "partner": HIDDEN,
                "other_school_headteacher": HIDDEN,
                **OTHER_FORCE,
            },
            DENIED,
        )
        + [
            Row(
                "school_link",
                "POST",
                reverse("partnership:action_update", args=[action.pk]),
                OK,
                {"status": "lost"},
            )
        ],
        "partnership:my_actions": rows_for("GET", reverse("partnership:my_actions"), {}, OK),
        "partnership:level_list": rows_for(
            "GET",
            reverse("partnership:level_list"),
            dict.fromkeys(
                ["sso", "neighbourhood", "sergeant", "manager", "admin", "other_force_admin"], OK
            ),
            DENIED,
        )
        + [
            Row("manager", "GET", reverse("partnership:level_list") + "?status=nonsense&page=x", OK)
        ],
        **_settings_rows(school),
        **_agreement_review_rows(world, school),
    }


# The force's own lists (the engagement log's roles, the levels' aims and expectations): the
# force's managers and administrators.
FORCE_MANAGERS = dict.fromkeys(["manager", "admin"], OK)


def _settings_rows(school):
    from needs_assessment.models import Framework

    framework = Framework.objects.chosen_for(school.force)
    aim = framework.aims.first()
    expectation = framework.expectations.first()
    own_force = FORCE_MANAGERS | {"other_force_admin": OK}
    elsewhere = FORCE_MANAGERS | {"other_force_admin": HIDDEN}
    aim_url = reverse("partnership:aim_edit", args=[aim.pk])
    return {
        "partnership:cycle_settings": rows_for(
            "GET", reverse("partnership:cycle_settings"), own_force, DENIED
        ),
        "partnership:purposes_edit": rows_for(
            "GET", reverse("partnership:purposes_edit"), own_force, DENIED
        )
        + [Row("manager", "POST", reverse("partnership:purposes_edit"), OK, {"names": ""})],
        "partnership:aim_edit": rows_for("GET", aim_url, elsewhere, DENIED)
        + [Row("manager", "POST", aim_url, OK, {"name": "x", "lower_is_better": "maybe"})],
        "partnership:expectation_create": rows_for(
            "GET", reverse("partnership:expectation_create"), own_force, DENIED
        ),
        "partnership:expectation_edit": rows_for(
            "GET", reverse("partnership:expectation_edit", args=[expectation.pk]), elsewhere, DENIED
        )
        + [
            Row(
                "manager",
                "POST",
                reverse("partnership:expectation_edit", args=[expectation.pk]),
                OK,
                {"text": "x", "levels": ["999999"]},
            )
        ],
    }


def test_every_page_of_the_partnership_has_rows(world):
    missing = _partnership_url_names() - set(matrix(world))
    assert not missing, f"Pages without permission rows: {sorted(missing)}"


@pytest.mark.parametrize("url_name", sorted(_partnership_url_names()))
def test_permission_matrix(client, world, url_name):
    check(client, world, matrix(world)[url_name])


def test_bad_inputs_never_give_a_500(client, world):
    """Nonsense in every form gives the page again with errors, never a server error."""
    school = world.schools["a1"]
    agreed_level(school, by=world.sso, approver=world.manager)
    client.force_login(world.sso)
    nonsense = {
        "aim": "x",
        "baseline": "-",
        "target_percent": "abc",
        "target_on_0": "31",
        "target_on_1": "2",
        "target_on_2": "x",
        "owner": "999999",
        "horizon": "soon",
        "starts_on_0": "1",
        "starts_on_1": "1",
        "starts_on_2": "2026",
        "due_on_0": "1",
        "due_on_1": "1",
        "due_on_2": "2020",
        "description": "",
        "strategy": "x" * 4000,
    }
    for name in ("objective_create", "action_create", "strategy_edit"):
        response = client.post(reverse(f"partnership:{name}", args=[school.pk]), nonsense)
        assert response.status_code == 200, name
        assert "govuk-error-summary" in response.content.decode(), name


# An agreement's joint reviews and NMT meetings: read by whoever reads the agreement (the
# force's police and every school role of its school); answered by its headteacher and the
# police who speak for it; meetings recorded by the police who speak for it.
AGREEMENT_READERS = {
    **dict.fromkeys(["sso", "neighbourhood", "sergeant", "manager", "admin"], OK),
    **dict.fromkeys(["headteacher", "dsl", "school_link"], OK),
    "other_school_headteacher": HIDDEN,
    **OTHER_FORCE,
}


def _agreement_review_rows(world, school):
    from partnership import joint_review
    from partnership.tests.factories import active_agreement

    agreement = active_agreement(school, officer=world.neighbourhood)
    review = joint_review.review_start(agreement=agreement, by=world.headteacher)
    start_url = reverse("partnership:agreement_review_start", args=[agreement.pk])
    review_url = review.get_absolute_url()
    decide_url = reverse("partnership:agreement_review_decide", args=[review.pk])
    meeting_url = reverse("partnership:nmt_meeting_create", args=[agreement.pk])
    answer = {"current": "yes", "effective": "yes", "improve": "nothing"}
    return {
        "partnership:agreement_reviews": rows_for(
            "GET",
            reverse("partnership:agreement_reviews", args=[agreement.pk]),
            AGREEMENT_READERS,
            DENIED,
        ),
        "partnership:agreement_review": rows_for("GET", review_url, AGREEMENT_READERS, DENIED)
        + [
            Row("dsl", "POST", review_url, DENIED, answer),
            Row("sso", "POST", review_url, DENIED, answer),  # not this school's officer
            Row("other_force_headteacher", "POST", review_url, HIDDEN, answer),
            Row("headteacher", "POST", review_url, OK, {"current": "perhaps"}),
            Row("neighbourhood", "POST", review_url, REDIRECT, answer),
        ],
        "partnership:agreement_review_start": [
            Row("anonymous", "POST", start_url, "login", {}),
            Row("headteacher", "POST", start_url, REDIRECT, {}),
            Row("sergeant", "POST", start_url, REDIRECT, {}),
            Row("dsl", "POST", start_url, DENIED, {}),
            Row("sso", "POST", start_url, DENIED, {}),
            Row("partner", "POST", start_url, DENIED, {}),
            Row("other_school_headteacher", "POST", start_url, HIDDEN, {}),
            Row("other_force_headteacher", "POST", start_url, HIDDEN, {}),
            Row("headteacher", "GET", start_url, "bad"),
        ],
        "partnership:agreement_review_decide": [
            Row("anonymous", "POST", decide_url, "login", {}),
            # Not both answered yet: the page again, with the reason.
            Row("headteacher", "POST", decide_url, OK, {"outcome": "renew_unchanged"}),
            Row("manager", "POST", decide_url, OK, {"outcome": "nonsense"}),
            Row("dsl", "POST", decide_url, DENIED, {}),
            Row("other_force_headteacher", "POST", decide_url, HIDDEN, {}),
            Row("headteacher", "GET", decide_url, "bad"),
        ],
        "partnership:nmt_meeting_create": rows_for(
            "GET",
            meeting_url,
            {
                **dict.fromkeys(["neighbourhood", "sergeant", "manager"], OK),
                "other_school_headteacher": HIDDEN,
                **OTHER_FORCE,
            },
            DENIED,
        )
        + [Row("neighbourhood", "POST", meeting_url, OK, {"held_on_0": "99", "notes": ""})],
    }
