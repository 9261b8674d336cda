import fs from 'node:fs/promises';
import path from 'node:path';
import { freePort } from '@spur/runtime';
import { spawnProcess, type SpawnedProcess } from '@spur/testkit';

/**
 * Real haproxy in front of the backends, standing in for Traefik + the Hetzner load balancer.
 * It knows its servers only through health checks (`GET /readyz` every 300 ms, down after one
 * failure, up after two successes), the worst case for a rolling release: Traefik with Consul also
 * sees the instance deregistered before SIGTERM (Nomad's shutdown_delay), haproxy here does not.
 * Servers are fixed slots (ports); a slot with nothing listening is simply DOWN, like an instance
 * not yet in the Consul catalog.
 */
export type Haproxy = {
  url: string;
  /** `UP`, `DOWN`, ... for each slot, from the stats page's CSV. */
  states: () => Promise<Record<string, string>>;
  waitFor: (slot: string, state: 'UP' | 'DOWN', timeoutMs?: number) => Promise<void>;
  stop: () => Promise<void>;
};

export function haproxyConfig(options: { port: number; statsPort: number; slots: { name: string; port: number }[] }) {
  return [
    'global',
    '  maxconn 2000',
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 30s',
    '  timeout server 30s',
    // Without it a check may take no longer than `inter` (300 ms): on two shared cores a backend
    // busy starting up a neighbour would flap DOWN with fall 1, and all three at once means 503s.
    '  timeout check 2s',
    // Only failed connection attempts are retried: the request never reached a backend. Retrying
    // anything else (`retry-on` beyond conn-failure) can replay a hit a backend already took.
    '  retries 3',
    '  option redispatch',
    'frontend www',
    `  bind 127.0.0.1:${options.port}`,
    '  option forwardfor',
    '  default_backend spur',
    'backend spur',
    '  balance roundrobin',
    '  option httpchk GET /readyz',
    '  http-check expect status 200',
    '  default-server inter 300 fall 1 rise 2',
    ...options.slots.map((s) => `  server ${s.name} 127.0.0.1:${s.port} check`),
    'listen stats',
    `  bind 127.0.0.1:${options.statsPort}`,
    '  stats enable',
    '  stats uri /stats',
    '',
  ].join('\n');
}

export async function startHaproxy(options: {
  dir: string;
  slots: { name: string; port: number }[];
}): Promise<Haproxy> {
  const [port, statsPort] = [await freePort(), await freePort()];
  const file = path.join(options.dir, 'haproxy.cfg');
  await fs.writeFile(file, haproxyConfig({ port, statsPort, slots: options.slots }));
  // -db: stay in the foreground; -W not needed, one process is enough here.
  const child: SpawnedProcess = spawnProcess('haproxy', ['-db', '-f', file], {});
  const statsUrl = `http://127.0.0.1:${statsPort}/stats;csv`;
  const states = async () => {
    const csv = await (await fetch(statsUrl)).text();
    const result: Record<string, string> = {};
    for (const row of csv.split('\n')) {
      const cells = row.split(',');
      if (cells[0] === 'spur' && cells[1] !== 'BACKEND' && cells[1] !== 'FRONTEND') result[cells[1]!] = cells[17]!;
    }
    return result;
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await states();
      break;
    } catch (error) {
      if (Date.now() > deadline || child.child.exitCode !== null) {
        throw new Error(`haproxy did not start: ${(error as Error).message}\n${child.output()}`, { cause: error });
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    url: `http://127.0.0.1:${port}`,
    states,
    waitFor: async (slot, state, timeoutMs = 30_000) => {
      const until = Date.now() + timeoutMs;
      let last = '';
      while (Date.now() < until) {
        last = (await states())[slot] ?? 'missing';
        // "UP 1/2" is a server going down, "DOWN 1/2" one coming up: wait for the settled state.
        if (last === state) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`haproxy slot ${slot} is ${last}, not ${state}, after ${timeoutMs} ms`);
    },
    stop: async () => {
      child.kill('SIGTERM');
      await child.exited;
    },
  };
}
