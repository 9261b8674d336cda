import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendRows, FLUSH_GROUP, formatTime, INGEST_STREAM } from '@spur/ingest';
import { createLogger } from '@spur/runtime';
import { migratePostgres, openClickHouse, openPostgres, openRedis, type Redis } from '@spur/storage';
import { startEmbeddedRedis, type EmbeddedRedis } from '@spur/storage/embedded';
import { createTestDatabase, createTestSite, query, spawnProcess, type SpawnedProcess } from '@spur/testkit';

const root = path.resolve(import.meta.dirname, '../..');
const log = createLogger({ LOG_LEVEL: 'warn' }, 'test');
const N = 20_000;

let dataDir: string;
let redisServer: EmbeddedRedis;
let redis: Redis;
let databaseUrl: string;
let siteId: string;
const children: SpawnedProcess[] = [];

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'spur-crash-'));
  redisServer = await startEmbeddedRedis({
    dir: path.join(dataDir, 'redis'),
    log,
    searchPath: '/usr/local/bin:/usr/bin:/bin',
  });
  redis = openRedis(redisServer.url);
  databaseUrl = await createTestDatabase();
  // The flusher drops rows of sites that do not exist (deleted while their hits waited): the rows
  // below belong to a real site.
  const postgres = openPostgres(databaseUrl, 1);
  await migratePostgres(postgres.pool, log);
  siteId = (await createTestSite(postgres.pool)).siteId;
  await postgres.close();
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  redis?.disconnect();
  await redisServer?.stop();
  await fs.rm(dataDir, { recursive: true, force: true });
});

/** The real batches process (flusher included), with small batches so a kill lands mid-batch. */
function startBatches() {
  const child = spawnProcess(process.execPath, ['--import', 'tsx', 'batches/src/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisServer.url,
      BATCHES_PORT: '0',
      LOG_LEVEL: 'warn',
      FLUSH_BATCH_ROWS: '500',
      FLUSH_INTERVAL_MS: '20',
      FLUSH_CLAIM_IDLE_MS: '1000',
    },
  });
  children.push(child);
  return child;
}

async function pendingCount(): Promise<number> {
  try {
    const [count] = (await redis.xpending(INGEST_STREAM, FLUSH_GROUP)) as [number];
    return Number(count);
  } catch {
    return 0; // the group does not exist yet
  }
}

describe('flusher crash', () => {
  it('when the flusher process is SIGKILLed mid-batch, then another one delivers every row exactly once', async () => {
    const time = formatTime(new Date());
    for (let start = 0; start < N; start += 1_000) {
      await appendRows(
        redis,
        Array.from({ length: 1_000 }, (_, i) => ({
          table: 'page_view' as const,
          row: { site_id: siteId, visitor_id: String(start + i), session_id: 1, time, path: `/p/${start + i}` },
        })),
      );
    }

    const first = startBatches();
    // Kill it the moment it holds a batch it has read but not acknowledged.
    let pendingAtKill = 0;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      pendingAtKill = await pendingCount();
      if (pendingAtKill > 0 && (await redis.xlen(INGEST_STREAM)) < N) break;
    }
    first.kill('SIGKILL');
    await first.exited;
    expect(pendingAtKill).toBeGreaterThan(0);
    const left = await redis.xlen(INGEST_STREAM);
    expect(left).toBeGreaterThan(0);

    const second = startBatches();
    const flushDeadline = Date.now() + 90_000;
    while ((await redis.xlen(INGEST_STREAM)) > 0 && Date.now() < flushDeadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(await redis.xlen(INGEST_STREAM)).toBe(0);
    expect(await pendingCount()).toBe(0);
    second.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);

    // chdb binds its directory to one process: read the result once the batches process is gone.
    const ch = await openClickHouse({
      url: undefined,
      database: 'spur',
      cluster: undefined,
      dataDir: path.join(dataDir, 'clickhouse'),
    });
    const [row] = await query<{ n: string; distinct: string }>(
      ch.client,
      'SELECT count() AS n, uniqExact(path) AS distinct FROM page_view',
    );
    await ch.close();
    expect(row).toEqual({ n: String(N), distinct: String(N) });
  }, 180_000);
});
