import type pg from 'pg';

/** Runs `fn` in one transaction on one client; rolls back on any error. */
export async function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // The pool listens for errors of idle clients only: a server that dies while this client is
  // checked out would make its 'error' event an uncaught exception and end the process (seen in the
  // Postgres failover test). The query in flight rejects anyway, which is what callers handle.
  const ignore = () => undefined;
  client.on('error', ignore);
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollback: Error) => {
      broken = rollback;
    });
    throw error;
  } finally {
    client.off('error', ignore);
    // A client whose rollback failed is not returned to the pool: its connection is gone.
    client.release(broken);
  }
}
