"""The protocol's kinds and steps are the force's data: loaded for every force, edited by its
administrators and managers, shown to schools for the kind they report."""

import pytest
from django.urls import reverse

from accounts.models import AuditEntry
from accounts.tests.factories import ForceFactory
from incidents.models import Incident, IncidentKind

from .factories import kind_of

pytestmark = pytest.mark.django_db


def test_every_force_starts_with_the_protocol_kinds_and_steps(world):
    force = ForceFactory()
    kinds = IncidentKind.objects.filter(force=force)
    protocol = {k.key for k in kinds if k.in_protocol}
    assert protocol == {"assault_with_injury", "robbery", "sexual_assault", "weapon", "drugs"}
    assert {k.key for k in kinds if k.is_urgent} == {
        "assault_with_injury",
        "robbery",
        "sexual_assault",
        "weapon",
    }
    assert all(kind.steps.exists() for kind in kinds)
    steps = " ".join(kind_of(force, "drugs").steps.values_list("text", flat=True))
    assert "out of school hours" in steps and "continuity" in steps


def test_a_manager_rewords_the_steps_and_schools_see_the_new_words(client, world):
    kind = kind_of(world.forces["a"], "drugs")
    client.force_login(world.manager)
    response = client.post(
        reverse("incidents:kind_edit", args=[kind.pk]),
        {
            "name": "Drugs seized or found",
            "is_urgent": "on",
            "is_active": "on",
            "steps": "Bag it with a witness.\n\nCall PC Dorset on the school radio.",
        },
    )
    assert response.status_code == 302
    kind.refresh_from_db()
    assert kind.is_urgent
    assert list(kind.steps.values_list("text", flat=True)) == [
        "Bag it with a witness.",
        "Call PC Dorset on the school radio.",
    ]
    assert AuditEntry.objects.filter(action="incidents.kind.changed").exists()
    client.force_login(world.dsl)
    client.post(reverse("incidents:start"), {"kind": kind.pk})
    draft = Incident.objects.get()
    page = client.get(reverse("incidents:step", args=[draft.public_id, "when"])).content.decode()
    assert "Call PC Dorset on the school radio." in page and "call 999 now" in page
    # Another force keeps its own words.
    assert "PC Dorset" not in " ".join(
        kind_of(world.forces["b"], "drugs").steps.values_list("text", flat=True)
    )


def test_a_force_adds_an_other_kind_and_retires_one(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("incidents:kind_create"),
        {"name": "Fireworks set off", "is_active": "on", "steps": "Keep everyone away."},
    )
    assert response.status_code == 302
    added = IncidentKind.objects.get(force=world.forces["a"], name="Fireworks set off")
    assert added.key == "fireworks-set-off" and not added.in_protocol
    theft = kind_of(world.forces["a"], "theft")
    client.post(
        reverse("incidents:kind_edit", args=[theft.pk]),
        {"name": "Theft", "steps": "Keep the evidence."},
    )
    client.force_login(world.dsl)
    page = client.get(reverse("incidents:start")).content.decode()
    assert (
        "Fireworks set off" in page and ">\n    Theft" not in page and "Theft</label>" not in page
    )


def test_steps_are_required(client, world):
    client.force_login(world.admin)
    response = client.post(reverse("incidents:kind_create"), {"name": "Graffiti", "steps": ""})
    assert "Enter at least one step" in response.content.decode()
    response = client.post(reverse("incidents:kind_create"), {"name": "", "steps": "x"})
    assert "Enter the name of the kind of incident" in response.content.decode()
