import type pg from 'pg';
import type { Logger } from '@spur/runtime';
import type { ClickHouse } from '../clickhouse.ts';
import { renderClickHouseSql } from './clickhouse-shape.ts';
import { assertUnchanged, MIGRATIONS_DIR, readMigrations, splitStatements, type Migration } from './files.ts';

export const CLICKHOUSE_MIGRATION_LOCK = 0x5_9_0_0_0_2;

export { renderClickHouseSql };

/**
 * ClickHouse has no transactions or locks, so the runner holds a Postgres advisory lock (every
 * Spur process has Postgres) and records applied files in ClickHouse itself. A statement that
 * fails leaves the version unrecorded; statements are written idempotently (IF NOT EXISTS) so a
 * rerun completes the file.
 */
export async function migrateClickHouse(
  ch: ClickHouse,
  pool: pg.Pool,
  log: Logger,
  dir = MIGRATIONS_DIR.clickhouse,
): Promise<number[]> {
  const migrations = await readMigrations(dir);
  const lock = await pool.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [CLICKHOUSE_MIGRATION_LOCK]);
    await ch.ensureDatabase();
    await ch.client.command({
      // Replicated but never sharded: every node reads the whole record.
      query: renderClickHouseSql(
        `CREATE TABLE IF NOT EXISTS schema_migrations {{on_cluster}} (
          version UInt32, name String, checksum String, applied_at DateTime DEFAULT now()
        ) ENGINE = {{replicated}}ReplacingMergeTree ORDER BY version`,
        ch.cluster,
      ),
    });
    const rows = await (
      await ch.client.query({ query: 'SELECT version, checksum FROM schema_migrations FINAL', format: 'JSONEachRow' })
    ).json<{ version: number; checksum: string }>();
    const done = new Map(rows.map((r) => [Number(r.version), r.checksum]));
    const applied: number[] = [];
    for (const migration of migrations) {
      const recorded = done.get(migration.version);
      if (recorded !== undefined) {
        assertUnchanged(migration, recorded, 'ClickHouse');
        continue;
      }
      await apply(ch, migration);
      log.info({ version: migration.version, name: migration.name }, 'applied clickhouse migration');
      applied.push(migration.version);
    }
    return applied;
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [CLICKHOUSE_MIGRATION_LOCK]).catch(() => undefined);
    lock.release();
  }
}

async function apply(ch: ClickHouse, migration: Migration) {
  for (const statement of splitStatements(renderClickHouseSql(migration.sql, ch.cluster, ch.sharded))) {
    try {
      await ch.client.command({ query: statement });
    } catch (error) {
      throw new Error(
        `ClickHouse migration ${migration.version}_${migration.name} failed: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
  await ch.client.insert({
    table: 'schema_migrations',
    values: [{ version: migration.version, name: migration.name, checksum: migration.checksum }],
    format: 'JSONEachRow',
  });
}
