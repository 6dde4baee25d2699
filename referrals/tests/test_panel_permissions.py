"""Who may open the multi-agency panel pages and the casework actions owned outside the police;
and what a panel's members read: the cases on its agenda, only in its window, read-only.

The rows of every URL name of panel_views are in PANEL_PAGES (test_permissions.py's coverage
check counts them).
"""

import datetime

import pytest
from django.urls import reverse

from accounts.forms_kit import date_data
from referrals.models import Action
from tests.matrix import (
    AGENCY_WORKERS,
    ANONYMOUS,
    BAD,
    DENIED,
    EVERYONE,
    HIDDEN,
    LOGIN,
    OK,
    REDIRECT,
    Row,
    check,
)

from .conftest import make_case
from .factories import agency_worker, panel_meeting

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
WHO = (*EVERYONE, *AGENCY_WORKERS, "other_agency", "other_force_manager", "other_force_sso")
PANEL_READERS = ("headteacher", "dsl", "school_link", "sso", "neighbourhood", "sergeant")
PANEL_READERS += ("manager", "agency", "other_agency", "other_school_headteacher")
PANEL_READERS += ("other_force_manager", "other_force_sso", "other_force_headteacher")
PANEL_READERS += ("other_force_agency",)
# Members of the open meeting besides the sergeant who set it up.
MEMBERS = ("agency", "dsl", "sso")


def rows(method, url, expected: dict, default, data=None):
    out = [Row(ANONYMOUS, method, url, expected.get(ANONYMOUS, LOGIN), data)]
    return out + [Row(who, method, url, expected.get(who, default), data) for who in WHO]


@pytest.fixture
def objs(world):
    world.users["other_agency"] = agency_worker(world, "other_agency")
    case = make_case(world)  # North NPT's (the sergeant's team), the neighbourhood officer's
    not_on_agenda = make_case(world)
    past_case = make_case(world)
    future_case = make_case(world)
    meeting = panel_meeting(
        world,
        starts_in=DAY,
        members=[world.agency, world.dsl, world.sso],
        cases=[case],
    )
    past = panel_meeting(world, starts_in=-3 * DAY, members=[world.agency], cases=[past_case])
    future = panel_meeting(world, starts_in=4 * DAY, members=[world.agency], cases=[future_case])
    action = Action.objects.create(
        case=case,
        term="short",
        description="Offer a place on the knife-crime programme",
        owner_kind="partner",
        owner_user=world.agency,
        owner_name="Dorset Youth Justice Service",
        due_on=datetime.date.today() + 30 * DAY,
        next_review_on=datetime.date.today() + 30 * DAY,
        created_by=world.sergeant,
    )
    return {
        "case": case,
        "not_on_agenda": not_on_agenda,
        "past_case": past_case,
        "future_case": future_case,
        "meeting": meeting,
        "past": past,
        "future": future,
        "item": meeting.agenda.get(),
        "action": action,
    }


def _panel_url(name, meeting, *args):
    return reverse(f"referrals:{name}", args=[meeting.public_id, *args])


def _runners(name, extra_args=None, *, method="GET", data=None, allowed=OK):
    """A page of running a meeting: its sergeant's and the managers'; members may not; the
    rest do not see the meeting (or are refused panels at all)."""

    def build(world, o):
        url = _panel_url(name, o["meeting"], *(extra_args(o) if extra_args else ()))
        expected = {
            "sergeant": allowed,
            "manager": allowed,
            **dict.fromkeys(MEMBERS, DENIED),
            "coordinator": DENIED,
            "partner": DENIED,
            "admin": DENIED,
            "other_force_admin": DENIED,
        }
        return rows(method, url, expected, HIDDEN, data)

    return build


PANEL_PAGES = {
    "panel_list": lambda world, o: rows(
        "GET", reverse("referrals:panel_list"), dict.fromkeys(PANEL_READERS, OK), DENIED
    ),
    "panel_create": lambda world, o: rows(
        "GET",
        reverse("referrals:panel_create"),
        {"sergeant": OK, "manager": OK, "other_force_manager": OK},
        DENIED,
    ),
    "panel_detail": lambda world, o: rows(
        "GET",
        o["meeting"].get_absolute_url(),
        {
            "sergeant": OK,
            "manager": OK,
            **dict.fromkeys(MEMBERS, OK),
            "coordinator": DENIED,
            "partner": DENIED,
            "admin": DENIED,
            "other_force_admin": DENIED,
        },
        HIDDEN,
    ),
    "panel_member_add": _runners("panel_member_add"),
    "panel_member_remove": lambda world, o: (
        [
            r
            for r in _runners(
                "panel_member_remove",
                lambda o: [o["meeting"].members.get(user__role="dsl").pk],
                method="POST",
            )(world, o)
            if r.who not in ("sergeant", "manager")
        ]
        # Removing is a POST; a GET is refused.
        + [
            Row(
                "sergeant",
                "GET",
                _panel_url("panel_member_remove", o["meeting"], o["meeting"].members.first().pk),
                BAD,
            ),
            Row(
                "sergeant",
                "POST",
                _panel_url(
                    "panel_member_remove",
                    o["meeting"],
                    o["meeting"].members.get(user__role="dsl").pk,
                ),
                REDIRECT,
            ),
        ]
    ),
    "panel_case_add": _runners("panel_case_add"),
    "panel_attendance": _runners("panel_attendance"),
    "panel_decision": _runners("panel_decision", lambda o: [o["item"].pk]),
    "panel_action_add": _runners("panel_action_add", lambda o: [o["item"].pk]),
    "my_actions": lambda world, o: rows(
        "GET",
        reverse("referrals:my_actions"),
        dict.fromkeys(
            (
                "headteacher",
                "dsl",
                "school_link",
                "agency",
                "other_agency",
                "other_school_headteacher",
                "other_force_headteacher",
                "other_force_agency",
            ),
            OK,
        ),
        DENIED,
    ),
    "my_action_update": lambda world, o: rows(
        "GET",
        reverse("referrals:my_action_update", args=[o["action"].pk]),
        dict.fromkeys(
            (
                "headteacher",
                "dsl",
                "school_link",
                "agency",
                "other_agency",
                "other_school_headteacher",
                "other_force_headteacher",
                "other_force_agency",
            ),
            HIDDEN,
        )
        | {"agency": OK},
        DENIED,
    ),
}


