"""Who may open each page of agreements: allowed, denied (403), and hidden (404) for other
schools and forces. Every URL of the app must have rows here."""

import pytest
from django.urls import URLPattern, reverse

from agreements import services, urls
from agreements.models import AgreementSettings, AgreementTemplate
from tests.matrix import ANONYMOUS, DENIED, HIDDEN, LOGIN, OK, REDIRECT, Row, check, rows_for

from .conftest import sign

pytestmark = pytest.mark.django_db

OTHERS = {
    "other_school_headteacher": HIDDEN,
    "other_force_admin": HIDDEN,
    "other_force_headteacher": HIDDEN,
}
POLICE_READERS = ("sso", "neighbourhood", "sergeant", "manager", "admin")
OWN_FORCE_READERS = {**dict.fromkeys(POLICE_READERS, OK), "headteacher": OK}
# Every school role reads its school's agreement (sent or signed); only the headteacher signs.
AGREEMENT_READERS = {**OWN_FORCE_READERS, "dsl": OK, "school_link": OK}


def _draft(world):
    AgreementSettings.objects.filter(force=world.forces["a"]).update(signing_order="school_first")
    return services.agreement_prepare(school=world.schools["a1"], by=world.neighbourhood)


def _sent(world):
    return services.agreement_send(agreement=_draft(world), by=world.neighbourhood)


def _active(world, django_capture_on_commit_callbacks):
    agreement = _sent(world)
    sign(agreement, world.headteacher)
    with django_capture_on_commit_callbacks(execute=True):
        sign(agreement, world.neighbourhood)
    agreement.refresh_from_db()
    return agreement


def rows_list(world, capture):
    return rows_for(
        "GET",
        reverse("agreements:list"),
        {
            **OWN_FORCE_READERS,
            "other_school_headteacher": OK,
            "other_force_admin": OK,
            "other_force_headteacher": OK,
        },
        DENIED,
    )


def rows_verify(world, capture):
    """As the list, and the education coordinator, who checks provider agreements' PDFs."""
    return [
        Row(
            row.who,
            row.method,
            reverse("agreements:verify"),
            OK if row.who == "coordinator" else row.expected,
        )
        for row in rows_list(world, capture)
    ]


def rows_prepare(world, capture):
    url = reverse("agreements:prepare", args=[world.schools["a1"].pk])
    template = AgreementTemplate.objects.get(
        force=world.forces["a"], kind="named_officer", is_published=True
    )
    data = {"template": template.pk, "named_officer": world.neighbourhood.pk}
    return rows_for(
        "GET",
        url,
        {"sso": OK, "neighbourhood": OK, "sergeant": OK, "partner": HIDDEN, **OTHERS},
        DENIED,
    ) + [
        Row("headteacher", "POST", url, DENIED, data),
        Row("other_force_admin", "POST", url, HIDDEN, data),
        Row("neighbourhood", "POST", url, REDIRECT, data),
    ]


def rows_detail(world, capture):
    sent = _sent(world)
    draft_b = services.agreement_prepare(school=world.schools["b1"], by=world.other_force_sso)
    return rows_for(
        "GET",
        reverse("agreements:detail", args=[sent.pk]),
        {**AGREEMENT_READERS, "partner": HIDDEN, **OTHERS},
        DENIED,
    ) + [
        # A draft is not shown to the school; another force's agreement does not exist for A.
        Row("other_force_headteacher", "GET", draft_b.get_absolute_url(), HIDDEN),
        Row("sso", "GET", draft_b.get_absolute_url(), HIDDEN),
        Row("other_force_admin", "GET", draft_b.get_absolute_url(), OK),
    ]


def rows_seal_status(world, capture):
    sent = _sent(world)
    return rows_for(
        "GET",
        reverse("agreements:seal_status", args=[sent.pk]),
        {**AGREEMENT_READERS, "partner": HIDDEN, **OTHERS},
        DENIED,
    )


def rows_change(world, capture):
    sent = _sent(world)
    return rows_for(
        "GET",
        reverse("agreements:change", args=[sent.pk]),
        {"neighbourhood": OK, "sergeant": OK, "partner": HIDDEN, **OTHERS},
        DENIED,
    )


