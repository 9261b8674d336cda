import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { appendRows, createFlusher, FLUSH_GROUP, formatTime, INGEST_STREAM, insertBatch } from '@spur/ingest';
import { query, startTestStores, type TestStores } from '@spur/testkit';
import { DEAD_LETTER_STREAM } from '../src/flusher/dead-letter.ts';
import { isRowError } from '../src/flusher/insert-batch.ts';

/**
 * A row ClickHouse refuses for its content fails on every retry. It must not hold up the rows
 * queued behind it, nor vanish: the good rows of its batch arrive exactly once, the bad row lands
 * in the dead-letter stream.
 */
let t: TestStores;
beforeAll(async () => {
  t = await startTestStores();
});
afterAll(() => t?.close());

type Entry = Parameters<typeof insertBatch>[1][number];

const time = () => formatTime(new Date());
const pageView = (siteId: string, i: number) => ({
  table: 'page_view' as const,
  row: { site_id: siteId, visitor_id: String(i), time: time(), path: `/${i}` },
});
const event = (siteId: string, i: number) => ({
  table: 'event' as const,
  row: { site_id: siteId, visitor_id: String(i), time: time(), event_name: `e${i}` },
});

async function counts(table: 'page_view' | 'event', siteId: string) {
  const [row] = await query<{ n: string; d: string }>(
    t.stores.clickhouse.client,
    `SELECT count() AS n, uniqExact(visitor_id) AS d FROM ${table} WHERE site_id = {s:UInt64}`,
    { s: siteId },
  );
  return row;
}

/** The dead-letter stream's entries (without the time they were moved). */
async function deadLetters() {
  const entries = (await t.stores.redis.xrange(DEAD_LETTER_STREAM, '-', '+')) as [string, string[]][];
  return entries.map(([, fields]) => {
    const map = new Map(fields.flatMap((_, i) => (i % 2 === 0 ? [[fields[i]!, fields[i + 1]!] as const] : [])));
    return { t: map.get('t'), r: map.get('r'), id: map.get('id'), error: map.get('error') ?? '' };
  });
}

