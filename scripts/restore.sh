#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an empty PostgreSQL database, and its files
# (README, "Backup and restore"). Set the same SECRET_KEY and FIELD_ENCRYPTION_KEYS as the
# backed-up deployment, or police users cannot pass two-factor authentication.
#
#   DATABASE_URL=postgres://.../new_db scripts/restore.sh backups/20261206T020000Z
#   make restore BACKUP=backups/20261206T020000Z
#
# MIGRATION_DATABASE_URL (the owner) restores when set, then grants the application's role
# (manage.py grant_app_role); otherwise DATABASE_URL's role restores and owns the tables.
# Afterwards migrations are applied (a newer release) and `manage.py check --database
# default` confirms every two-factor secret can be read with the keys set.
set -euo pipefail
cd "$(dirname "$0")/.."

backup_dir="${1:-${BACKUP:-}}"
if [[ -z "$backup_dir" || ! -f "$backup_dir/db.dump" ]]; then
  echo "Usage: scripts/restore.sh BACKUP_DIR (a folder holding db.dump from scripts/backup.sh)" >&2
  exit 1
fi
database_url="${MIGRATION_DATABASE_URL:-${DATABASE_URL:-}}"
case "$database_url" in
  postgres://* | postgresql://*) ;;
  *)
    echo "Set DATABASE_URL (or MIGRATION_DATABASE_URL) to the empty PostgreSQL database to restore into." >&2
    exit 1
    ;;
esac
PYTHON="${PYTHON:-$( [[ -x .venv/bin/python ]] && echo .venv/bin/python || echo python)}"
media_root="${MEDIA_ROOT:-var/media}"
signing_dir="${AGREEMENTS_SIGNING_DIR:-var/signing}"

tables=$(psql "$database_url" -qtAc "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")
if [[ "$tables" != "0" && "${RESTORE_OVER_EXISTING:-0}" != "1" ]]; then
  echo "The database already has $tables tables. Restore into an empty database, or set" >&2
  echo "RESTORE_OVER_EXISTING=1 to drop and replace what is there." >&2
  exit 1
fi

echo "Database <- $backup_dir/db.dump"
pg_restore --no-owner --no-privileges --clean --if-exists --single-transaction \
  --exit-on-error --dbname="$database_url" "$backup_dir/db.dump"

if [[ -f "$backup_dir/media.tar.gz" ]]; then
  echo "Files -> $media_root"
  mkdir -p "$media_root"
  tar -xzf "$backup_dir/media.tar.gz" -C "$media_root"
fi
if [[ -f "$backup_dir/signing.tar.gz" ]]; then
  echo "Sealing keys -> $signing_dir"
  mkdir -p "$signing_dir"
  tar -xzf "$backup_dir/signing.tar.gz" -C "$signing_dir"
fi

if [[ -n "${MIGRATION_DATABASE_URL:-}" ]]; then
  DATABASE_URL="$MIGRATION_DATABASE_URL" "$PYTHON" manage.py migrate --no-input
  "$PYTHON" manage.py grant_app_role --database owner
else
  "$PYTHON" manage.py migrate --no-input
fi
echo "Checking that every two-factor secret can be read with these keys..."
"$PYTHON" manage.py check --database default
echo "Restored from $backup_dir."
