import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createHitAppender,
  createIngestPipeline,
  createSessionizer,
  createSiteDirectory,
  openGeo,
  INGEST_STREAM,
  ingestBacklog,
  partitionOf,
  RAW_PARTITIONS,
  RAW_STREAMS,
  rawStreamKey,
  rowsOf,
  type Sessionizer,
  type StreamEntry,
  visitorPartition,
} from '@spur/ingest';
import { createTestSite, startTestStores, type TestStores } from '@spur/testkit';

let t: TestStores;
beforeAll(async () => {
  t = await startTestStores();
});
afterAll(() => t?.close());
beforeEach(async () => {
  // Leases, fencing counters and the visitors' session state of the test before.
  const left = [...(await t.stores.redis.keys('spur:ingest:raw:*')), ...(await t.stores.redis.keys('spur:s:7:*'))];
  await t.stores.redis.del(INGEST_STREAM, 'spur:ingest:sessionizers', ...RAW_STREAMS, ...left);
});

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:142.0) Gecko/20100101 Firefox/142.0';
const ALL = Array.from({ length: RAW_PARTITIONS }, (_, p) => p);

const hit = (visitor: number, time: Date, path: string, kind: 'page_view' | 'session' = 'page_view') => ({
  kind,
  siteId: '7',
  visitorId: String(5_000 + visitor),
  previousVisitorId: undefined,
  time,
  sourceKey: '',
  members: {
    shared: '"site_id":"7","hostname":"example.com"',
    session: `"visitor_id":"${5_000 + visitor}","entry_path":"/","entry_title":"","start":"x"`,
    row: kind === 'session' ? '' : `"time":"x","path":"${path}","title":""`,
    time: 'x',
    path: JSON.stringify(path),
    title: '""',
  },
  interactive: false,
});

const sessionizer = (consumer: string) =>
  createSessionizer({ redis: t.stores.redis, log: t.log, leaseMs: 600, batch: 25, consumer });

/** Runs one sessionizer until every raw partition is empty, then stops it. */
async function drainWith(consumer: string): Promise<Sessionizer> {
  const s = sessionizer(consumer);
  s.start();
  try {
    await until(async () => (await ingestBacklog(t.stores.redis)).raw === 0);
  } finally {
    await s.stop();
  }
  return s;
}

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Each visitor's sessions as the flusher would build them from the whole stream: final state rows. */
async function sessionsInStream() {
  const entries = (await t.stores.redis.xrange(INGEST_STREAM, '-', '+')) as StreamEntry[];
  const rows = rowsOf(entries).map(({ table, row }) => ({ table, row: JSON.parse(row) as Record<string, unknown> }));
  const views = rows.filter((r) => r.table === 'page_view');
  const state = new Map<string, number>();
  for (const r of rows.filter((r) => r.table === 'session'))
    state.set(
      `${String(r.row.visitor_id)}:${String(r.row.session_id)}`,
      (state.get(`${String(r.row.visitor_id)}:${String(r.row.session_id)}`) ?? 0) +
        Number(r.row.sign) * Number(r.row.page_views),
    );
  return { entries: entries.length, views: views.length, sessions: state };
}

