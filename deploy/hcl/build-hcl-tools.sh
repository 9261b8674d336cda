#!/usr/bin/env bash
# Opt-in: builds hcldec and hclfmt (HashiCorp's HCL tools, from Debian's Go sources) into
# ${HCL_TOOLS_DIR:-/tmp/spur-hcl-tools}; test/unit/deploy-hcl-tools.test.ts runs when they are there.
# Not part of ./run_tests.sh: on our 2-core machines the apt install took 35 s and the build 30 s,
# over the minute CI may spend on it. Usage: deploy/hcl/build-hcl-tools.sh && npx vitest run test/unit/deploy-hcl-tools.test.ts
set -euo pipefail

out=${HCL_TOOLS_DIR:-/tmp/spur-hcl-tools}
if ! command -v go >/dev/null || [ ! -d /usr/share/gocode/src/github.com/hashicorp/hcl/v2 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "needs: sudo apt-get install -y golang-go golang-github-hashicorp-hcl-v2-dev" >&2
    exit 1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    golang-go golang-github-hashicorp-hcl-v2-dev >/dev/null
fi
mkdir -p "$out"
for tool in hcldec hclfmt; do
  GOPATH=/usr/share/gocode GO111MODULE=off GOCACHE="$out/.cache" \
    go build -o "$out/$tool" "github.com/hashicorp/hcl/v2/cmd/$tool"
done
echo "built $out/hcldec and $out/hclfmt"
