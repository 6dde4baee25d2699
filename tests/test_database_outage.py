"""With the database out of reach, pages answer 503 "try again shortly", not "a problem"."""

import socket
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from accounts.tests.factories import UserFactory
from config.errors import handler500

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def database_out_of_reach(monkeypatch):
    """On PostgreSQL, point the real connection at a port nothing listens on, as when the
    server is down. SQLite's in-memory test database cannot be closed without losing it, so
    there every query fails as the driver does when the file cannot be opened."""
    if connection.vendor == "sqlite":
        with monkeypatch.context() as patch:

            def unreachable(*args, **kwargs):
                raise OperationalError("unable to open database file")

            patch.setattr(connection, "create_cursor", unreachable)
            yield
        return
    saved = dict(connection.settings_dict)
    connection.close()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    connection.settings_dict.update(HOST="127.0.0.1", PORT=str(port))
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


def test_pages_answer_503_while_the_database_is_down(client, monkeypatch):
    user = UserFactory()
    client.force_login(user)
    client.raise_request_exception = False
    with database_out_of_reach(monkeypatch):
        page = client.get(reverse("home"))
        sign_in = client.post(reverse("account_login"), {"login": "a@b.test", "password": "x"})
    for response in (page, sign_in):
        assert response.status_code == 503
        assert response["Retry-After"] == "30"
        body = response.content.decode()
        assert "the service is unavailable" in body and "Try again in a few minutes" in body
    # Back up, the same session carries on.
    assert client.get(reverse("home")).status_code == 200


def test_other_errors_are_still_the_500_page(rf):
    try:
        raise ValueError("a bug")
    except ValueError:
        response = handler500(rf.get("/"))
    assert response.status_code == 500
    assert "problem with the service" in response.content.decode()
