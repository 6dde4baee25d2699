#!/bin/sh
# Run once by the postgres image when its data volume is first made: the application's role,
# which logs in but owns nothing. The owner (POSTGRES_USER) runs migrations and
# `manage.py grant_app_role`, which gives this role its privileges (README, "Database roles").
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v app_password="$APP_DB_PASSWORD" <<'SQL'
CREATE ROLE safer_schools_app LOGIN PASSWORD :'app_password'
    NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
SQL
