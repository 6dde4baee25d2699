"""The partnership's lists cost the same number of queries with 1 row as with 50."""

import pytest
from django.urls import reverse
from django.utils import timezone

from needs_assessment.tests.factories import approved_assessment
from partnership import groups
from partnership.tests.factories import COMPLEX, management_group, plan_with_action
from schools.tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

MAX_QUERIES = 12


def _grow(world, n):
    for _ in range(n):
        school = SchoolFactory(force=world.forces["a"])
        approved_assessment(school, COMPLEX, by=world.sso, approver=world.manager)
        plan_with_action(school, by=world.sso, owner=world.partner)
        group = management_group(school, by=world.manager, members={world.partner: "Partner"})
        meeting = groups.meeting_schedule(
            group=group, starts_at=timezone.now(), location="Hall", by=world.manager
        )
        groups.meeting_action_add(
            meeting=meeting,
            description="Send figures",
            owner=world.partner,
            due_on=timezone.localdate(),
            by=world.manager,
        )


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("partner", "/partnership/my-actions/"),
        ("manager", "/partnership/levels/"),
        ("manager", "/partnership/levels/?status=awaiting"),
        ("partner", "/partnership/groups/"),
        ("manager", "/partnership/groups/"),
        ("partner", "/"),
    ],
)
def test_lists_do_not_grow_queries_with_rows(client, world, count_queries, who, url):
    client.force_login(world.users[who])
    _grow(world, 1)
    client.get(url)
    few = count_queries(client, url)
    _grow(world, 12)
    many = count_queries(client, url)
    assert few == many, f"{url}: {few} queries with 1 row, {many} with 13"
    assert many <= MAX_QUERIES


def test_the_school_page_does_not_grow_with_the_plan(client, world, count_queries):
    school = world.schools["a1"]
    approved_assessment(school, COMPLEX, by=world.sso, approver=world.manager)
    plan_with_action(school, by=world.sso, owner=world.school_link)
    client.force_login(world.headteacher)
    url = reverse("partnership:school", args=[school.pk])
    client.get(url)
    few = count_queries(client, url)
    for _ in range(10):
        plan_with_action(school, by=world.sso, owner=world.partner)
    assert count_queries(client, url) == few


def test_an_agreements_reviews_and_meetings_and_a_groups_signatures_cost_the_same_as_they_grow(
    client, world, count_queries
):
    import datetime

    from accounts.models import User
    from partnership import joint_review
    from partnership.tests.factories import active_agreement

    school = world.schools["a1"]
    agreement = active_agreement(school, officer=world.neighbourhood)
    group = management_group(
        school, by=world.manager, members={world.headteacher: "Senior leadership"}
    )
    client.force_login(world.headteacher)
    reviews_url = reverse("partnership:agreement_reviews", args=[agreement.pk])

    def grow(n):
        for day in range(n):
            joint_review.nmt_meeting_record(
                agreement=agreement,
                by=world.neighbourhood,
                held_on=timezone.localdate() - datetime.timedelta(days=day),
                attendees="The officer",
                notes="Notes",
            )
        for _ in range(n):
            person = User.objects.create_user(
                email=f"member{group.members.count()}@example.org",
                full_name="A member",
                organisation=world.orgs["police_a"],
                role="sergeant",
            )
            groups.member_add(group=group, user=person, role_in_group="Member", by=world.manager)
            groups.terms_sign(group=group, by=person, typed_name="A member", confirmed=True)

    grow(1)
    client.get(reverse("home"))  # the first request of the session settles it
    few = (count_queries(client, reviews_url), count_queries(client, group.get_absolute_url()))
    grow(6)
    many = (count_queries(client, reviews_url), count_queries(client, group.get_absolute_url()))
    assert few == many
    assert max(many) <= MAX_QUERIES
