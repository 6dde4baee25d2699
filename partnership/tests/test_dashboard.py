"""The dashboard counts levels agreed and in discussion, each figure linked to a list of as many."""

import re

import pytest
from django.urls import reverse

from partnership import services
from partnership.tests.factories import agreed_level
from schools.tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def test_levels_agreed_and_in_discussion_match_their_lists(client, world):
    first = agreed_level(world.schools["a1"], by=world.sso, approver=world.manager)
    agreed_level(world.schools["a2"], by=world.sso, approver=world.manager)
    third = agreed_level(
        SchoolFactory(force=world.forces["a"]), by=world.sso, approver=world.manager
    )
    services.level_agreement_answer(agreement=first, by=world.headteacher, agreed=True)
    services.level_agreement_answer(
        agreement=third, by=world.headteacher, agreed=False, reason="Offending fell"
    )
    agreed_level(world.schools["b1"], by=world.other_force_sso, approver=world.other_force_manager)
    client.force_login(world.manager)
    page = client.get(reverse("reporting:dashboard", args=["partnership"])).content.decode()
    links = re.findall(r'href="(/partnership/levels/\?status=(\w+)[^"]*)"[^>]*>(\d+)<', page)
    figures = {status: int(n) for _, status, n in links}
    assert figures == {"awaiting": 1, "agreed": 1, "discussion": 1}
    for url, status, n in links:
        listed = client.get(url.replace("&amp;", "&")).content.decode()
        count = re.search(r'role="status">\s*(\d+) ', listed)
        assert int(count.group(1)) == int(n), status


def test_the_steering_headlines_carry_the_plans_progress(world):
    from django.utils import timezone

    from partnership.tests.factories import plan_with_action
    from reporting.figures.partnership import headlines
    from reporting.scope import Scope

    plan_with_action(world.schools["a1"], by=world.sso, owner=world.school_link)
    today = timezone.localdate()
    figures = dict(headlines(Scope(world.manager, today.replace(day=1), today)))
    assert figures["Plan actions open"] == 1
    assert figures["Safer Schools officers in post"] == 1
