#!/bin/sh
# Apply migrations. With MIGRATION_DATABASE_URL (the tables' owner), migrate as the owner and
# grant the application's role (DATABASE_URL's user, which owns nothing) exactly what it needs,
# before (default privileges for the tables migrations create) and after (append-only tables
# found by their triggers). Without it, the application's own role migrates (one-role setups).
set -eu

if [ -n "${MIGRATION_DATABASE_URL:-}" ]; then
    python manage.py grant_app_role --database owner
    # Every connection of the migrate command is the owner's, data migrations' too.
    DATABASE_URL="$MIGRATION_DATABASE_URL" python manage.py migrate --no-input
    python manage.py grant_app_role --database owner
else
    python manage.py migrate --no-input
fi
