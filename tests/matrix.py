"""The permission matrix: rows of (who, method, url, expected outcome), checked in one go."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

# Outcomes. "hidden" is a 404: a record of another school or force does not exist for you.
OK, REDIRECT, LOGIN, DENIED, HIDDEN, BAD = "ok", "redirect", "login", "denied", "hidden", "bad"
ANONYMOUS = "anonymous"

EVERYONE = (
    "headteacher",
    "dsl",
    "school_link",
    "sso",
    "neighbourhood",
    "sergeant",
    "manager",
    "coordinator",
    "partner",
    "admin",
    "other_school_headteacher",
    "other_force_admin",
    "other_force_headteacher",
)
# Partner agency workers (youth offending team) of force A and of force B. The world has them
# (conftest.build_world); they are kept out of EVERYONE so that rows built before agencies
# existed stay as they were: a matrix that concerns them names them (see
# referrals/tests/test_panel_permissions.py), and they are refused everything a panel or an
# action they own does not open to them.
AGENCY_WORKERS = ("agency", "other_force_agency")


@dataclass(frozen=True)
class Row:
    who: str
    method: str
    url: str
    expected: str
    data: dict | None = None

    def __str__(self):
        return f"{self.who} {self.method} {self.url} -> {self.expected}"


def outcome(response) -> str:
    """Name the outcome of a response in the matrix's terms."""
    code = response.status_code
    if code in (301, 302):
        login_url = reverse(settings.LOGIN_URL)
        return LOGIN if response["Location"].startswith(login_url) else REDIRECT
    return {200: OK, 403: DENIED, 404: HIDDEN, 400: BAD, 405: BAD}.get(code, str(code))


def check(client, world, rows):
    """Play every row with a fresh sign-in; fail listing every row that did not match."""
    failures = []
    for row in rows:
        client.logout()
        if row.who != ANONYMOUS:
            client.force_login(world.users[row.who])
        if row.method == "GET":
            response = client.get(row.url)
        else:
            response = client.post(row.url, row.data or {})
        got = outcome(response)
        if got != row.expected:
            failures.append(f"{row}: got {got} ({response.status_code})")
    assert not failures, "Permission matrix mismatches:\n" + "\n".join(failures)


def rows_for(method, url, expectations: dict, default: str, data=None, include_anonymous=True):
    """Build rows for every kind of person: `expectations` lists the exceptions to `default`."""
    who_list = ((ANONYMOUS,) if include_anonymous else ()) + EVERYONE
    rows = []
    for who in who_list:
        expected = expectations.get(who, LOGIN if who == ANONYMOUS else default)
        rows.append(Row(who, method, url, expected, data))
    return rows
