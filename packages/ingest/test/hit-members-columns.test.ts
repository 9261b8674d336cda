import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createSessionStore,
  emptyDimensions,
  formatTime,
  hitMembers,
  INGEST_STREAM,
  rowsOf,
  type IngestContext,
  type StreamEntry,
} from '@spur/ingest';
import { startTestStores, type TestStores } from '@spur/testkit';

/**
 * The rows a hit becomes (members → session.lua → stream → flusher) carry exactly the columns of
 * the ClickHouse tables, read from system.columns: a column the DDL has and the members forget
 * would otherwise be filled with its default by JSONEachRow without a word. The unit test next to
 * hit-members.ts checks the values; this one checks the column sets against the real tables.
 */
let t: TestStores;
beforeAll(async () => {
  t = await startTestStores();
});
afterAll(() => t?.close());
beforeEach(() => t.stores.redis.del(INGEST_STREAM));

async function columns(table: string): Promise<string[]> {
  const result = await t.stores.clickhouse.reader.query({
    query:
      'SELECT name FROM system.columns WHERE database = currentDatabase() AND table = {table:String} ORDER BY name',
    query_params: { table },
    format: 'JSONEachRow',
  });
  return ((await result.json()) as { name: string }[]).map((c) => c.name);
}

const ctx = (visitorId: string): Pick<IngestContext, 'site' | 'dims' | 'visitorId'> => ({
  site: { id: '42' } as IngestContext['site'],
  visitorId,
  dims: { ...emptyDimensions(), hostname: 'example.com', path: '/pricing', title: 'Prices', country_code: 'DE' },
});
const time = new Date('2026-11-23T18:04:05.123Z');

/** A new visitor's hit through the real session store, and the rows the flusher makes of the stream. */
async function rowsOfHit(visitorId: string, hit: Parameters<typeof hitMembers>[2]) {
  const update = createSessionStore(t.stores.redis);
  const applied = await update({
    kind: hit.kind,
    siteId: '42',
    visitorId,
    previousVisitorId: undefined,
    time,
    sourceKey: '',
    interactive: hit.kind === 'event',
    members: hitMembers(ctx(visitorId), formatTime(time), hit),
  });
  expect(applied).toBe(true);
  const entries = (await t.stores.redis.xrange(INGEST_STREAM, '-', '+')) as StreamEntry[];
  return rowsOf(entries).map(({ table, row }) => ({ table, columns: Object.keys(JSON.parse(row) as object).sort() }));
}

describe('hit rows against the ClickHouse tables', () => {
  it('when a page view is flushed, then its page view and session rows have exactly the tables’ columns', async () => {
    const rows = await rowsOfHit('18446744073709551615', { kind: 'page_view', tags: { plan: 'pro' } });
    expect(rows).toEqual([
      { table: 'session', columns: await columns('session') },
      { table: 'page_view', columns: await columns('page_view') },
    ]);
  });

  it('when an event is flushed, then its event row has exactly the event table’s columns', async () => {
    const event = { event_name: 'Sign up', event_duration: 3, event_meta: { plan: 'pro' }, non_interactive: false };
    const rows = await rowsOfHit('18446744073709551614', { kind: 'event', event });
    expect(rows).toEqual([
      { table: 'session', columns: await columns('session') },
      { table: 'event', columns: await columns('event') },
    ]);
  });
});
