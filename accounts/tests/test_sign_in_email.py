"""Changing the address one signs in with: confirmed by a link sent to it, refused for an
address another account or a waiting invitation holds, and audited."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import AuditEntry
from accounts.tests.factories import InvitationFactory

pytestmark = pytest.mark.django_db

SITE_URL = "https://safer-schools.example.police.uk"
EMAIL_PAGE = reverse("account_email")


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE_URL


def _ask_for(client, email, callbacks):
    with callbacks(execute=True):
        return client.post(EMAIL_PAGE, {"email": email, "action_add": ""})


def _actions(user):
    return list(AuditEntry.objects.for_object(user).values_list("action", "changes"))


def test_a_new_address_is_the_sign_in_one_only_once_its_link_is_opened(
    client, world, django_capture_on_commit_callbacks
):
    dsl = world.dsl
    client.force_login(dsl)
    assert client.get(EMAIL_PAGE).status_code == 200
    response = _ask_for(client, "new.dsl@example.org", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    dsl.refresh_from_db()
    assert dsl.email == "dsl@example.org"
    assert (
        "accounts.user.email_change_requested",
        {"email": ["dsl@example.org", "new.dsl@example.org"]},
    ) in _actions(dsl)
    (message,) = mail.outbox
    assert message.to == ["new.dsl@example.org"]
    link = next(word for word in message.body.split() if "/confirm-email/" in word)
    assert link.startswith(f"{SITE_URL}/")

    # Pressing "make primary" on the unconfirmed address does nothing.
    client.post(EMAIL_PAGE, {"email": "new.dsl@example.org", "action_primary": ""})
    dsl.refresh_from_db()
    assert dsl.email == "dsl@example.org"

    path = link.removeprefix(SITE_URL)
    page = client.get(path)
    assert page.status_code == 200 and "new.dsl@example.org" in page.content.decode()
    client.post(path)
    dsl.refresh_from_db()
    assert dsl.email == "new.dsl@example.org"
    assert list(EmailAddress.objects.filter(user=dsl).values_list("email", flat=True)) == [
        "new.dsl@example.org"
    ]
    assert (
        "accounts.user.email_changed",
        {"email": ["dsl@example.org", "new.dsl@example.org"]},
    ) in _actions(dsl)


def test_an_unconfirmed_address_never_becomes_the_sign_in_one(client, world):
    """The attack: add any address, then make it primary, before anyone confirms it."""
    headteacher = world.headteacher
    client.force_login(headteacher)
    client.post(EMAIL_PAGE, {"email": "someone.else@example.org", "action_add": ""})
    client.post(EMAIL_PAGE, {"email": "someone.else@example.org", "action_primary": ""})
    headteacher.refresh_from_db()
    assert headteacher.email == "headteacher@example.org"
    assert not EmailAddress.objects.filter(email="someone.else@example.org", verified=True)
    # Nor can the address they sign in with be removed.
    client.post(EMAIL_PAGE, {"email": "headteacher@example.org", "action_remove": ""})
    headteacher.refresh_from_db()
    assert headteacher.email == "headteacher@example.org"


def test_an_invited_address_is_refused_in_plain_english(
    client, world, django_capture_on_commit_callbacks
):
    InvitationFactory(email="invited@example.org", organisation=world.orgs["police_a"])
    client.force_login(world.dsl)
    response = _ask_for(client, "Invited@Example.org", django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "has been invited to make its own account" in str(response.context["form"].errors)
    assert 'value="Invited@Example.org"' in response.content.decode()
    assert not EmailAddress.objects.filter(email__iexact="invited@example.org").exists()
    assert not mail.outbox


def test_another_accounts_address_is_refused(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.dsl)
    response = _ask_for(client, "headteacher@example.org", django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "Someone else already signs in" in str(response.context["form"].errors)
    assert not mail.outbox


def test_a_link_opened_after_the_address_was_invited_changes_nothing(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.dsl)
    _ask_for(client, "later@example.org", django_capture_on_commit_callbacks)
    link = next(word for word in mail.outbox[0].body.split() if "/confirm-email/" in word)
    InvitationFactory(email="later@example.org", organisation=world.orgs["police_a"])
    client.post(link.removeprefix(SITE_URL))
    world.dsl.refresh_from_db()
    assert world.dsl.email == "dsl@example.org"
    assert not EmailAddress.objects.filter(email="later@example.org", verified=True).exists()
