"""Fixtures of the GIAS import tests: the force whose home local authority is Camden."""

import pytest

from accounts.tests.factories import ForceFactory

CAMDEN = "202"


@pytest.fixture
def camden_force(db):
    return ForceFactory(name="Camden Police", slug="camden", home_la_codes=[CAMDEN])