def rows_send(world, capture):
    draft = _draft(world)
    url = reverse("agreements:send", args=[draft.pk])
    rows = [Row(who, "POST", url, DENIED) for who in ("sso", "manager", "admin", "coordinator")]
    return rows + [
        Row(ANONYMOUS, "POST", url, LOGIN),
        # A draft is hidden from the school and from other forces.
        Row("headteacher", "POST", url, HIDDEN),
        Row("dsl", "POST", url, HIDDEN),
        Row("headteacher", "GET", draft.get_absolute_url(), HIDDEN),
        Row("partner", "POST", url, HIDDEN),
        Row("other_force_admin", "POST", url, HIDDEN),
        Row("neighbourhood", "POST", url, REDIRECT),
    ]


def rows_sign(world, capture):
    sent = _sent(world)
    url = reverse("agreements:sign", args=[sent.pk])
    return rows_for("GET", url, {"headteacher": OK, "partner": HIDDEN, **OTHERS}, DENIED) + [
        # The link used by the wrong account does nothing.
        Row("neighbourhood", "POST", url, DENIED, {"typed_name": "X", "confirmed": "on"}),
        Row("other_school_headteacher", "POST", url, HIDDEN, {"typed_name": "X"}),
    ]


def rows_end(world, capture):
    sent = _sent(world)
    return rows_for(
        "GET",
        reverse("agreements:end", args=[sent.pk]),
        {
            "headteacher": OK,
            "neighbourhood": OK,
            "sergeant": OK,
            "manager": OK,
            "partner": HIDDEN,
            **OTHERS,
        },
        DENIED,
    )


def rows_renew(world, capture):
    active = _active(world, capture)
    url = reverse("agreements:renew", args=[active.pk])
    rows = [
        Row(who, "POST", url, DENIED)
        for who in ("headteacher", "dsl", "school_link", "sso", "coordinator", "admin")
    ]
    return rows + [
        Row(ANONYMOUS, "POST", url, LOGIN),
        Row("partner", "POST", url, HIDDEN),
        Row("other_school_headteacher", "POST", url, HIDDEN),
        Row("other_force_admin", "POST", url, HIDDEN),
        Row("neighbourhood", "POST", url, REDIRECT),
        Row("sergeant", "POST", url, REDIRECT),
        Row("manager", "POST", url, REDIRECT),
    ]


def rows_pdf(world, capture):
    active = _active(world, capture)
    return rows_for(
        "GET",
        reverse("agreements:pdf", args=[active.pk]),
        {**AGREEMENT_READERS, "partner": HIDDEN, **OTHERS},
        DENIED,
    )


def rows_template_list(world, capture):
    return rows_for(
        "GET",
        reverse("agreements:template_list"),
        {"manager": OK, "admin": OK, "other_force_admin": OK},
        DENIED,
    )


def _template(world):
    return AgreementTemplate.objects.get(
        force=world.forces["a"], kind="named_officer", is_published=True
    )


def rows_template_detail(world, capture):
    school_side = ("headteacher", "dsl", "school_link", "partner", "other_school_headteacher")
    return rows_for(
        "GET",
        _template(world).get_absolute_url(),
        {"manager": OK, "admin": OK, **dict.fromkeys(school_side, HIDDEN), **OTHERS},
        DENIED,
    )


def rows_template_edit(world, capture):
    school_side = ("headteacher", "dsl", "school_link", "partner", "other_school_headteacher")
    return rows_for(
        "GET",
        reverse("agreements:template_edit", args=[_template(world).pk]),
        {"admin": OK, **dict.fromkeys(school_side, HIDDEN), **OTHERS},
        DENIED,
    )


def rows_settings(world, capture):
    return rows_for(
        "GET", reverse("agreements:settings"), {"admin": OK, "other_force_admin": OK}, DENIED
    )


def rows_waiting(world, capture):
    _sent(world)
    return rows_for(
        "GET",
        reverse("agreements:waiting"),
        {"sso": OK, "neighbourhood": OK, "sergeant": OK},
        DENIED,
    )


