"""On PostgreSQL, only the database owner may delete case-log and risk history, and only by retention.

Before, any connection could `SET LOCAL referrals.retention_delete = 'on'` and then delete
case-log rows. Now the trigger also requires the deleting role to be the tables' owner, and
the application (which runs as a role that owns nothing: README, "Database roles") deletes
them through referrals_retention_delete(case id): a SECURITY DEFINER function, owned by the
owner, that checks the case is due for its retention review (closed, no legal hold, the
young person has reached 25: Case.objects.due_for_retention_review) before it deletes.
"""

from django.db import migrations

RETENTION_YEARS = 25

TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION referrals_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND coalesce(current_setting('referrals.retention_delete', true), '') = 'on'
       AND pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE')
    THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'case log entries cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;
"""

PREVIOUS_TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION referrals_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND coalesce(current_setting('referrals.retention_delete', true), '') = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'case log entries cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;
"""

RETENTION_FUNCTION = """
CREATE OR REPLACE FUNCTION referrals_retention_delete(p_case_id bigint) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
DECLARE
    deleted integer;
    risk_deleted integer;
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM referrals_case c
        JOIN referrals_youngperson y ON y.id = c.young_person_id
        WHERE c.id = p_case_id AND c.status = 'closed' AND NOT c.legal_hold
          AND y.date_of_birth <= ((now() AT TIME ZONE 'Europe/London')::date
                                  - interval '{years} years')::date
    ) THEN
        RAISE EXCEPTION 'case % is not due for its retention review', p_case_id;
    END IF;
    PERFORM set_config('referrals.retention_delete', 'on', true);
    DELETE FROM referrals_caselogentry WHERE case_id = p_case_id;
    GET DIAGNOSTICS deleted = ROW_COUNT;
    DELETE FROM referrals_riskassessment WHERE case_id = p_case_id;
    GET DIAGNOSTICS risk_deleted = ROW_COUNT;
    PERFORM set_config('referrals.retention_delete', '', true);
    RETURN deleted + risk_deleted;
END;
$$;
REVOKE ALL ON FUNCTION referrals_retention_delete(bigint) FROM PUBLIC;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        schema = cursor.fetchone()[0]
    schema_editor.execute(TRIGGER_FUNCTION)
    # No parameters: the function's own "%" placeholders reach PostgreSQL as they are.
    schema_editor.execute(
        RETENTION_FUNCTION.format(schema=schema, years=RETENTION_YEARS), params=None
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP FUNCTION IF EXISTS referrals_retention_delete(bigint);")
    schema_editor.execute(PREVIOUS_TRIGGER_FUNCTION)


class Migration(migrations.Migration):
    dependencies = [("referrals", "0005_case_list_index")]
    operations = [migrations.RunPython(forwards, backwards)]
