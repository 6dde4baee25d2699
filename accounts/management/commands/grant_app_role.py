"""Give the application's database role exactly what it needs, as the owner (PostgreSQL).

    manage.py grant_app_role --database owner            # the role of DATABASE_URL
    manage.py grant_app_role safer_schools_app           # a role named here

Run it as the role that owns the tables (MIGRATION_DATABASE_URL, the "owner" alias), before
and after every `migrate` (docker/migrate.sh does). The application's role gets SELECT,
INSERT, UPDATE and DELETE on every table, except the append-only ones (those with an
`*_append_only` trigger: the audit trail, the access log, the case log and the risk
history), where it gets SELECT and INSERT only; SELECT only on django_migrations; never
TRUNCATE, and it owns nothing, so it cannot disable a trigger or alter a table. Tables that
later migrations create get the same by default privileges; running this again after them
takes UPDATE and DELETE back from any new append-only table.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction

# The SECURITY DEFINER functions the application calls (referrals migration 0006).
APP_FUNCTIONS = ["referrals_retention_delete(bigint)"]


def append_only_tables(cursor, schema: str) -> list[str]:
    """Return the tables of `schema` guarded by an *_append_only trigger."""
    cursor.execute(
        """
        SELECT DISTINCT c.relname FROM pg_trigger t
        JOIN pg_class c ON c.oid = t.tgrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = %s AND NOT t.tgisinternal AND t.tgname LIKE %s
        ORDER BY c.relname
        """,
        [schema, r"%\_append\_only"],
    )
    return [row[0] for row in cursor.fetchall()]


class Command(BaseCommand):
    help = "Grant the application's database role what it needs, and nothing on append-only rows."

    def add_arguments(self, parser):
        parser.add_argument(
            "role", nargs="?", help="The application's role (default: DATABASE_URL's user)."
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="The connection to grant through: the tables' owner (usually 'owner').",
        )

    def handle(self, *args, role=None, database=DEFAULT_DB_ALIAS, **options):
        connection = connections[database]
        if connection.vendor != "postgresql":
            raise CommandError("Database roles apply to PostgreSQL only.")
        role = role or connections[DEFAULT_DB_ALIAS].settings_dict["USER"]
        if not role:
            raise CommandError("Name the application's role, or set DATABASE_URL.")
        quote = connection.ops.quote_name
        with transaction.atomic(using=database), connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_user, current_schema(), "
                "(SELECT rolsuper FROM pg_roles WHERE rolname = %s), "
                "pg_has_role(%s, current_user, 'MEMBER')",
                [role, role],
            )
            owner, schema, is_superuser, is_owner = cursor.fetchone()
            if is_superuser is None:
                raise CommandError(f"There is no database role {role!r}: create it first.")
            if is_superuser or is_owner:
                raise CommandError(
                    f"{role!r} is a superuser or the owner ({owner!r}): the application "
                    "must run as a role that owns nothing."
                )
            app, schema_q, owner_q = quote(role), quote(schema), quote(owner)
            guarded = append_only_tables(cursor, schema)
            statements = [
                f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema_q} FROM {app}",
                f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema_q} FROM {app}",
                f"GRANT USAGE ON SCHEMA {schema_q} TO {app}",
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema_q} TO {app}",
                f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema_q} TO {app}",
                *(f"REVOKE UPDATE, DELETE ON {schema_q}.{quote(t)} FROM {app}" for t in guarded),
                f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner_q} IN SCHEMA {schema_q} "
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app}",
                f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner_q} IN SCHEMA {schema_q} "
                f"GRANT USAGE, SELECT ON SEQUENCES TO {app}",
            ]
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [f"{schema}.django_migrations"])
            if cursor.fetchone()[0]:
                statements.append(
                    f"REVOKE INSERT, UPDATE, DELETE ON {schema_q}.django_migrations FROM {app}"
                )
            for function in APP_FUNCTIONS:
                cursor.execute("SELECT to_regprocedure(%s) IS NOT NULL", [function])
                if cursor.fetchone()[0]:
                    statements.append(f"GRANT EXECUTE ON FUNCTION {function} TO {app}")
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(
            f"{role} may read and write the tables of schema {schema} owned by {owner}; "
            f"append-only, insert and read only: {', '.join(guarded) or 'none yet'}."
        )
