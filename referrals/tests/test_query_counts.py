"""The inbox and the case list cost the same number of queries with 1 case as with 50."""

import pytest
from django.urls import reverse

from referrals import services

from .conftest import make_case

pytestmark = pytest.mark.django_db

MAX_QUERIES = 14


def _grow(world, n):
    for _ in range(n):
        case = make_case(world, risk_level="high")
        services.referral_receive(
            by=world.sso,
            first_name=case.young_person.first_name,
            last_name=case.young_person.last_name,
            date_of_birth=case.young_person.date_of_birth,
            thresholds=["exclusion"],
            source="multi_agency",
            concern="Again",
        )


@pytest.mark.parametrize(
    ("who", "url_name", "data"),
    [
        ("sergeant", "referrals:inbox", None),
        ("sso", "referrals:inbox", None),
        ("sergeant", "referrals:case_list", None),
        ("neighbourhood", "referrals:case_list", None),
        ("manager", "referrals:case_list", None),
        ("manager", "referrals:case_list", {"q": "jamie smith"}),
        ("dsl", "home", None),
        ("sergeant", "home", None),
        ("manager", "home", None),
    ],
)
def test_lists_do_not_grow_queries_with_cases(client, world, who, url_name, data, count_queries):
    client.force_login(world.users[who])
    url = reverse(url_name)
    _grow(world, 1)
    count_queries(client, url, data, cold=False)  # warm per-session caches
    few = count_queries(client, url, data, cold=False)
    _grow(world, 49)
    many = count_queries(client, url, data, cold=False)
    assert few == many, f"{url} took {few} queries with 1 case and {many} with 50"
    assert many <= MAX_QUERIES


def test_the_school_page_panel_is_constant(client, world, count_queries):
    client.force_login(world.dsl)
    url = world.schools["a1"].get_absolute_url()
    _grow(world, 1)
    client.get(url)
    few = count_queries(client, url, cold=False)
    _grow(world, 20)
    assert count_queries(client, url, cold=False) == few


def test_the_case_page_reads_a_case_in_at_most_twelve_queries(client, world, case):
    """The sign-in, the case with what its reader may do and which safeguards it has, the
    log, actions, risk, referrals and their school shares, officer shares, the access-log
    insert, consents and signposting: flags, closure requests and hand-overs are read only
    when the case has some."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.sergeant)
    url = case.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert len(queries) <= 12, [q["sql"][:120] for q in queries.captured_queries]
    case.flags.create(message="Court date", flag_on=case.opened_on, flagged_by=world.sergeant)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert "Court date" in response.content.decode()
    assert len(queries) <= 13
