import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSessionStore, INGEST_STREAM } from '@spur/ingest';
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
  },
  interactive: false,
  path,
  title: '',
});

const rows = async () => {
  const entries = await t.stores.redis.xrange(INGEST_STREAM, '-', '+');
  return entries.map(([, fields]) => ({ table: fields[1]!, row: JSON.parse(fields[3]!) as Record<string, unknown> }));
};

describe('session store', () => {
  it('when 50 visitors hit twice within one event-loop turn each, then every update lands in order with its rows', async () => {
    const update = createSessionStore(t.stores.redis);
    const start = Date.parse('2026-11-23T10:00:00Z');
    const first = await Promise.all(Array.from({ length: 50 }, (_, v) => update(hit(v, new Date(start), '/'))));
    const second = await Promise.all(Array.from({ length: 50 }, (_, v) => update(hit(v, new Date(start + 5_000), '/b'))));
    expect(first.every(Boolean) && second.every(Boolean)).toBe(true);

    const all = await rows();
    // Per visitor: +1, page view; then -1, +1, page view.
    expect(all).toHaveLength(250);
    const views = all.filter((r) => r.table === 'page_view');
    expect(views.filter((r) => r.row.path === '/b').map((r) => r.row.duration_seconds)).toEqual(Array(50).fill(5));
    const last = all.filter((r) => r.table === 'session' && r.row.sign === 1 && r.row.version === 2);
    expect(last).toHaveLength(50);
    expect(last[0]!.row).toMatchObject({ site_id: '7', hostname: 'example.com', visitor_id: '1000', page_views: 2, exit_path: '/b', duration_seconds: 5, is_bounce: 0 });
    expect(views[0]!.row).toMatchObject({ site_id: '7', hostname: 'example.com', visitor_id: '1000', path: '/' });
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
});