async function drained(timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const length = await t.stores.redis.xlen(INGEST_STREAM);
    const [pending] = (await t.stores.redis.xpending(INGEST_STREAM, FLUSH_GROUP).catch(() => [Infinity])) as [number];
    if (length === 0 && pending === 0) return;
    if (Date.now() > deadline) throw new Error(`stream holds ${length} entries, ${pending} pending`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Reads what is queued as consumer `name`, which then "dies": its entries stay pending. */
async function readAs(name: string): Promise<Entry[]> {
  await t.stores.redis.xgroup('CREATE', INGEST_STREAM, FLUSH_GROUP, '0', 'MKSTREAM').catch(() => undefined);
  const reply = (await t.stores.redis.xreadgroup(
    'GROUP',
    FLUSH_GROUP,
    name,
    'COUNT',
    10_000,
    'STREAMS',
    INGEST_STREAM,
    '>',
  )) as [string, [string, string[]][]][];
  return reply[0]![1].map(([id, f]) => ({ id, table: f[1] as Entry['table'], row: f[3]! }));
}

describe('rows ClickHouse refuses', () => {
  it('when bad rows are queued among good ones, then every good row arrives once, each bad one is in the dead-letter stream, logged and counted', async () => {
    const good = Array.from({ length: 300 }, (_, i) => pageView('21', i));
    const badType = {
      table: 'page_view' as const,
      row: { site_id: 'not-a-number', visitor_id: '9001', time: time(), path: '/bad' },
    };
    const badTime = {
      table: 'event' as const,
      row: { site_id: '21', visitor_id: '9002', time: 'last tuesday', event_name: 'bad' },
    };
    await appendRows(t.stores.redis, [
      ...good.slice(0, 137),
      badType,
      ...good.slice(137),
      ...Array.from({ length: 40 }, (_, i) => event('21', i)),
      badTime,
    ]);
    const notJson = await t.stores.redis.xadd(INGEST_STREAM, '*', 't', 'page_view', 'r', '{"site_id":"21",');
    const misnamed = JSON.stringify(pageView('21', 9003).row);
    const noTable = await t.stores.redis.xadd(INGEST_STREAM, '*', 't', 'pageview', 'r', misnamed);
    const ids = ((await t.stores.redis.xrange(INGEST_STREAM, '-', '+')) as [string, string[]][]).map(([id]) => id);

    const registry = new Registry();
    // The flusher logs through a child of the logger it is given: that child is the one watched.
    const log = t.log.child({});
    const flusherLog = log.child({});
    // pino's generic child() signature defeats the mock's typing.
    vi.spyOn(log, 'child').mockReturnValue(flusherLog as never);
    const errors = vi.spyOn(flusherLog, 'error').mockImplementation(() => undefined);
    const flusher = createFlusher({
      redis: t.stores.redis,
      clickhouse: t.stores.clickhouse.client,
      batchRows: 1_000,
      intervalMs: 20,
      claimIdleMs: 5_000,
      log,
      registry,
    });
    flusher.start();
    await drained();
    await flusher.stop();

    expect(await counts('page_view', '21')).toEqual({ n: '300', d: '300' });
    expect(await counts('event', '21')).toEqual({ n: '40', d: '40' });
    const dead = await deadLetters();
    expect(dead.map(({ t: table, r, id }) => ({ t: table, r, id }))).toEqual([
      { t: 'pageview', r: misnamed, id: noTable },
      { t: 'page_view', r: '{"site_id":"21",', id: notJson },
      { t: 'page_view', r: JSON.stringify(badType.row), id: ids[137] },
      { t: 'event', r: JSON.stringify(badTime.row), id: ids[300 + 1 + 40] },
    ]);
    expect(dead.map((d) => d.error.split(':')[0])).toEqual([
      'unknown table "pageview"',
      'row is not a JSON object',
      expect.stringMatching(/^Cannot parse input/),
      'Cannot read DateTime',
    ]);
    expect(errors.mock.calls.map(([fields, message]) => [(fields as { id: string }).id, message])).toEqual(
      [noTable, notJson, ids[137], ids[341]].map((id) => [
        id,
        'row refused by ClickHouse, moved to the dead-letter stream',
      ]),
    );
    const metric = await registry.getSingleMetric('flusher_dead_letter_rows_total')!.get();
    expect(Object.fromEntries(metric.values.map((v) => [v.labels.table, v.value]))).toEqual({
      pageview: 1,
      page_view: 2,
      event: 1,
    });
  });

  it('when a flusher dies while isolating a bad row, then the one that takes over inserts no good row twice', async () => {
    await t.stores.redis.del(DEAD_LETTER_STREAM);
    const rows = Array.from({ length: 200 }, (_, i) => pageView('22', i));
    const bad = { table: 'page_view' as const, row: { site_id: '22', visitor_id: '-1', time: time(), path: '/bad' } };
    await appendRows(t.stores.redis, [...rows.slice(0, 10), bad, ...rows.slice(10, 150), bad, ...rows.slice(150)]);
    const entries = await readAs('ghost');
    expect(entries).toHaveLength(202);
    // The ghost inserts every good half, then dies before the bad rows are kept anywhere.
    await expect(
      insertBatch(t.stores.clickhouse.client, entries, {
        onInserted: () => undefined,
        onRetry: async (error) => {
          throw error;
        },
        onRejected: async () => {
          throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    expect(await counts('page_view', '22')).toEqual({ n: '200', d: '200' });

    const quiet = t.log.child({}, { level: 'silent' });
    const flusher = createFlusher({
      redis: t.stores.redis,
      clickhouse: t.stores.clickhouse.client,
      batchRows: 1_000,
      intervalMs: 20,
      claimIdleMs: 300,
      log: quiet,
    });
    flusher.start();
    await drained();
    await flusher.stop();
    expect(await counts('page_view', '22')).toEqual({ n: '200', d: '200' });
    expect((await deadLetters()).map((d) => d.id)).toEqual([entries[10]!.id, entries[151]!.id]);
  });

  it('when ClickHouse cannot be reached, then the insert is retried until it lands and nothing is dead-lettered', async () => {
    const real = t.stores.clickhouse.client;
    // Nothing listens on port 1: a real "connection refused".
    const unreachable = createClient({
      url: 'http://127.0.0.1:1',
      request_timeout: 2_000,
      log: { level: ClickHouseLogLevel.OFF },
    });
    let calls = 0;
    const flaky = new Proxy(real, {
      get: (target, prop) =>
        prop === 'exec'
          ? (params: Parameters<ClickHouseClient['exec']>[0]) =>
              ++calls <= 2 ? unreachable.exec(params) : target.exec(params)
          : Reflect.get(target, prop),
    });
    await appendRows(
      t.stores.redis,
      Array.from({ length: 20 }, (_, i) => pageView('23', i)),
    );
    const entries = await readAs('flaky');
    const retried: unknown[] = [];
    const rejected: unknown[] = [];
    await insertBatch(flaky, entries, {
      onInserted: () => undefined,
      onRetry: async (error) => {
        retried.push(error);
      },
      onRejected: async (r) => {
        rejected.push(...r);
      },
    });
    await unreachable.close();
    expect(retried.map((e) => (e as { code?: string }).code)).toEqual(['ECONNREFUSED', 'ECONNREFUSED']);
    expect(retried.some(isRowError)).toBe(false);
    expect(rejected).toEqual([]);
    expect(await counts('page_view', '23')).toEqual({ n: '20', d: '20' });
  });
});
