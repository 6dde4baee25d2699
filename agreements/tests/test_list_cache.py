"""The agreements list is cached per force and reader, and shows every change at once."""

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
