#!/usr/bin/env bash
# The standby is gone: let the primary commit without waiting for it (runbook "Postgres standby
# lost" in deploy/README.md). Commits that were waiting complete at once; until a new standby
# streams and synchronous_standby_names is set back to '*', a lost primary would lose its last
# commits. backend/test/failover-postgres-standby.test.ts runs this script.
#
#   PRIMARY_URL  conninfo of the primary, as a superuser
#   PSQL         psql binary (default: psql on PATH)
set -euo pipefail

: "${PRIMARY_URL:?}"
PSQL=${PSQL:-psql}

"$PSQL" "$PRIMARY_URL" -XAtc "ALTER SYSTEM SET synchronous_standby_names = ''" >/dev/null
"$PSQL" "$PRIMARY_URL" -XAtc 'SELECT pg_reload_conf()' >/dev/null
echo "synchronous replication off on the primary"
