"""An acting headteacher, during their period, is asked on their home page to sign the
agreement waiting for the school's signature, as the headteacher is (#18)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import ActingHeadteacher, Agreement

from .conftest import sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def awaiting_school(sent, world):
    """The agreement, signed by the police, waiting for the school's signature."""
    if sent.awaiting_party != Agreement.Party.SCHOOL:
        sign(sent, world.neighbourhood)
        sent.refresh_from_db()
    assert sent.awaiting_party == Agreement.Party.SCHOOL
    return sent


def _acting(world, *, starts, ends):
    today = timezone.localdate()
    return ActingHeadteacher.objects.create(
        school=world.schools["a1"],
        user=world.dsl,
        starts_on=today + datetime.timedelta(days=starts),
        ends_on=today + datetime.timedelta(days=ends),
        named_by=world.headteacher,
    )


def _sign_link(agreement):
    return f'href="{reverse("agreements:sign", args=[agreement.pk])}"'


def test_the_acting_head_sees_the_sign_link_on_home_during_their_period(
    client, world, awaiting_school
):
    _acting(world, starts=-1, ends=10)
    client.force_login(world.dsl)
    home = client.get(reverse("home")).content.decode()
    assert _sign_link(awaiting_school) in home
    assert "Waiting for your signature" in home
    # The link leads to a page the acting head may sign on.
    assert client.get(reverse("agreements:sign", args=[awaiting_school.pk])).status_code == 200
    # The headteacher still sees it too.
    client.force_login(world.headteacher)
    assert _sign_link(awaiting_school) in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize(("starts", "ends"), [(-30, -1), (1, 20)])
def test_outside_their_period_the_acting_head_is_not_asked(
    client, world, awaiting_school, starts, ends
):
    _acting(world, starts=starts, ends=ends)
    client.force_login(world.dsl)
    assert _sign_link(awaiting_school) not in client.get(reverse("home")).content.decode()


def test_other_staff_are_not_asked(client, world, awaiting_school):
    _acting(world, starts=-1, ends=10)  # the DSL acts; the school link does not
    client.force_login(world.school_link)
    assert _sign_link(awaiting_school) not in client.get(reverse("home")).content.decode()


def test_the_acting_head_is_not_asked_while_the_police_have_still_to_sign(client, world, sent):
    _acting(world, starts=-1, ends=10)
    Agreement.objects.filter(pk=sent.pk).update(awaiting_party=Agreement.Party.POLICE)
    client.force_login(world.dsl)
    assert _sign_link(sent) not in client.get(reverse("home")).content.decode()


def test_the_panel_falls_back_to_its_own_query_without_the_school_row(world, awaiting_school):
    """When the school was not read with its annotations, the panel asks the database."""
    from agreements.panels import home_panel

    _acting(world, starts=-1, ends=10)
    world.dsl._staff_school_memo = (world.dsl.organisation_id, None)
    panel = home_panel(world.dsl)
    assert [agreement.pk for agreement in panel["to_sign"]] == [awaiting_school.pk]
    world.school_link._staff_school_memo = (world.school_link.organisation_id, None)
    assert home_panel(world.school_link) is None
