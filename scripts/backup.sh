#!/usr/bin/env bash
# Back up what the product cannot rebuild (README, "Backup and restore"):
#   db.dump       the PostgreSQL database, pg_dump's custom format (-Fc)
#   media.tar.gz  MEDIA_ROOT (sealed agreements, reports, uploads), when files are local
#   signing.tar.gz AGREEMENTS_SIGNING_DIR (each force's sealing key and certificate)
# into BACKUP_DIR (default backups/<UTC time>/). The secrets (SECRET_KEY,
# FIELD_ENCRYPTION_KEYS, AGREEMENTS_SIGNING_PASSPHRASE, the database passwords) are NOT
# written here: keep them in your secrets store, apart from the backups.
#
#   DATABASE_URL=postgres://... scripts/backup.sh            # or: make backup
# MIGRATION_DATABASE_URL (the owner) is used when set, else DATABASE_URL.
set -euo pipefail
cd "$(dirname "$0")/.."

database_url="${MIGRATION_DATABASE_URL:-${DATABASE_URL:-}}"
case "$database_url" in
  postgres://* | postgresql://*) ;;
  *)
    echo "Set DATABASE_URL (or MIGRATION_DATABASE_URL) to the PostgreSQL database to back up." >&2
    exit 1
    ;;
esac
# libpq reads postgresql:// and postgres:// alike; Django's pgsql:// forms are not used here.

backup_dir="${BACKUP_DIR:-backups/$(date -u +%Y%m%dT%H%M%SZ)}"
media_root="${MEDIA_ROOT:-var/media}"
signing_dir="${AGREEMENTS_SIGNING_DIR:-var/signing}"
mkdir -p "$backup_dir"
chmod 0700 "$backup_dir"

echo "Database -> $backup_dir/db.dump"
pg_dump --format=custom --no-owner --no-privileges --file="$backup_dir/db.dump" "$database_url"

if [[ "${FILE_STORAGE:-local}" == "local" ]]; then
  if [[ -d "$media_root" ]]; then
    echo "Files ($media_root) -> $backup_dir/media.tar.gz"
    tar -czf "$backup_dir/media.tar.gz" -C "$media_root" .
  else
    echo "No $media_root: no files to back up."
  fi
else
  echo "FILE_STORAGE=$FILE_STORAGE: back up the bucket with your provider's tools (versioning, replication or aws s3 sync)."
fi

if [[ -d "$signing_dir" ]]; then
  echo "Sealing keys ($signing_dir) -> $backup_dir/signing.tar.gz"
  tar -czf "$backup_dir/signing.tar.gz" -C "$signing_dir" .
else
  echo "No $signing_dir: no sealing keys to back up."
fi
chmod 0600 "$backup_dir"/*
echo "Done: $backup_dir. Keep SECRET_KEY and FIELD_ENCRYPTION_KEYS with your secrets, not here."
