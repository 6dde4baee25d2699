"""On PostgreSQL, make the case log and risk history refuse UPDATE, and DELETE too.

The one exception is the manager's retention deletion, which sets
`referrals.retention_delete` for its own transaction (SET LOCAL) before deleting.
"""

from django.db import migrations

TABLES = ["referrals_caselogentry", "referrals_riskassessment"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        """
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
    )
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION referrals_append_only();"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS referrals_append_only();")


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_casework")]
    operations = [migrations.RunPython(forwards, backwards)]
