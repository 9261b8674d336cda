import type { Redis } from 'ioredis';

/**
 * The write cache between backend and ClickHouse: one Redis stream. The backend only appends (never
 * trims: unflushed rows are the only copy); flushers delete entries after ClickHouse has them.
 * Counted hits do not come through here: the request path appends them to raw partition streams
 * (session/hit-appender.ts), and a sessionizer moves them here (session/sessionizer.ts), as one
 * `t: 'h'` entry per hit appended atomically with the session update, which the flusher assembles
 * into rows (flusher/stream-rows.ts). appendRows writes whole
 * rows, `{ t: <table>, r: <JSONEachRow line> }`: the pipeline's dropped requests, and tests.
 */
export const INGEST_STREAM = 'spur:ingest';
export const FLUSH_GROUP = 'flushers';

export type StreamTable = 'page_view' | 'event' | 'session' | 'request';

export async function appendRows(
  redis: Redis,
  rows: { table: StreamTable; row: Record<string, unknown> }[],
): Promise<void> {
  if (rows.length === 0) return;
  const pipeline = redis.multi();
  for (const { table, row } of rows) pipeline.xadd(INGEST_STREAM, '*', 't', table, 'r', JSON.stringify(row));
  await pipeline.exec();
}

/**
 * Backpressure: when flushers or sessionizers fall behind (ClickHouse down for long, no batches
 * process running), hits get 503 instead of Redis growing until it runs out of memory. XLEN is
 * O(1) (the ingest stream and each raw partition, `backlog`); the answer is cached briefly because
 * every hit asks.
 */
export function createBacklogGauge(redis: Redis, maxBacklog: number, backlog: () => Promise<number>, cacheMs = 250) {
  let length = 0;
  let checkedAt = 0;
  let pending: Promise<number> | undefined;
  const refresh = () => {
    pending ??= backlog()
      .then((n) => {
        length = n;
        checkedAt = Date.now();
        return n;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
  return {
    /** A plain boolean while the cached length is fresh: no promise for the hot path to await. */
    isFull(): boolean | Promise<boolean> {
      if (Date.now() - checkedAt > cacheMs) return refresh().then((n) => n >= maxBacklog);
      return length >= maxBacklog;
    },
  };
}
