import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '@spur/runtime';
import { openRedis, type Redis } from '@spur/storage';
import { spawnProcess, type SpawnedProcess } from './process.ts';

export type RedisNode = { name: string; port: number; process: SpawnedProcess };

export type RedisHa = {
  masterName: string;
  /** `host:port,…` of the three sentinels, as REDIS_SENTINELS takes it. */
  sentinels: string;
  nodes: RedisNode[];
  /** The node the sentinels name as primary now. */
  primary: () => Promise<RedisNode>;
  /** SIGKILLs a node (no AOF fsync, no goodbye to its replicas or clients). */
  kill: (node: RedisNode) => Promise<void>;
  /** Waits until the sentinels name another primary than `port` and it has `replicas` replicas online. */
  waitForFailover: (port: number, options: { replicas: number; timeoutMs: number }) => Promise<RedisNode>;
  /** A direct connection to one node (no Sentinel): for reading its state in assertions. */
  connect: (node: RedisNode) => Redis;
  stop: () => Promise<void>;
};

const REDIS_SERVER = '/usr/bin/redis-server';
const REDIS_SENTINEL = '/usr/bin/redis-sentinel';

/**
 * A primary, `replicas` replicas and three Sentinels (quorum 2) as real child processes on free
 * loopback ports under a temp dir: the production shape of deploy/redis/, with timings short enough
 * for a test (a primary is down after `downAfterMs`, a failover may take `failoverTimeoutMs`).
 */
export async function startRedisHa(
  options: { replicas?: number; downAfterMs?: number; failoverTimeoutMs?: number; masterName?: string } = {},
): Promise<RedisHa> {
  const masterName = options.masterName ?? 'spur';
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'spur-redis-ha-'));
  const started: SpawnedProcess[] = [];
  const clients: Redis[] = [];
  const stop = async () => {
    for (const client of clients.splice(0)) client.disconnect();
    // Every child is signalled before any exit is awaited: nothing is left running if one hangs.
    const children = started.splice(0);
    for (const child of children) child.kill('SIGKILL');
    await Promise.all(children.map((child) => child.exited));
    await fs.rm(dir, { recursive: true, force: true });
  };

  try {
    const startNode = async (name: string, replicaOf?: number): Promise<RedisNode> => {
      const port = await freePort();
      const nodeDir = path.join(dir, name);
      await fs.mkdir(nodeDir, { recursive: true });
      const args = [
        ...['--port', String(port), '--bind', '127.0.0.1', '--dir', nodeDir, '--protected-mode', 'no'],
        ...['--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '', '--daemonize', 'no'],
        // A new replica syncs without writing an RDB file first: seconds matter in a failover test.
        ...['--repl-diskless-sync', 'yes', '--repl-diskless-sync-delay', '0'],
        ...(replicaOf ? ['--replicaof', '127.0.0.1', String(replicaOf)] : []),
      ];
      const child = spawnProcess(REDIS_SERVER, args);
      started.push(child);
      await child.waitFor(/Ready to accept connections/, 15_000);
      return { name, port, process: child };
    };
    const primary = await startNode('redis-0');
    const nodes = [primary];
    for (let i = 1; i <= (options.replicas ?? 1); i++) nodes.push(await startNode(`redis-${i}`, primary.port));

    const probes = new Map<number, Redis>();
    const direct = (port: number) => {
      let client = probes.get(port);
      if (!client) {
        client = openRedis(`redis://127.0.0.1:${port}`, 'spur-test-probe');
        client.on('error', () => undefined);
        clients.push(client);
        probes.set(port, client);
      }
      return client;
    };
    const primaryClient = direct(primary.port);
    // Sentinels learn replicas from the primary's INFO: they must be attached before the sentinels start.
    await until(async () => onlineReplicas(await primaryClient.info('replication')) === nodes.length - 1, 15_000);

    const sentinelPorts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const file = path.join(dir, `sentinel-${i}.conf`);
      await fs.writeFile(
        file,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          'protected-mode no',
          'daemonize no',
          `dir ${dir}`,
          `sentinel monitor ${masterName} 127.0.0.1 ${primary.port} 2`,
          `sentinel down-after-milliseconds ${masterName} ${options.downAfterMs ?? 1_000}`,
          `sentinel failover-timeout ${masterName} ${options.failoverTimeoutMs ?? 5_000}`,
          `sentinel parallel-syncs ${masterName} 1`,
          '',
        ].join('\n'),
      );
      const child = spawnProcess(REDIS_SENTINEL, [file]);
      started.push(child);
      await child.waitFor(/\+monitor master/, 15_000);
      sentinelPorts.push(port);
    }
    const sentinelClients = sentinelPorts.map(direct);
    // Sentinels find each other through hello messages every 2 s; a quorum needs them to.
    await until(async () => {
      for (const sentinel of sentinelClients) {
        const peers = (await sentinel.call('SENTINEL', 'SENTINELS', masterName)) as unknown[];
        const replicas = (await sentinel.call('SENTINEL', 'REPLICAS', masterName)) as unknown[];
        if (peers.length < 2 || replicas.length < nodes.length - 1) return false;
      }
      return true;
    }, 20_000);

    const byPort = (port: number) => nodes.find((node) => node.port === port)!;
    const primaryNow = async () => {
      for (const sentinel of sentinelClients) {
        const address = (await sentinel.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', masterName).catch(() => null)) as
          [string, string] | null;
        if (address) return byPort(Number(address[1]));
      }
      throw new Error('no sentinel answered');
    };

    return {
      masterName,
      sentinels: sentinelPorts.map((port) => `127.0.0.1:${port}`).join(','),
      nodes,
      primary: primaryNow,
      kill: async (node) => {
        node.process.kill('SIGKILL');
        await node.process.exited;
      },
      waitForFailover: async (port, { replicas, timeoutMs }) => {
        let found: RedisNode | undefined;
        await until(async () => {
          const now = await primaryNow();
          if (now.port === port) return false;
          const info = await direct(now.port).info('replication');
          if (!info.includes('role:master') || onlineReplicas(info) < replicas) return false;
          found = now;
          return true;
        }, timeoutMs);
        return found!;
      },
      connect: (node) => direct(node.port),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function onlineReplicas(info: string): number {
  return info.split('\n').filter((line) => /^slave\d+:.*state=online/.test(line)).length;
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