describe('sessionizer', () => {
  it('when two sessionizers run, then they split the partitions, each sessionizes its own, and no hit is counted twice', async () => {
    const a = sessionizer('alpha');
    const b = sessionizer('beta');
    const running: Sessionizer[] = [a, b];
    a.start();
    b.start();
    try {
      await until(() => a.owned().length === RAW_PARTITIONS / 2 && b.owned().length === RAW_PARTITIONS / 2);
      expect([...a.owned(), ...b.owned()].sort((x, y) => x - y)).toEqual(ALL);

      const append = createHitAppender(t.stores.redis);
      const start = Date.parse('2026-11-23T10:00:00Z');
      const VISITORS = 300;
      const HITS = 4;
      for (let k = 0; k < HITS; k++)
        await Promise.all(
          Array.from({ length: VISITORS }, (_, v) => append(hit(v, new Date(start + k * 1_000), `/p${k}`))),
        );
      await until(async () => (await ingestBacklog(t.stores.redis)).raw === 0);

      // Each visitor's hits were applied by the owner of its partition, and by nobody else.
      const { entries, views, sessions } = await sessionsInStream();
      expect({ entries, views }).toEqual({ entries: VISITORS * HITS, views: VISITORS * HITS });
      expect(sessions.size).toBe(VISITORS);
      expect([...sessions.values()].every((n) => n === HITS)).toBe(true);
      const applied = async (s: Sessionizer) => {
        const metrics = await s.metrics();
        return metrics.applied;
      };
      const partitions = new Set(Array.from({ length: VISITORS }, (_, v) => partitionOf('7', String(5_000 + v))));
      const expectedA = Array.from({ length: VISITORS }, (_, v) => v).filter((v) =>
        a.owned().includes(partitionOf('7', String(5_000 + v))),
      ).length;
      expect(partitions.size).toBe(RAW_PARTITIONS);
      expect([await applied(a), await applied(b)]).toEqual([expectedA * HITS, (VISITORS - expectedA) * HITS]);

      // One stops: its partitions are given back at once and the other takes them all.
      await running.shift()!.stop();
      await until(() => b.owned().length === RAW_PARTITIONS);
    } finally {
      await Promise.all(running.map((s) => s.stop()));
    }
  });

  it('when a sessionizer lost its lease, then its batches change nothing, and pings without a live session are dropped', async () => {
    const s = sessionizer('gamma');
    s.start();
    try {
      await until(() => s.owned().length === RAW_PARTITIONS);
      const partition = partitionOf('7', '5001');
      // Another holder (a newer fencing token) takes visitor 1's partition from under it, as after a
      // pause longer than the lease: the batch script and the renewal both find the other holder.
      await t.stores.redis.set(`spur:ingest:raw:${partition}:lease`, 'other|99', 'PX', 60_000);
      const append = createHitAppender(t.stores.redis);
      const start = Date.parse('2026-11-23T10:00:00Z');
      await append(hit(1, new Date(start), '/'));
      await append(hit(1, new Date(start + 60_000), '', 'session'));
      await append(hit(2, new Date(start), '', 'session'));
      await until(() => !s.owned().includes(partition));
      await until(async () => (await t.stores.redis.xlen(rawStreamKey(partitionOf('7', '5002')))) === 0);
      expect(await t.stores.redis.xlen(rawStreamKey(partition))).toBe(2);
      expect(await t.stores.redis.xlen(INGEST_STREAM)).toBe(0);
      // The other holder's lease runs out: now it is taken and applied.
      await t.stores.redis.pexpire(`spur:ingest:raw:${partition}:lease`, 1);
      await until(async () => (await ingestBacklog(t.stores.redis)).raw === 0);
      const { views, sessions } = await sessionsInStream();
      expect({ views, sessions: [...sessions.entries()].map(([key, n]) => [key.split(':')[0], n]) }).toEqual({
        views: 1,
        sessions: [['5001', 1]],
      });
      expect(await s.metrics()).toEqual({ applied: 2, ignored: 1, failed: 0 });
    } finally {
      await s.stop();
    }
  });

  it('when a visit crosses midnight while its hits wait raw, then both wait in one partition and the visit stays one', async () => {
    // The salt, hence the visitor id, changes at midnight; the partition must not, or a sessionizer
    // could apply the morning hit before another applied the evening one and split the visit.
    const site = await createTestSite(t.stores.postgres.pool, { hostname: 'owl.example' });
    const pipeline = createIngestPipeline({
      redis: t.stores.redis,
      sites: createSiteDirectory(t.stores.postgres.pool),
      geo: await openGeo(),
      trustedProxies: [],
      maxBacklog: 1_000_000,
      log: t.log,
    });
    const midnight = Math.floor(Date.now() / 86_400_000) * 86_400_000;
    const send = (path: string, minutes: number) =>
      pipeline.ingest({
        kind: 'page_view',
        payload: {
          url: `https://owl.example${path}`,
          title: path,
          referrer: '',
          screen_width: 0,
          screen_height: 0,
          tags: {},
          ip: '9.9.9.9',
          user_agent: FIREFOX,
        },
        auth: { type: 'principal', organizationId: site.organizationId, siteId: site.siteId },
        remoteAddress: '127.0.0.1',
        headers: {},
        time: new Date(midnight + minutes * 60_000),
      });
    expect(await send('/evening', -5)).toEqual({ status: 'accepted' });
    expect(await send('/morning', 5)).toEqual({ status: 'accepted' });
    const waiting: [string, number][] = [];
    for (const key of RAW_STREAMS) {
      const length = await t.stores.redis.xlen(key);
      if (length > 0) waiting.push([key, length]);
    }
    expect(waiting).toEqual([[rawStreamKey(visitorPartition(site.siteId, '9.9.9.9', FIREFOX)), 2]]);

    await drainWith('delta');
    const { views, sessions } = await sessionsInStream();
    expect({ views, pageViewsPerSession: [...sessions.values()] }).toEqual({ views: 2, pageViewsPerSession: [2] });
  });

  it('when page views go through the raw streams, then sessionize.lua flags the first view of each path in its visit too', async () => {
    const append = createHitAppender(t.stores.redis);
    const start = Date.parse('2026-11-23T10:00:00Z');
    for (const [k, path] of ['/a', '/b', '/a', '/c', '/b'].entries())
      await append(hit(11, new Date(start + k * 1_000), path));
    await drainWith('zeta');
    const entries = (await t.stores.redis.xrange(INGEST_STREAM, '-', '+')) as StreamEntry[];
    const views = rowsOf(entries)
      .filter((r) => r.table === 'page_view')
      .map((r) => JSON.parse(r.row) as Record<string, unknown>);
    expect(views.map((r) => `${String(r.path)} ${String(r.first_in_visit)}`)).toEqual([
      '/a 1',
      '/b 1',
      '/a 0',
      '/c 1',
      '/b 0',
    ]);
  });

  it('when raw hits were appended by the release before (seven fields an entry), then they are applied as today’s one-field entries', async () => {
    // During a rolling release, hits a backend of the previous release appended wait beside new ones.
    const append = createHitAppender(t.stores.redis);
    const start = Date.parse('2026-11-23T10:00:00Z');
    for (let k = 0; k < 3; k++) await append(hit(9, new Date(start + k * 1_000), `/p${k}`));
    const key = rawStreamKey(partitionOf('7', '5009'));
    const written = (await t.stores.redis.xrange(key, '-', '+')) as StreamEntry[];
    expect(written.map(([, fields]) => fields[0])).toEqual(['x', 'x', 'x']);
    // The second and third hits rewritten as the release before wrote them.
    await t.stores.redis.del(key);
    const seven = ['k', 'y', 'h', 'c', 'a', 'b', 'r'];
    for (const [n, [, fields]] of written.entries()) {
      const values = fields[1]!.split('\u001d');
      expect(values).toHaveLength(7);
      if (n === 0) await t.stores.redis.xadd(key, '*', 'x', fields[1]!);
      else await t.stores.redis.xadd(key, '*', ...seven.flatMap((field, i) => [field, values[i]!]));
    }

    const s = await drainWith('epsilon');
    const { views, sessions } = await sessionsInStream();
    expect({ views, pageViewsPerSession: [...sessions.values()] }).toEqual({ views: 3, pageViewsPerSession: [3] });
    expect(await s.metrics()).toMatchObject({ applied: 3, failed: 0 });
  });
});
