#!/usr/bin/env bash
# The one command that installs what is missing and runs every check Spur has:
# lint, typecheck, unit, integration (real engines), dashboard component and browser tests.
# Ends with a line "N passed, N failed" and exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")" || exit 1

log() { printf '\n== %s\n' "$*"; }
as_root() { [ "$(id -u)" = 0 ]; }

apt_updated=0
apt_install() {
  if ! as_root; then
    echo "missing: $* (install it with: sudo apt-get install -y $*)" >&2
    return 1
  fi
  if [ "$apt_updated" = 0 ]; then apt-get update -qq >/dev/null && apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

log "system packages"
command -v redis-server >/dev/null || apt_install redis-server || exit 1
command -v chromium >/dev/null || [ -x /usr/bin/chromium ] || apt_install chromium || exit 1
command -v shellcheck >/dev/null || apt_install shellcheck || exit 1
# The release rehearsal (test/integration/release-rehearsal.test.ts) puts real haproxy in front of the backends.
command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ] || apt_install haproxy || exit 1
# deploy/ checks: provision.sh runs hcloud against a fake API, user data passes `cloud-init schema`.
command -v hcloud >/dev/null || apt_install hcloud-cli || exit 1
command -v cloud-init >/dev/null || apt_install cloud-init || exit 1
# Failover tests (issue 19): Redis Sentinels, a PostgreSQL 15 primary + streaming replica, pgbouncer in front.
[ -x /usr/bin/redis-sentinel ] || apt_install redis-sentinel || exit 1
[ -x /usr/lib/postgresql/15/bin/postgres ] || apt_install postgresql-15 || exit 1
[ -x /usr/sbin/pgbouncer ] || apt_install pgbouncer || exit 1
echo "redis-server: $(redis-server --version | awk '{print $3}'), chromium: $(chromium --version 2>/dev/null | awk '{print $2}')"

log "npm packages"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund || exit 1
fi

passed=0
failed=0
step() { # name, command...
  local name=$1; shift
  log "$name"
  if "$@"; then passed=$((passed + 1)); echo "$name: ok"; else failed=$((failed + 1)); echo "$name: FAILED"; fi
}

step lint npx eslint . --max-warnings 0
step "format (prettier)" npx prettier --check --log-level warn .
step shellcheck shellcheck run_tests.sh .ci/run
step "typecheck (tsc)" npx tsc -b
step "typecheck (browser tests)" npx tsc -p test/browser
step "typecheck (vue-tsc)" npm run --silent typecheck -w dashboard
step "dashboard build" npm run --silent build -w dashboard

log "tests"
report=$(mktemp)
npx vitest run --reporter=default --reporter=json --outputFile.json="$report"
vitest_status=$?
if [ -s "$report" ]; then
  read -r tp tf < <(node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));console.log(r.numPassedTests, r.numFailedTests + (r.numRuntimeErrorTests||0))' "$report")
  passed=$((passed + tp))
  failed=$((failed + tf))
  # A crashed file (no tests counted) must still fail the run.
  if [ "$vitest_status" != 0 ] && [ "$tf" = 0 ]; then failed=$((failed + 1)); fi
else
  failed=$((failed + 1))
fi
rm -f "$report"

echo
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
