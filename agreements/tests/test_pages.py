"""The pages of agreements: prepare, send, read and sign (drawn or typed), change, end,
settings and templates, the home and school panels, and the school-list filter."""

import base64
import datetime

import pytest
from django.core import mail
from django.urls import reverse

from accounts.forms_kit import date_data
from agreements.models import Agreement, AgreementSettings, AgreementTemplate, Signature
from agreements.panels import filter_by_mou_status
from schools.models import School

from .conftest import sign

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
DRAWING = "data:image/png;base64," + base64.b64encode(PNG).decode()


def test_officer_prepares_from_the_school_page_and_sends(
    client, world, django_capture_on_commit_callbacks
):
    school = world.schools["a1"]
    client.force_login(world.neighbourhood)
    page = client.get(school.get_absolute_url()).content.decode()
    assert "Prepare an MoU" in page
    form = client.get(reverse("agreements:prepare", args=[school.pk])).content.decode()
    assert "Suggested for this school" in form
    template = AgreementTemplate.objects.get(
        force=school.force, kind="named_officer", is_published=True
    )
    response = client.post(
        reverse("agreements:prepare", args=[school.pk]),
        {
            "template": template.pk,
            "named_officer": world.neighbourhood.pk,
            "include_isa": "on",
            "local_arrangements": "Visits on Tuesday mornings.",
        },
    )
    agreement = Agreement.objects.get(school=school)
    assert response.url == agreement.get_absolute_url()
    preview = client.get(response.url).content.decode()
    assert "Preview of the agreement" in preview and "Visits on Tuesday mornings." in preview
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("agreements:send", args=[agreement.pk]))
    agreement.refresh_from_db()
    assert agreement.state == Agreement.State.SENT
    # The officer signs first by default, as in the real MoU: they are asked first.
    assert agreement.awaiting_party == Agreement.Party.POLICE
    assert mail.outbox[0].to == [world.neighbourhood.email]


def test_headteacher_signs_with_a_drawing_and_the_view_is_recorded(client, sent, world):
    client.force_login(world.headteacher)
    home = client.get("/").content.decode()
    assert "Sign the agreement with Alder Academy" in home
    page = client.get(reverse("agreements:sign", args=[sent.pk]), HTTP_USER_AGENT="TestBrowser/1")
    content = page.content.decode()
    assert "Read and sign the agreement" in content
    assert "signature_pad.umd.min.js" in content
    assert sent.versions.get().content_html in content  # the same rendering as the PDF
    assert sent.events.filter(kind="viewed", actor=world.headteacher).count() == 1
    response = client.post(
        reverse("agreements:sign", args=[sent.pk]),
        {"typed_name": "Hana Teacher", "confirmed": "on", "version": 1, "drawn_signature": DRAWING},
        HTTP_USER_AGENT="TestBrowser/1",
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert bytes(signature.drawn_png) == PNG
    assert signature.typed_name == "Hana Teacher"
    assert signature.ip_address == "203.0.113.9" and signature.user_agent == "TestBrowser/1"
    assert signature.content_sha256 == sent.versions.get().content_sha256


def test_signing_without_javascript_uses_the_typed_name(client, sent, world):
    client.force_login(world.headteacher)
    client.post(
        reverse("agreements:sign", args=[sent.pk]),
        {"typed_name": "Hana Teacher", "confirmed": "on", "version": 1},
    )
    assert Signature.objects.get().drawn_png in (b"", memoryview(b""))


def test_signing_errors_keep_what_was_typed(client, sent, world):
    client.force_login(world.headteacher)
    response = client.post(
        reverse("agreements:sign", args=[sent.pk]),
        {"typed_name": "Hana Teacher", "version": 1},
    )
    content = response.content.decode()
    assert "There is a problem" in content
    assert "Confirm that you sign for the school" in content
    assert 'value="Hana Teacher"' in content
    assert not Signature.objects.exists()


def test_a_forged_drawing_is_refused(client, sent, world):
    client.force_login(world.headteacher)
    response = client.post(
        reverse("agreements:sign", args=[sent.pk]),
        {
            "typed_name": "Hana",
            "confirmed": "on",
            "version": 1,
            "drawn_signature": "data:text/html;base64,PHA+",
        },
    )
    assert response.status_code == 200
    assert not Signature.objects.exists()


def test_officer_countersigns_and_the_page_says_the_pdf_is_ready(
    client, sent, world, django_capture_on_commit_callbacks
):
    sign(sent, world.headteacher)
    client.force_login(world.neighbourhood)
    assert "Sign the agreement with Alder Academy" in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("agreements:sign", args=[sent.pk]),
            {
                "typed_name": "Nia Bell",
                "rank": "PC",
                "collar_number": "1234",
                "confirmed": "on",
                "version": 1,
            },
        )
    page = client.get(sent.get_absolute_url()).content.decode()
    assert "Download the signed PDF" in page
    assert "agreements/sealing.js" not in page
    assert client.get(reverse("agreements:seal_status", args=[sent.pk])).json()["sealed"]


