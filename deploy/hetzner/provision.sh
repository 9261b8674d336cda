#!/usr/bin/env bash
# Creates Spur's Hetzner Cloud infrastructure in Falkenstein, idempotently: every resource is
# described first and created only when missing, so a second run creates nothing.
#
#   HCLOUD_TOKEN=... SPUR_DOMAIN=spur.example ADMIN_CIDR=203.0.113.0/24 SSH_KEY=ops deploy/hetzner/provision.sh
#
# Web traffic reaches the nodes only from the load balancer over the private network (the
# firewall opens nothing but SSH from ADMIN_CIDR); ClickHouse, Postgres, Consul, Nomad and Vault
# listen on private addresses only. HCLOUD_ENDPOINT points hcloud at another API (the tests' fake).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
: "${HCLOUD_TOKEN:?set HCLOUD_TOKEN (a read/write API token of the project)}"
: "${SPUR_DOMAIN:?set SPUR_DOMAIN, e.g. spur.example}"
: "${ADMIN_CIDR:?set ADMIN_CIDR, the network SSH is allowed from}"
: "${SSH_KEY:?set SSH_KEY, the name of an SSH key in the project}"
export HCLOUD_TOKEN

prefix=${SPUR_PREFIX:-spur}
location=fsn1
network="$prefix"
server_type=cx22 # 2 vCPU / 4 GB, for the cluster nodes and the ClickHouse VM alike
image=debian-12
lb_private_ip=10.0.1.5
clickhouse_ip=10.0.1.20
volume_size=${POSTGRES_VOLUME_GB:-50}

exists() { hcloud "$1" describe "$2" >/dev/null 2>&1; }
say() { printf '%s\n' "$*" >&2; }

# Network and subnet: the nodes, the ClickHouse VM and the load balancer talk over 10.0.1.0/24.
if ! exists network "$network"; then
  hcloud network create --name "$network" --ip-range 10.0.0.0/16
  hcloud network add-subnet "$network" --network-zone eu-central --type cloud --ip-range 10.0.1.0/24
else
  say "network $network exists"
fi

# Spread placement: the three cluster nodes never share a physical host.
exists placement-group "$prefix-spread" || hcloud placement-group create --name "$prefix-spread" --type spread

# Firewall: SSH from the admins' network only.
if ! exists firewall "$prefix-firewall"; then
  rules=$(mktemp)
  trap 'rm -f "$rules"' EXIT
  sed "s|ADMIN_CIDR|$ADMIN_CIDR|" "$here/firewall-rules.json" >"$rules"
  hcloud firewall create --name "$prefix-firewall" --rules-file "$rules"
fi

# A server with its user data and a fixed private address.
server() { # name, private ip, user-data file, extra create flags...
  local name=$1 ip=$2 user_data=$3
  shift 3
  if ! exists server "$name"; then
    hcloud server create --name "$name" --type "$server_type" --image "$image" --location "$location" \
      --ssh-key "$SSH_KEY" --firewall "$prefix-firewall" --user-data-from-file "$user_data" "$@"
  fi
  if ! hcloud server describe "$name" -o json | grep -q "\"ip\": *\"$ip\""; then
    hcloud server attach-to-network "$name" --network "$network" --ip "$ip"
  fi
}

for i in 1 2 3; do
  server "$prefix-node-$i" "10.0.1.1$i" "$here/../cloud-init/cluster-node.yaml" --placement-group "$prefix-spread"
done
server "$prefix-clickhouse" "$clickhouse_ip" "$here/../cloud-init/clickhouse.yaml"

# Postgres (and Redis' AOF) live on a volume attached to node 1; Nomad pins them there.
exists volume "$prefix-postgres" ||
  hcloud volume create --name "$prefix-postgres" --size "$volume_size" --server "$prefix-node-1" --automount --format ext4

# One managed certificate for the apex and every subdomain (public dashboards are <subdomain>.<domain>).
exists certificate "$prefix-cert" ||
  hcloud certificate create --name "$prefix-cert" --type managed --domain "$SPUR_DOMAIN" --domain "*.$SPUR_DOMAIN"
cert_id=$(hcloud certificate describe "$prefix-cert" -o format='{{.ID}}')

lb="$prefix-lb"
if ! exists load-balancer "$lb"; then
  hcloud load-balancer create --name "$lb" --type lb11 --location "$location"
  hcloud load-balancer attach-to-network "$lb" --network "$network" --ip "$lb_private_ip"
  for i in 1 2 3; do
    hcloud load-balancer add-target "$lb" --server "$prefix-node-$i" --use-private-ip
  done
  # TLS ends here; Traefik on each node gets plain HTTP on port 80 over the private network.
  hcloud load-balancer add-service "$lb" --protocol https --listen-port 443 --destination-port 80 \
    --http-certificates "$cert_id" --http-redirect-http
  # Traefik's ping answers only when Traefik runs; a node without it leaves the rotation.
  hcloud load-balancer update-service "$lb" --listen-port 443 --health-check-protocol http \
    --health-check-port 8082 --health-check-http-path /ping --health-check-interval 5s \
    --health-check-timeout 3s --health-check-retries 2
fi

say "done: point $SPUR_DOMAIN and *.$SPUR_DOMAIN at the load balancer's public addresses (hcloud load-balancer describe $lb)"
