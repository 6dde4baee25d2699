"""The agreements list is read afresh for each reader (no rendered-page cache): it shows
every change at once, each reader their own rows, and filters by status and school name."""

import pytest
from django.urls import reverse

from agreements import services
from agreements.tests.conftest import sign

pytestmark = pytest.mark.django_db

LIST = reverse("agreements:list")


def _page(client, **params):
    return client.get(LIST, params).content.decode()


def _row(html, school="Alder Academy"):
    start = html.index(f"{school}</a>")
    return html[start : html.index("</tr>", start)]


def test_sending_and_signing_show_at_once(client, world, draft):
    client.force_login(world.manager)
    assert "Draft" in _row(_page(client))
    services.agreement_send(agreement=draft, by=world.neighbourhood)
    sent_row = _row(_page(client))
    assert "Draft" not in sent_row
    sign(draft, world.headteacher)
    assert _row(_page(client)) != sent_row


def test_each_reader_gets_their_own_rows(client, world, sent):
    client.force_login(world.headteacher)
    assert "Alder Academy</a>" in _page(client)
    client.force_login(world.other_school_headteacher)
    assert "Alder Academy</a>" not in _page(client)
    client.force_login(world.other_force_manager)
    assert "Alder Academy</a>" not in _page(client)
    client.force_login(world.manager)
    assert "Alder Academy</a>" in _page(client)


def test_a_draft_stays_out_of_the_schools_rows_even_when_police_saw_it_first(client, world, draft):
    client.force_login(world.manager)
    assert "Alder Academy</a>" in _page(client)
    client.force_login(world.headteacher)
    assert "Alder Academy</a>" not in _page(client)


def test_filters_show_as_removable_tags_and_keep_to_the_list(client, world, sent):
    client.force_login(world.manager)
    html = _page(client, status="awaiting", utm_source="newsletter")
    assert 'role="status">1 agreement</p>' in html
    assert "Remove this filter:</span> Waiting for signatures</a>" in html
    assert 'class="moj-filter__tag" href="?"' in html  # removing the only filter: every row
    assert "utm_source" not in html
    assert "No agreements match these filters." in _page(client, status="draft")
    assert "No agreements match these filters." in _page(client, school="No such school")
    assert "Alder Academy</a>" in _page(client, school="alder")
    # A status that is not one is ignored, never an error.
    assert "Alder Academy</a>" in _page(client, status="nonsense")
