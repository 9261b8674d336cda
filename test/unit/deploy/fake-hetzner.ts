import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Hetzner Cloud API, enough of it for hcloud-cli 1.30 to run
 * deploy/hetzner/provision.sh (HCLOUD_ENDPOINT points there). It keeps what is created, so a
 * second run finds it, and records every request with its JSON body for the test to assert.
 * Actions finish at once; `GET /v1/actions?id=N` (how hcloud polls them) answers "success".
 */
export type RecordedRequest = { method: string; path: string; query: string; body: unknown };
type Resource = Record<string, unknown> & { id: number; name: string };

export type FakeHetzner = {
  url: string;
  requests: RecordedRequest[];
  /** Only the requests that changed something (POST/PUT/DELETE). */
  writes: () => RecordedRequest[];
  state: Record<string, Resource[]>;
  close: () => Promise<void>;
};

const created = '2026-12-05T12:00:00+00:00';
const location = {
  id: 1,
  name: 'fsn1',
  description: 'Falkenstein DC Park 1',
  country: 'DE',
  city: 'Falkenstein',
  latitude: 50.47612,
  longitude: 12.370071,
  network_zone: 'eu-central',
};
const serverType = {
  id: 22,
  name: 'cx22',
  description: 'CX22',
  cores: 2,
  memory: 4,
  disk: 40,
  storage_type: 'local',
  cpu_type: 'shared',
  architecture: 'x86',
  deprecated: false,
  prices: [],
};
const image = {
  id: 114690387,
  type: 'system',
  status: 'available',
  name: 'debian-12',
  description: 'Debian 12',
  os_flavor: 'debian',
  os_version: '12',
  architecture: 'x86',
  rapid_deploy: true,
  protection: { delete: false },
  labels: {},
  created,
};
const datacenter = {
  id: 4,
  name: 'fsn1-dc14',
  description: 'Falkenstein 1 virtual DC 14',
  location,
  server_types: { supported: [22], available: [22], available_for_migration: [22] },
};
const lbType = {
  id: 1,
  name: 'lb11',
  description: 'LB11',
  max_connections: 10000,
  max_services: 5,
  max_targets: 25,
  max_assigned_certificates: 10,
  prices: [],
};
const sshKey = {
  id: 7,
  name: 'ops',
  fingerprint: 'b7:2f:30:a0:2f:6c:58:6c:21:04:58:61:ba:06:3b:2f',
  public_key: 'ssh-ed25519 AAAA ops',
  labels: {},
  created,
};

const collections: Record<string, string> = {
  networks: 'network',
  placement_groups: 'placement_group',
  firewalls: 'firewall',
  servers: 'server',
  volumes: 'volume',
  certificates: 'certificate',
  load_balancers: 'load_balancer',
};

