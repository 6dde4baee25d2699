"""Every file question is GOV.UK's file upload: a label, a hint, an error message and the
govuk-file-upload input, described by its hint and its error."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

UPLOADS = [
    ("admin", "schools:import_upload", "file"),
    ("sso", "needs_assessment:indicator_upload", "file"),
    ("manager", "agreements:verify", "pdf"),
]


class _Page(HTMLParser):
    """The page's file inputs, labels (by the id they name) and the ids of its elements."""

    def __init__(self):
        super().__init__()
        self.file_inputs, self.labels, self.ids = [], set(), {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids[attrs["id"]] = attrs.get("class") or ""
        if tag == "input" and attrs.get("type") == "file":
            self.file_inputs.append(attrs)
        if tag == "label" and attrs.get("for"):
            self.labels.add(attrs["for"])


def _parse(response):
    page = _Page()
    page.feed(response.content.decode())
    return page


def _described_by(page, field):
    return [page.ids.get(name, "") for name in field.get("aria-describedby", "").split()]


@pytest.mark.parametrize(("who", "url_name", "name"), UPLOADS)
def test_each_file_question_is_the_govuk_file_upload(client, world, who, url_name, name):
    client.force_login(world.users[who])
    page = _parse(client.get(reverse(url_name)))
    [field] = page.file_inputs
    assert field["name"] == name
    assert field["class"].split() == ["govuk-file-upload"]
    assert field["id"] in page.labels, "the input has its own label"
    assert "govuk-hint" in _described_by(page, field), "the input is described by a hint"
    assert field.get("accept"), "the file picker offers only the kind of file asked for"

    # Sent without a file: the GOV.UK error message, tied to the input.
    page = _parse(client.post(reverse(url_name), {}))
    [field] = page.file_inputs
    assert field["class"].split() == ["govuk-file-upload", "govuk-file-upload--error"]
    assert "govuk-error-message" in _described_by(page, field)


def test_the_shared_field_partial_renders_a_file_upload():
    """Pages that lay fields out one by one (includes/_form_field.html) get the same markup."""
    from django import forms
    from django.template.loader import render_to_string

    class UploadForm(forms.Form):
        document = forms.FileField(
            label="Document",
            help_text="A PDF smaller than 20 MB.",
            widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}),
        )

    form = UploadForm(data={}, files={})
    form.is_valid()
    html = render_to_string("includes/_form_field.html", {"field": form["document"]})
    page = _Page()
    page.feed(html)
    [field] = page.file_inputs
    assert field["class"].split() == ["govuk-file-upload", "govuk-file-upload--error"]
    assert field["accept"] == ".pdf" and field["id"] in page.labels
    assert _described_by(page, field) == ["govuk-hint", "govuk-error-message"]
