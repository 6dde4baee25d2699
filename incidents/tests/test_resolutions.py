"""A restorative informal resolution: written down, never compensation, agreed in person by
the victim and a parent, staff, and the pupil responsible and a parent (a consent signature
each, with the SHA-256 of the exact text agreed), then its outcome."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import AuditEntry
from incidents import record_services
from incidents.records import NEVER_COMPENSATION, ConsentSignature, RestorativeResolution

from .factories import RestorativeResolutionFactory, consent_of

pytestmark = pytest.mark.django_db

PARTIES = [
    ("victim", "Sam Demo-Victim"),
    ("victim_parent", "Alex Demo-Victim"),
    ("staff", "Jo Rowe"),
    ("offender", "Riley Demo-Okafor"),
    ("offender_parent", "Chris Demo-Okafor"),
]


@pytest.mark.parametrize(
    "wording",
    [
        "Riley pays £20 towards the broken window.",
        "The family will compensate the victim.",
        "Repay the money taken by Friday.",
        "Payment of 30 pounds to the victim.",
        "Riley gives Sam cash for the phone.",
    ],
)
def test_a_resolution_is_never_compensation(client, world, incident, wording):
    client.force_login(world.neighbourhood)
    url = reverse("incidents:resolution_create", args=[incident.public_id])
    response = client.post(url, {"proposed": wording})
    page = response.content.decode()
    assert response.status_code == 200
    assert "A restorative resolution is never compensation" in page
    assert wording.split()[0] in page  # what was typed is kept
    assert not RestorativeResolution.objects.exists()
    # The service refuses it as well, whatever the form.
    with pytest.raises(ValidationError, match="never compensation"):
        record_services.resolution_propose(
            incident=incident, by=world.neighbourhood, proposed=wording
        )


def test_the_rule_and_the_protocol_step_are_shown_on_the_page(client, world, incident):
    client.force_login(world.neighbourhood)
    page = client.get(reverse("incidents:resolution_create", args=[incident.public_id]))
    text = page.content.decode()
    assert NEVER_COMPENSATION in text
    # The force's restorative step, drawn from its protocol text.
    assert "needs the agreement of the victim and their parents" in text
    assert (
        "Describe the resolution proposed"
        in client.post(
            reverse("incidents:resolution_create", args=[incident.public_id]), {"proposed": " "}
        ).content.decode()
    )


def test_everyone_agrees_in_person_then_the_resolution_is_completed(client, world, incident):
    client.force_login(world.neighbourhood)
    response = client.post(
        reverse("incidents:resolution_create", args=[incident.public_id]),
        {
            "proposed": "Riley writes an apology to Sam and helps repaint the wall he damaged "
            "over two lunchtimes. Pay attention in class.",
            "police_note": "Cousin known to us.",
        },
    )
    resolution = RestorativeResolution.objects.get()
    assert response["Location"] == resolution.get_absolute_url()
    assert (
        resolution.content_sha256 == hashlib.sha256(resolution.agreed_text().encode()).hexdigest()
    )
    consent_url = reverse("incidents:consent_add", args=[resolution.public_id])
    outcome_url = reverse("incidents:resolution_outcome", args=[resolution.public_id])

    # Not complete while anyone is still to agree.
    response = client.post(outcome_url, {"outcome": "completed"})
    assert "complete only when everyone has agreed" in response.content.decode()

    page = client.get(consent_url).content.decode()
    assert "helps repaint the wall" in page and NEVER_COMPENSATION in page
    # The signer types their name, and ticks I agree; a mismatch or no tick is refused.
    bad = client.post(
        consent_url,
        {
            "capacity": "victim",
            "signer_name": "Sam Demo-Victim",
            "typed_name": "Sam",
            "fingerprint": resolution.content_sha256,
        },
    ).content.decode()
    assert "Type your name exactly as it is written above" in bad
    assert "Tick the box to confirm you agree" in bad
    stale = client.post(
        consent_url,
        {
            "capacity": "victim",
            "signer_name": "Sam Demo-Victim",
            "typed_name": "Sam Demo-Victim",
            "agreed": "on",
            "fingerprint": "0" * 64,
        },
    ).content.decode()
    assert "The resolution changed while it was being read" in stale
    assert not ConsentSignature.objects.exists()

    for capacity, name in PARTIES:
        response = client.post(
            consent_url,
            {
                "capacity": capacity,
                "signer_name": name,
                "typed_name": f" {name.lower()} ",
                "agreed": "on",
                "fingerprint": resolution.content_sha256,
            },
            HTTP_USER_AGENT="Officer phone browser",
            REMOTE_ADDR="10.1.2.3",
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    consents = list(ConsentSignature.objects.order_by("pk"))
    assert [c.capacity for c in consents] == [capacity for capacity, _ in PARTIES]
    first = consents[0]
    assert first.signer_name == "Sam Demo-Victim" and first.typed_name == "sam demo-victim"
    assert first.user_agent == "Officer phone browser" and first.ip_address == "10.1.2.3"
    assert first.content_sha256 == resolution.content_sha256
    assert first.witnessed_by == world.neighbourhood
    with pytest.raises(PermissionError):
        first.save()  # a consent is never changed
    entries = AuditEntry.objects.filter(action="incidents.resolution.consent_recorded")
    assert entries.count() == 5 and "Sam" not in str([e.changes for e in entries])

    response = client.post(
        outcome_url, {"outcome": "completed", "outcome_detail": "Wall repainted; apology read."}
    )
    assert response.status_code == 302
    resolution.refresh_from_db()
    assert resolution.outcome == "completed" and resolution.outcome_by == world.neighbourhood
    assert client.get(consent_url).status_code == 403  # no more consents once ended

    # The school's headteacher reads it: the parties, the outcome; never the police-only note.
    client.force_login(world.headteacher)
    page = client.get(resolution.get_absolute_url()).content.decode()
    assert "Chris Demo-Okafor" in page and "Wall repainted" in page
    assert "Cousin known" not in page
    incident_page = client.get(incident.get_absolute_url()).content.decode()
    assert "Restorative resolution" in incident_page and "completed" in incident_page


def test_an_outcome_that_is_compensation_is_refused(client, world, incident):
    resolution = RestorativeResolutionFactory(incident=incident, recorded_by=world.neighbourhood)
    for capacity, name in PARTIES:
        consent_of(resolution, capacity, name, by=world.neighbourhood)
    client.force_login(world.neighbourhood)
    response = client.post(
        reverse("incidents:resolution_outcome", args=[resolution.public_id]),
        {"outcome": "completed", "outcome_detail": "Riley paid £10 to Sam."},
    )
    assert "never compensation" in response.content.decode()
    resolution.refresh_from_db()
    assert resolution.outcome == ""


def test_not_completed_may_be_recorded_before_everyone_agreed(world, incident):
    resolution = RestorativeResolutionFactory(incident=incident, recorded_by=world.neighbourhood)
    consent_of(resolution, "victim", "Sam Demo-Victim", by=world.neighbourhood)
    record_services.resolution_outcome(
        resolution=resolution, by=world.neighbourhood, outcome="not_completed"
    )
    resolution.refresh_from_db()
    assert resolution.status == "Not completed"
    assert len(resolution.missing_consents()) == 4


@pytest.mark.parametrize(
    "wording",
    [
        "Jordan is fine with meeting Sam.",
        "Both pupils pay attention to the behaviour agreement.",
        "Riley repairs the damage to the wall with the site team.",
        "A written apology, read at a meeting with both families.",
    ],
)
def test_a_resolution_that_asks_for_no_money_is_accepted(world, incident, wording):
    resolution = record_services.resolution_propose(
        incident=incident, by=world.neighbourhood, proposed=wording
    )
    assert resolution.proposed == wording
