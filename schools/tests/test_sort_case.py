"""Lists sorted by name sort case-insensitively on every database (SQLite's default is not)."""

import pytest
from django.urls import reverse

from schools.tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["schools:list", "needs_assessment:assessment_table"])
def test_names_sort_regardless_of_case(client, world, url):
    force = world.forces["a"]
    for name in ("aardvark Academy Zq", "Banyan School Zq", "cedar College Zq"):
        SchoolFactory(force=force, name=name)
    client.force_login(world.manager)
    html = client.get(reverse(url), {"q": "Zq"}).content.decode()
    positions = [html.index(n) for n in ("aardvark", "Banyan", "cedar")]
    assert positions == sorted(positions)