@pytest.mark.parametrize("url_name", sorted(PANEL_PAGES))
def test_panel_permission_matrix(client, world, objs, url_name):
    check(client, world, PANEL_PAGES[url_name](world, objs))


def test_members_read_the_agenda_case_only_in_its_window(client, world, objs):
    """A partner at a panel sees that agenda's cases only, only in the window; after it (or
    before it opens) nothing; another force's agency nothing; a member who is an officer not
    holding the case reads it too, read-only."""
    case_url = objs["case"].get_absolute_url
    check(
        client,
        world,
        [
            # The agenda's case, in the window: its members read it.
            Row("agency", "GET", case_url(), OK),
            Row("dsl", "GET", case_url(), OK),
            Row("sso", "GET", case_url(), OK),
            # Not members: it does not exist for them (or, for police, is not theirs).
            Row("other_agency", "GET", case_url(), HIDDEN),
            Row("headteacher", "GET", case_url(), HIDDEN),
            Row("school_link", "GET", case_url(), HIDDEN),
            Row("other_force_agency", "GET", case_url(), HIDDEN),
            Row("other_force_sso", "GET", case_url(), HIDDEN),
            Row("coordinator", "GET", case_url(), DENIED),
            # Another case of the force, not on the agenda.
            Row("agency", "GET", objs["not_on_agenda"].get_absolute_url(), HIDDEN),
            Row("dsl", "GET", objs["not_on_agenda"].get_absolute_url(), HIDDEN),
            Row("sso", "GET", objs["not_on_agenda"].get_absolute_url(), DENIED),
            # A meeting whose window has closed, and one whose window has not opened.
            Row("agency", "GET", objs["past_case"].get_absolute_url(), HIDDEN),
            Row("agency", "GET", objs["future_case"].get_absolute_url(), HIDDEN),
        ],
    )


def test_members_cannot_change_the_agenda_case(client, world, objs):
    """Read-only: every page that changes the case refuses a member reading through a panel."""
    case = objs["case"]
    urls = [
        reverse(f"referrals:{name}", args=[case.public_id])
        for name in (
            "log_entry_create",
            "action_create",
            "case_risk",
            "case_allocate",
            "case_share",
            "case_close",
            "case_legal_hold",
            "case_access_log",
            "young_person_merge",
        )
    ]
    rows_ = [Row(who, "GET", url, DENIED) for url in urls for who in ("agency", "dsl", "sso")]
    rows_ += [
        Row(
            who,
            "POST",
            reverse("referrals:log_entry_create", args=[case.public_id]),
            DENIED,
            {
                "kind": "home_visit",
                "summary": "x",
                **date_data("occurred_on", datetime.date.today()),
            },
        )
        for who in ("agency", "dsl", "sso")
    ]
    check(client, world, rows_)
    assert case.log_entries.count() == 1


def test_agency_people_are_refused_everything_else(client, world, objs):
    """An agency worker (of this force or another) is refused the case list, the referrals
    inbox, school pages and dashboards, like any organisation outside the police."""
    school = world.schools["a1"]
    urls = {
        reverse("referrals:case_list"): DENIED,
        reverse("referrals:inbox"): DENIED,
        reverse("referrals:referral_create"): DENIED,
        reverse("referrals:retention_review"): DENIED,
        reverse("schools:list"): DENIED,
        reverse("reporting:dashboards"): DENIED,
        reverse("reporting:dashboard", args=["referrals"]): DENIED,
        reverse("accounts:person_list"): DENIED,
        reverse("accounts:team_list"): DENIED,
        # The school page: refused before any school is looked up.
        reverse("schools:detail", args=[school.pk]): DENIED,
    }
    rows_ = [
        Row(who, "GET", url, expected)
        for url, expected in urls.items()
        for who in ("agency", "other_force_agency")
    ]
    referral = objs["case"].referrals.first()
    rows_ += [Row("agency", "GET", referral.get_absolute_url(), HIDDEN)]
    check(client, world, rows_)
