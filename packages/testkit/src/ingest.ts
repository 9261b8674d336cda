import type { ClickHouseClient } from '@clickhouse/client';
import { createFlusher, ingestBacklog, type Flusher } from '@spur/ingest';
import { Lifecycle } from '@spur/runtime';
import { startBackend, type Backend } from '@spur/backend';
import { startTestStores, type TestStores } from './stores.ts';

export type IngestHarness = TestStores & {
  backend: Backend;
  /** Starts another flusher (the harness starts one; tests of failures start more). */
  startFlusher: () => Flusher;
  stopFlushers: () => Promise<void>;
  /** Resolves once every hit and row appended so far is sessionized and in ClickHouse. */
  flushed: (timeoutMs?: number) => Promise<void>;
  query: <T>(sql: string, params?: Record<string, unknown>) => Promise<T[]>;
  post: (path: string, body: unknown, headers?: Record<string, string>) => Promise<Response>;
  stop: () => Promise<void>;
};

/** Real stores, the real backend on a free port, and a flusher with a short interval. */
export async function startIngestHarness(options: { env?: Record<string, string> } = {}): Promise<IngestHarness> {
  const t = await startTestStores({ env: options.env });
  const lifecycle = new Lifecycle(t.log, 10_000);
  const backend = await startBackend({ config: t.config, stores: t.stores, log: t.log, lifecycle });
  const running: Flusher[] = [];
  const startFlusher = () => {
    const flusher = createFlusher({
      redis: t.stores.redis,
      postgres: t.stores.postgres.pool,
      clickhouse: t.stores.clickhouse.client,
      batchRows: 5_000,
      intervalMs: 50,
      claimIdleMs: 2_000,
      waitReplicas: t.config.REDIS_WAIT_REPLICAS,
      log: t.log,
    });
    flusher.start();
    running.push(flusher);
    lifecycle.onStop('flusher', flusher.stop);
    return flusher;
  };
  startFlusher();

  return {
    ...t,
    backend,
    startFlusher,
    stopFlushers: async () => {
      await Promise.all(running.splice(0).map((f) => f.stop()));
    },
    flushed: (timeoutMs = 20_000) => waitForEmptyStream(t.stores.redis, timeoutMs),
    query: (sql, params) => query(t.stores.clickhouse.client, sql, params),
    post: (path, body, headers = {}) =>
      fetch(`${backend.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    stop: async () => {
      await lifecycle.stop('test end').catch(() => undefined);
      await t.close();
    },
  };
}

export async function query<T>(
  client: ClickHouseClient,
  sql: string,
  params: Record<string, unknown> = {},
): Promise<T[]> {
  const result = await client.query({ query: sql, query_params: params, format: 'JSONEachRow' });
  return result.json<T>();
}

/** Raw hits (not yet sessionized) and the ingest stream, read together (see ingestBacklog). */
async function waitForEmptyStream(redis: TestStores['stores']['redis'], timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await ingestBacklog(redis)).total === 0) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  const { raw, stream } = await ingestBacklog(redis);
  throw new Error(`${raw} raw hits and ${stream} stream rows still wait after ${timeoutMs} ms`);
}
