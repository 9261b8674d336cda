import type { Logger } from '@spur/runtime';
import type { Stores } from '../stores.ts';
import { migrateClickHouse } from './clickhouse-migrator.ts';
import { migratePostgres } from './postgres-migrator.ts';

export async function migrate(stores: Pick<Stores, 'postgres' | 'clickhouse'>, log: Logger) {
  const postgres = await migratePostgres(stores.postgres.pool, log);
  const clickhouse = await migrateClickHouse(stores.clickhouse, stores.postgres.pool, log);
  return { postgres, clickhouse };
}
