import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@spur/runtime';
import { startEmbeddedRedis, type EmbeddedRedis } from '@spur/storage/embedded';
import { createTestDatabase, devPorts, spawnProcess, startDev } from '@spur/testkit';

/**
 * Issue 13, item 5: `npm run dev` stopped mid-seed and started again left 51 of 90 days with
 * broken statistics: the second run deleted the first run's rows from ClickHouse, but its sessions
 * in Redis and its unflushed stream entries stayed and mixed with the new run's. Here `npm run dev`
 * is SIGKILLed while its demo seed writes a site's traffic, the seed is run again to the end by
 * `npm run seed` (the same seedDemo), and `npm run cli -- stats:check` must find nothing wrong.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DAYS = '3';

let redis: EmbeddedRedis;
let client: Redis;
let dataDir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'spur-seed-restart-'));
  const log = createLogger({ LOG_LEVEL: 'error' }, 'test');
  const [databaseUrl, server] = await Promise.all([
    createTestDatabase(),
    startEmbeddedRedis({ dir: path.join(dataDir, 'redis'), log, searchPath: '/usr/local/bin:/usr/bin:/bin' }),
  ]);
  redis = server;
  client = new Redis(redis.url);
  env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    SEED_DEMO_DAYS: DAYS,
    FLUSH_INTERVAL_MS: '100',
  };
});

afterAll(async () => {
  client?.disconnect();
  await redis?.stop();
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
});

const run = (script: string, args: string[] = []) =>
  spawnProcess(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, env });

describe('demo seed interrupted and started again', () => {
  it('after npm run dev is killed mid-seed, the seed redoes the interrupted site cleanly: every page view generated is stored once and stats:check finds no violation', async () => {
    const { process: first } = await startDev({
      dataDir,
      ports: await devPorts(),
      env: { ...(env as Record<string, string>), SEED_DEMO: 'true' },
    });
    // Killed as soon as the first site's visitors have sessions in Redis, while its hits are
    // still being written: part in ClickHouse, part in the stream, sessions live in Redis.
    const deadline = Date.now() + 90_000;
    let sessionKeys = 0;
    while (Date.now() < deadline && first.child.exitCode === null) {
      sessionKeys = (await client.keys('spur:s:*')).length;
      if (sessionKeys > 200) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    first.kill('SIGKILL');
    await first.exited;
    expect(sessionKeys, first.output()).toBeGreaterThan(200);
    const completed = await client.keys('spur:demo:seeded:*');
    expect(completed, 'the first run was killed before it finished a site').toEqual([]);

    const second = run('scripts/seed.ts');
    const { code } = await second.exited;
    expect(code, second.output()).toBe(0);
    const demo = JSON.parse(second.output().slice(second.output().indexOf('{\n'))) as {
      sites: { id: string; traffic?: { pageViews: number } }[];
    };
    expect(demo.sites.every((site) => site.traffic !== undefined)).toBe(true);

    for (const site of demo.sites) {
      const check = run('scripts/cli.ts', ['stats:check', '--site', site.id]);
      const exit = await check.exited;
      const result = JSON.parse(check.output().slice(check.output().indexOf('{\n'))) as {
        violations: string[];
        brokenSessions: number;
        pageViews: number;
      };
      expect(result.violations).toEqual([]);
      expect(result.brokenSessions).toBe(0);
      expect(result.pageViews).toBe(site.traffic!.pageViews);
      expect(exit.code).toBe(0);
    }
  }, 240_000);
});
