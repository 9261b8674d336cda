#!/usr/bin/env bash
# Promote the Postgres standby and point every pgbouncer at it: the one command of the runbook
# "Postgres primary lost" in deploy/README.md. Safe to run twice (an already promoted standby is
# left as it is). test/integration/failover-postgres.test.ts runs this very script.
#
#   STANDBY_URL              conninfo of the standby, as a superuser (e.g. postgres://postgres@10.0.1.12:5432/postgres)
#   NEW_PRIMARY_HOST/PORT    the address pgbouncer should use from now on (the standby's)
#   PGBOUNCER_DATABASES_INI  the file pgbouncer.ini includes under [databases] (rewritten here)
#   PGBOUNCER_ADMIN_URLS     space-separated conninfos of each pgbouncer's admin console (RELOAD is sent to each)
#   PSQL                     psql binary (default: psql on PATH)
#
# Before running it, make sure the old primary is dead or fenced (stopped by Nomad, or its node
# switched off): two primaries behind one name would split the data.
set -euo pipefail

: "${STANDBY_URL:?}" "${NEW_PRIMARY_HOST:?}" "${NEW_PRIMARY_PORT:?}" "${PGBOUNCER_DATABASES_INI:?}" "${PGBOUNCER_ADMIN_URLS:?}"
PSQL=${PSQL:-psql}

in_recovery=$("$PSQL" "$STANDBY_URL" -XAtc 'SELECT pg_is_in_recovery()')
if [ "$in_recovery" = t ]; then
  # wait => true: returns once the standby accepts writes (or fails after 60 s).
  promoted=$("$PSQL" "$STANDBY_URL" -XAtc 'SELECT pg_promote(true, 60)')
  [ "$promoted" = t ] || { echo "pg_promote did not finish within 60 s" >&2; exit 1; }
  echo "promoted ${NEW_PRIMARY_HOST}:${NEW_PRIMARY_PORT}"
else
  echo "${NEW_PRIMARY_HOST}:${NEW_PRIMARY_PORT} is already a primary"
fi

# The promoted node has no standby yet: with synchronous_standby_names still set (copied from the
# old primary by pg_basebackup), every COMMIT would wait for a standby that does not exist. Turned
# back on by deploy/postgres/README.md's "new standby" steps once one streams from it.
"$PSQL" "$STANDBY_URL" -XAtc "ALTER SYSTEM SET synchronous_standby_names = ''" >/dev/null
"$PSQL" "$STANDBY_URL" -XAtc 'SELECT pg_reload_conf()' >/dev/null

# Written whole and renamed, so a pgbouncer reloading at the same moment never reads half a file.
tmp="${PGBOUNCER_DATABASES_INI}.tmp.$$"
printf '* = host=%s port=%s\n' "$NEW_PRIMARY_HOST" "$NEW_PRIMARY_PORT" >"$tmp"
chmod 0644 "$tmp"
mv -f "$tmp" "$PGBOUNCER_DATABASES_INI"

for admin in $PGBOUNCER_ADMIN_URLS; do
  "$PSQL" "$admin" -XAtc 'RELOAD' >/dev/null
  echo "pgbouncer reloaded: ${admin%%\?*}"
done
