"""Who may open each page of the foundation: every role, another school and another force."""

import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import Invitation, OutboxEmail, Role
from accounts.tests.factories import InvitationFactory
from tests.matrix import ANONYMOUS, BAD, DENIED, HIDDEN, LOGIN, OK, REDIRECT, Row, check, rows_for

POLICE_SIDE = (
    "sso",
    "neighbourhood",
    "sergeant",
    "manager",
    "coordinator",
    "admin",
    "other_force_admin",
)
PEOPLE_READERS = (
    "admin",
    "manager",
    "sergeant",
    "headteacher",
    "other_school_headteacher",
    "other_force_admin",
    "other_force_headteacher",
)
INVITERS = (
    "admin",
    "manager",
    "headteacher",
    "other_school_headteacher",
    "other_force_admin",
    "other_force_headteacher",
)
AUDITORS = ("admin", "manager", "other_force_admin")


def _only(names, outcome):
    return dict.fromkeys(names, outcome)


def matrix(world):
    """Return {url name: rows} for every page the foundation adds."""
    dsl = world.dsl
    invitation = InvitationFactory(
        organisation=world.schools["a1"].organisation, role=Role.DSL, invited_by=world.headteacher
    )
    team = world.teams["npt_a"]
    failed_email = OutboxEmail.objects.create(
        to="gone@example.org",
        subject="Booking confirmed: Online safety",
        body_text="…",
        key="matrix.failed",
        force=world.forces["a"],
        state=OutboxEmail.State.FAILED,
        attempts=1,
        last_error="550 5.1.1 No such mailbox",
        # An hour old: once sent again and still waiting, it stays on the page.
        created=timezone.now() - datetime.timedelta(hours=1),
    )
    person_url = reverse("accounts:person_detail", args=[dsl.pk])
    people_hidden = {
        "other_school_headteacher": HIDDEN,
        "other_force_admin": HIDDEN,
        "other_force_headteacher": HIDDEN,
    }
    manage = {**people_hidden, "admin": REDIRECT, "manager": REDIRECT, "headteacher": REDIRECT}
    return {
        "home": rows_for("GET", reverse("home"), {}, OK),
        "healthz": rows_for("GET", reverse("healthz"), {ANONYMOUS: OK}, OK),
        "accounts:my_account": rows_for("GET", reverse("accounts:my_account"), {}, OK),
        "account_email": rows_for("GET", reverse("account_email"), {}, OK),
        "accounts:person_list": rows_for(
            "GET", reverse("accounts:person_list"), _only(PEOPLE_READERS, OK), DENIED
        ),
        "accounts:person_detail": rows_for(
            "GET", person_url, {**_only(PEOPLE_READERS, OK), **people_hidden}, DENIED
        )
        + [
            # A headteacher sees their own staff, not police officers.
            Row(
                "headteacher", "GET", reverse("accounts:person_detail", args=[world.sso.pk]), HIDDEN
            ),
            Row(
                "admin",
                "GET",
                reverse("accounts:person_detail", args=[world.other_force_sso.pk]),
                HIDDEN,
            ),
        ],
        "accounts:person_disable": rows_for(
            "POST",
            reverse("accounts:person_disable", args=[dsl.pk]),
            # The headteacher's row disables the DSL, whose own session then ends at once.
            {**manage, "sergeant": DENIED, "dsl": LOGIN},
            DENIED,
        )
        + [
            Row("admin", "GET", reverse("accounts:person_disable", args=[dsl.pk]), BAD),
            # Nobody disables themselves; a manager cannot disable an administrator.
            Row("admin", "POST", reverse("accounts:person_disable", args=[world.admin.pk]), DENIED),
            Row(
                "manager", "POST", reverse("accounts:person_disable", args=[world.admin.pk]), DENIED
            ),
            Row(
                "headteacher",
                "POST",
                reverse("accounts:person_disable", args=[world.sso.pk]),
                HIDDEN,
            ),
        ],
        "accounts:person_enable": rows_for(
            "POST",
            reverse("accounts:person_enable", args=[dsl.pk]),
            {**manage, "sergeant": DENIED},
            DENIED,
        ),
        "accounts:invitation_create": rows_for(
            "GET", reverse("accounts:invitation_create"), _only(INVITERS, OK), DENIED
        )
        + [
            Row(
                who,
                "POST",
                reverse("accounts:invitation_create"),
                expected,
                {
                    "full_name": "New Person",
                    "email": f"new-{who}@example.org",
                    "role": "dsl",
                    "organisation": world.schools["a1"].organisation.pk,
                },
            )
            for who, expected in [
                ("admin", REDIRECT),
                ("manager", REDIRECT),
                ("headteacher", REDIRECT),
                # Another school's headteacher or another force: the school is not a choice.
                ("other_school_headteacher", OK),
                ("other_force_admin", OK),
                ("dsl", DENIED),
                ("sso", DENIED),
                ("partner", DENIED),
                (ANONYMOUS, LOGIN),
            ]
        ],
        "accounts:invitation_list": rows_for(
            "GET", reverse("accounts:invitation_list"), _only(INVITERS, OK), DENIED
        ),
        "accounts:invitation_revoke": rows_for(
            "POST",
            reverse("accounts:invitation_revoke", args=[invitation.pk]),
            {
                **_only(INVITERS, HIDDEN),
                "admin": REDIRECT,
                "manager": REDIRECT,
                "headteacher": REDIRECT,
            },
            DENIED,
        ),
        "accounts:invitation_accept": [
            Row(ANONYMOUS, "GET", invitation.get_accept_url(), OK),
            Row(ANONYMOUS, "GET", reverse("accounts:invitation_accept", args=["forged"]), HIDDEN),
            Row("headteacher", "GET", invitation.get_accept_url(), "409"),
        ],
        "accounts:team_list": rows_for(
            "GET", reverse("accounts:team_list"), _only(POLICE_SIDE, OK), DENIED
        ),
        "accounts:team_detail": rows_for(
            "GET",
            team.get_absolute_url(),
            {**_only(POLICE_SIDE, OK), "other_force_admin": HIDDEN},
            DENIED,
        ),
        "accounts:team_create": rows_for(
            "GET",
            reverse("accounts:team_create"),
            {"admin": OK, "other_force_admin": OK},
            DENIED,
        )
        + [
            Row(
                "admin",
                "POST",
                reverse("accounts:team_create"),
                REDIRECT,
                {"name": "East NPT", "kind": "neighbourhood"},
            ),
            Row(
                "manager",
                "POST",
                reverse("accounts:team_create"),
                DENIED,
                {"name": "West NPT", "kind": "neighbourhood"},
            ),
        ],
        "accounts:team_edit": rows_for(
            "GET",
            reverse("accounts:team_edit", args=[team.pk]),
            {"admin": OK, "other_force_admin": HIDDEN},
            DENIED,
        ),
        "accounts:audit_list": rows_for(
            "GET", reverse("accounts:audit_list"), _only(AUDITORS, OK), DENIED
        ),
        "accounts:access_log_list": rows_for(
            "GET", reverse("accounts:access_log_list"), _only(AUDITORS, OK), DENIED
        ),
        "accounts:outbox_list": rows_for(
            "GET", reverse("accounts:outbox_list"), _only(AUDITORS, OK), DENIED
        ),
        "accounts:outbox_resend": rows_for(
            "POST",
            reverse("accounts:outbox_resend", args=[failed_email.pk]),
            {"admin": REDIRECT, "manager": REDIRECT, "other_force_admin": HIDDEN},
            DENIED,
        ),
        "accounts:force_settings": rows_for(
            "GET",
            reverse("accounts:force_settings"),
            {"admin": OK, "other_force_admin": OK},
            DENIED,
        )
        + [
            Row(
                "manager",
                "POST",
                reverse("accounts:force_settings"),
                DENIED,
                {"contact_model": "team_caseload", "enhanced_engagements_per_term": 6},
            ),
        ],
    }


