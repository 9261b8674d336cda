/**
 * `npm run cli -- <command> [--option value]`: the admin CLI for operators, scripts and tests.
 * Every command prints one JSON document on stdout; failures print `{ "error": … }` on stderr and
 * exit 1. Run `npm run cli -- help` for the list.
 *
 * Stores: DATABASE_URL / REDIS_URL / CLICKHOUSE_URL when set. Without DATABASE_URL it uses the
 * embedded PostgreSQL under DATA_DIR — the one `npm run dev` is running if it is up (found through
 * its postmaster.pid), else its own short-lived instance. ClickHouse is opened only by commands
 * that delete statistics and by `stats:check --site ID` (a site's statistics invariants; exit 1 on a
 * violation); embedded chdb allows one process per data dir, so stop `npm run dev` (or set
 * CLICKHOUSE_URL) before those in dev.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { adminHelp, createAccountsContext, runAdminCommand, AccountsError } from '@spur/accounts';
import { BACKUP_HELP, JOBS_HELP, runBackupCommand, runJobsCommand } from '@spur/batches/cli';
import { BILLING_HELP, runBillingCommand } from '@spur/billing';
import { loadConfigOrExit, type Config } from '@spur/config';
import { createLogMailer } from '@spur/email';
import { createLogger } from '@spur/runtime';
import { runStatsCheck } from '@spur/stats';
import {
  migratePostgres,
  openClickHouse,
  openPostgres,
  openRedis,
  redisTarget,
  type ClickHouse,
  type Redis,
} from '@spur/storage';
import { ZodError } from 'zod';

const DELETES_STATISTICS = new Set(['user:delete', 'org:delete', 'site:delete']);

const config = loadConfigOrExit();
const log = createLogger({ LOG_LEVEL: 'silent' }, 'cli');
const [name = 'help', ...args] = process.argv.slice(2);
const cleanups: (() => Promise<unknown>)[] = [];

function report(error: unknown): void {
  const body =
    error instanceof AccountsError
      ? { error: error.message, ...(error.field ? { field: error.field } : {}) }
      : error instanceof ZodError
        ? { error: error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; ') }
        : { error: error instanceof Error ? error.message : String(error) };
  process.stderr.write(`${JSON.stringify(body)}\n`);
  process.exitCode = 1;
}

/** The URL of the embedded server `npm run dev` keeps running, if it is up. */
async function runningEmbeddedPostgres(dataDir: string): Promise<string | undefined> {
  try {
    const [pid, , , port] = (await fs.readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n');
    const { isLiveProcess } = await import('@spur/storage/embedded');
    if (!(await isLiveProcess(Number(pid), 'postgres'))) return undefined;
    const password = (await fs.readFile(path.join(dataDir, 'postgres.password'), 'utf8')).trim();
    return `postgres://spur:${encodeURIComponent(password)}@127.0.0.1:${Number(port)}/spur`;
  } catch {
    return undefined;
  }
}

async function databaseUrl(c: Config): Promise<string> {
  if (c.DATABASE_URL) return c.DATABASE_URL;
  const running = await runningEmbeddedPostgres(c.dataDir);
  if (running) return running;
  const { startEmbeddedPostgres } = await import('@spur/storage/embedded');
  const server = await startEmbeddedPostgres({ dir: path.join(c.dataDir, 'postgres'), log });
  cleanups.push(server.stop);
  return server.url;
}

/** Without REDIS_URL there is no shared Redis to tell ingest nodes about deletions; their caches expire on their own. */
const quietRedis = { publish: async () => 0, eval: async () => [0, 0], del: async () => 0 } as unknown as Redis;

const STATS_HELP = {
  'stats:check --site ID':
    "a site's statistics invariants per day and per visit (bounces within sessions, visitors <= sessions, page views per visit); exit 1 on a violation",
};

/** `stats:check --site ID`: prints the site's statistics invariants and exits 1 when one is broken. */
async function statsCheck(): Promise<number> {
  const postgres = openPostgres(await databaseUrl(config), 2);
  cleanups.unshift(postgres.close);
  const clickhouse = await openClickHouse({
    url: config.CLICKHOUSE_URL,
    database: config.CLICKHOUSE_DATABASE,
    cluster: config.CLICKHOUSE_CLUSTER,
    dataDir: path.join(config.dataDir, 'clickhouse'),
  });
  cleanups.unshift(clickhouse.close);
  const check = await runStatsCheck({ db: postgres.pool, clickhouse: clickhouse.client }, args);
  process.stdout.write(`${JSON.stringify(check, null, 2)}\n`);
  return check.violations.length > 0 ? 1 : 0;
}

try {
  if (name === 'help' || name === '--help') {
    const help = adminHelp();
    process.stdout.write(
      `${JSON.stringify({ ...help, commands: { ...help.commands, ...JOBS_HELP, ...BACKUP_HELP, ...BILLING_HELP, ...STATS_HELP } }, null, 2)}\n`,
    );
  } else if (name === 'stats:check') {
    process.exitCode = await statsCheck();
  } else {
    const postgres = openPostgres(await databaseUrl(config), 2);
    cleanups.unshift(postgres.close);
    await migratePostgres(postgres.pool, log);
    const sharedRedis = Boolean(config.REDIS_URL) || config.REDIS_SENTINELS.length > 0;
    const redis = sharedRedis ? openRedis(redisTarget(config), 'spur-cli') : quietRedis;
    if (sharedRedis) cleanups.unshift(() => redis.quit());
    let clickhouse: ClickHouse | undefined;
    if (DELETES_STATISTICS.has(name)) {
      clickhouse = await openClickHouse({
        url: config.CLICKHOUSE_URL,
        database: config.CLICKHOUSE_DATABASE,
        cluster: config.CLICKHOUSE_CLUSTER,
        dataDir: path.join(config.dataDir, 'clickhouse'),
      });
      cleanups.unshift(clickhouse.close);
    }
    const ctx = createAccountsContext({
      config,
      db: postgres.pool,
      redis,
      clickhouse,
      mailer: createLogMailer(log),
      log,
    });
    const result = name.startsWith('jobs:')
      ? await runJobsCommand(postgres.pool, name, args)
      : name.startsWith('backup:')
        ? await runBackupCommand(postgres.pool, config, name, args)
        : name.startsWith('billing:')
          ? await runBillingCommand({ db: postgres.pool, config, mailer: ctx.mailer, log }, name, args)
          : await runAdminCommand(ctx, name, args);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  }
} catch (error) {
  report(error);
} finally {
  for (const cleanup of cleanups) await cleanup().catch(() => undefined);
}
