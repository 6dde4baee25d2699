"""The agreements list, the home panels and the school page cost the same queries at 1 and 50 rows."""

import datetime

import pytest
from django.utils import timezone

from agreements.models import Agreement
from agreements.tests.factories import AgreementFactory
from schools.tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

MAX_QUERIES = 14


def _grow(world, n):
    """Add n schools of force A, each with an agreement in a different state."""
    force = world.forces["a"]
    today = timezone.localdate()
    states = [
        {"state": Agreement.State.ACTIVE, "active_on": today, "review_due_on": today},
        {"state": Agreement.State.SENT, "awaiting_party": Agreement.Party.POLICE},
        {"state": Agreement.State.DRAFT},
        {
            "state": Agreement.State.ACTIVE,
            "active_on": today - datetime.timedelta(days=360),
            "review_due_on": today + datetime.timedelta(days=5),
            "review_suggested": True,
        },
    ]
    for i in range(n):
        school = SchoolFactory(force=force)
        AgreementFactory(
            school=school, named_officer=world.neighbourhood, **states[i % len(states)]
        )


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("manager", "/agreements/"),
        ("manager", "/agreements/?status=review_due"),
        ("neighbourhood", "/agreements/?status=awaiting"),
        ("neighbourhood", "/"),
        ("sergeant", "/"),
        ("headteacher", "/"),
        ("sso", "/schools/?mou=active"),
    ],
)
def test_pages_do_not_grow_queries_with_agreements(client, world, who, url, count_queries):
    client.force_login(world.users[who])
    _grow(world, 4)  # one agreement in each state
    client.get(url)  # warm per-session caches
    few = count_queries(client, url)
    _grow(world, 48)
    many = count_queries(client, url)
    assert few == many, f"{url} took {few} queries with 4 rows and {many} with 48 more"
    assert many <= MAX_QUERIES


def test_school_page_with_its_agreement_history(client, world, count_queries):
    school = world.schools["a1"]
    client.force_login(world.sso)

    def ended(n):
        for _ in range(n):
            AgreementFactory(
                school=school,
                named_officer=world.neighbourhood,
                state=Agreement.State.ENDED,
                ended_on=timezone.localdate(),
                ended_reason="Test",
            )

    ended(1)
    url = school.get_absolute_url()
    client.get(url)
    few = count_queries(client, url)
    ended(20)
    assert count_queries(client, url) == few
    assert "Memorandum of Understanding" in client.get(url).content.decode()
