import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { chdbSessionPool } from './chdb-pool.ts';

export type { ClickHouseClient };

export type ClickHouse = {
  /** The writer: flusher inserts, migrations, deletions. */
  client: ClickHouseClient;
  /**
   * The reader statistics go through: every query runs with `readonly = 2` (reads, and settings
   * such as `log_comment`; no INSERT, ALTER or DDL), so a statistics bug cannot change data.
   */
  reader: ClickHouseClient;
  database: string;
  /** `ON CLUSTER '<name>'` or an empty string: migrations and DDL splice it in. */
  cluster: string | undefined;
  /** CLICKHOUSE_SHARDED: tables are `<name>_local` per shard behind Distributed `<name>` (clickhouse-shape.ts). */
  sharded?: boolean;
  embedded: boolean;
  /** Creates the database if missing; the migration runner calls it before its first statement. */
  ensureDatabase: () => Promise<void>;
  close: () => Promise<void>;
};

const settings = {
  // UInt64 visitor ids and counts must survive JSON intact.
  output_format_json_quote_64bit_integers: 1,
  date_time_input_format: 'best_effort',
} as const;
// 2, not 1: 1 also forbids the per-query settings every statistics query sends.
const readerSettings = { ...settings, readonly: '2' } as const;

/**
 * `CLICKHOUSE_URL` set → a ClickHouse server over HTTP. Unset → chdb, the same engine in-process,
 * plugged into the same official client, so every query runs the same code either way.
 * chdb binds one data directory per process: a second process on the same dir fails with
 * "Cannot lock file .../status", which is why `npm run dev` runs backend and batches together.
 */
export async function openClickHouse(options: {
  url: string | undefined;
  database: string;
  cluster: string | undefined;
  sharded?: boolean;
  dataDir: string;
}): Promise<ClickHouse> {
  if (options.url) {
    // Nothing is sent at open: the client connects on first use. A backend only needs ClickHouse
    // for statistics, so it starts, and takes hits, while the ClickHouse server is away.
    const url = options.url;
    const ensureDatabase = async () => {
      const admin = createClient({ url, clickhouse_settings: settings });
      try {
        await admin.command({ query: createDatabaseSql(options.database, options.cluster) });
      } finally {
        await admin.close();
      }
    };
    const sharded = Boolean(options.cluster && options.sharded);
    // Sharded, a statement over a Distributed table whose IN or JOIN subquery reads another one
    // (the statistics' semi-joins: visits with an entry page, with an event) is refused under
    // ClickHouse's default `distributed_product_mode = 'deny'`. Every table that holds visitor_id is
    // sharded by it (clickhouse-shape.ts), so a visit's page views, events and session rows live on
    // one shard and each shard answering the subquery from its own local table is exact ('local').
    const product = sharded ? { distributed_product_mode: 'local' } : {};
    const open = (clickhouse_settings: typeof settings) =>
      createClient({ url, database: options.database, clickhouse_settings, application: 'spur' });
    // Sharded: an insert into a Distributed table returns once every shard has its rows, not once
    // they are queued on this node's disk (the flusher acknowledges the stream after the insert).
    const client = open(
      (sharded ? { ...settings, ...product, distributed_foreground_insert: 1 } : settings) as typeof settings,
    );
    const reader = open({ ...readerSettings, ...product } as typeof settings);
    return {
      client,
      reader,
      database: options.database,
      cluster: options.cluster,
      sharded,
      embedded: false,
      ensureDatabase,
      close: async () => {
        await reader.close();
        await client.close();
      },
    };
  }

  const { createChdbConnection } = await import('chdb/connection');
  // chdb sends a client's settings as `SET`s that stick to its session: the reader needs a session
  // of its own, or its readonly would stop the writer too. A second connection on the same path
  // in the same process is one (same engine and data).
  const open = (connection: ReturnType<typeof createChdbConnection>, clickhouse_settings: typeof settings) =>
    createClient({
      // chdb types its connection against its own copy of @clickhouse/client-common; the shapes match.
      connection: connection as unknown as NonNullable<Parameters<typeof createClient>[0]>['connection'],
      clickhouse_settings,
    });
  // A chdb session runs one statement at a time. The writer is two sessions, so the flusher's
  // inserts go on while a job's long statement (a deletion, an export) runs, as on a server.
  // Statistics gain nothing from more: chdb runs every statement with query parameters (all of
  // them) one at a time in the whole process, a guard against a race in libchdb.
  const session = () => createChdbConnection({ path: options.dataDir });
  const writers = chdbSessionPool(session, 2);
  const client = open(writers, settings);
  await client.command({ query: createDatabaseSql(options.database, undefined) });
  const reader = open(session(), readerSettings);
  // chdb ignores the client's `database` option; `USE` sticks to each session instead.
  await writers.everySession(`USE ${options.database}`);
  await reader.command({ query: `USE ${options.database}` });
  return {
    client,
    reader,
    database: options.database,
    cluster: undefined,
    embedded: true,
    ensureDatabase: async () => undefined,
    close: async () => {
      await reader.close();
      await client.close();
    },
  };
}

function createDatabaseSql(database: string, cluster: string | undefined): string {
  return `CREATE DATABASE IF NOT EXISTS ${database}${cluster ? ` ON CLUSTER '${cluster}'` : ''}`;
}
