import pg from 'pg';

export type Postgres = { pool: pg.Pool; close: () => Promise<void> };

export function openPostgres(url: string, max = 10): Postgres {
  const pool = new pg.Pool({ connectionString: url, max, idleTimeoutMillis: 30_000, application_name: 'spur' });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return { pool, close: () => pool.end() };
}
