"""List pages cost the same number of queries with 1 row as with 50."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import audit
from accounts.models import Invitation, OutboxEmail, Role
from accounts.tests.factories import TeamFactory, UserFactory
from schools.tests.factories import NamedContactFactory, SchoolFactory

pytestmark = pytest.mark.django_db

MAX_QUERIES = 12
# The school's home page gathers what the school sees of its partnership from every app (its
# contact, tier promise, engagements, agreement, referrals, actions, bookings, requests): each
# panel costs one or two queries, constant as rows grow.
MAX_QUERIES_FOR = {("headteacher", "home"): 16}


def _grow(world, n):
    """Add n more of every listed thing to force A."""
    police = world.orgs["police_a"]
    for i in range(n):
        person = UserFactory(
            organisation=police, role=Role.NEIGHBOURHOOD_OFFICER, team=world.teams["npt_a"]
        )
        Invitation.objects.create(
            email=f"grow{i}-{person.pk}@example.org",
            full_name="Grow",
            organisation=police,
            role=Role.SERGEANT,
            invited_by=world.admin,
            expires_at=timezone.now() + Invitation.VALID_FOR,
        )
        audit.record("accounts.user.disabled", actor=world.admin, target=person)
        audit.record_access(actor=world.admin, target=person, reason="Test")
        TeamFactory(force=world.forces["a"], sergeant=world.sergeant)
        school = SchoolFactory(force=world.forces["a"], team=world.teams["npt_a"])
        NamedContactFactory(school=school, officer=world.neighbourhood, deputy=world.sso)
        OutboxEmail.objects.create(
            to=f"gone{person.pk}@example.org",
            subject="Booking confirmed",
            body_text="…",
            key=f"grow.{person.pk}",
            force=world.forces["a"],
            state=OutboxEmail.State.FAILED,
            last_error="550 No such mailbox",
        )


PAGES = [
    ("admin", "accounts:person_list"),
    ("admin", "accounts:invitation_list"),
    ("admin", "accounts:team_list"),
    ("admin", "accounts:audit_list"),
    ("admin", "accounts:access_log_list"),
    ("admin", "accounts:outbox_list"),
    ("admin", "home"),
    ("manager", "home"),
    ("sergeant", "home"),
    ("neighbourhood", "home"),
    ("sso", "home"),
    ("headteacher", "home"),
    ("headteacher", "accounts:person_list"),
]


@pytest.mark.parametrize(("who", "url_name"), PAGES)
def test_list_pages_do_not_grow_queries_with_rows(client, world, who, url_name, count_queries):
    client.force_login(world.users[who])
    url = reverse(url_name)
    _grow(world, 1)
    client.get(url)  # warm per-session caches (the MFA check, content types)
    few = count_queries(client, url)
    _grow(world, 49)
    many = count_queries(client, url)
    assert few == many, f"{url} took {few} queries with few rows and {many} with 50 more"
    assert many <= MAX_QUERIES_FOR.get((who, url_name), MAX_QUERIES)


def test_team_detail_and_person_detail_are_constant_too(client, world, count_queries):
    client.force_login(world.admin)
    team_url = reverse("accounts:team_detail", args=[world.teams["npt_a"].pk])
    client.get(team_url)
    few = count_queries(client, team_url)
    _grow(world, 20)
    assert count_queries(client, team_url) == few


@pytest.mark.parametrize("who", ["sso", "manager"])
def test_school_list_and_overview_do_not_grow_queries_with_rows(client, world, who, count_queries):
    client.force_login(world.users[who])
    urls = [reverse("schools:list"), reverse("schools:list") + "?q=school&sort=pupils"]
    if who == "manager":
        urls.append(reverse("schools:contact_overview"))
    _grow(world, 1)
    for url in urls:
        client.get(url)
    few = [count_queries(client, url) for url in urls]
    _grow(world, 49)
    many = [count_queries(client, url) for url in urls]
    assert few == many
    assert max(many) <= MAX_QUERIES
    # A second look at the same list reads it again: no cached page stands between a change
    # and the reader, and the rows cost the same queries as the first time.
    for url in urls:
        client.get(url)
    warm = [count_queries(client, url, cold=False) for url in urls]
    assert warm[:2] == many[:2]


def test_school_page_does_not_grow_queries_with_its_history(client, world, count_queries):
    from schools.models import Engagement

    school = world.schools["a1"]
    client.force_login(world.sso)
    url = school.get_absolute_url()

    def log(n):
        for _ in range(n):
            Engagement.objects.create(
                school=school,
                officer=world.sso,
                occurred_on="2026-10-01",
                kind="visit",
                purpose="educator",
                duration_minutes=30,
                summary="Visit",
            )
            NamedContactFactory(school=SchoolFactory(force=world.forces["a"]), officer=world.sso)

    log(1)
    client.get(url)
    few = count_queries(client, url)
    log(49)
    assert count_queries(client, url) == few
    assert few <= MAX_QUERIES
