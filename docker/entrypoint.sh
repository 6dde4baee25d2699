#!/bin/sh
# Start a container: apply migrations first when MIGRATE_ON_START=1 (docker/migrate.sh), then run
# the command (gunicorn, or celery worker/beat).
set -eu

if [ "${MIGRATE_ON_START:-0}" = "1" ]; then
    sh /app/docker/migrate.sh
fi

exec "$@"
