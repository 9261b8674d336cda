import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { makeWorkerUtils } from 'graphile-worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, freePort } from '@spur/runtime';
import { migratePostgres, openPostgres, type Postgres } from '@spur/storage';
import { startEmbeddedRedis, type EmbeddedRedis } from '@spur/storage/embedded';
import {
  createTestDatabase,
  spawnProcess,
  startLocalS3,
  waitForHttp,
  type LocalS3,
  type SpawnedProcess,
} from '@spur/testkit';

const root = path.resolve(import.meta.dirname, '../..');
const log = createLogger({ LOG_LEVEL: 'warn' }, 'test');
const STALE_MS = 2_000;
// Slots the backfill creates at once: the crontab says every minute, the test has no minutes.
const BACKFILLED_MINUTES = 12;

let dataDir: string;
let redis: EmbeddedRedis;
let s3: LocalS3;
let databaseUrl: string;
let postgres: Postgres;
const children: SpawnedProcess[] = [];

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'spur-jobs-'));
  [redis, s3, databaseUrl] = await Promise.all([
    startEmbeddedRedis({ dir: path.join(dataDir, 'redis'), log, searchPath: '/usr/local/bin:/usr/bin:/bin' }),
    startLocalS3(),
    createTestDatabase(),
  ]);
  postgres = openPostgres(databaseUrl, 2);
  await migratePostgres(postgres.pool, log);
  await postgres.pool.query('CREATE TABLE probe_effect (slot text NOT NULL, pid integer NOT NULL)');
  await postgres.pool.query('CREATE TABLE probe_gate (open boolean)');
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await postgres?.close();
  await Promise.all([redis?.stop(), s3?.stop()]);
  await fs.rm(dataDir, { recursive: true, force: true });
});

async function startReplica(name: string) {
  const port = await freePort();
  const child = spawnProcess(process.execPath, ['--import', 'tsx', 'batches/test/fixtures/probe-batches.ts', '250'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      DATA_DIR: path.join(dataDir, name),
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      BATCHES_PORT: String(port),
      LOG_LEVEL: 'warn',
      JOBS_CONCURRENCY: '1',
      JOBS_WORKER_STALE_MS: String(STALE_MS),
      SHUTDOWN_TIMEOUT_MS: '8000',
      ...s3.env,
    },
  });
  children.push(child);
  return { child, url: `http://127.0.0.1:${port}` };
}

async function cli(args: string[]): Promise<string> {
  const child = spawnProcess(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl, DATA_DIR: dataDir },
  });
  const { code } = await child.exited;
  if (code !== 0) throw new Error(`cli ${args.join(' ')} failed:\n${child.output()}`);
  return child.output().slice(child.output().indexOf('{'));
}

const sql = async <T extends object>(text: string, values: unknown[] = []) =>
  (await postgres.pool.query<T & Record<string, unknown>>(text, values)).rows;

/** Polls until `probe` has a running slot held by `pid`; returns that slot. */
async function runningSlotOf(pid: number): Promise<string> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const [row] = await sql<{ slot: string }>(
      `SELECT r.slot FROM job_run r JOIN job_worker w ON w.worker_id = r.worker
       WHERE r.job = 'probe' AND r.status = 'running' AND w.pid = $1`,
      [pid],
    );
    if (row) return row.slot;
    await new Promise((r) => setTimeout(r, 25));
  }
  const runs = await sql('SELECT job, slot, status, worker FROM job_run ORDER BY slot');
  const workers = await sql('SELECT worker_id, pid FROM job_worker');
  throw new Error(
    `process ${pid} never ran a probe slot: ${JSON.stringify({ runs, workers })}\n${children.map((c) => c.output().slice(-2000)).join('\n---\n')}`,
  );
}

const minute = (iso: string) => new Date(iso).getTime() / 60_000;

