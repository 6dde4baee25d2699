"""The inbox and the case list cost the same number of queries with 1 case as with 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from referrals import services

from .conftest import make_case

pytestmark = pytest.mark.django_db

MAX_QUERIES = 14


def _queries(client, url, data=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, data) if data else client.get(url)
    assert response.status_code == 200, url
    return len(captured)


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
def test_lists_do_not_grow_queries_with_cases(client, world, who, url_name, data):
    client.force_login(world.users[who])
    url = reverse(url_name)
    _grow(world, 1)
    _queries(client, url, data)  # warm per-session caches
    few = _queries(client, url, data)
    _grow(world, 49)
    many = _queries(client, url, data)
    assert few == many, f"{url} took {few} queries with 1 case and {many} with 50"
    assert many <= MAX_QUERIES


def test_the_school_page_panel_is_constant(client, world):
    client.force_login(world.dsl)
    url = world.schools["a1"].get_absolute_url()
    _grow(world, 1)
    client.get(url)
    few = _queries(client, url)
    _grow(world, 20)
    assert _queries(client, url) == few
