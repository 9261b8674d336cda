import { createHash } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSite, seedUser } from '@spur/accounts/testing';
import { loadConfig } from '@spur/config';
import { createLogger } from '@spur/runtime';
import { migratePostgres, openObjectStore, openPostgres, type ObjectStore, type Postgres } from '@spur/storage';
import {
  createTestDatabase,
  spawnProcess,
  startLocalS3,
  startPostgres15,
  type LocalS3,
  type Postgres15,
} from '@spur/testkit';
import { backupClickHouse } from '../src/backup/clickhouse-backup.ts';
import { backupPostgres } from '../src/backup/postgres-backup.ts';

const root = path.resolve(import.meta.dirname, '../..');
const log = createLogger({ LOG_LEVEL: 'silent' }, 'test');
let server: Postgres15;
let s3: LocalS3;
let source: Postgres;
let objects: ObjectStore;

beforeAll(async () => {
  [server, s3] = await Promise.all([startPostgres15(), startLocalS3()]);
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query('CREATE DATABASE app');
  await admin.query('CREATE DATABASE scratch');
  await admin.end();
  source = openPostgres(server.urlOf('app'), 2);
  await migratePostgres(source.pool, log);
  objects = openObjectStore(loadConfig(s3.env, {}));
});
afterAll(async () => {
  objects?.close();
  await source?.close();
  await Promise.all([server?.stop(), s3?.stop()]);
});

const config = (keep: number) => ({ PG_BIN_DIR: undefined, BACKUP_KEEP: keep });
const TABLES = ['app_user', 'organization', 'organization_member', 'site', 'schema_migrations'];
async function snapshot(db: pg.Pool) {
  const out: Record<string, unknown[]> = {};
  for (const table of TABLES) {
    const exists = await db.query('SELECT to_regclass($1) AS t', [table]);
    if (!exists.rows[0].t) continue;
    out[table] = (await db.query(`SELECT * FROM ${table} ORDER BY 1, 2`)).rows;
  }
  return out;
}

describe('Postgres backups', () => {
  it('when the nightly dump runs, then it lands in S3 with its size and SHA-256, the newest N stay, and backup:restore brings back every row', async () => {
    const user = await seedUser(source.pool, { email: 'kept@backup.example' });
    await seedSite(source.pool, user.organizationId, { hostname: 'backup.example', timezone: 'Europe/Berlin' });

    const first = await backupPostgres({
      db: source.pool,
      objects,
      config: config(2),
      log,
      now: new Date('2026-12-01T02:30:00Z'),
    });
    const stored = await objects.get(first.key);
    expect(first.key).toBe('backups/postgres/2026-12-01T02-30-00-000Z.dump');
    expect(stored!.body.subarray(0, 5).toString()).toBe('PGDMP'); // pg_dump's custom format
    expect(first.size).toBe(stored!.body.length);
    expect(first.sha256).toBe(createHash('sha256').update(stored!.body).digest('hex'));
    const { rows: recorded } = await source.pool.query(
      `SELECT status, size_bytes::int AS size, sha256, server_version LIKE '15.%' AS v15 FROM backup WHERE s3_key = $1`,
      [first.key],
    );
    expect(recorded).toEqual([{ status: 'done', size: first.size, sha256: first.sha256, v15: true }]);

    await backupPostgres({ db: source.pool, objects, config: config(2), log, now: new Date('2026-12-02T02:30:00Z') });
    const third = await backupPostgres({
      db: source.pool,
      objects,
      config: config(2),
      log,
      now: new Date('2026-12-03T02:30:00Z'),
    });
    expect(third.deleted).toEqual([first.key]);
    expect((await objects.list('backups/postgres/')).map((o) => o.key)).toEqual([
      'backups/postgres/2026-12-02T02-30-00-000Z.dump',
      'backups/postgres/2026-12-03T02-30-00-000Z.dump',
    ]);

    // The CLI restores the newest dump into an empty database: the same rows come back.
    const cli = spawnProcess(
      process.execPath,
      ['--import', 'tsx', 'scripts/cli.ts', 'backup:restore', '--key', third.key, '--into', server.urlOf('scratch')],
      { cwd: root, env: { PATH: process.env.PATH, DATABASE_URL: server.urlOf('app'), ...s3.env } },
    );
    expect((await cli.exited).code, cli.output()).toBe(0);
    expect(JSON.parse(cli.output().slice(cli.output().indexOf('{')))).toMatchObject({
      key: third.key,
      into: 'scratch',
    });
    const restored = openPostgres(server.urlOf('scratch'), 1);
    try {
      const [before, after] = await Promise.all([snapshot(source.pool), snapshot(restored.pool)]);
      expect(Object.keys(after)).toEqual(TABLES);
      expect((after.app_user as { email: string }[]).map((u) => u.email)).toEqual(['kept@backup.example']);
      expect(after).toEqual(before);
    } finally {
      await restored.close();
    }
  });

  it('when pg_dump is older than the server, then the backup fails saying what to install', async () => {
    const newer = openPostgres(await createTestDatabase(), 1); // the embedded PostgreSQL 18
    try {
      await migratePostgres(newer.pool, log);
      await expect(backupPostgres({ db: newer.pool, objects, config: config(2), log })).rejects.toThrow(
        /^pg_dump 15 cannot dump a PostgreSQL 18 server \(.*\); install postgresql-client-18 or set PG_BIN_DIR/,
      );
      const { rows } = await newer.pool.query(`SELECT count(*)::int AS n FROM backup`);
      expect(rows[0].n).toBe(0);
    } finally {
      await newer.close();
    }
  });

  it('when ClickHouse is embedded, then its backup is skipped and says so', async () => {
    const result = await backupClickHouse({
      db: source.pool,
      clickhouse: undefined as never,
      objects,
      config: { ...loadConfig(s3.env, {}), CLICKHOUSE_URL: undefined },
      log,
    });
    expect(result).toEqual({
      skipped:
        'embedded ClickHouse (chdb) cannot run BACKUP to S3; ClickHouse backup skipped (copy DATA_DIR/clickhouse instead)',
    });
  });
});
