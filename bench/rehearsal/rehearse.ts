import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FLUSH_GROUP, INGEST_STREAM, ingestBacklog } from '@spur/ingest';
import { createLogger, freePort } from '@spur/runtime';
import { migratePostgres, openClickHouse, openPostgres, openRedis } from '@spur/storage';
import { startEmbeddedRedis } from '@spur/storage/embedded';
import { createTestSite, query, spawnProcess, waitForHttp, type SpawnedProcess } from '@spur/testkit';
import { startHaproxy } from './haproxy.ts';
import { startLoad, type LoadResult } from './load.ts';

const root = path.resolve(import.meta.dirname, '../..');

export type RehearsalOptions = {
  databaseUrl: string;
  /** Backends behind haproxy (each replaced once, one at a time). */
  backends: number;
  rate: number;
  concurrency: number;
  /** SHUTDOWN_DRAIN_MS of every backend; 0 shows what a release loses without it. */
  drainMs: number;
  /** Load before the first and after the last replacement. */
  settleMs: number;
  log?: (line: string) => void;
};

export type RehearsalResult = LoadResult & {
  replaced: number;
  /** Acknowledged hits found in ClickHouse exactly once / more than once / not at all. */
  exactlyOnce: number;
  duplicated: string[];
  missing: string[];
  /** Rows in ClickHouse for this run that no acknowledged hit accounts for (hits that failed but got in). */
  unacknowledgedRows: number;
  /** Exit codes of the replaced backends (SIGTERM → drain → 0). */
  exitCodes: (number | null)[];
  /** The first backend's /readyz answer: ready although it has no ClickHouse. */
  readiness: unknown;
  /** How long the load ran: `sent / loadSeconds` is the rate reached (below `rate` on a busy machine). */
  loadSeconds: number;
};

/**
 * A rolling release of the backend, rehearsed for real: haproxy in front of `backends` processes
 * sharing one Postgres and one Redis, the flusher (the batches process, the only one that opens
 * ClickHouse: chdb binds one data dir per process) on its own, and a load of unique hits while each
 * backend in turn is replaced the way Nomad does it: start the new one, wait until it is healthy
 * and in the balancer, SIGTERM the old one, wait for it to exit.
 */
