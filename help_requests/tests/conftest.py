import pytest

from help_requests import services


@pytest.fixture
def school(world):
    """Alder Academy in North NPT's area: its named officer is the neighbourhood officer, its
    team's sergeant the world's sergeant."""
    school = world.schools["a1"]
    school.team = world.teams["npt_a"]
    school.save()
    return school


@pytest.fixture
def asked(world, school):
    """A talk asked for by the school's link, as the service records it."""
    return services.help_request_ask(
        school=school,
        by=world.school_link,
        kind="talk",
        need="A talk to Year 8 about staying safe online.",
    )
