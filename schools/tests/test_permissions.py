"""Who may open each page of the school register."""

import datetime

import pytest
from django.urls import reverse

from accounts.forms_kit import date_data
from schools.tests.factories import contacts_post
from tests.matrix import ANONYMOUS, DENIED, HIDDEN, LOGIN, OK, REDIRECT, Row, check, rows_for

pytestmark = pytest.mark.django_db

POLICE_SIDE = (
    "sso",
    "neighbourhood",
    "sergeant",
    "manager",
    "coordinator",
    "admin",
    "other_force_admin",
)
A1_STAFF = ("headteacher", "dsl", "school_link")


def test_school_list(client, world):
    check(
        client,
        world,
        rows_for(
            "GET",
            reverse("schools:list"),
            {
                **dict.fromkeys(POLICE_SIDE, OK),
                # School staff are sent to their own school's page.
                **dict.fromkeys(
                    (*A1_STAFF, "other_school_headteacher", "other_force_headteacher"), REDIRECT
                ),
            },
            DENIED,
        ),
    )


def test_school_page(client, world):
    url = world.schools["a1"].get_absolute_url()
    check(
        client,
        world,
        rows_for(
            "GET",
            url,
            {
                **dict.fromkeys((*POLICE_SIDE, *A1_STAFF), OK),
                "other_school_headteacher": HIDDEN,
                "other_force_admin": HIDDEN,
                "other_force_headteacher": HIDDEN,
            },
            DENIED,
        ),
    )


def test_contacts_edit(client, world):
    url = reverse("schools:contacts_edit", args=[world.schools["a1"].pk])
    check(
        client,
        world,
        rows_for(
            "GET",
            url,
            {
                "headteacher": OK,
                "admin": OK,
                "manager": OK,
                "sergeant": OK,
                "other_school_headteacher": HIDDEN,
                "other_force_admin": HIDDEN,
                "other_force_headteacher": HIDDEN,
            },
            DENIED,
        )
        + [
            Row("headteacher", "POST", url, REDIRECT, contacts_post(dsl={"name": "Dee Lane"})),
            Row("dsl", "POST", url, DENIED, contacts_post(dsl={"name": "Dee Lane"})),
            Row(ANONYMOUS, "POST", url, LOGIN, contacts_post(dsl={"name": "Dee Lane"})),
        ],
    )


def test_hand_over(client, world):
    url = reverse("schools:hand_over", args=[world.schools["a1"].pk])
    check(
        client,
        world,
        rows_for(
            "GET",
            url,
            {
                "sergeant": OK,
                "manager": OK,
                "admin": OK,
                "other_school_headteacher": HIDDEN,
                "other_force_admin": HIDDEN,
                "other_force_headteacher": HIDDEN,
            },
            DENIED,
        )
        + [
            Row(
                "sso",
                "POST",
                url,
                DENIED,
                {"officer": world.sso.pk, **date_data("starts_on", datetime.date(2026, 10, 1))},
            ),
            Row(
                "other_force_admin",
                "POST",
                url,
                HIDDEN,
                {"officer": world.sso.pk, **date_data("starts_on", datetime.date(2026, 10, 1))},
            ),
        ],
    )


def test_contact_overview(client, world):
    check(
        client,
        world,
        rows_for(
            "GET",
            reverse("schools:contact_overview"),
            {"sergeant": OK, "manager": OK, "admin": OK, "other_force_admin": OK},
            DENIED,
        ),
    )
