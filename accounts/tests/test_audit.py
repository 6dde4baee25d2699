"""The audit trail: written by the verbs, readable by managers, never changed."""

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from accounts import audit
from accounts.models import AccessLogEntry, AuditEntry

pytestmark = pytest.mark.django_db


def test_entries_cannot_be_changed_or_deleted_through_the_models(world):
    entry = audit.record("accounts.user.disabled", actor=world.admin, target=world.dsl)
    entry.action = "something else"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "accounts.user.disabled"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)
def test_postgresql_refuses_to_change_audit_rows_even_in_raw_sql(world):
    entry = audit.record("accounts.user.disabled", actor=world.admin, target=world.dsl)
    audit.record_access(actor=world.sso, target=world.dsl, reason="Check")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_auditentry SET action = 'x' WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM accounts_accesslogentry")
    assert AuditEntry.objects.get(pk=entry.pk).action == "accounts.user.disabled"
    assert AccessLogEntry.objects.count() == 1


def test_record_keeps_who_what_when_and_the_force(world):
    entry = audit.record(
        "accounts.team.changed",
        actor=world.admin,
        target=world.teams["npt_a"],
        changes={"name": ["A", "B"]},
    )
    assert entry.force == world.forces["a"]
    assert entry.actor == world.admin
    assert entry.target_repr == "North NPT"
    assert entry.changes == {"name": ["A", "B"]}
    assert entry.created.tzinfo is not None


def test_access_log_records_a_view_with_its_reason(rf, world):
    request = rf.get("/", REMOTE_ADDR="203.0.113.9")
    entry = audit.record_access(
        actor=world.sso, target=world.dsl, reason="Safeguarding check", request=request
    )
    assert (entry.reason, entry.ip_address, entry.force_id) == (
        "Safeguarding check",
        "203.0.113.9",
        world.forces["a"].pk,
    )
    with pytest.raises(PermissionError):
        entry.delete()
    assert AccessLogEntry.objects.count() == 1


def test_team_changes_are_audited_with_a_diff(client, world):
    client.force_login(world.admin)
    team = world.teams["npt_a"]
    response = client.post(
        reverse("accounts:team_edit", args=[team.pk]),
        {"name": "North Dorset NPT", "kind": "neighbourhood", "sergeant": world.sergeant.pk},
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="accounts.team.changed")
    assert entry.changes == {"name": ["North NPT", "North Dorset NPT"]}


def test_duplicate_team_name_is_refused_and_nothing_saved(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("accounts:team_create"), {"name": "north npt", "kind": "neighbourhood"}
    )
    assert response.status_code == 200
    assert "already has a team" in str(response.context["form"].errors["name"])
    assert not AuditEntry.objects.filter(action="accounts.team.created").exists()


def test_managers_see_only_their_own_forces_trail(client, world):
    audit.record("accounts.user.disabled", actor=world.admin, target=world.dsl)
    audit.record(
        "accounts.user.disabled", actor=world.other_force_admin, target=world.other_force_sso
    )
    client.force_login(world.manager)
    page = client.get(reverse("accounts:audit_list"))
    entries = list(page.context["page"].object_list)
    assert [e.target_id for e in entries] == [str(world.dsl.pk)]


def test_administrator_changes_the_force_settings_and_they_are_audited(client, world):
    client.force_login(world.admin)
    url = reverse("accounts:force_settings")
    response = client.post(
        url,
        {
            "contact_model": "team_caseload",
            "enhanced_engagements_per_term": "0",
            "home_la_codes": "838, 83X",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["enhanced_engagements_per_term"] == ["Enter a number from 1 to 60"]
    assert "83X" in errors["home_la_codes"][0]
    response = client.post(
        url,
        {
            "contact_model": "team_caseload",
            "enhanced_engagements_per_term": "4",
            "home_la_codes": "839, 838",
        },
    )
    assert response.status_code == 302
    force = world.forces["a"]
    force.refresh_from_db()
    assert (force.contact_model, force.enhanced_engagements_per_term, force.home_la_codes) == (
        "team_caseload",
        4,
        ["838", "839"],
    )
    entry = AuditEntry.objects.get(action="accounts.force.settings_changed")
    assert entry.changes["contact_model"] == ["named_officer", "team_caseload"]
    # Another force is untouched.
    assert world.forces["b"].contact_model == "named_officer"
