import pytest

from .factories import IncidentFactory, IncidentPersonFactory


@pytest.fixture
def incident(world):
    """A weapon found at Alder Academy, reported by its DSL, naming a pupil."""
    incident = IncidentFactory(school=world.schools["a1"], reported_by=world.dsl)
    IncidentPersonFactory(incident=incident)
    return incident
