import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSessionStore, INGEST_STREAM, rowsOf, type StreamEntry } from '@spur/ingest';
import { startTestStores, type TestStores } from '@spur/testkit';

/**
 * The first_in_visit flag of page views (session-rules.lua keeps the paths of each live visit):
 * 1 the first view of a path in its visit, 0 a later one, 2 not known. Statistics count the ones
 * as the visits that viewed a path, so a 0 or 1 the sessionizer cannot be sure of must be a 2.
 */
let t: TestStores;
beforeAll(async () => {
  t = await startTestStores();
});
afterAll(() => t?.close());
beforeEach(async () => {
  const left = await t.stores.redis.keys('spur:s:7:*');
  await t.stores.redis.del(INGEST_STREAM, ...left);
});

/** Distinct paths session-rules.lua records per visit (PATHS). */
const PATHS = 500;
const T = Date.parse('2026-11-23T10:00:00Z');
const MINUTE = 60_000;
const key = (visitor: string) => `spur:s:7:${visitor}`;

type Hit = {
  visitor: string;
  at: number;
  path: string;
  kind?: 'page_view' | 'event';
  /** The visitor id under yesterday's salt. */
  previous?: string;
  source?: string;
};
const update = ({ visitor, at, path, kind = 'page_view', previous, source = '' }: Hit) => ({
  kind,
  siteId: '7',
  visitorId: visitor,
  previousVisitorId: previous,
  time: new Date(at),
  sourceKey: source,
  members: {
    shared: '"site_id":"7","hostname":"example.com"',
    session: `"visitor_id":"${visitor}","entry_path":"${path}","entry_title":"","start":"x"`,
    row:
      kind === 'page_view'
        ? `"time":"x","path":"${path}","title":""`
        : `"time":"x","path":"${path}","event_name":"Click"`,
    time: 'x',
    path: JSON.stringify(path),
    title: '""',
  },
  interactive: kind === 'event',
});

/** Applies the hits one after the other through the session store. */
async function apply(...hits: Hit[]) {
  const store = createSessionStore(t.stores.redis);
  for (const hit of hits) expect(await store(update(hit))).toBe(true);
}

/** The page view and event rows the flusher makes of the whole stream: `path flag` (`-` without the column), `@session`. */
async function flags() {
  const entries = (await t.stores.redis.xrange(INGEST_STREAM, '-', '+')) as StreamEntry[];
  return rowsOf(entries)
    .filter((e) => e.table !== 'session')
    .map(({ table, row }) => {
      const r = JSON.parse(row) as Record<string, unknown>;
      const flag = 'first_in_visit' in r ? String(r.first_in_visit) : '-';
      return { row: `${table === 'event' ? 'event ' : ''}${String(r.path)} ${flag}`, session: r.session_id };
    });
}
const rowsOfFlags = async () => (await flags()).map((f) => f.row);