describe('job runner on three replicas', () => {
  it('when one replica is SIGTERMed and one SIGKILLed mid-job, then every slot still has exactly one successful run', async () => {
    // The backfill only covers time since graphile first knew the crontab entry: make it known
    // BACKFILLED_MINUTES ago, as if the replicas had been down that long.
    const utils = await makeWorkerUtils({ connectionString: databaseUrl, schema: 'graphile_worker' });
    await utils.migrate();
    await utils.release();
    const [known] = await sql<{ since: string }>(
      `INSERT INTO graphile_worker._private_known_crontabs (identifier, known_since)
       VALUES ('probe', date_trunc('minute', now()) - make_interval(mins => $1))
       RETURNING to_char(known_since AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"') AS since`,
      [BACKFILLED_MINUTES],
    );
    const since = known!.since;

    const [a, b, c] = await Promise.all([startReplica('a'), startReplica('b'), startReplica('c')]);
    await Promise.all([a, b, c].map((r) => waitForHttp(`${r.url}/readyz`, { timeoutMs: 60_000 })));
    // Each replica holds one slot, waiting at the probe's gate.
    const [killedSlot, terminatedSlot] = await Promise.all([
      runningSlotOf(a.child.child.pid!),
      runningSlotOf(b.child.child.pid!),
      runningSlotOf(c.child.child.pid!),
    ]);
    a.child.kill('SIGKILL');
    await a.child.exited;
    b.child.kill('SIGTERM');
    await postgres.pool.query('INSERT INTO probe_gate VALUES (true)');
    expect((await b.child.exited).code).toBe(0);

    // Every slot from the first backfilled minute up to the start of the test is done.
    const firstMinute = minute(since);
    const deadline = Date.now() + 40_000;
    while (Date.now() < deadline) {
      const done = await sql<{ slot: string }>(`SELECT slot FROM job_run WHERE job = 'probe' AND status = 'succeeded'`);
      if (done.filter((r) => minute(r.slot) < firstMinute + BACKFILLED_MINUTES).length >= BACKFILLED_MINUTES) break;
      await new Promise((r) => setTimeout(r, 200));
    }

    // A failing job leaves the replica ready and is counted.
    const failing = await makeWorkerUtils({ connectionString: databaseUrl, schema: 'graphile_worker' });
    await failing.addJob('probe-fail', { slot: 'test-1' }, { maxAttempts: 1 });
    await failing.release();
    let failed: { error: string }[] = [];
    while (failed.length === 0 && Date.now() < deadline) {
      failed = await sql<{ error: string }>(`SELECT error FROM job_run WHERE job = 'probe-fail' AND status = 'failed'`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(failed).toEqual([{ error: 'probe-fail fails on purpose' }]);
    expect((await fetch(`${c.url}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${c.url}/metrics`)).text();
    expect(metrics).toMatch(/^batches_job_failures_total\{job="probe-fail"[^}]*\} 1$/m);

    // The CLI queues a run for whichever replica is up, waits for its record, then lists it.
    const ran = JSON.parse(await cli(['jobs:run', 'purge-job-runs', '--slot', 'test-1', '--wait', '30']));
    expect(ran).toMatchObject({ job: 'purge-job-runs', slot: 'test-1', status: 'succeeded', attempts: 1 });
    expect(ran.detail).toEqual({ deleted: 0 });
    const listed = JSON.parse(await cli(['jobs:list'])) as { jobs: { name: string }[] };
    expect(listed.jobs.find((j) => j.name === 'purge-job-runs')).toMatchObject({
      schedule: '17 3 * * *',
      runs: 1,
      failed: 0,
      last_status: 'succeeded',
      last_slot: 'test-1',
    });

    c.child.kill('SIGTERM');
    expect((await c.child.exited).code).toBe(0);

    const runs = await sql<{ slot: string; status: string; attempts: number }>(
      `SELECT slot, status, attempts FROM job_run WHERE job = 'probe' ORDER BY slot`,
    );
    const effects = await sql<{ slot: string; pid: number; n: number }>(
      'SELECT slot, min(pid) AS pid, count(*)::int AS n FROM probe_effect GROUP BY slot ORDER BY slot',
    );
    // Contiguous minutes from the first backfilled one: none skipped, none twice.
    expect(runs[0]!.slot).toBe(since);
    expect(runs.length).toBeGreaterThanOrEqual(BACKFILLED_MINUTES);
    runs.forEach((run, i) => expect(minute(run.slot)).toBe(firstMinute + i));
    expect(runs.every((r) => r.status === 'succeeded')).toBe(true);
    expect(effects.map((e) => [e.slot, e.n])).toEqual(runs.map((r) => [r.slot, 1]));

    // The slot SIGKILLed mid-run was unlocked once the heartbeat stopped and finished elsewhere.
    expect(runs.find((r) => r.slot === killedSlot)!.attempts).toBe(2);
    expect(effects.find((e) => e.slot === killedSlot)!.pid).not.toBe(a.child.child.pid);
    // The SIGTERMed replica finished the slot in hand before exiting.
    expect(runs.find((r) => r.slot === terminatedSlot)!.attempts).toBe(1);
    expect(effects.find((e) => e.slot === terminatedSlot)!.pid).toBe(b.child.child.pid);
  });
});