export async function rehearseRelease(options: RehearsalOptions): Promise<RehearsalResult> {
  const say = options.log ?? (() => undefined);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'spur-rehearsal-'));
  const log = createLogger({ LOG_LEVEL: 'warn' }, 'rehearsal');
  const cleanup: (() => Promise<unknown>)[] = [];
  try {
    const redisServer = await startEmbeddedRedis({
      dir: path.join(dir, 'redis'),
      log,
      searchPath: process.env.PATH ?? '/usr/bin:/bin',
    });
    cleanup.push(redisServer.stop);
    const redis = openRedis(redisServer.url);
    cleanup.push(async () => redis.disconnect());
    const postgres = openPostgres(options.databaseUrl, 1);
    await migratePostgres(postgres.pool, log);
    const hostname = 'release.example';
    const site = await createTestSite(postgres.pool, { hostname });
    await postgres.close();

    // Nothing listens here: backends never need ClickHouse to take hits (statistics would fail).
    const noClickHouse = `http://127.0.0.1:${await freePort()}`;
    const common = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      DATABASE_URL: options.databaseUrl,
      REDIS_URL: redisServer.url,
      AUTH_SECRET: 'rehearsal-secret-rehearsal-secret-rehearsal',
    };
    const children = new Set<SpawnedProcess>();
    cleanup.push(async () => {
      for (const child of children) child.kill('SIGKILL');
    });

    const batchesPort = await freePort();
    const batches = spawnProcess(process.execPath, ['--import', 'tsx', 'batches/src/main.ts'], {
      cwd: root,
      env: {
        ...common,
        DATA_DIR: path.join(dir, 'batches'),
        BATCHES_PORT: String(batchesPort),
        FLUSH_INTERVAL_MS: '100',
        JOBS_ENABLED: 'false',
      },
    });
    children.add(batches);

    const slots = await Promise.all(
      Array.from({ length: options.backends + 1 }, async (_, i) => ({ name: `s${i + 1}`, port: await freePort() })),
    );
    let readiness: unknown;
    const startBackend = async (slot: { name: string; port: number }) => {
      const child = spawnProcess(process.execPath, ['--import', 'tsx', 'backend/src/main.ts'], {
        cwd: root,
        env: {
          ...common,
          DATA_DIR: path.join(dir, `backend-${slot.name}`),
          CLICKHOUSE_URL: noClickHouse,
          BACKEND_PORT: String(slot.port),
          TRUSTED_PROXIES: '127.0.0.1',
          SHUTDOWN_DRAIN_MS: String(options.drainMs),
        },
      });
      children.add(child);
      const ready = await Promise.race([
        waitForHttp(`http://127.0.0.1:${slot.port}/readyz`, { timeoutMs: 90_000 }),
        child.exited.then((): never => {
          throw new Error(`backend in ${slot.name} exited:\n${child.output().slice(-3000)}`);
        }),
      ]);
      readiness ??= await ready.json();
      return child;
    };

    const haproxy = await startHaproxy({ dir, slots });
    cleanup.push(haproxy.stop);
    const running = new Map<string, SpawnedProcess>();
    await Promise.all(
      slots.slice(0, options.backends).map(async (slot) => running.set(slot.name, await startBackend(slot))),
    );
    await waitForHttp(`http://127.0.0.1:${batchesPort}/readyz`, { timeoutMs: 90_000 });
    for (const slot of slots.slice(0, options.backends)) await haproxy.waitFor(slot.name, 'UP');
    await haproxy.waitFor(slots[options.backends]!.name, 'DOWN');
    say(`${options.backends} backends up behind haproxy; load ${options.rate}/s`);

    const loadStarted = Date.now();
    const load = startLoad({
      url: haproxy.url,
      identificationCode: site.identificationCode,
      hostname,
      run: path.basename(dir),
      rate: options.rate,
      concurrency: options.concurrency,
    });
    await new Promise((r) => setTimeout(r, options.settleMs));

    const exitCodes: (number | null)[] = [];
    const originals = slots.slice(0, options.backends).map((s) => s.name);
    for (const name of originals) {
      const spare = slots.find((s) => !running.has(s.name))!;
      const started = Date.now();
      running.set(spare.name, await startBackend(spare));
      await haproxy.waitFor(spare.name, 'UP');
      const old = running.get(name)!;
      old.kill('SIGTERM');
      const { code } = await old.exited;
      exitCodes.push(code);
      children.delete(old);
      running.delete(name);
      await haproxy.waitFor(name, 'DOWN');
      say(`replaced ${name} by ${spare.name} in ${Date.now() - started} ms; ${JSON.stringify(load.progress())}`);
    }
    await new Promise((r) => setTimeout(r, options.settleMs));
    const result = await load.stop();
    const loadSeconds = (Date.now() - loadStarted) / 1000;
    say(`load done: sent ${result.sent}, acknowledged ${result.acknowledged.length}, failed ${result.failures.length}`);

    // Every acknowledged hit is in Redis (it answered first), raw or sessionized; wait for the batches
    // process to sessionize and flush it all.
    const deadline = Date.now() + 120_000;
    for (;;) {
      const [length, pending] = await Promise.all([
        ingestBacklog(redis).then((b) => b.total),
        redis.xpending(INGEST_STREAM, FLUSH_GROUP).then((p) => Number((p as [number])[0])),
      ]);
      if (length === 0 && pending === 0) break;
      if (Date.now() > deadline) throw new Error(`flusher left ${length} entries (${pending} pending)`);
      await new Promise((r) => setTimeout(r, 100));
    }
    batches.kill('SIGTERM');
    const batchesExit = await batches.exited;
    children.delete(batches);
    if (batchesExit.code !== 0)
      throw new Error(`batches exited ${batchesExit.code}:\n${batches.output().slice(-3000)}`);

    // chdb binds its directory to one process: read it once the batches process is gone.
    const ch = await openClickHouse({
      url: undefined,
      database: 'spur',
      cluster: undefined,
      dataDir: path.join(dir, 'batches', 'clickhouse'),
    });
    const rows = await query<{ path: string; n: string }>(
      ch.client,
      'SELECT path, count() AS n FROM page_view WHERE site_id = {site:UInt64} GROUP BY path',
      { site: site.siteId },
    );
    await ch.close();
    const counts = new Map(rows.map((r) => [r.path, Number(r.n)]));
    const acknowledged = new Set(result.acknowledged);
    return {
      ...result,
      replaced: exitCodes.length,
      exitCodes,
      readiness,
      loadSeconds,
      exactlyOnce: result.acknowledged.filter((p) => counts.get(p) === 1).length,
      duplicated: result.acknowledged.filter((p) => (counts.get(p) ?? 0) > 1),
      missing: result.acknowledged.filter((p) => !counts.has(p)),
      unacknowledgedRows: rows.filter((r) => !acknowledged.has(r.path)).reduce((sum, r) => sum + Number(r.n), 0),
    };
  } finally {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
    await fs.rm(dir, { recursive: true, force: true });
  }
}
