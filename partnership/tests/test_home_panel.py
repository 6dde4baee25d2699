"""The home panel's actions: the police read theirs with their figures in one query, school
staff with their school; both show each open action's description, school and due date."""

import pytest
from django.urls import reverse

from partnership.models import Action
from partnership.tests.factories import plan_with_action

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["sso", "school_link"])
def test_the_home_page_lists_the_open_actions_a_person_owns(client, world, who):
    school = world.schools["a1"]
    owner = world.users[who]
    _, action = plan_with_action(school, by=world.sso, owner=owner)
    _, done = plan_with_action(school, by=world.sso, owner=owner)
    Action.objects.filter(pk=done.pk).update(status=Action.Status.DONE, description="Already done")
    _, other = plan_with_action(school, by=world.sso, owner=world.partner)
    Action.objects.filter(pk=other.pk).update(description="Someone else's")
    client.force_login(owner)
    page = client.get(reverse("home")).content.decode()
    assert "Your actions" in page
    assert reverse("partnership:action_update", args=[action.pk]) in page
    assert f"{action.description}</a> ({school.name}, due {action.due_on:%-d %b %Y})" in page
    assert "Already done" not in page and "Someone else" not in page


def test_no_actions_no_panel(client, world):
    client.force_login(world.sso)
    assert "Your actions" not in client.get(reverse("home")).content.decode()
