import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { loadConfig, type Config } from '@spur/config';
import { createLogger, type Logger } from '@spur/runtime';
import { isLiveProcess, startEmbeddedRedis } from '@spur/storage/embedded';
import { migrate, openStores, type Stores } from '@spur/storage';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by global-setup.ts: the shared test PostgreSQL server. */
    postgresAdminUrl: string;
  }
}

export type TestStores = {
  config: Config;
  stores: Stores;
  log: Logger;
  postgresUrl: string;
  redisUrl: string;
  dataDir: string;
  /** SIGKILLs the test's redis-server and starts it again on the same port and data (AOF). */
  crashRedis: () => Promise<void>;
  close: () => Promise<void>;
};

/** A fresh Postgres database on the shared test server. */
export async function createTestDatabase(): Promise<string> {
  const admin = inject('postgresAdminUrl');
  const name = `test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  return admin.replace(/\/[^/?]+(\?|$)/, `/${name}$1`);
}

/**
 * Real engines for one test file: its own Postgres database, its own redis-server and its own
 * chdb directory (chdb allows one per process, and vitest runs each file in its own process).
 * Migrations are applied unless `migrate: false`.
 */
export async function startTestStores(
  options: { migrate?: boolean; env?: Record<string, string> } = {},
): Promise<TestStores> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'spur-test-'));
  const log = createLogger({ LOG_LEVEL: 'error' }, 'test');
  const startRedis = (port?: number) =>
    startEmbeddedRedis({
      dir: path.join(dataDir, 'redis'),
      log,
      searchPath: '/usr/local/bin:/usr/bin:/bin',
      ...(port ? { port } : {}),
    });
  const [postgresUrl, first] = await Promise.all([createTestDatabase(), startRedis()]);
  let redis = first;
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
      DATABASE_URL: postgresUrl,
      REDIS_URL: redis.url,
      BACKEND_PORT: '0',
      BATCHES_PORT: '0',
      WEBSITE_PORT: '0',
      ...options.env,
    },
    {},
  );
  const stores = await openStores(config, log);
  if (options.migrate !== false) await migrate(stores, log);
  return {
    config,
    stores,
    log,
    postgresUrl,
    redisUrl: redis.url,
    dataDir,
    crashRedis: async () => {
      process.kill(redis.pid, 'SIGKILL');
      while (await isLiveProcess(redis.pid, 'redis-server')) await new Promise((r) => setTimeout(r, 20));
      redis = await startRedis(Number(new URL(redis.url).port));
    },
    close: async () => {
      await stores.close();
      await redis.stop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}