def test_the_page_refreshes_while_the_pdf_is_being_prepared(client, sent, world):
    sign(sent, world.headteacher)
    sign(sent, world.neighbourhood)  # no commit callbacks: the seal task has not run
    client.force_login(world.headteacher)
    page = client.get(sent.get_absolute_url()).content.decode()
    assert "The signed PDF is being prepared" in page
    assert "agreements/sealing.js" in page
    status = client.get(reverse("agreements:seal_status", args=[sent.pk])).json()
    assert status == {"sealed": False, "state": "active"}


def test_changing_a_sent_agreement_makes_a_new_version(client, sent, world):
    client.force_login(world.neighbourhood)
    client.post(
        reverse("agreements:change", args=[sent.pk]),
        {"local_arrangements": "Visits on Fridays."},
    )
    assert sent.versions.count() == 2


def test_ending_from_the_page(client, active, world, django_capture_on_commit_callbacks):
    client.force_login(world.neighbourhood)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("agreements:end", args=[active.pk]),
            {
                "reason": "The school has closed.",
                **date_data("ended_on", datetime.date(2027, 8, 31)),
            },
        )
    assert response.status_code == 302
    active.refresh_from_db()
    assert active.state == Agreement.State.ENDED
    assert str(active.ended_on) == "2027-08-31"
    assert mail.outbox[0].to == [world.headteacher.email]


def test_ending_needs_a_reason(client, active, world):
    client.force_login(world.headteacher)
    response = client.post(
        reverse("agreements:end", args=[active.pk]),
        date_data("ended_on", datetime.date(2027, 8, 31)),
    )
    assert "Give the reason for ending the agreement" in response.content.decode()


