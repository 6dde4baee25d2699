"""The application's database role cannot get round the append-only tables (PostgreSQL only).

Production runs the application as a role that owns nothing, granted by
`manage.py grant_app_role` (README, "Database roles"). This test makes such a role the same
way, connects as it, and proves the audit trail, access log, case log and risk history
cannot be truncated, have their triggers disabled, be changed or deleted, even with the
retention flag set, while the product's own writes (a case log entry, an audit entry, a
retention deletion) still work.
"""

import datetime
import secrets
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from accounts.models import AuditEntry
from referrals import services
from referrals.models import Case, CaseLogEntry, RiskAssessment

from .conftest import make_case

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL roles and triggers"),
]

APPEND_ONLY = [
    "accounts_auditentry",
    "accounts_accesslogentry",
    "referrals_caselogentry",
    "referrals_riskassessment",
]


@pytest.fixture
def app_role():
    """A login role that owns nothing, granted as production grants it; dropped afterwards."""
    name = f"ssp_app_{secrets.token_hex(4)}"
    password = secrets.token_hex(16)
    with connection.cursor() as cursor:
        try:
            cursor.execute(f"CREATE ROLE {name} LOGIN PASSWORD %s", [password])
        except DatabaseError as error:
            pytest.skip(f"the test database's role cannot create roles (CREATEROLE): {error}")
    call_command("grant_app_role", name)
    yield name, password
    with connection.cursor() as cursor:
        cursor.execute(f"GRANT {name} TO CURRENT_USER")
        cursor.execute(f"DROP OWNED BY {name}")
        cursor.execute(f"DROP ROLE {name}")


@contextmanager
def connected_as(role):
    """Run the block with Django's own connection signed in as `role`."""
    name, password = role
    saved = {key: connection.settings_dict[key] for key in ("USER", "PASSWORD")}
    connection.close()
    connection.settings_dict.update(USER=name, PASSWORD=password)
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.update(saved)


def refused(sql, params=()):
    """Return whether PostgreSQL refuses `sql` (rolled back either way)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError:
        return True
    return False


def _closed_due_case(world):
    case = make_case(world, person={"date_of_birth": datetime.date(1990, 1, 1)})
    services.case_reassess_risk(case=case, by=world.neighbourhood, level="low", reason="Settled")
    services.case_close(case=case, by=world.neighbourhood, outcome="risk_reduced", summary="Done")
    return case


def test_the_app_role_cannot_change_or_remove_append_only_rows(world, app_role):
    case = _closed_due_case(world)
    assert CaseLogEntry.objects.filter(case=case).exists()
    assert RiskAssessment.objects.filter(case=case).exists()
    open_case = make_case(world)
    with connected_as(app_role):
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone()[0] == app_role[0]
        for table in APPEND_ONLY:
            assert refused(f"TRUNCATE {table}"), table
            assert refused(f"ALTER TABLE {table} DISABLE TRIGGER ALL"), table
            assert refused(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only"), table
            assert refused(f"UPDATE {table} SET id = id"), table
            assert refused(f"DELETE FROM {table}"), table
        # The retention flag opens nothing to the application's role.
        assert refused(
            "SET LOCAL referrals.retention_delete = 'on'; DELETE FROM referrals_caselogentry"
        )
        # Nor does the retention function for a case not due for review.
        assert refused("SELECT referrals_retention_delete(%s)", [open_case.pk])
        # Nor can it rewrite the record of migrations, or drop a table.
        assert refused("DELETE FROM django_migrations")
        assert refused("DROP TABLE referrals_caselogentry")
    assert CaseLogEntry.objects.filter(case=case).exists()
    assert CaseLogEntry.objects.filter(case=open_case).exists()


def test_the_trigger_refuses_the_retention_flag_from_anyone_but_the_owner(world, app_role):
    """Even given DELETE on the case log, the application's role cannot use the flag."""
    case = _closed_due_case(world)
    with connection.cursor() as cursor:
        cursor.execute(f"GRANT DELETE ON referrals_caselogentry TO {app_role[0]}")
    with connected_as(app_role):
        assert refused(
            "SET LOCAL referrals.retention_delete = 'on'; "
            "DELETE FROM referrals_caselogentry WHERE case_id = %s",
            [case.pk],
        )
    assert CaseLogEntry.objects.filter(case=case).exists()


def test_the_products_own_writes_work_as_the_app_role(world, app_role):
    case = _closed_due_case(world)
    live = make_case(world)
    with connected_as(app_role):
        services.case_log_add(
            case=live,
            by=world.neighbourhood,
            kind="safety_plan",
            occurred_on=datetime.date(2026, 1, 20),
            summary="Safety plan agreed",
        )
        services.case_delete_for_retention(case=case, by=world.manager)
    assert CaseLogEntry.objects.filter(case=live, kind="safety_plan").exists()
    assert not Case.objects.filter(pk=case.pk).exists()
    assert not CaseLogEntry.objects.filter(case_id=case.pk).exists()
    assert not RiskAssessment.objects.filter(case_id=case.pk).exists()
    assert AuditEntry.objects.filter(action="referrals.case.deleted_for_retention").exists()


def test_grant_app_role_refuses_the_owner_itself():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="owns nothing"):
        call_command("grant_app_role", connection.settings_dict["USER"])