describe('first_in_visit', () => {
  it('when a visit views paths, then the first view of each is 1, every later view of it 0, and events carry no flag', async () => {
    await apply(
      { visitor: '101', at: T, path: '/a' },
      { visitor: '101', at: T + 1_000, path: '/b' },
      { visitor: '101', at: T + 2_000, path: '/a', kind: 'event' },
      { visitor: '101', at: T + 3_000, path: '/a' },
      { visitor: '101', at: T + 4_000, path: '/a' },
      { visitor: '101', at: T + 5_000, path: '/c' },
      { visitor: '101', at: T + 6_000, path: '/b' },
    );
    expect(await rowsOfFlags()).toEqual(['/a 1', '/b 1', 'event /a -', '/a 0', '/a 0', '/c 1', '/b 0']);
  });

  it('when paths are longer than 64 bytes (recorded by digest), then the first view of each is still 1 and a later one 0, however long their common start', async () => {
    const long = (end: string) => `/docs/${'chapter/'.repeat(20)}${end}`;
    await apply(
      { visitor: '120', at: T, path: long('a') },
      { visitor: '120', at: T + 1_000, path: long('b') },
      { visitor: '120', at: T + 2_000, path: long('a') },
      { visitor: '120', at: T + 3_000, path: '/short' },
      { visitor: '120', at: T + 4_000, path: long('b') },
    );
    expect(await rowsOfFlags()).toEqual([
      `${long('a')} 1`,
      `${long('b')} 1`,
      `${long('a')} 0`,
      '/short 1',
      `${long('b')} 0`,
    ]);
    // The short path is its own field, the long ones 17-byte digests.
    const fields = Object.keys(await t.stores.redis.hgetall(key('120')));
    expect(fields.filter((f) => f.startsWith('"'))).toEqual(['"/short"']);
    expect(fields.filter((f) => /^p[0-9a-f]{16}$/.test(f))).toHaveLength(2);
  });

  it('when the visitor comes back after 30 idle minutes, then the new visit starts with none of the ended visit’s paths', async () => {
    await apply(
      { visitor: '102', at: T, path: '/a' },
      { visitor: '102', at: T + MINUTE, path: '/b' },
      // A new visit (its first hit starts it whatever the state held) ...
      { visitor: '102', at: T + 32 * MINUTE, path: '/a' },
      // ... in which /b, viewed by the ended visit under the same key, is new again.
      { visitor: '102', at: T + 33 * MINUTE, path: '/b' },
      { visitor: '102', at: T + 34 * MINUTE, path: '/a' },
    );
    const rows = await flags();
    expect(rows.map((r) => r.row)).toEqual(['/a 1', '/b 1', '/a 1', '/b 1', '/a 0']);
    expect(new Set(rows.map((r) => r.session)).size).toBe(2);
  });

  it('when a new referrer splits the visit, then the new visit starts with no paths', async () => {
    await apply(
      { visitor: '103', at: T, path: '/a', source: 'a.example' },
      { visitor: '103', at: T + 1_000, path: '/b' },
      { visitor: '103', at: T + 2_000, path: '/b', source: 'b.example' },
      { visitor: '103', at: T + 3_000, path: '/a' },
      { visitor: '103', at: T + 4_000, path: '/b' },
    );
    const rows = await flags();
    expect(rows.map((r) => r.row)).toEqual(['/a 1', '/b 1', '/b 1', '/a 1', '/b 0']);
    expect(rows.map((r) => r.session === rows[0]!.session)).toEqual([true, true, false, false, false]);
  });

  it('when a visit continues past midnight under yesterday’s salt, then it keeps the paths it viewed before', async () => {
    const midnight = Date.parse('2026-11-24T00:00:00Z');
    // 104 is the visitor's id under yesterday's salt, 204 under today's.
    await apply(
      { visitor: '104', at: midnight - 5 * MINUTE, path: '/a' },
      { visitor: '204', previous: '104', at: midnight + 5 * MINUTE, path: '/a' },
      { visitor: '204', previous: '104', at: midnight + 6 * MINUTE, path: '/b' },
      { visitor: '204', previous: '104', at: midnight + 7 * MINUTE, path: '/b' },
    );
    const rows = await flags();
    expect(rows.map((r) => r.row)).toEqual(['/a 1', '/a 0', '/b 1', '/b 0']);
    expect(new Set(rows.map((r) => r.session)).size).toBe(1);
  });

  it('when a hit is timed before its visit’s start, then it is 2 and its path is not recorded', async () => {
    await apply(
      { visitor: '105', at: T, path: '/a' },
      // /batch items carry their own time: these arrive after the visit started later.
      { visitor: '105', at: T - 10_000, path: '/b' },
      { visitor: '105', at: T - 5_000, path: '/a' },
      { visitor: '105', at: T + 5_000, path: '/b' },
      { visitor: '105', at: T + 6_000, path: '/b' },
    );
    const rows = await flags();
    expect(rows.map((r) => r.row)).toEqual(['/a 1', '/b 2', '/a 2', '/b 1', '/b 0']);
    expect(new Set(rows.map((r) => r.session)).size).toBe(1);
  });

  it('when a visit was live before this release (no tracking fields), then its later page views are 2', async () => {
    await apply({ visitor: '106', at: T, path: '/a' });
    // What a visit started by the release before holds: the same state without `pt` and `pn`.
    expect(await t.stores.redis.hdel(key('106'), 'pt', 'pn')).toBe(2);
    await apply(
      { visitor: '106', at: T + 1_000, path: '/a' },
      { visitor: '106', at: T + 2_000, path: '/b' },
      { visitor: '106', at: T + 3_000, path: '/b' },
    );
    const rows = await flags();
    expect(rows.map((r) => r.row)).toEqual(['/a 1', '/a 2', '/b 2', '/b 2']);
    expect(new Set(rows.map((r) => r.session)).size).toBe(1);
  });

  it('when the release before started a visit over an ended visit’s paths, then its page views are 2, not the ended visit’s 0s', async () => {
    await apply({ visitor: '107', at: T, path: '/a' }, { visitor: '107', at: T + 1_000, path: '/b' });
    // The release before starts a new visit by overwriting the fields it knows, without a DEL: the
    // ended visit's paths and their `pt`/`pn` stay. Its fields are a fresh visit's without those.
    await apply({ visitor: '108', at: T + 40 * MINUTE, path: '/c' });
    const fresh = await t.stores.redis.hgetall(key('108'));
    const written = Object.entries(fresh).filter(
      ([field]) => field !== 'pt' && field !== 'pn' && !field.startsWith('"') && !/^p[0-9a-f]{16}$/.test(field),
    );
    expect(written.map(([field]) => field).sort()).toEqual(
      ['s', 'sid', 'vid', 'v', 'pv', 'ev', 'xp', 'xt', 't', 'st', 'l', 'lp', 'src', 'i'].sort(),
    );
    await t.stores.redis.hset(key('107'), ...written.flat());
    await t.stores.redis.del(INGEST_STREAM);

    await apply(
      { visitor: '107', at: T + 41 * MINUTE, path: '/a' },
      { visitor: '107', at: T + 42 * MINUTE, path: '/d' },
    );
    const rows = await flags();
    expect(rows.map((r) => r.row)).toEqual(['/a 2', '/d 2']);
    expect(rows[0]!.session).toBe(Number(fresh.sid));
  });

  it(`when a visit holds ${PATHS} paths, then a new path is 2 and is not recorded, and a known one is still 0`, async () => {
    const store = createSessionStore(t.stores.redis);
    // One script call (one event-loop turn), applied in order.
    const applied = await Promise.all(
      Array.from({ length: PATHS }, (_, i) => store(update({ visitor: '109', at: T + i * 10, path: `/p${i}` }))),
    );
    expect(applied.every(Boolean)).toBe(true);
    await apply(
      { visitor: '109', at: T + MINUTE, path: '/new' },
      { visitor: '109', at: T + MINUTE + 1_000, path: '/p7' },
      { visitor: '109', at: T + MINUTE + 2_000, path: '/new' },
      { visitor: '109', at: T + MINUTE + 3_000, path: `/p${PATHS - 1}` },
    );
    const rows = await rowsOfFlags();
    expect(rows.slice(0, PATHS)).toEqual(Array.from({ length: PATHS }, (_, i) => `/p${i} 1`));
    expect(rows.slice(PATHS)).toEqual(['/new 2', '/p7 0', '/new 2', `/p${PATHS - 1} 0`]);
  });

  it('when a hit fails at its XADD, then it changed nothing: no path recorded, no ended visit deleted', async () => {
    await apply({ visitor: '110', at: T, path: '/a' });
    const before = await t.stores.redis.hgetall(key('110'));
    // The ingest stream of the wrong type: every XADD fails.
    await t.stores.redis.set(INGEST_STREAM, 'not a stream');
    const store = createSessionStore(t.stores.redis);
    // A new path of the live visit, then a new visit after the idle time (which deletes the ended one).
    await expect(store(update({ visitor: '110', at: T + 1_000, path: '/b' }))).rejects.toThrow(/WRONGTYPE/);
    await expect(store(update({ visitor: '110', at: T + 40 * MINUTE, path: '/c' }))).rejects.toThrow(/WRONGTYPE/);
    expect(await t.stores.redis.hgetall(key('110'))).toEqual(before);

    await t.stores.redis.del(INGEST_STREAM);
    await apply({ visitor: '110', at: T + 2_000, path: '/b' }, { visitor: '110', at: T + 3_000, path: '/a' });
    expect(await rowsOfFlags()).toEqual(['/b 1', '/a 0']);
  });
});
