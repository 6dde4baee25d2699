"""Who may open each page of incidents: every role, another school and another force.

Each URL name of the app has a builder in PAGES; test_every_url_has_rows fails when one does not.
"""

import pytest
from django.urls import URLPattern, reverse

from accounts.models import Role
from accounts.tests.factories import UserFactory
from incidents import urls as incident_urls
from incidents.models import DesignatedLead, Incident
from tests.matrix import ANONYMOUS, DENIED, EVERYONE, HIDDEN, LOGIN, OK, REDIRECT, Row, check

from .factories import ExhibitFactory, IncidentFactory, IncidentPersonFactory, kind_of

pytestmark = pytest.mark.django_db

EXTRA = ("other_force_sso", "other_force_manager", "other_school_dsl")
OFFICERS = ("sso", "neighbourhood", "sergeant")
POLICE = (*OFFICERS, "manager")
# The headteacher and the DSL of a school report and read its incidents, in every force.
REPORTERS = (
    "headteacher",
    "dsl",
    "other_school_headteacher",
    "other_school_dsl",
    "other_force_headteacher",
)
HEADTEACHERS = ("headteacher", "other_school_headteacher", "other_force_headteacher")
PROTOCOL_KEEPERS = ("admin", "manager", "other_force_admin", "other_force_manager")


def rows(method, url, expected: dict, default, data=None):
    """Rows for everyone (and three more people): `expected` lists the exceptions."""
    outcomes = {ANONYMOUS: LOGIN}
    for who in (*EVERYONE, *EXTRA):
        outcomes[who] = expected.get(who, default)
    return [Row(who, method, url, outcome, data) for who, outcome in outcomes.items()]


def _only(names, outcome):
    return dict.fromkeys(names, outcome)


@pytest.fixture
def objs(world):
    incident = IncidentFactory(school=world.schools["a1"], reported_by=world.dsl)
    IncidentPersonFactory(incident=incident)
    draft = IncidentFactory(
        school=world.schools["a1"],
        reported_by=world.dsl,
        status=Incident.Status.DRAFT,
        sent_at=None,
    )
    person = IncidentPersonFactory(incident=draft)
    exhibit = ExhibitFactory(incident=draft)
    deputy = UserFactory(organisation=world.schools["a1"].organisation, role=Role.SCHOOL_LINK)
    lead = DesignatedLead.objects.create(
        school=world.schools["a1"], person=deputy, designated_by=world.headteacher
    )
    return {
        "incident": incident,
        "draft": draft,
        "person": person,
        "exhibit": exhibit,
        "lead": lead,
        "kind": kind_of(world.forces["a"]),
    }


def _url(name, obj, *args):
    return reverse(f"incidents:{name}", args=[obj.public_id, *args])


def _draft_page(name, *args, method="GET", allowed=OK):
    """A page of the report: its author only; for everyone else the draft does not exist."""
    return lambda world, o: rows(
        method, _url(name, o["draft"], *args(o) if args else ()), {"dsl": allowed}, HIDDEN
    )