def rows_new_link(world, capture):
    sent = _sent(world)
    url = reverse("agreements:new_link", args=[sent.pk])
    rows = [
        Row(who, "POST", url, DENIED)
        for who in ("headteacher", "dsl", "school_link", "sso", "manager", "coordinator", "admin")
    ]
    return rows + [
        Row(ANONYMOUS, "POST", url, LOGIN),
        Row("partner", "POST", url, HIDDEN),
        Row("other_school_headteacher", "POST", url, HIDDEN),
        Row("other_force_admin", "POST", url, HIDDEN),
        Row("other_force_headteacher", "POST", url, HIDDEN),
        Row("neighbourhood", "GET", url, "bad"),
        Row("sergeant", "POST", url, REDIRECT),
        Row("neighbourhood", "POST", url, REDIRECT),
    ]


def rows_request_changes(world, capture):
    sent = _sent(world)  # the headteacher signs first here
    url = reverse("agreements:request_changes", args=[sent.pk])
    return rows_for("GET", url, {"headteacher": OK, "partner": HIDDEN, **OTHERS}, DENIED) + [
        Row("neighbourhood", "POST", url, DENIED, {"reason": "Not mine to sign yet"}),
        Row("other_force_headteacher", "POST", url, HIDDEN, {"reason": "X"}),
        # An empty reason is asked for again, not accepted.
        Row("headteacher", "POST", url, OK, {"reason": ""}),
        Row("headteacher", "POST", url, REDIRECT, {"reason": "Add our site's fire plan"}),
    ]


def rows_share(world, capture):
    active = _active(world, capture)
    url = reverse("agreements:share", args=[active.pk])
    sent_b = services.agreement_prepare(school=world.schools["b1"], by=world.other_force_sso)
    return rows_for(
        "GET",
        url,
        {
            "headteacher": OK,
            "neighbourhood": OK,
            "sergeant": OK,
            "partner": HIDDEN,
            **OTHERS,
        },
        DENIED,
    ) + [
        Row("dsl", "POST", url, DENIED, {"addresses": "clerk@example.org"}),
        Row("other_force_admin", "POST", url, HIDDEN, {"addresses": "clerk@example.org"}),
        Row("headteacher", "POST", url, REDIRECT, {"addresses": "clerk@example.org"}),
        # A draft (not sealed) cannot be shared by anyone.
        Row("other_force_sso", "GET", reverse("agreements:share", args=[sent_b.pk]), DENIED),
    ]


def rows_acting_head(world, capture):
    url = reverse("agreements:acting_head", args=[world.schools["a1"].pk])
    return rows_for(
        "GET",
        url,
        {
            "headteacher": OK,
            "sso": OK,
            "neighbourhood": OK,
            "sergeant": OK,
            "partner": HIDDEN,
            **OTHERS,
        },
        DENIED,
    ) + [
        Row("dsl", "POST", url, DENIED, {"user": world.dsl.pk}),
        Row("other_force_admin", "POST", url, HIDDEN, {"user": world.dsl.pk}),
    ]


MATRIX = {
    "waiting": rows_waiting,
    "new_link": rows_new_link,
    "request_changes": rows_request_changes,
    "share": rows_share,
    "acting_head": rows_acting_head,
    "list": rows_list,
    "prepare": rows_prepare,
    "verify": rows_verify,
    "template_list": rows_template_list,
    "template_detail": rows_template_detail,
    "template_edit": rows_template_edit,
    "settings": rows_settings,
    "detail": rows_detail,
    "change": rows_change,
    "send": rows_send,
    "sign": rows_sign,
    "end": rows_end,
    "renew": rows_renew,
    "pdf": rows_pdf,
    "seal_status": rows_seal_status,
}


@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_permission_rows(client, world, django_capture_on_commit_callbacks, url_name):
    check(client, world, MATRIX[url_name](world, django_capture_on_commit_callbacks))


def test_every_url_of_the_app_has_permission_rows():
    names = {p.name for p in urls.urlpatterns if isinstance(p, URLPattern)}
    from .test_document_permissions import DOCUMENT_MATRIX
    from .test_provider_permissions import PROVIDER_MATRIX

    missing = names - set(MATRIX) - set(DOCUMENT_MATRIX) - set(PROVIDER_MATRIX)
    assert not missing, f"URLs without permission rows: {sorted(missing)}"
