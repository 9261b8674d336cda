import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appendRows,
  createFlusher,
  FLUSH_GROUP,
  formatTime,
  INGEST_STREAM,
  insertBatch,
  rowsOf,
  type StreamEntry,
} from '@spur/ingest';
import { recordBatch } from '../src/flusher/claim.ts';
import { query, startTestStores, type TestStores } from '@spur/testkit';

let t: TestStores;
beforeAll(async () => {
  t = await startTestStores();
});
afterAll(() => t?.close());

const count = async () =>
  (
    await query<{ n: string; d: string }>(
      t.stores.clickhouse.client,
      'SELECT count() AS n, uniqExact(path) AS d FROM page_view',
    )
  )[0];
const hooks = { onInserted: () => undefined, onRetry: async () => undefined, onRejected: async () => undefined };

async function drainWithNewFlusher() {
  const flusher = createFlusher({
    redis: t.stores.redis,
    clickhouse: t.stores.clickhouse.client,
    batchRows: 1_000,
    intervalMs: 20,
    claimIdleMs: 300,
    log: t.log,
  });
  flusher.start();
  const deadline = Date.now() + 20_000;
  while ((await t.stores.redis.xlen(INGEST_STREAM)) > 0 && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
  await flusher.stop();
  return flusher;
}

describe('flusher takeover', () => {
  it('when a flusher inserted a batch but died before acknowledging it, then the one that takes over is deduplicated', async () => {
    const time = formatTime(new Date());
    await appendRows(
      t.stores.redis,
      Array.from({ length: 100 }, (_, i) => ({
        table: 'page_view' as const,
        row: { site_id: '1', visitor_id: String(i), time, path: `/${i}` },
      })),
    );
    // A flusher named "ghost" reads the batch and inserts it, then dies: its entries stay pending.
    await t.stores.redis.xgroup('CREATE', INGEST_STREAM, FLUSH_GROUP, '0', 'MKSTREAM');
    const reply = (await t.stores.redis.xreadgroup(
      'GROUP',
      FLUSH_GROUP,
      'ghost',
      'COUNT',
      100,
      'STREAMS',
      INGEST_STREAM,
      '>',
    )) as [string, [string, string[]][]][];
    const entries = reply[0]![1].map(([id, f]) => ({ id, table: f[1] as 'page_view', row: f[3]! }));
    expect(entries).toHaveLength(100);
    await insertBatch(t.stores.clickhouse.client, entries, hooks);
    expect(await count()).toEqual({ n: '100', d: '100' });

    const flusher = await drainWithNewFlusher();

    expect(await t.stores.redis.xlen(INGEST_STREAM)).toBe(0);
    const consumers = (await t.stores.redis.xinfo('CONSUMERS', INGEST_STREAM, FLUSH_GROUP)) as unknown[][];
    expect(consumers.map((c) => c[1])).toEqual([flusher.consumer]);
    expect(await count()).toEqual({ n: '100', d: '100' });
  });

  it('when a flusher died holding two batches, one inserted and the next only read, then the one that takes over inserts each once', async () => {
    await t.stores.clickhouse.client.command({ query: 'TRUNCATE TABLE page_view' });
    const time = formatTime(new Date());
    await appendRows(
      t.stores.redis,
      Array.from({ length: 100 }, (_, i) => ({
        table: 'page_view' as const,
        row: { site_id: '1', visitor_id: String(i), time, path: `/two/${i}` },
      })),
    );
    const read = async (n: number) =>
      (
        (await t.stores.redis.xreadgroup(
          'GROUP',
          FLUSH_GROUP,
          'ghost2',
          'COUNT',
          n,
          'STREAMS',
          INGEST_STREAM,
          '>',
        )) as [string, StreamEntry[]][]
      )[0]![1];
    // As the flusher does: the first batch is recorded and inserted; the next is read while it is inserted; then it dies.
    const first = await read(60);
    await recordBatch(t.stores.redis.multi(), 'ghost2', first).exec();
    await insertBatch(t.stores.clickhouse.client, rowsOf(first), hooks);
    expect(await read(1_000)).toHaveLength(40);
    expect(await count()).toEqual({ n: '60', d: '60' });

    await drainWithNewFlusher();

    // Claimed as one batch of 100, the first 60 would have gone in again under a new token.
    expect(await count()).toEqual({ n: '100', d: '100' });
    expect(await t.stores.redis.exists('spur:ingest:batches:ghost2')).toBe(0);
  });
});
