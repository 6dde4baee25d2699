"""The school's home page: the open casework actions the school owns, never whom they are about."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import AccessLogEntry
from referrals.models import Action
from referrals.tests.factories import CaseFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db


def _action(world, case, owner_kind="school", description="Arrange a mentor at school", **extra):
    return Action.objects.create(
        case=case,
        term=Action.Term.SHORT,
        description=description,
        owner_kind=owner_kind,
        owner_name="Alder Academy" if owner_kind == "school" else "Youth offending team",
        due_on=datetime.date.today() + datetime.timedelta(days=20),
        created_by=world.neighbourhood,
        **extra,
    )


@pytest.fixture
def case(world):
    pupil = YoungPersonFactory(
        force=world.forces["a"], school=world.schools["a1"], first_name="Riley", last_name="Quinn"
    )
    return CaseFactory(young_person=pupil, team=world.teams["npt_a"], officer=world.neighbourhood)


def test_the_head_and_dsl_see_what_the_school_owns_without_the_pupils_name(client, world, case):
    owned = _action(world, case)
    _action(world, case, owner_kind="partner", description="YOT check-in")
    _action(world, case, description="Done already", status=Action.Status.DONE)
    for who in ("headteacher", "dsl"):
        client.force_login(world.users[who])
        page = client.get(reverse("home")).content.decode()
        assert "Actions your school owns" in page
        assert "Arrange a mentor at school" in page
        assert case.reference in page
        assert "YOT check-in" not in page and "Done already" not in page
        assert "Riley" not in page and "Quinn" not in page
    assert AccessLogEntry.objects.filter(target_id=str(owned.pk), action="listed").count() == 2


def test_the_school_link_sees_only_how_many(client, world, case):
    _action(world, case)
    client.force_login(world.school_link)
    page = client.get(reverse("home")).content.decode()
    assert "Your school owns 1 open action from casework" in page
    assert "Arrange a mentor" not in page


def test_another_school_sees_nothing_of_it(client, world, case):
    _action(world, case)
    client.force_login(world.other_school_headteacher)
    page = client.get(reverse("home")).content.decode()
    assert "Actions your school owns" not in page
