import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isLiveProcess } from '@spur/storage/embedded';
import { devDataDir, devPorts, startDev, waitForHttp, type DevPorts, type SpawnedProcess } from '@spur/testkit';

const running: SpawnedProcess[] = [];
let dataDir: string;

async function startDevHere(ports: DevPorts) {
  const dev = await startDev({ dataDir, ports });
  running.push(dev.process);
  return dev.process;
}

async function serverPids() {
  const read = async (file: string) => Number((await fs.readFile(file, 'utf8')).split('\n')[0]);
  return {
    postgres: await read(path.join(dataDir, 'postgres', 'postmaster.pid')),
    redis: await read(path.join(dataDir, 'redis', 'redis.pid')),
  };
}

afterAll(async () => {
  for (const p of running) p.kill('SIGKILL');
  await fs.rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
});

describe('npm run dev', () => {
  it('starts every service on embedded engines, stops cleanly on Ctrl-C, and recovers from kill -9', async () => {
    dataDir = await devDataDir();
    const ports = await devPorts();
    const base = (name: keyof typeof ports) => `http://127.0.0.1:${ports[name]}`;

    // First start: fresh data directory.
    const first = await startDevHere(ports);
    expect(first.output()).toContain(`dashboard  ${base('dashboard')}`);
    expect(first.output()).toContain(`api        ${base('backend')}`);
    const ready = (await (await waitForHttp(`${base('backend')}/readyz`)).json()) as { status: string };
    expect(ready.status).toBe('ready');
    expect(await (await waitForHttp(`${base('dashboard')}/`)).text()).toContain('<div id="app"></div>');
    expect(await (await waitForHttp(`${base('dashboard')}/api/v1/status`)).json()).toEqual({ status: 'ok' });
    expect(await (await waitForHttp(`${base('batches')}/readyz`)).json()).toMatchObject({ status: 'ready' });
    expect(await (await waitForHttp(`${base('website')}/`)).text()).toMatch(/<title>Spur [^<]*<\/title>/);
    const firstPids = await serverPids();

    // Ctrl-C: the process exits 0 and leaves no database server behind.
    first.kill('SIGINT');
    expect(await first.exited).toEqual({ code: 0, signal: null });
    expect(await isLiveProcess(firstPids.postgres, 'postgres')).toBe(false);
    expect(await isLiveProcess(firstPids.redis, 'redis-server')).toBe(false);

    // Second start reuses the data; then kill -9 orphans its servers.
    const second = await startDevHere(ports);
    await waitForHttp(`${base('backend')}/readyz`);
    const orphans = await serverPids();
    second.kill('SIGKILL');
    await second.exited;
    expect(await isLiveProcess(orphans.postgres, 'postgres')).toBe(true);
    expect(await isLiveProcess(orphans.redis, 'redis-server')).toBe(true);

    // Third start finds and stops the orphans, then serves again.
    const third = await startDevHere(ports);
    expect(third.output()).toContain('stopping a stale server left by an earlier run');
    await waitForHttp(`${base('backend')}/readyz`);
    expect(await isLiveProcess(orphans.postgres, 'postgres')).toBe(false);
    expect(await isLiveProcess(orphans.redis, 'redis-server')).toBe(false);
    third.kill('SIGTERM');
    expect(await third.exited).toEqual({ code: 0, signal: null });
  }, 240_000);
});
