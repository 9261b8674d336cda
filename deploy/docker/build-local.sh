#!/usr/bin/env bash
# Opt-in (not CI: it takes minutes): builds the four images of deploy/docker/Dockerfile with
# buildah, no Docker daemon, then starts the backend image against a throwaway Postgres and Redis
# and runs the image's own HEALTHCHECK command. Needs root and Debian's buildah, debootstrap,
# redis-server and postgresql-15 (installed when missing).
#
#   deploy/docker/build-local.sh            # all four targets
#   deploy/docker/build-local.sh backend    # some of them
#
# The base image is not pulled: debootstrap makes a bookworm rootfs, the host's node is copied in,
# and the result is given as NODE_IMAGE. npm ci inside the build reads the host's npm cache
# (filled from the lockfile in a scratch directory) in offline mode. About 6–10 minutes on our
# 2-core machines: deploy/README.md.
set -euo pipefail

[ "$(id -u)" = 0 ] || { echo "run as root (buildah with the vfs driver and chroot isolation)" >&2; exit 1; }
for tool in buildah debootstrap redis-server; do
  command -v "$tool" >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tool"
done
pg_bin=/usr/lib/postgresql/15/bin
[ -x "$pg_bin/initdb" ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15

repo=$(cd "$(dirname "$0")/../.." && pwd)
work=${SPUR_BUILD_DIR:-/var/tmp/spur-build}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(backend batches website dashboard)
export STORAGE_DRIVER=vfs BUILDAH_ISOLATION=chroot
base=localhost/spur-node-base:bookworm
tag=$(git -C "$repo" rev-parse --short=12 HEAD)
started=$(date +%s)
elapsed() { echo "$(($(date +%s) - started)) s"; }

cleanup() {
  if [ -n "${ctr:-}" ]; then buildah rm "$ctr" >/dev/null 2>&1 || true; fi
  if [ -n "${app:-}" ]; then kill "$app" 2>/dev/null || true; fi
  if [ -n "${scratch:-}" ]; then
    su postgres -c "$pg_bin/pg_ctl -D '$scratch/pg' stop -m fast" >/dev/null 2>&1 || true
    rm -rf "$scratch"
  fi
  if [ -n "${redis:-}" ]; then kill "$redis" 2>/dev/null || true; fi
}
trap cleanup EXIT

# 1. Base image: bookworm + the host's node (the same major the code is tested with) + user `node`.
if ! buildah inspect --type image "$base" >/dev/null 2>&1; then
  rootfs="$work/rootfs"
  rm -rf "$rootfs" && mkdir -p "$rootfs"
  debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian
  node_bin=$(command -v node)
  node_prefix=$(dirname "$(dirname "$(readlink -f "$node_bin")")")
  cp "$(readlink -f "$node_bin")" "$rootfs/usr/local/bin/node"
  mkdir -p "$rootfs/usr/local/lib/node_modules"
  cp -a "$node_prefix/lib/node_modules/npm" "$rootfs/usr/local/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  chroot "$rootfs" useradd --create-home --uid 1000 --shell /bin/sh node
  container=$(buildah from scratch)
  mount=$(buildah mount "$container")
  cp -a "$rootfs/." "$mount/"
  buildah umount "$container"
  buildah config --env PATH=/usr/local/bin:/usr/bin:/bin "$container"
  buildah commit --rm "$container" "$base"
  echo "base image $base after $(elapsed)"
fi

# 2. The images, from the committed tree (git archive: the image is the commit it is tagged with).
context="$work/context"
rm -rf "$context" && mkdir -p "$context"
git -C "$repo" archive HEAD | tar -x -C "$context"
# Fill the host's npm cache with every package of the lockfile, in a scratch copy of the manifests
# (never the checkout's own node_modules).
manifests="$work/manifests"
rm -rf "$manifests" && mkdir -p "$manifests"
(cd "$context" && find . -name package.json -not -path '*/node_modules/*' -exec cp --parents {} "$manifests" \; && cp package-lock.json "$manifests")
(cd "$manifests" && npm ci --ignore-scripts --no-audit --no-fund >/dev/null)
for target in "${targets[@]}"; do
  buildah build --pull=never --layers --format docker -f "$context/deploy/docker/Dockerfile" --target "$target" \
    --build-arg "NODE_IMAGE=$base" --build-arg npm_config_offline=true \
    --volume "$HOME/.npm:/root/.npm" -t "localhost/spur-$target:$tag" "$context"
  echo "built localhost/spur-$target:$tag after $(elapsed)"
done

# 3. The backend image's health check, against a real Postgres and Redis on loopback.
if printf '%s\n' "${targets[@]}" | grep -qx backend; then
  scratch=$(mktemp -d)
  chown postgres "$scratch"
  su postgres -c "$pg_bin/initdb -D '$scratch/pg' -U spur --auth=trust" >/dev/null
  su postgres -c "$pg_bin/pg_ctl -D '$scratch/pg' -o '-p 55432 -k $scratch -c listen_addresses=127.0.0.1' -l '$scratch/pg.log' start" >/dev/null
  redis-server --port 56379 --bind 127.0.0.1 --save '' --daemonize no >/dev/null &
  redis=$!
  ctr=$(buildah from --pull=never "localhost/spur-backend:$tag")
  # ClickHouse is not needed for the backend to start or be healthy (only statistics use it).
  buildah run --network host \
    --env DATABASE_URL=postgres://spur@127.0.0.1:55432/postgres --env REDIS_URL=redis://127.0.0.1:56379 \
    --env CLICKHOUSE_URL=http://127.0.0.1:58123 --env AUTH_SECRET=build-local-secret-build-local-secret \
    --env HOST=127.0.0.1 "$ctr" -- node --import tsx backend/src/main.ts &
  app=$!
  # The image's own check (HEALTHCHECK survives only in the docker format, hence --format docker above).
  mapfile -t command < <(buildah inspect --type image "localhost/spur-backend:$tag" |
    node -e 'let s = ""; process.stdin.on("data", (c) => (s += c)).on("end", () => {
      const test = JSON.parse(s).Docker.config.Healthcheck.Test; // ["CMD", program, args...]
      for (const part of test.slice(1)) console.log(part);
    })')
  [ ${#command[@]} -gt 0 ] || { echo "the backend image has no HEALTHCHECK" >&2; exit 1; }
  for _ in $(seq 1 60); do
    if buildah run --network host "$ctr" -- "${command[@]}"; then
      echo "backend image healthy (its HEALTHCHECK passed) after $(elapsed)"
      exit 0
    fi
    sleep 1
  done
  echo "the backend image's HEALTHCHECK did not pass within 60 s" >&2
  exit 1
fi
echo "done after $(elapsed)"
