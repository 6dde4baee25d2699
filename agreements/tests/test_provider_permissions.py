"""Who may open each page of provider agreements: the force's coordinators, managers and
administrators read them all; a partner only its own, once sent; schools, officers, another
partner and another force none (404); a reader who may not act gets a 403."""

import pytest
from django.urls import reverse

from accounts.models import Organisation, Role
from accounts.tests.factories import OrganisationFactory, UserFactory
from agreements import provider_services as services
from tests.matrix import ANONYMOUS, DENIED, HIDDEN, LOGIN, OK, REDIRECT, Row, check, rows_for

pytestmark = pytest.mark.django_db

HIDDEN_TO_OTHERS = {
    **dict.fromkeys(
        (
            "headteacher",
            "dsl",
            "school_link",
            "sso",
            "neighbourhood",
            "sergeant",
            "other_school_headteacher",
            "other_force_admin",
            "other_force_headteacher",
        ),
        HIDDEN,
    )
}
READERS = dict.fromkeys(("coordinator", "manager", "admin"), OK)


def _other_partner(world):
    """Another education partner of force A, with a person: sees nothing of Fire Service's."""
    if "other_partner" not in world.users:
        org = OrganisationFactory(
            force=world.forces["a"], kind=Organisation.Kind.PARTNER, name="Youth Trust"
        )
        world.users["other_partner"] = UserFactory(organisation=org, role=Role.PARTNER)
    return world.users["other_partner"]


def _draft(world):
    return services.provider_agreement_prepare(
        provider=world.orgs["partner_a"], by=world.coordinator, delivers="- Fire safety talks"
    )


def _sent(world):
    return services.provider_agreement_send(
        agreement=_draft(world), by=world.coordinator, typed_name="C", confirmed=True
    )


def _active(world, capture):
    agreement = _sent(world)
    with capture(execute=True):
        services.provider_agreement_sign(
            agreement=agreement, by=world.partner, typed_name="P", confirmed=True
        )
    agreement.refresh_from_db()
    assert agreement.is_sealed
    return agreement


def _with_other_partner(world, rows, method, url, expected, data=None):
    _other_partner(world)
    return [*rows, Row("other_partner", method, url, expected, data)]


def rows_list(world, capture):
    return rows_for(
        "GET",
        reverse("agreements:provider_list"),
        {**READERS, "partner": OK, "other_force_admin": OK},
        DENIED,
    )


def rows_prepare(world, capture):
    url = reverse("agreements:provider_prepare")
    rows = rows_for("GET", url, {"coordinator": OK}, DENIED)
    data = {"provider": world.orgs["partner_a"].pk, "delivers": "- Fire safety talks"}
    rows += [
        Row("coordinator", "POST", url, REDIRECT, data),
        Row("partner", "POST", url, DENIED, data),
        Row("manager", "POST", url, DENIED, data),
        Row(ANONYMOUS, "POST", url, LOGIN, data),
    ]
    return rows


def rows_detail(world, capture):
    sent = _sent(world)
    url = reverse("agreements:provider_detail", args=[sent.pk])
    rows = rows_for("GET", url, {**READERS, **HIDDEN_TO_OTHERS, "partner": OK}, HIDDEN)
    return _with_other_partner(world, rows, "GET", url, HIDDEN)


def rows_detail_of_a_draft(world, capture):
    draft = _draft(world)
    url = reverse("agreements:provider_detail", args=[draft.pk])
    return rows_for("GET", url, {**READERS, "partner": HIDDEN}, HIDDEN)


def rows_change(world, capture):
    draft = _draft(world)
    url = reverse("agreements:provider_change", args=[draft.pk])
    return rows_for("GET", url, {"coordinator": OK, "manager": DENIED, "admin": DENIED}, HIDDEN)


def rows_send(world, capture):
    draft = _draft(world)
    url = reverse("agreements:provider_send", args=[draft.pk])
    rows = rows_for("GET", url, {"coordinator": OK, "manager": DENIED, "admin": DENIED}, HIDDEN)
    return rows + [
        Row("manager", "POST", url, DENIED, {"typed_name": "M", "confirmed": "on", "version": "0"}),
        Row(
            "coordinator",
            "POST",
            url,
            REDIRECT,
            {"typed_name": "C", "confirmed": "on", "version": "0"},
        ),
    ]