PAGES = {
    "list": lambda world, o: (
        rows(
            "GET",
            reverse("incidents:list"),
            {**_only((*POLICE, *REPORTERS, "other_force_sso", "other_force_manager"), OK)},
            DENIED,
        )
        + [
            # A school of another force does not exist for the list's filter.
            Row(
                "sso",
                "GET",
                reverse("incidents:list") + f"?school={world.schools['b1'].pk}",
                HIDDEN,
            )
        ]
    ),
    "start": lambda world, o: (
        rows("GET", reverse("incidents:start"), _only(REPORTERS, OK), DENIED)
        + [Row("dsl", "POST", reverse("incidents:start"), REDIRECT, {"kind": o["kind"].pk})]
    ),
    "leads": lambda world, o: rows(
        "GET", reverse("incidents:leads"), _only(HEADTEACHERS, OK), DENIED
    ),
    "lead_withdraw": lambda world, o: rows(
        "POST",
        reverse("incidents:lead_withdraw", args=[o["lead"].pk]),
        {"headteacher": REDIRECT},
        HIDDEN,
    ),
    "protocol": lambda world, o: rows(
        "GET", reverse("incidents:protocol"), _only(PROTOCOL_KEEPERS, OK), DENIED
    ),
    "kind_create": lambda world, o: rows(
        "GET", reverse("incidents:kind_create"), _only(PROTOCOL_KEEPERS, OK), DENIED
    ),
    "kind_edit": lambda world, o: rows(
        "GET",
        reverse("incidents:kind_edit", args=[o["kind"].pk]),
        {
            "admin": OK,
            "manager": OK,
            "other_force_admin": HIDDEN,
            "other_force_manager": HIDDEN,
        },
        DENIED,
    ),
    "detail": lambda world, o: rows(
        "GET", _url("detail", o["incident"]), _only((*POLICE, "headteacher", "dsl"), OK), HIDDEN
    ),
    "acknowledge": lambda world, o: rows(
        "POST",
        _url("acknowledge", o["incident"]),
        {**_only(OFFICERS, REDIRECT), **_only(("manager", "headteacher", "dsl"), DENIED)},
        HIDDEN,
    ),
    "outcome": lambda world, o: rows(
        "GET",
        _url("outcome", o["incident"]),
        {**_only(OFFICERS, OK), **_only(("manager", "headteacher", "dsl"), DENIED)},
        HIDDEN,
    ),
    "check": lambda world, o: (
        _draft_page("check")(world, o) + [Row("dsl", "GET", _url("check", o["incident"]), REDIRECT)]
    ),
    "step": lambda world, o: (
        rows("GET", _url("step", o["draft"], "when"), {"dsl": OK}, HIDDEN)
        + [Row("dsl", "GET", _url("step", o["draft"], "nonsense"), HIDDEN)]
    ),
    "person_add": _draft_page("person_add"),
    "person_remove": lambda world, o: rows(
        "POST", _url("person_remove", o["draft"], o["person"].pk), {"dsl": REDIRECT}, HIDDEN
    ),
    "exhibit_add": _draft_page("exhibit_add"),
    "exhibit_remove": lambda world, o: rows(
        "POST", _url("exhibit_remove", o["draft"], o["exhibit"].pk), {"dsl": REDIRECT}, HIDDEN
    ),
}


def test_every_url_has_rows():
    from .test_record_permissions import OPERATIONAL_PAGES  # the operational records' rows

    names = {p.name for p in incident_urls.urlpatterns if isinstance(p, URLPattern)}
    pages = set(PAGES) | set(OPERATIONAL_PAGES)
    assert names == pages, f"URL names without permission rows: {sorted(names - pages)}"


@pytest.mark.parametrize("url_name", sorted(PAGES))
def test_permission_matrix(client, world, objs, url_name):
    check(client, world, PAGES[url_name](world, objs))


def test_another_force_gets_404_on_every_record_url(client, world, objs):
    urls = [
        ("GET", _url("detail", objs["incident"])),
        ("POST", _url("acknowledge", objs["incident"])),
        ("GET", _url("outcome", objs["incident"])),
        ("GET", _url("check", objs["draft"])),
        ("GET", reverse("incidents:kind_edit", args=[objs["kind"].pk])),
        ("POST", reverse("incidents:lead_withdraw", args=[objs["lead"].pk])),
        (
            "GET",
            reverse("referrals:referral_create_for_incident", args=[objs["incident"].public_id]),
        ),
    ]
    for who in (
        "other_force_admin",
        "other_force_manager",
        "other_force_sso",
        "other_force_headteacher",
    ):
        client.force_login(world.users[who])
        for method, url in urls:
            response = client.get(url) if method == "GET" else client.post(url)
            assert response.status_code in (403, 404), (
                f"{who} {method} {url}: {response.status_code}"
            )
    objs["incident"].refresh_from_db()
    assert objs["incident"].status == Incident.Status.NEW
