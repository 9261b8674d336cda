import path from 'node:path';
import type { Config } from '@spur/config';
import { withTimeout, type Logger } from '@spur/runtime';
import { openClickHouse, type ClickHouse } from './clickhouse.ts';
import { openPostgres, type Postgres } from './postgres.ts';
import { openRedis, redisTarget, type Redis } from './redis.ts';

export type Stores = {
  postgres: Postgres;
  clickhouse: ClickHouse;
  redis: Redis;
  /** Pings every store; names the ones that fail. */
  check: (timeoutMs?: number) => Promise<StoreHealth>;
  close: () => Promise<void>;
};

export type StoreName = 'postgres' | 'clickhouse' | 'redis';
export type StoreHealth = { ok: boolean; stores: Record<StoreName, { ok: boolean; error?: string }> };

type StoreConfig = Pick<
  Config,
  'DATABASE_URL' | 'CLICKHOUSE_URL' | 'CLICKHOUSE_DATABASE' | 'CLICKHOUSE_CLUSTER' | 'REDIS_URL' | 'PATH' | 'dataDir'
> &
  Partial<Pick<Config, 'REDIS_SENTINELS' | 'REDIS_MASTER_NAME' | 'CLICKHOUSE_SHARDED'>>;

/**
 * Opens Postgres, ClickHouse and Redis. A store whose URL is unset runs embedded under DATA_DIR;
 * the embedded engines are dev dependencies, loaded only on that path.
 */
export async function openStores(config: StoreConfig, log: Logger): Promise<Stores> {
  const stops: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((err: unknown) => log.error({ err }, 'store close failed'));
  };
  try {
    let databaseUrl = config.DATABASE_URL;
    const sentinels = config.REDIS_SENTINELS ?? [];
    // With sentinels Redis is external even without a URL (which then only carries credentials).
    let redisUrl = config.REDIS_URL ?? (sentinels.length > 0 ? 'redis://127.0.0.1' : undefined);
    const [pgServer, redisServer] = await Promise.all([
      databaseUrl
        ? undefined
        : import('./embedded/embedded-postgres.ts').then((m) =>
            m.startEmbeddedPostgres({ dir: path.join(config.dataDir, 'postgres'), log }),
          ),
      redisUrl
        ? undefined
        : import('./embedded/embedded-redis.ts').then((m) =>
            m.startEmbeddedRedis({ dir: path.join(config.dataDir, 'redis'), log, searchPath: config.PATH }),
          ),
    ]);
    if (pgServer) stops.push(pgServer.stop);
    if (redisServer) stops.push(redisServer.stop);
    databaseUrl ??= pgServer!.url;
    redisUrl ??= redisServer!.url;

    const postgres = openPostgres(databaseUrl);
    stops.push(postgres.close);
    const redis = openRedis(
      redisTarget({
        REDIS_URL: redisUrl,
        REDIS_SENTINELS: sentinels,
        REDIS_MASTER_NAME: config.REDIS_MASTER_NAME ?? 'spur',
      }),
    );
    stops.push(async () => {
      await redis.quit().catch(() => redis.disconnect());
    });
    const clickhouse = await openClickHouse({
      url: config.CLICKHOUSE_URL,
      database: config.CLICKHOUSE_DATABASE,
      cluster: config.CLICKHOUSE_CLUSTER,
      sharded: config.CLICKHOUSE_SHARDED,
      dataDir: path.join(config.dataDir, 'clickhouse'),
    });
    stops.push(clickhouse.close);

    return {
      postgres,
      clickhouse,
      redis,
      check: (timeoutMs = 2_000) => checkStores({ postgres, clickhouse, redis }, timeoutMs),
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

async function checkStores(
  stores: { postgres: Postgres; clickhouse: ClickHouse; redis: Redis },
  timeoutMs: number,
): Promise<StoreHealth> {
  const probes: Record<StoreName, () => Promise<unknown>> = {
    postgres: () => stores.postgres.pool.query('SELECT 1'),
    clickhouse: async () => {
      const result = await stores.clickhouse.client.ping();
      if (!result.success) throw result.error;
    },
    redis: () => stores.redis.ping(),
  };
  const entries = await Promise.all(
    (Object.keys(probes) as StoreName[]).map(async (name) => {
      try {
        await withTimeout(probes[name](), timeoutMs, `${name} ping`);
        return [name, { ok: true }] as const;
      } catch (error) {
        return [name, { ok: false, error: error instanceof Error ? error.message : String(error) }] as const;
      }
    }),
  );
  const result = Object.fromEntries(entries) as StoreHealth['stores'];
  return { ok: entries.every(([, r]) => r.ok), stores: result };
}
