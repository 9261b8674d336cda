#!/usr/bin/env bash
# Releases the current commit to one environment:
#
#   deploy/release.sh production|staging
#
# 1. builds the four images (deploy/docker/Dockerfile) tagged with the commit and pushes them;
# 2. for each service job, in order (batches first: it owns the ClickHouse schema), `nomad job plan`,
#    then `nomad job run -check-index` with the plan's index (nothing changed in between), then
#    watches the deployment until it is healthy. Nomad rolls one instance at a time and reverts a
#    failing job by itself (auto_revert); if any job fails, the jobs this run already released are
#    reverted to the versions they had before, so an environment never runs two releases at once.
#
# Environments are Nomad namespaces with their own databases (Vault paths kv/spur/<namespace>/*):
# production serves $SPUR_DOMAIN, staging staging.$SPUR_DOMAIN. Needs NOMAD_ADDR/NOMAD_TOKEN,
# a logged-in `docker` (or podman) and a clean checkout.
set -euo pipefail

usage() { echo "usage: $0 production|staging" >&2; exit 64; }
[ $# -eq 1 ] || usage
environment=$1
case "$environment" in
  production) domain=${SPUR_DOMAIN:?set SPUR_DOMAIN} ;;
  staging) domain="staging.${SPUR_DOMAIN:?set SPUR_DOMAIN}" ;;
  *) usage ;;
esac

cd "$(dirname "$0")/.."
registry=${SPUR_REGISTRY:-registry.spur.internal:5000}
docker=${DOCKER:-docker}
jobs=(batches backend website dashboard)

if [ -n "$(git status --porcelain)" ]; then
  echo "the checkout has uncommitted changes: release a commit, not a working tree" >&2
  exit 1
fi
tag=$(git rev-parse --short=12 HEAD)
echo "releasing $tag to $environment ($domain)"

for service in "${jobs[@]}"; do
  image="$registry/spur-$service:$tag"
  "$docker" build -f deploy/docker/Dockerfile --target "$service" -t "$image" .
  "$docker" push "$image"
done

vars=(-var "image_tag=$tag" -var "environment=$environment" -var "domain=$domain" -var "registry=$registry")
released=() # "job:version before this release"

rollback() {
  local entry
  for entry in "${released[@]}"; do
    echo "reverting ${entry%%:*} to version ${entry##*:}" >&2
    nomad job revert -namespace "$environment" "${entry%%:*}" "${entry##*:}" || true
  done
}

current_version() { # job → its version now, or "none" before its first run
  nomad job inspect -namespace "$environment" -t '{{ .Version }}' "$1" 2>/dev/null || echo none
}

for job in "${jobs[@]}"; do
  file="deploy/nomad/$job.nomad.hcl"
  before=$(current_version "$job")
  # `plan` exits 1 when there are changes, 0 when there are none; anything else is an error.
  set +e
  plan=$(nomad job plan -namespace "$environment" "${vars[@]}" "$file")
  status=$?
  set -e
  printf '%s\n' "$plan"
  if [ "$status" -gt 1 ]; then
    echo "nomad job plan failed for $job" >&2
    rollback
    exit 1
  fi
  if [ "$status" -eq 0 ]; then
    echo "$job: no changes"
    continue
  fi
  index=$(printf '%s\n' "$plan" | sed -n 's/.*Job Modify Index: \([0-9][0-9]*\).*/\1/p' | head -n 1)
  if [ -z "$index" ]; then
    echo "no Job Modify Index in the plan of $job" >&2
    rollback
    exit 1
  fi
  if ! nomad job run -namespace "$environment" -detach -check-index "$index" "${vars[@]}" "$file"; then
    echo "$job changed since it was planned, or was refused" >&2
    rollback
    exit 1
  fi
  deployment=$(nomad job deployments -namespace "$environment" -latest -t '{{ .ID }}' "$job")
  if ! nomad deployment status -namespace "$environment" -monitor "$deployment"; then
    echo "deployment of $job failed (Nomad reverts it by itself); reverting the jobs released before it" >&2
    rollback
    exit 1
  fi
  [ "$before" = none ] || released+=("$job:$before")
done
echo "released $tag to $environment"
