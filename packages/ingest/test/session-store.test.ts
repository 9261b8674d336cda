import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSessionStore, INGEST_STREAM, rowsOf, type StreamEntry } from '@spur/ingest';
import { startTestStores, type TestStores } from '@spur/testkit';

let t: TestStores;
beforeAll(async () => {
  t = await startTestStores();
});
afterAll(() => t?.close());
beforeEach(() => t.stores.redis.del(INGEST_STREAM));

const hit = (visitor: number, time: Date, path: string) => ({
  kind: 'page_view' as const,
  siteId: '7',
  visitorId: String(1_000 + visitor),
  previousVisitorId: undefined,
  time,
  sourceKey: '',
  members: {
    shared: '"site_id":"7","hostname":"example.com"',
    session: `"visitor_id":"${1_000 + visitor}","entry_path":"/","entry_title":"","start":"x"`,
    row: `"time":"x","path":"${path}","title":""`,
    time: 'x',
    path: JSON.stringify(path),
    title: '""',
  },
  interactive: false,
});

/** The rows the flusher makes of the stream's entries after `after` (an id), read as one batch. */
const rows = async (after = '-') => {
  const entries = (await t.stores.redis.xrange(INGEST_STREAM, after === '-' ? '-' : `(${after}`, '+')) as StreamEntry[];
  return rowsOf(entries).map(({ table, row }) => ({ table, row: JSON.parse(row) as Record<string, unknown> }));
};
const lastId = async () =>
  ((await t.stores.redis.xrevrange(INGEST_STREAM, '+', '-', 'COUNT', 1)) as StreamEntry[])[0]![0];

describe('session store', () => {
  it('when 50 visitors hit twice within one event-loop turn each, then every update lands in order with its rows', async () => {
    const update = createSessionStore(t.stores.redis);
    const start = Date.parse('2026-11-23T10:00:00Z');
    const first = await Promise.all(Array.from({ length: 50 }, (_, v) => update(hit(v, new Date(start), '/'))));
    const second = await Promise.all(
      Array.from({ length: 50 }, (_, v) => update(hit(v, new Date(start + 5_000), '/b'))),
    );
    expect(first.every(Boolean) && second.every(Boolean)).toBe(true);

    // Flushed in one batch, each visitor's first state row meets its cancel row: neither is inserted.
    const all = await rows();
    expect(all).toHaveLength(150);
    const views = all.filter((r) => r.table === 'page_view');
    expect(views.filter((r) => r.row.path === '/b').map((r) => r.row.duration_seconds)).toEqual(Array(50).fill(5));
    const sessions = all.filter((r) => r.table === 'session');
    expect(sessions.map((r) => [r.row.version, r.row.sign])).toEqual(Array(50).fill([2, 1]));
    expect(sessions[0]!.row).toMatchObject({
      site_id: '7',
      hostname: 'example.com',
      visitor_id: '1000',
      page_views: 2,
      exit_path: '/b',
      duration_seconds: 5,
      is_bounce: 0,
    });
    expect(views[0]!.row).toMatchObject({ site_id: '7', hostname: 'example.com', visitor_id: '1000', path: '/' });
  });

  it("when a session's hits are flushed in two batches, then the second cancels the first's state row with an exact copy", async () => {
    const update = createSessionStore(t.stores.redis);
    const start = Date.parse('2026-11-23T10:00:00Z');
    await update(hit(500, new Date(start), '/'));
    const first = await rows();
    const between = await lastId();
    await update(hit(500, new Date(start + 7_000), '/b'));
    const second = await rows(between);

    expect(first.map((r) => `${r.table}:${String(r.row.sign ?? '')}`)).toEqual(['session:1', 'page_view:']);
    expect(second.map((r) => `${r.table}:${String(r.row.sign ?? '')}`)).toEqual([
      'session:-1',
      'session:1',
      'page_view:',
    ]);
    expect(second[0]!.row).toEqual({ ...first[0]!.row, sign: -1 });
    expect(first[0]!.row).toMatchObject({
      version: 1,
      page_views: 1,
      is_bounce: 1,
      duration_seconds: 0,
      exit_path: '/',
    });
    expect(second[1]!.row).toMatchObject({
      version: 2,
      page_views: 2,
      is_bounce: 0,
      duration_seconds: 7,
      exit_path: '/b',
      session_id: first[0]!.row.session_id,
    });
    expect(second[2]!.row).toMatchObject({
      path: '/b',
      duration_seconds: 7,
      session_id: first[0]!.row.session_id,
      visitor_id: '1500',
    });
  });

  it("when one visitor's hits go to Redis in the same call, then they are applied in order, the second continuing the first's session", async () => {
    const update = createSessionStore(t.stores.redis);
    const start = Date.parse('2026-11-23T11:00:00Z');
    // Same event-loop turn: one script call carries all three.
    const applied = await Promise.all([
      update(hit(600, new Date(start), '/')),
      update(hit(600, new Date(start + 3_000), '/b')),
      update(hit(601, new Date(start), '/')),
    ]);
    expect(applied).toEqual([true, true, true]);
    const all = await rows();
    const sessions = all.filter((r) => r.table === 'session');
    expect(sessions.map((r) => [r.row.visitor_id, r.row.version, r.row.page_views, r.row.sign])).toEqual([
      ['1600', 2, 2, 1],
      ['1601', 1, 1, 1],
    ]);
    expect(
      all.filter((r) => r.table === 'page_view').map((r) => [r.row.visitor_id, r.row.path, r.row.duration_seconds]),
    ).toEqual([
      ['1600', '/', 0],
      ['1600', '/b', 3],
      ['1601', '/', 0],
    ]);
  });

  it('when Redis forgot the script (restart, SCRIPT FLUSH), then the next update loads it and is applied', async () => {
    const update = createSessionStore(t.stores.redis);
    await t.stores.redis.script('FLUSH');
    const applied = await Promise.all([update(hit(900, new Date(), '/')), update(hit(901, new Date(), '/'))]);
    expect(applied).toEqual([true, true]);
    expect((await rows()).map((r) => `${r.table}:${String(r.row.visitor_id)}`).sort()).toEqual([
      'page_view:1900',
      'page_view:1901',
      'session:1900',
      'session:1901',
    ]);
  });

  it("when one hit of a batch fails in Redis, then only that hit is refused and the batch's others are applied", async () => {
    const update = createSessionStore(t.stores.redis);
    // A key of the wrong type where visitor 701's session should be: its HMGET fails.
    await t.stores.redis.set('spur:s:7:1701', 'not a hash');
    const start = new Date('2026-11-23T12:00:00Z');
    const outcomes = await Promise.allSettled([
      update(hit(700, start, '/')),
      update(hit(701, start, '/')),
      update(hit(702, start, '/')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toBe(
      'Error: session update failed: WRONGTYPE Operation against a key holding the wrong kind of value',
    );
    expect((await rows()).map((r) => `${r.table}:${String(r.row.visitor_id)}`)).toEqual([
      'session:1700',
      'page_view:1700',
      'session:1702',
      'page_view:1702',
    ]);
    expect(await t.stores.redis.get('spur:s:7:1701')).toBe('not a hash');
  });
});
