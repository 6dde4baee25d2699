"""A search of a pupil on the premises: the stop-and-search record, its PDF copy for the pupil,
and the record that the copy was given to the pupil and filed to the school."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.forms_kit import date_data
from accounts.models import AccessLogEntry, AuditEntry
from incidents.records import PupilSearch

from .factories import PupilSearchFactory

pytestmark = pytest.mark.django_db


def _search_data(world, **overrides):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    data = {
        "pupil_name": "Riley Demo-Okafor",
        "year_group": "10",
        **date_data("searched_on", yesterday),
        "searched_at": "9:15am",
        "place": "Deputy head's office",
        "grounds": "A teacher saw a knife handle in the pupil's bag at registration.",
        "object_of_search": "A bladed article",
        "found": "A kitchen knife, 20cm blade",
        "officer": world.neighbourhood.pk,
        "staff_present": "Mr A Patel, deputy head",
        "parents_told": "yes",
        "parents_told_by": "Mrs J Rowe, DSL",
        "parents_told_how": "phone",
        **date_data("parents_told_on", yesterday),
        "parents_told_at": "10:05",
        "outcome": "item_seized",
        "outcome_detail": "Knife seized as an exhibit.",
        "police_note": "Brother linked to county lines.",
    }
    data.update(overrides)
    return data


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_named_officer_records_a_search_the_school_reads_and_downloads(client, world, incident):
    client.force_login(world.neighbourhood)
    url = reverse("incidents:search_create", args=[incident.public_id])
    page = client.get(url).content.decode()
    assert "a copy of this record goes to the pupil" in page
    response = client.post(url, _search_data(world))
    search = PupilSearch.objects.get()
    assert response["Location"] == search.get_absolute_url()
    assert search.incident == incident and search.recorded_by == world.neighbourhood
    assert search.searched_at == datetime.time(9, 15)
    assert search.parents_told_at == datetime.time(10, 5)
    entry = AuditEntry.objects.get(action="incidents.search.recorded")
    assert "Riley" not in str(entry.changes) and "county" not in str(entry.changes)
    assert "Riley" not in search.get_absolute_url()

    page = client.get(search.get_absolute_url()).content.decode()
    assert "A kitchen knife, 20cm blade" in page and "county lines" in page

    # The school's DSL reads the record and downloads the copy; never the police-only note.
    client.force_login(world.dsl)
    page = client.get(search.get_absolute_url()).content.decode()
    assert "Riley Demo-Okafor" in page and "Mr A Patel, deputy head" in page
    assert "county lines" not in page and "Police-only" not in page
    assert reverse("incidents:search_copies", args=[search.public_id]) not in page
    assert AccessLogEntry.objects.filter(target_id=str(search.pk), actor=world.dsl).exists()
    response = client.get(reverse("incidents:search_copy", args=[search.public_id]))
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "Riley" not in response["Content-Disposition"]
    text = _pdf_text(response.content)
    assert "Record of a search" in text
    assert "Riley Demo-Okafor" in text
    assert "A teacher saw a knife handle" in text
    assert "Alder Academy" in text and "Mrs J Rowe, DSL" in text
    assert "county lines" not in text
    assert AccessLogEntry.objects.filter(
        target_id=str(search.pk), actor=world.dsl, action="downloaded"
    ).exists()


def test_the_copies_given_to_the_pupil_and_filed_are_recorded(client, world, incident):
    search = PupilSearchFactory(incident=incident, recorded_by=world.neighbourhood)
    client.force_login(world.neighbourhood)
    url = reverse("incidents:search_copies", args=[search.public_id])
    today = timezone.localdate()
    response = client.post(url, {**date_data("given_to_pupil_on", today)})
    page = response.content.decode()
    assert "Enter who at the school took the copy" in page
    assert "Enter the date the copy was filed to the school" in page
    future = today + datetime.timedelta(days=2)
    response = client.post(
        url,
        {
            **date_data("given_to_pupil_on", future),
            "filed_with": "Mrs J Rowe, DSL",
            **date_data("filed_on", today),
        },
    )
    assert "The date the copy was given must be today or in the past" in response.content.decode()
    assert "Mrs J Rowe, DSL" in response.content.decode()  # kept what was typed
    response = client.post(
        url,
        {
            **date_data("given_to_pupil_on", today - datetime.timedelta(days=1)),
            "given_to_pupil_at": "10:30",
            "filed_with": "Mrs J Rowe, DSL",
            **date_data("filed_on", today),
        },
    )
    assert response.status_code == 302
    search.refresh_from_db()
    assert search.copies_done
    assert search.given_to_pupil_by == world.neighbourhood
    assert timezone.localtime(search.given_to_pupil_at).time() == datetime.time(10, 30)
    assert search.filed_with == "Mrs J Rowe, DSL"
    assert AuditEntry.objects.filter(action="incidents.search.copies_given").exists()
    client.force_login(world.dsl)
    page = client.get(search.get_absolute_url()).content.decode()
    assert "with Mrs J Rowe, DSL" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"pupil_name": ""}, "Enter the name of the pupil searched"),
        ({"grounds": ""}, "Enter the grounds for the search"),
        ({"found": ""}, "Enter what was found, or &#x27;Nothing&#x27;"),
        ({"staff_present": ""}, "Enter the names and roles of the staff who assisted"),
        ({"searched_at": ""}, "Enter the time of the search"),
        ({"searched_at": "quarter past"}, "Enter the time like 9:30am or 14:30"),
        ({"searched_on_1": ""}, "Date of the search must include a month"),
        ({"parents_told": ""}, "Say whether the parents have been told"),
        ({"parents_told_by": ""}, "Enter who told the parents"),
        ({"parents_told_how": ""}, "Choose how the parents were told"),
        ({"outcome": ""}, "Choose the outcome of the search"),
        ({"officer": "999999"}, "Choose an officer of your force"),
    ],
)
def test_a_search_with_a_missing_or_bad_answer_is_refused(
    client, world, incident, overrides, message
):
    client.force_login(world.neighbourhood)
    url = reverse("incidents:search_create", args=[incident.public_id])
    response = client.post(url, _search_data(world, **overrides))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "A teacher saw a knife handle" in page or overrides.get("grounds") == ""
    assert not PupilSearch.objects.exists()


def test_a_search_in_the_future_is_refused(client, world, incident):
    client.force_login(world.neighbourhood)
    url = reverse("incidents:search_create", args=[incident.public_id])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(url, _search_data(world, **date_data("searched_on", tomorrow)))
    assert "The date of the search must be today or in the past" in response.content.decode()
    response = client.post(url, _search_data(world, **date_data("parents_told_on", tomorrow)))
    assert (
        "The date the parents were told must be today or in the past" in response.content.decode()
    )
    assert not PupilSearch.objects.exists()


def test_another_forces_officer_cannot_be_named_as_the_searcher(world, incident):
    from django.core.exceptions import ValidationError

    from incidents import record_services

    fields = {
        "pupil_name": "Riley Demo-Okafor",
        "searched_on": timezone.localdate(),
        "searched_at": datetime.time(0, 1),
        "place": "Office",
        "grounds": "Seen with a knife",
        "object_of_search": "Knife",
        "found": "Nothing",
        "officer": world.other_force_sso,
        "staff_present": "Deputy head",
        "parents_told": "not_yet",
        "outcome": "nothing_found",
    }
    with pytest.raises(ValidationError) as error:
        record_services.search_record(incident=incident, by=world.neighbourhood, **fields)
    assert "Choose an officer of the school's force" in str(error.value)
    # An officer who does not own the school's incidents makes no record.
    with pytest.raises(ValidationError):
        record_services.search_record(
            incident=incident, by=world.sso, **{**fields, "officer": world.sso}
        )
    assert not PupilSearch.objects.exists()
