import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeHetzner, type FakeHetzner, type RecordedRequest } from './deploy/fake-hetzner.ts';
import { root } from './deploy/nomad.ts';

/**
 * deploy/hetzner/provision.sh run for real (hcloud-cli) against a local fake of the Hetzner API:
 * the requests it makes are the infrastructure it would create.
 */
const script = path.join(root, 'deploy/hetzner/provision.sh');
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'spur-hcloud-'));
let fake: FakeHetzner;
let first: RecordedRequest[];
let firstRun: { code: number; output: string };
let secondRun: { code: number; output: string };
let secondWrites: RecordedRequest[];

// Async on purpose: the fake answers from this process's event loop, which spawnSync would block.
const provision = () =>
  new Promise<{ code: number; output: string }>((resolve) =>
    execFile(
      script,
      [],
      {
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          PATH: process.env.PATH,
          HOME: home,
          HCLOUD_ENDPOINT: fake.url,
          HCLOUD_TOKEN: 'x'.repeat(64),
          SPUR_DOMAIN: 'spur.example',
          ADMIN_CIDR: '198.51.100.0/24',
          SSH_KEY: 'ops',
        },
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr }),
    ),
  );

beforeAll(async () => {
  fake = await startFakeHetzner();
  firstRun = await provision();
  first = fake.writes();
  const before = fake.requests.length;
  secondRun = await provision();
  secondWrites = fake.requests.slice(before).filter((r) => r.method !== 'GET');
}, 120_000);
afterAll(async () => {
  await fake?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

const bodies = (pathPattern: RegExp) =>
  first.filter((r) => pathPattern.test(r.path)).map((r) => r.body as Record<string, unknown>);
const idOf = (kind: string, name: string) => fake.state[kind]!.find((r) => r.name === name)!.id;

describe('deploy/hetzner/provision.sh against a fake Hetzner API', () => {
  it('runs to the end and waits for actions through GET /v1/actions', () => {
    expect(firstRun.output).toContain('done: point spur.example');
    expect(firstRun.code).toBe(0);
    expect(fake.requests.some((r) => r.method === 'GET' && r.path === '/v1/actions')).toBe(true);
  });

  it('creates the network, a subnet in eu-central and a spread placement group', () => {
    expect(bodies(/^\/v1\/networks$/)).toEqual([{ name: 'spur', ip_range: '10.0.0.0/16', labels: {} }]);
    expect(bodies(/add_subnet$/)).toEqual([
      { type: 'cloud', ip_range: '10.0.1.0/24', network_zone: 'eu-central', gateway: '' },
    ]);
    expect(bodies(/^\/v1\/placement_groups$/)).toEqual([{ name: 'spur-spread', type: 'spread', labels: {} }]);
  });

  it('opens SSH from the admin CIDR only', () => {
    expect(bodies(/^\/v1\/firewalls$/)).toEqual([
      {
        name: 'spur-firewall',
        labels: {},
        rules: [
          {
            direction: 'in',
            protocol: 'tcp',
            port: '22',
            source_ips: ['198.51.100.0/24'],
            description: "SSH from the admins' network only",
          },
          { direction: 'in', protocol: 'icmp', source_ips: ['0.0.0.0/0', '::/0'], description: 'ping' },
        ],
      },
    ]);
  });

  it('creates three cluster nodes and the ClickHouse VM in Falkenstein, 2 vCPU / 4 GB, with their user data and fixed private IPs', () => {
    const servers = bodies(/^\/v1\/servers$/);
    const clusterNode = fs.readFileSync(path.join(root, 'deploy/cloud-init/cluster-node.yaml'), 'utf8');
    const clickhouse = fs.readFileSync(path.join(root, 'deploy/cloud-init/clickhouse.yaml'), 'utf8');
    const firewall = idOf('firewalls', 'spur-firewall');
    const group = idOf('placement_groups', 'spur-spread');
    expect(
      servers.map((s) => [s.name, s.location, s.server_type, s.placement_group ?? null, s.firewalls, s.user_data]),
    ).toEqual([
      ['spur-node-1', 'fsn1', 'cx22', group, [{ firewall }], clusterNode],
      ['spur-node-2', 'fsn1', 'cx22', group, [{ firewall }], clusterNode],
      ['spur-node-3', 'fsn1', 'cx22', group, [{ firewall }], clusterNode],
      ['spur-clickhouse', 'fsn1', 'cx22', null, [{ firewall }], clickhouse],
    ]);
    const network = idOf('networks', 'spur');
    const attached = first
      .filter((r) => /^\/v1\/servers\/\d+\/actions\/attach_to_network$/.test(r.path))
      .map((r) => [fake.state.servers!.find((s) => r.path.includes(`/${s.id}/`))!.name, r.body]);
    expect(attached).toEqual([
      ['spur-node-1', { network, ip: '10.0.1.11' }],
      ['spur-node-2', { network, ip: '10.0.1.12' }],
      ['spur-node-3', { network, ip: '10.0.1.13' }],
      ['spur-clickhouse', { network, ip: '10.0.1.20' }],
    ]);
  });

  it('puts the Postgres volume on node 1, mounted', () => {
    expect(bodies(/^\/v1\/volumes$/)).toEqual([
      {
        name: 'spur-postgres',
        size: 50,
        server: idOf('servers', 'spur-node-1'),
        automount: true,
        format: 'ext4',
        labels: {},
      },
    ]);
  });

  it('asks for one managed certificate for the apex and the wildcard', () => {
    expect(bodies(/^\/v1\/certificates$/)).toEqual([
      { name: 'spur-cert', type: 'managed', domain_names: ['spur.example', '*.spur.example'] },
    ]);
  });

  it('builds the load balancer: private network, the three nodes as private targets, HTTPS with redirect and a health check on Traefik', () => {
    expect(bodies(/^\/v1\/load_balancers$/)).toEqual([
      { name: 'spur-lb', load_balancer_type: 'lb11', location: 'fsn1', labels: {} },
    ]);
    expect(bodies(/load_balancers\/\d+\/actions\/attach_to_network$/)).toEqual([
      { network: idOf('networks', 'spur'), ip: '10.0.1.5' },
    ]);
    expect(bodies(/add_target$/)).toEqual(
      [1, 2, 3].map((i) => ({
        type: 'server',
        server: { id: idOf('servers', `spur-node-${i}`) },
        use_private_ip: true,
      })),
    );
    const [service] = fake.state.load_balancers![0]!.services as Record<string, unknown>[];
    expect(service).toEqual({
      protocol: 'https',
      listen_port: 443,
      destination_port: 80,
      proxyprotocol: false,
      http: { certificates: [idOf('certificates', 'spur-cert')], redirect_http: true, sticky_sessions: false },
      health_check: { protocol: 'http', port: 8082, interval: 5, timeout: 3, retries: 2, http: { path: '/ping' } },
    });
  });

  it('when run a second time, then it creates nothing', () => {
    expect(secondRun.code).toBe(0);
    expect(secondWrites).toEqual([]);
    expect(Object.fromEntries(Object.entries(fake.state).map(([k, v]) => [k, v.length]))).toEqual({
      networks: 1,
      placement_groups: 1,
      firewalls: 1,
      servers: 4,
      volumes: 1,
      certificates: 1,
      load_balancers: 1,
    });
  });
});
