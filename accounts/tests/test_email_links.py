"""Every link in every email starts with SITE_URL, whatever Host header the request carried."""

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db

SITE_URL = "https://safer-schools.example.police.uk"
FORGED = "attacker.example"


@pytest.fixture
def forged_host_allowed(settings):
    # As behind a proxy that passes any Host through: the worst case for the product.
    settings.ALLOWED_HOSTS = ["*"]
    settings.SITE_URL = SITE_URL


def _links(message):
    return [word for word in message.body.split() if "://" in word or word.startswith("/")]


def test_the_password_reset_link_comes_from_site_url_not_the_host_header(
    client, world, forged_host_allowed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_reset_password"), {"email": "dsl@example.org"}, HTTP_HOST=FORGED
        )
    assert response.status_code == 302
    (message,) = mail.outbox
    links = _links(message)
    assert links and all(link.startswith(SITE_URL) for link in links), links
    assert FORGED not in message.body
    reset_link = next(link for link in links if "/password/reset/key/" in link)
    # The link works: it leads to the page for choosing a new password.
    response = client.get(reset_link.removeprefix(SITE_URL), follow=True)
    assert response.status_code == 200
    assert "password1" in response.context["form"].fields


def test_a_reset_asked_for_an_unknown_address_links_to_site_url_only(
    client, world, forged_host_allowed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_reset_password"), {"email": "nobody@example.org"}, HTTP_HOST=FORGED
        )
    (message,) = mail.outbox
    assert FORGED not in message.body
    assert f"{SITE_URL}{reverse('account_login')}" in _links(message)