def test_an_over_long_reason_for_ending_is_refused_and_kept(client, active, world):
    client.force_login(world.headteacher)
    reason = "The school has closed. " * 100
    response = client.post(
        reverse("agreements:end", args=[active.pk]),
        {"reason": reason, **date_data("ended_on", datetime.date(2027, 8, 31))},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == [
        "The reason must be 2,000 characters or fewer"
    ]
    assert reason.strip() in response.content.decode()
    active.refresh_from_db()
    assert active.state == Agreement.State.ACTIVE


def test_admin_sets_the_signing_order(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("agreements:settings"),
        {
            "signing_order": "school_first",
            "sergeant_countersigns": "on",
            "review_months": "6",
            "signature_reminder_days": "2, 5",
            "signing_link_days": "21",
            "timestamp_url": "https://tsa.example.org/tsr",
        },
    )
    assert response.status_code == 302
    saved = AgreementSettings.objects.get(force=world.forces["a"])
    assert saved.signing_order == "school_first" and saved.review_months == 6
    assert saved.signing_link_days == 21 and saved.timestamp_url == "https://tsa.example.org/tsr"
    response = client.post(
        reverse("agreements:settings"),
        {
            "signing_order": "police_first",
            "review_months": "18",
            "signature_reminder_days": "3, seven",
            "signing_link_days": "0",
            "timestamp_url": "not a url",
        },
    )
    page = response.content.decode()
    assert "reviewed at least every 12 months" in page
    assert "separated by commas, for example 3, 7, 14" in page
    assert "Enter a whole number of days, from 1 to 90" in page
    assert "Enter the address of the service" in page


def test_admin_publishes_a_new_template_version(client, world, sent):
    template = sent.template
    client.force_login(world.admin)
    data = {"title": template.title}
    data.update({f"section_{s['key']}": s["body"] for s in template.sections})
    data["section_finance"] = "Everything is free."
    response = client.post(reverse("agreements:template_edit", args=[template.pk]), data)
    new = AgreementTemplate.objects.get(force=template.force, kind=template.kind, is_published=True)
    assert new.version == 2 and response.url == new.get_absolute_url()
    assert new.section("finance")["body"] == "Everything is free."
    template.refresh_from_db()
    assert (
        not template.is_published and template.section("finance")["body"] != "Everything is free."
    )
    # The sent agreement keeps its wording.
    assert "Everything is free." not in sent.versions.get().content_html


def test_review_suggested_shows_on_the_agreement_and_school_list_filter(client, active, world):
    Agreement.objects.filter(pk=active.pk).update(
        review_suggested=True, review_suggested_reason="The tier changed."
    )
    client.force_login(world.sso)
    assert "Review suggested" in client.get(active.get_absolute_url()).content.decode()
    schools = School.objects.filter(force=world.forces["a"])
    assert list(filter_by_mou_status(schools, "review_suggested")) == [world.schools["a1"]]
    assert list(filter_by_mou_status(schools, "active")) == [world.schools["a1"]]
    assert list(filter_by_mou_status(schools, "none")) == [world.schools["a2"]]
    page = client.get("/schools/?mou=active").content.decode()
    assert "MoU status" in page and "Alder Academy" in page and "Birch Primary" not in page


def test_agreements_in_the_navigation(client, world):
    client.force_login(world.headteacher)
    assert 'href="/agreements/"' in client.get("/").content.decode()
    client.force_login(world.dsl)
    assert 'href="/agreements/"' not in client.get("/").content.decode()


def _form_fields(html):
    """Every named input and textarea of a page's form with the value it shows, as a browser
    would submit it untouched (submit buttons left out)."""
    from html.parser import HTMLParser

    class Fields(HTMLParser):
        def __init__(self):
            super().__init__()
            self.values, self.textarea = {}, None

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "input" and attrs.get("name") and attrs.get("type") != "submit":
                if attrs.get("type") not in ("radio", "checkbox") or "checked" in attrs:
                    self.values[attrs["name"]] = attrs.get("value", "")
            elif tag == "textarea":
                self.textarea = attrs["name"]
                self.values[self.textarea] = ""

        def handle_endtag(self, tag):
            if tag == "textarea":
                self.textarea = None

        def handle_data(self, data):
            if self.textarea:
                self.values[self.textarea] += data

    parser = Fields()
    parser.feed(html)
    return {name: value.lstrip("\n") for name, value in parser.values.items()}


def test_the_template_edit_page_shows_every_section_and_publishes_what_it_shows(
    client, world, sent
):
    template = sent.template
    client.force_login(world.admin)
    url = reverse("agreements:template_edit", args=[template.pk])
    fields = _form_fields(client.get(url).content.decode())
    for section in template.sections:
        assert f"section_{section['key']}" in fields, section["heading"]
        assert fields[f"section_{section['key']}"] == section.get("body", "")
    # An optional section may be left empty.
    optional = next(s for s in template.sections if s.get("optional"))
    fields[f"section_{optional['key']}"] = ""
    fields["section_finance"] = "Everything is free."
    response = client.post(url, fields)
    assert response.status_code == 302, response.content.decode()[:3000]
    new = AgreementTemplate.objects.get(force=template.force, kind=template.kind, is_published=True)
    assert new.version == template.version + 1
    assert new.section("finance")["body"] == "Everything is free."
    assert new.section(optional["key"])["body"] == ""


def test_the_end_date_is_a_govuk_date_input_prefilled_with_today(client, active, world):
    client.force_login(world.neighbourhood)
    html = client.get(reverse("agreements:end", args=[active.pk])).content.decode()
    today = datetime.date.today()
    assert 'type="date"' not in html
    assert "govuk-date-input" in html
    fields = _form_fields(html)
    assert [fields[f"ended_on_{i}"] for i in range(3)] == [
        str(today.day),
        str(today.month),
        str(today.year),
    ]


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("31", "2", "2027", "Date it ends must be a real date"),
        ("31", "", "2027", "Date it ends must include a month"),
        ("", "", "2027", "Date it ends must include a day and month"),
        ("", "", "", "Enter the date the agreement ends"),
        ("1", "9", "27", "Year must include 4 numbers"),
    ],
)
def test_impossible_end_dates_get_govuk_messages_and_keep_what_was_typed(
    client, active, world, day, month, year, message
):
    client.force_login(world.neighbourhood)
    response = client.post(
        reverse("agreements:end", args=[active.pk]),
        {"reason": "Closing", "ended_on_0": day, "ended_on_1": month, "ended_on_2": year},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "Closing" in html
    if year:
        assert f'value="{year}"' in html
    active.refresh_from_db()
    assert active.state != Agreement.State.ENDED
