import type pg from 'pg';
import type { Logger } from '@spur/runtime';
import { assertUnchanged, MIGRATIONS_DIR, readMigrations } from './files.ts';

/** Any constant unique to Spur; every replica takes the same advisory lock. */
export const POSTGRES_MIGRATION_LOCK = 0x5_9_0_0_0_1;

/**
 * Applies pending Postgres migrations, each in its own transaction, under a session advisory
 * lock: three replicas starting together queue on the lock and the later ones find nothing to do.
 */
export async function migratePostgres(pool: pg.Pool, log: Logger, dir = MIGRATIONS_DIR.postgres): Promise<number[]> {
  const migrations = await readMigrations(dir);
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [POSTGRES_MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const done = new Map(
      (
        await client.query<{ version: number; checksum: string }>('SELECT version, checksum FROM schema_migrations')
      ).rows.map((r) => [r.version, r.checksum]),
    );
    const applied: number[] = [];
    for (const migration of migrations) {
      const recorded = done.get(migration.version);
      if (recorded !== undefined) {
        assertUnchanged(migration, recorded, 'Postgres');
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
          migration.version,
          migration.name,
          migration.checksum,
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(
          `Postgres migration ${migration.version}_${migration.name} failed: ${(error as Error).message}`,
          { cause: error },
        );
      }
      log.info({ version: migration.version, name: migration.name }, 'applied postgres migration');
      applied.push(migration.version);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [POSTGRES_MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}