def rows_sign(world, capture):
    sent = _sent(world)
    url = reverse("agreements:provider_sign", args=[sent.pk])
    rows = rows_for(
        "GET",
        url,
        {**dict.fromkeys(READERS, DENIED), **HIDDEN_TO_OTHERS, "partner": OK},
        HIDDEN,
    )
    return _with_other_partner(world, rows, "GET", url, HIDDEN)


def rows_end(world, capture):
    active = _active(world, capture)
    url = reverse("agreements:provider_end", args=[active.pk])
    _other_partner(world)
    return [Row("other_partner", "GET", url, HIDDEN)] + rows_for(
        "GET",
        url,
        {"coordinator": OK, "manager": OK, "admin": DENIED, "partner": OK},
        HIDDEN,
    )


def rows_pdf(world, capture):
    active = _active(world, capture)
    url = reverse("agreements:provider_pdf", args=[active.pk])
    rows = rows_for("GET", url, {**READERS, **HIDDEN_TO_OTHERS, "partner": OK}, HIDDEN)
    return _with_other_partner(world, rows, "GET", url, HIDDEN)


def rows_request_changes(world, capture):
    sent = _sent(world)
    url = reverse("agreements:provider_request_changes", args=[sent.pk])
    rows = rows_for(
        "GET",
        url,
        {**dict.fromkeys(READERS, DENIED), **HIDDEN_TO_OTHERS, "partner": OK},
        HIDDEN,
    )
    rows += [
        Row("coordinator", "POST", url, DENIED, {"reason": "x"}),
        Row(ANONYMOUS, "POST", url, LOGIN, {"reason": "x"}),
        # Partner agencies are not party to a provider's agreement.
        Row("agency", "GET", url, HIDDEN),
        Row("agency", "POST", url, HIDDEN, {"reason": "x"}),
        Row("other_force_agency", "GET", url, HIDDEN),
    ]
    return _with_other_partner(world, rows, "POST", url, HIDDEN, {"reason": "x"})


def rows_request_changes_once_returned(world, capture):
    """Returned to the coordinator, it is a draft again: the partner no longer sees it."""
    sent = _sent(world)
    services.provider_agreement_request_changes(agreement=sent, by=world.partner, reason="x")
    url = reverse("agreements:provider_request_changes", args=[sent.pk])
    return rows_for("GET", url, {**dict.fromkeys(READERS, DENIED), "partner": HIDDEN}, HIDDEN)


PROVIDER_MATRIX = {
    "provider_request_changes": rows_request_changes,
    "provider_request_changes_once_returned": rows_request_changes_once_returned,
    "provider_list": rows_list,
    "provider_prepare": rows_prepare,
    "provider_detail": rows_detail,
    "provider_change": rows_change,
    "provider_send": rows_send,
    "provider_sign": rows_sign,
    "provider_end": rows_end,
    "provider_pdf": rows_pdf,
}


@pytest.mark.parametrize("url_name", sorted(PROVIDER_MATRIX))
def test_provider_permission_rows(client, world, django_capture_on_commit_callbacks, url_name):
    check(client, world, PROVIDER_MATRIX[url_name](world, django_capture_on_commit_callbacks))


def test_a_draft_is_the_coordinators_own(client, world, django_capture_on_commit_callbacks):
    check(client, world, rows_detail_of_a_draft(world, django_capture_on_commit_callbacks))


def test_another_force_gets_404_on_every_provider_agreement_url(
    client, world, django_capture_on_commit_callbacks
):
    active = _active(world, django_capture_on_commit_callbacks)
    names = (
        "provider_detail",
        "provider_sign",
        "provider_end",
        "provider_pdf",
        "provider_send",
        "provider_request_changes",
    )
    for who in ("other_force_admin", "other_force_manager", "other_force_sso"):
        client.force_login(world.users[who])
        for name in names:
            url = reverse(f"agreements:{name}", args=[active.pk])
            assert client.get(url).status_code == 404, (who, name)
            assert client.post(url, {"reason": "x"}).status_code == 404, (who, name)
    active.refresh_from_db()
    assert active.state == "active"