export async function startFakeHetzner(): Promise<FakeHetzner> {
  const requests: RecordedRequest[] = [];
  const state: Record<string, Resource[]> = Object.fromEntries(Object.keys(collections).map((k) => [k, []]));
  const fixed: Record<string, Resource[]> = {
    locations: [location],
    server_types: [serverType],
    images: [image],
    datacenters: [datacenter],
    load_balancer_types: [lbType],
    ssh_keys: [sshKey],
  };
  let nextId = 1000;
  const action = (command: string, resources: { id: number; type: string }[] = []) => ({
    id: nextId++,
    command,
    status: 'success',
    progress: 100,
    started: created,
    finished: created,
    resources,
    error: null,
  });

  const build = (kind: string, body: Record<string, unknown>, id: number): Resource => {
    const name = String(body.name);
    const labels = body.labels ?? {};
    switch (kind) {
      case 'networks':
        return {
          id,
          name,
          ip_range: body.ip_range,
          subnets: [],
          routes: [],
          servers: [],
          load_balancers: [],
          protection: { delete: false },
          labels,
          created,
          expose_routes_to_vswitch: false,
        };
      case 'placement_groups':
        return { id, name, type: body.type, servers: [], labels, created };
      case 'firewalls':
        return { id, name, rules: body.rules ?? [], applied_to: [], labels, created };
      case 'servers':
        return {
          id,
          name,
          status: 'running',
          created,
          public_net: {
            ipv4: { id: id + 1, ip: `203.0.113.${id % 250}`, blocked: false, dns_ptr: '' },
            ipv6: { id: id + 2, ip: '2001:db8::/64', blocked: false, dns_ptr: [] },
            floating_ips: [],
            firewalls: [],
          },
          private_net: [],
          server_type: serverType,
          datacenter,
          image,
          iso: null,
          rescue_enabled: false,
          locked: false,
          backup_window: null,
          outgoing_traffic: 0,
          ingoing_traffic: 0,
          included_traffic: 21990232555520,
          protection: { delete: false, rebuild: false },
          labels,
          volumes: [],
          load_balancers: [],
          primary_disk_size: 40,
          placement_group: null,
        };
      case 'volumes':
        return {
          id,
          name,
          size: body.size,
          server: null,
          location,
          linux_device: `/dev/disk/by-id/scsi-0HC_Volume_${id}`,
          protection: { delete: false },
          labels,
          status: 'available',
          format: body.format ?? null,
          created,
        };
      case 'certificates':
        return {
          id,
          name,
          type: body.type,
          domain_names: body.domain_names,
          certificate: null,
          fingerprint: null,
          not_valid_before: null,
          not_valid_after: null,
          status: { issuance: 'completed', renewal: 'unavailable', error: null },
          used_by: [],
          labels,
          created,
        };
      default:
        return {
          id,
          name,
          public_net: { enabled: true, ipv4: { ip: '198.51.100.7' }, ipv6: { ip: '2001:db8:1::1' } },
          private_net: [],
          location,
          load_balancer_type: lbType,
          protection: { delete: false },
          labels,
          targets: [],
          services: [],
          algorithm: { type: 'round_robin' },
          outgoing_traffic: 0,
          ingoing_traffic: 0,
          included_traffic: 21990232555520,
          created,
        };
    }
  };

  const server = http.createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
      requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.search, body });
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      const list = (key: string, items: unknown[]) =>
        send(200, {
          [key]: items,
          meta: {
            pagination: {
              page: 1,
              per_page: 50,
              previous_page: null,
              next_page: null,
              last_page: 1,
              total_entries: items.length,
            },
          },
        });
      const parts = url.pathname.replace(/^\/v1\//, '').split('/');
      const [kind, idText, sub, verb] = parts as [string, string?, string?, string?];

      if (kind === 'actions') {
        const ids = url.searchParams.getAll('id').map(Number);
        if (idText) return send(200, { action: { ...action('poll'), id: Number(idText) } });
        return list(
          'actions',
          ids.map((id) => ({ ...action('poll'), id })),
        );
      }
      const all = state[kind] ?? fixed[kind];
      if (!all) return send(404, { error: { code: 'not_found', message: `fake: no ${kind}` } });
      const single = collections[kind] ?? kind.replace(/s$/, '');

      if (req.method === 'GET' && !idText) {
        const name = url.searchParams.get('name');
        return list(kind, name ? all.filter((r) => r.name === name) : all);
      }
      const item = idText ? all.find((r) => r.id === Number(idText)) : undefined;
      if (idText && !item) return send(404, { error: { code: 'not_found', message: `fake: no ${single} ${idText}` } });
      if (req.method === 'GET' && item && !sub) return send(200, { [single]: item });

      if (req.method === 'POST' && !idText && state[kind]) {
        const resource = build(kind, body ?? {}, nextId++);
        state[kind].push(resource);
        const done = action(`create_${single}`, [{ id: resource.id, type: single }]);
        if (kind === 'servers') {
          if (body?.placement_group)
            resource.placement_group = state.placement_groups!.find((p) => p.id === body.placement_group) ?? null;
          return send(201, { server: resource, action: done, next_actions: [], root_password: null });
        }
        if (kind === 'volumes' && body?.server) resource.server = body.server;
        if (kind === 'firewalls') return send(201, { firewall: resource, actions: [] });
        if (kind === 'networks' || kind === 'placement_groups') return send(201, { [single]: resource });
        return send(201, { [single]: resource, action: done, next_actions: [] });
      }

      if (req.method === 'POST' && item && sub === 'actions' && verb) {
        applyAction(kind, item, verb, body ?? {});
        return send(201, { action: action(verb, [{ id: item.id, type: single }]) });
      }
      send(404, { error: { code: 'not_found', message: `fake: ${req.method} ${url.pathname} not implemented` } });
    });
  });

  function applyAction(kind: string, item: Resource, verb: string, body: Record<string, unknown>) {
    if (kind === 'networks' && verb === 'add_subnet')
      (item.subnets as unknown[]).push({ ...body, gateway: '10.0.0.1' });
    if ((kind === 'servers' || kind === 'load_balancers') && verb === 'attach_to_network')
      (item.private_net as unknown[]).push({
        network: body.network,
        ip: body.ip,
        alias_ips: [],
        mac_address: '86:00:00:00:00:01',
      });
    if (kind === 'load_balancers' && verb === 'add_target') (item.targets as unknown[]).push(body);
    if (kind === 'load_balancers' && verb === 'add_service') {
      // The API fills in a TCP health check on the destination port when none is given.
      const port = body.destination_port as number;
      const defaults = { protocol: 'tcp', port, interval: 15, timeout: 10, retries: 3, http: null };
      (item.services as unknown[]).push({ ...body, health_check: { ...defaults, ...(body.health_check as object) } });
    }
    if (kind === 'load_balancers' && verb === 'update_service') {
      // A partial update: what the request leaves out (the certificates, say) stays as it was.
      type Service = { listen_port: number; health_check: object; http: object };
      const service = (item.services as Service[]).find((x) => x.listen_port === body.listen_port);
      if (service)
        Object.assign(service, body, {
          health_check: { ...service.health_check, ...(body.health_check as object) },
          http: { ...service.http, ...(body.http as object) },
        });
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    writes: () => requests.filter((r) => r.method !== 'GET'),
    state,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
