"""The demo requests for help: seeded once, valid against the model's own rules."""

import datetime

import pytest

from accounts.models import OutboxEmail, Role
from demo import help_requests as demo
from help_requests.models import HelpRequest

pytestmark = pytest.mark.django_db


def _seed(world):
    return demo.seed(
        world.forces["a"],
        by_role={
            Role.SCHOOL_LINK: world.school_link,
            Role.DSL: world.dsl,
            Role.HEADTEACHER: world.headteacher,
            Role.NEIGHBOURHOOD_OFFICER: world.neighbourhood,
        },
        partners=[world.orgs["partner_a"]],
        demo_school=world.schools["a1"],
        other_school=world.schools["a2"],
        schools=[world.schools["a1"], world.schools["a2"]],
        today=datetime.date.today(),
    )


def test_seeding_twice_adds_nothing_the_second_time(world):
    assert _seed(world) == "3 requests for help"
    assert _seed(world) == ""
    statuses = sorted(HelpRequest.objects.values_list("status", flat=True))
    assert statuses == ["answered", "closed", "open"]
    assert HelpRequest.objects.filter(engagement__isnull=False).count() == 1
    assert set(HelpRequest.objects.values_list("officer", flat=True)) == {world.neighbourhood.pk}
    for help_request in HelpRequest.objects.all():
        help_request.full_clean()
    assert not OutboxEmail.objects.exists()
