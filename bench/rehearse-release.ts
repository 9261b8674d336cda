/**
 * `npm run rehearse:release [--quick]`: a rolling release of three backends behind real haproxy
 * under load, twice in one run: first with SHUTDOWN_DRAIN_MS=0 (the baseline: the listener closes
 * the moment SIGTERM arrives) and then with the drain the Nomad jobs use. Prints one line; the
 * release passes when `failed=0` and every acknowledged hit is in ClickHouse exactly once.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createLogger } from '@spur/runtime';
import { startEmbeddedPostgres } from '@spur/storage/embedded';
import { line, quick } from './lib.ts';
import { rehearseRelease, type RehearsalResult } from './rehearsal/rehearse.ts';

const DRAIN_MS = 1_500;
const rate = quick ? 200 : 600;
const settleMs = quick ? 2_000 : 5_000;

const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'spur-rehearse-pg-'));
await fs.chmod(dir, 0o755);
const server = await startEmbeddedPostgres({
  dir: path.join(dir, 'postgres'),
  log: createLogger({ LOG_LEVEL: 'warn' }, 'rehearse'),
  database: 'postgres',
});

async function freshDatabase(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return server.url.replace(/\/[^/?]+(\?|$)/, `/${name}$1`);
}

const run = async (label: string, drainMs: number): Promise<RehearsalResult> => {
  const result = await rehearseRelease({
    databaseUrl: await freshDatabase(`rehearse_${label}`),
    backends: 3,
    rate,
    concurrency: 16,
    drainMs,
    settleMs,
    log: (text) => console.log(`[${label}] ${text}`),
  });
  const reasons = new Map<string, number>();
  for (const f of result.failures) reasons.set(f.reason, (reasons.get(f.reason) ?? 0) + 1);
  console.log(
    `[${label}] failed ${result.failures.length} ${JSON.stringify(Object.fromEntries(reasons))}, exactly once ${result.exactlyOnce}/${result.acknowledged.length}, duplicated ${result.duplicated.length}, missing ${result.missing.length}, exit codes ${result.exitCodes.join(',')}`,
  );
  return result;
};

try {
  const baseline = await run('no_drain', 0);
  const drained = await run('drain', DRAIN_MS);
  console.log(
    line('rehearse-release', drained.exactlyOnce / Math.max(drained.acknowledged.length, 1), {
      failed: drained.failures.length,
      acknowledged: drained.acknowledged.length,
      exactly_once: drained.exactlyOnce,
      duplicated: drained.duplicated.length,
      missing: drained.missing.length,
      baseline_failed: baseline.failures.length,
      baseline_sent: baseline.sent,
      sent: drained.sent,
      drain_ms: DRAIN_MS,
      target_rps: rate,
      achieved_rps: Math.round(drained.sent / drained.loadSeconds),
      backends: 3,
    }),
  );
  if (drained.failures.length > 0 || drained.exactlyOnce !== drained.acknowledged.length) process.exitCode = 1;
} finally {
  await server.stop();
  await fs.rm(dir, { recursive: true, force: true });
}