def _our_url_names():
    """Return the names of every URL the product itself defines (not allauth's or admin's)."""
    names = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace in {"admin"} or pattern.urlconf_name == "allauth.urls":
                    continue
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return names


@pytest.mark.django_db
def test_every_page_has_rows_in_the_matrix(world):
    covered = set(matrix(world))
    assert covered == set(URL_NAMES), "every row set of the matrix is played"
    missing = {
        name
        for name in _our_url_names() - covered - set(ORGANISATION_URL_NAMES)
        # Pages of later apps are covered by their own matrices.
        if name.split(":")[0] in {"accounts", "home", "healthz"}
    }
    assert not missing, f"Pages without permission rows: {sorted(missing)}"


URL_NAMES = [
    "home",
    "healthz",
    "accounts:my_account",
    "account_email",
    "accounts:person_list",
    "accounts:person_detail",
    "accounts:person_disable",
    "accounts:person_enable",
    "accounts:invitation_create",
    "accounts:invitation_list",
    "accounts:invitation_revoke",
    "accounts:invitation_accept",
    "accounts:team_list",
    "accounts:team_detail",
    "accounts:team_create",
    "accounts:team_edit",
    "accounts:audit_list",
    "accounts:access_log_list",
    "accounts:outbox_list",
    "accounts:outbox_resend",
    "accounts:force_settings",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", URL_NAMES)
def test_permission_matrix(client, world, url_name):
    check(client, world, matrix(world)[url_name])


@pytest.mark.django_db
def test_another_force_gets_404_on_every_record_url(client, world):
    """Every URL that names a record of force A answers 404 to force B's people."""
    invitation = Invitation.objects.create(
        email="x@example.org",
        full_name="X",
        organisation=world.orgs["police_a"],
        role=Role.SAFER_SCHOOLS_OFFICER,
        invited_by=world.admin,
        expires_at=world.admin.date_joined.replace(year=2100),
    )
    team = world.teams["npt_a"]
    email = OutboxEmail.objects.create(
        to="gone@example.org",
        subject="Booking confirmed",
        body_text="…",
        key="other-force.failed",
        force=world.forces["a"],
        state=OutboxEmail.State.FAILED,
    )
    record_urls = [
        ("GET", reverse("accounts:person_detail", args=[world.sso.pk])),
        ("POST", reverse("accounts:person_disable", args=[world.sso.pk])),
        ("POST", reverse("accounts:person_enable", args=[world.sso.pk])),
        ("POST", reverse("accounts:invitation_revoke", args=[invitation.pk])),
        ("GET", reverse("accounts:team_detail", args=[team.pk])),
        ("GET", reverse("accounts:team_edit", args=[team.pk])),
        ("POST", reverse("accounts:outbox_resend", args=[email.pk])),
    ]
    for who in (
        "other_force_admin",
        "other_force_manager",
        "other_force_sso",
        "other_force_headteacher",
    ):
        client.force_login(world.users[who])
        for method, url in record_urls:
            response = client.get(url) if method == "GET" else client.post(url)
            assert response.status_code in (403, 404), (
                f"{who} {method} {url}: {response.status_code}"
            )
    world.sso.refresh_from_db()
    assert world.sso.is_active
    email.refresh_from_db()
    assert email.state == OutboxEmail.State.FAILED


# Requests for help (help_requests) -----------------------------------------------------------

SCHOOL_STAFF_A1 = ("headteacher", "dsl", "school_link")
ANY_SCHOOL_STAFF = (*SCHOOL_STAFF_A1, "other_school_headteacher", "other_force_headteacher")
REQUEST_READERS = ("sso", "neighbourhood", "sergeant", "manager", "admin", "other_force_admin")
OFFICERS_A = ("sso", "neighbourhood", "sergeant")
OTHERS_HIDDEN = {
    "other_school_headteacher": HIDDEN,
    "other_force_admin": HIDDEN,
    "other_force_headteacher": HIDDEN,
}


def help_requests_matrix(world):
    """Return {url name: rows} for every page of requests for help."""
    from help_requests import services as help_services

    def asked():
        return help_services.help_request_ask(
            school=world.schools["a1"], by=world.school_link, kind="talk", need="Year 8 talk"
        )

    help_request = asked()
    pk = help_request.pk
    officer_pages = {
        **_only(OFFICERS_A, OK),
        "other_force_admin": DENIED,
        "other_force_headteacher": DENIED,
    }
    close_url = lambda request: reverse("help_requests:close", args=[request.pk])  # noqa: E731
    return {
        "help_requests:list": rows_for(
            "GET",
            reverse("help_requests:list"),
            _only((*ANY_SCHOOL_STAFF, *REQUEST_READERS), OK),
            DENIED,
        ),
        "help_requests:create": rows_for(
            "GET", reverse("help_requests:create"), _only(ANY_SCHOOL_STAFF, OK), DENIED
        )
        + [
            Row(
                who,
                "POST",
                reverse("help_requests:create"),
                expected,
                {"kind": "advice", "need": "Advice"},
            )
            for who, expected in [("dsl", REDIRECT), ("sso", DENIED), ("partner", DENIED)]
        ],
        "help_requests:detail": rows_for(
            "GET",
            reverse("help_requests:detail", args=[pk]),
            {**_only((*SCHOOL_STAFF_A1, *REQUEST_READERS), OK), **OTHERS_HIDDEN},
            DENIED,
        )
        + [Row("other_force_sso", "GET", reverse("help_requests:detail", args=[pk]), HIDDEN)],
        "help_requests:answer": rows_for(
            "POST",
            reverse("help_requests:answer", args=[pk]),
            {**_only(OFFICERS_A, REDIRECT), "other_force_admin": DENIED},
            DENIED,
            data={"answer": "Yes, on Friday"},
        )
        + [
            Row(
                "other_force_sso",
                "POST",
                reverse("help_requests:answer", args=[pk]),
                HIDDEN,
                {"answer": "x"},
            ),
            Row("sso", "GET", reverse("help_requests:answer", args=[pk]), BAD),
        ],
        "help_requests:engagement": rows_for(
            "GET", reverse("help_requests:engagement", args=[pk]), officer_pages, DENIED
        )
        + [Row("other_force_sso", "GET", reverse("help_requests:engagement", args=[pk]), HIDDEN)],
        "help_requests:session": rows_for(
            "GET", reverse("help_requests:session", args=[pk]), officer_pages, DENIED
        )
        + [Row("other_force_sso", "GET", reverse("help_requests:session", args=[pk]), HIDDEN)],
        # Each officer closes a request of their own: a closed one cannot be closed again.
        "help_requests:close": [
            Row(who, "POST", close_url(asked()), REDIRECT) for who in OFFICERS_A
        ]
        + [
            Row(who, "POST", close_url(help_request), expected)
            for who, expected in [
                (ANONYMOUS, LOGIN),
                *((who, DENIED) for who in (*SCHOOL_STAFF_A1, "manager", "admin", "partner")),
                ("other_force_sso", HIDDEN),
                ("other_school_headteacher", DENIED),
            ]
        ]
        + [Row("sso", "GET", close_url(help_request), BAD)],
        "help_requests:summary": rows_for(
            "GET",
            reverse("help_requests:summary"),
            _only(("headteacher", "other_school_headteacher", "other_force_headteacher"), OK),
            DENIED,
        ),
        "help_requests:summary_pdf": rows_for(
            "GET",
            reverse("help_requests:summary_pdf"),
            _only(("headteacher", "other_school_headteacher", "other_force_headteacher"), OK),
            DENIED,
        ),
    }


HELP_REQUESTS_URL_NAMES = [
    "help_requests:list",
    "help_requests:create",
    "help_requests:detail",
    "help_requests:answer",
    "help_requests:engagement",
    "help_requests:session",
    "help_requests:close",
    "help_requests:summary",
    "help_requests:summary_pdf",
]


@pytest.mark.django_db
def test_every_page_of_help_requests_has_rows(world):
    ours = {name for name in _our_url_names() if name.startswith("help_requests:")}
    ours -= set(help_request_incident_matrix(world))  # their rows: the block at the end
    assert ours == set(help_requests_matrix(world)) == set(HELP_REQUESTS_URL_NAMES)


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", HELP_REQUESTS_URL_NAMES)
def test_help_requests_permission_matrix(client, world, url_name):
    check(client, world, help_requests_matrix(world)[url_name])


# A request for help recorded as an incident (help_requests:incident, #18 item 5) -------------


def help_request_incident_matrix(world):
    """Return {url name: rows} for recording a request for help as an incident: officers of
    the school's force only; another force's officer finds no such request."""
    import datetime

    from accounts.forms_kit import date_data
    from help_requests import services as help_services
    from incidents.tests.factories import kind_of

    def asked():
        return help_services.help_request_ask(
            school=world.schools["a1"], by=world.school_link, kind="gates", need="At the gates"
        )

    url = lambda request: reverse("help_requests:incident", args=[request.pk])  # noqa: E731
    help_request = asked()
    data = {
        "kind": kind_of(world.forces["a"], "weapon").pk,
        **date_data("occurred_on", datetime.date.today()),
        "place": "in_school",
        "summary": "A knife found at the gates",
        "answer": "Recorded as an incident",
    }
    return {
        "help_requests:incident": rows_for(
            "GET",
            url(help_request),
            _only(OFFICERS_A, OK),
            DENIED,
        )
        + [Row("other_force_sso", "GET", url(help_request), HIDDEN)]
        + [Row(who, "POST", url(asked()), REDIRECT, data) for who in OFFICERS_A]
        + [
            Row(who, "POST", url(help_request), expected, data)
            for who, expected in [
                (ANONYMOUS, LOGIN),
                *((who, DENIED) for who in (*SCHOOL_STAFF_A1, "manager", "admin", "partner")),
                ("other_force_sso", HIDDEN),
                ("other_school_headteacher", DENIED),
            ]
        ],
    }


@pytest.mark.django_db
def test_help_request_incident_permission_matrix(client, world):
    from incidents.models import Incident

    check(client, world, help_request_incident_matrix(world)["help_requests:incident"])
    assert Incident.objects.count() == len(OFFICERS_A)  # one from each officer's POST


# A force's organisations (accounts:organisation_*, #22 item 1) -------------------------------
# Its administrators and prevention managers keep them; everyone else is refused, partner
# agency workers included; another force's administrator finds no such organisation.

ORGANISATION_KEEPERS = ("admin", "manager", "other_force_admin")


def organisations_matrix(world):
    """Return {url name: rows} for the Organisations pages."""
    from tests.matrix import AGENCY_WORKERS

    agency = world.orgs["agency_a"]
    detail = reverse("accounts:organisation_detail", args=[agency.pk])
    edit = reverse("accounts:organisation_edit", args=[agency.pk])
    create = reverse("accounts:organisation_create")
    new = {"name": "Dorset Early Help", "kind": "agency", "agency_type": "early_help"}
    renamed = {"name": "Dorset Youth Justice", "agency_type": "youth_justice"}
    agency_rows = lambda method, url, expected, data=None: [  # noqa: E731
        Row(who, method, url, expected, data) for who in AGENCY_WORKERS
    ]
    return {
        "accounts:organisation_list": rows_for(
            "GET", reverse("accounts:organisation_list"), _only(ORGANISATION_KEEPERS, OK), DENIED
        )
        + agency_rows("GET", reverse("accounts:organisation_list"), DENIED),
        "accounts:organisation_detail": rows_for(
            "GET",
            detail,
            {"admin": OK, "manager": OK, "other_force_admin": HIDDEN},
            DENIED,
        )
        + agency_rows("GET", detail, DENIED),
        "accounts:organisation_create": rows_for(
            "GET", create, _only(ORGANISATION_KEEPERS, OK), DENIED
        )
        + agency_rows("GET", create, DENIED)
        + [
            Row("admin", "POST", create, REDIRECT, new),
            Row("manager", "POST", create, REDIRECT, {**new, "name": "Dorset Health"}),
            *(
                Row(who, "POST", create, DENIED, {**new, "name": f"{who} agency"})
                for who in ("sso", "sergeant", "coordinator", "headteacher", "partner", "agency")
            ),
            Row(ANONYMOUS, "POST", create, LOGIN, {**new, "name": "Anonymous agency"}),
        ],
        "accounts:organisation_edit": rows_for(
            "GET",
            edit,
            {"admin": OK, "manager": OK, "other_force_admin": HIDDEN},
            DENIED,
        )
        + agency_rows("GET", edit, DENIED)
        + [
            Row("other_force_manager", "POST", edit, HIDDEN, {**renamed, "name": "Taken over"}),
            *(
                Row(who, "POST", edit, DENIED, {**renamed, "name": f"{who} rename"})
                for who in ("sso", "sergeant", "headteacher", "partner", "agency")
            ),
            Row(ANONYMOUS, "POST", edit, LOGIN, renamed),
            Row("manager", "POST", edit, REDIRECT, renamed),
        ],
    }


ORGANISATION_URL_NAMES = [
    "accounts:organisation_list",
    "accounts:organisation_detail",
    "accounts:organisation_create",
    "accounts:organisation_edit",
]


@pytest.mark.django_db
def test_every_organisations_page_has_rows(world):
    assert set(organisations_matrix(world)) == set(ORGANISATION_URL_NAMES)


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ORGANISATION_URL_NAMES)
def test_organisations_permission_matrix(client, world, url_name):
    from accounts.models import Organisation

    check(client, world, organisations_matrix(world)[url_name])
    names = set(Organisation.objects.values_list("name", flat=True))
    # Only the allowed POSTs changed anything.
    assert not {n for n in names if n.endswith((" agency", " rename")) or n == "Taken over"}
    if url_name == "accounts:organisation_create":
        assert {"Dorset Early Help", "Dorset Health"} <= names
    if url_name == "accounts:organisation_edit":
        assert "Dorset Youth Justice" in names
