import type { ClickHouseClient } from '@clickhouse/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteSiteStatistics } from '@spur/accounts';
import { checkSiteStatistics, parseStatisticsQuery, runStatistics, STATISTICS_ENDPOINTS } from '@spur/stats';
import { createTestSite, startTestStores, type TestStores } from '@spur/testkit';

/**
 * Issue 20: the page list reads migration 0002's by_path projection (page views sorted by path)
 * when ClickHouse finds it no costlier to read than the table (at 10M page views over a month it
 * does; on a table this small it reads the table). Either way the answer must be the same, so these
 * tests check (1) that the projection holds exactly the table's rows, after inserts and after a
 * deletion (a mutation rewrites it), and (2) that the page list, read as ClickHouse chooses and
 * with projections off, gives the counts worked out here in plain code from the rows.
 */
type PageView = { visitor: number; session: number; time: Date; path: string; title: string; country: string };
type Visit = { visitor: number; session: number; views: PageView[] };

const DAY = 86_400_000;
const FROM = Date.UTC(2026, 10, 10);
const PATHS = ['/', '/a', '/b', '/c', '/blog/x', '/blog/y'];

/** 30 visitors, 1-3 visits each, 1-4 page views a visit, over four days from the day before FROM. */
function makeVisits(): Visit[] {
  const visits: Visit[] = [];
  for (let visitor = 1; visitor <= 30; visitor++) {
    for (let n = 0; n < 1 + (visitor % 3); n++) {
      const session = visitor * 10 + n;
      const start = FROM - DAY + ((visitor * 7 + n * 31) % 96) * 3_600_000 + visitor * 1_000;
      const views = Array.from({ length: 1 + ((visitor + n) % 4) }, (_, i) => {
        const path = PATHS[(visitor + n * 2 + i * 3) % PATHS.length]!;
        const time = new Date(start + i * 60_000);
        // '/a' was renamed during the period: its latest title is the new one.
        const title = path === '/a' ? (time.getTime() < FROM + DAY ? 'A (old)' : 'A (new)') : `Title ${path}`;
        return { visitor, session, time, path, title, country: visitor % 2 ? 'DE' : 'FR' };
      });
      visits.push({ visitor, session, views });
    }
  }
  return visits;
}

const chTime = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');

/** The stored visitor id of a visitor: its number, or (for sampling) its number above 2^63. */
type Ids = (visitor: number) => string;

/**
 * How page views carry first_in_visit: as the sessionizer writes them (1 for the first view of its
 * path in its visit, in the order the visit's hits arrive, else 0), or stored before migration
 * 0004 (left to the column's default, 2: not known).
 */
type Flags = 'sessionizer' | 'unknown';

async function insert(
  ch: ClickHouseClient,
  siteId: string,
  visits: Visit[],
  id: Ids = String,
  flags: Flags = 'sessionizer',
) {
  await ch.insert({
    table: 'page_view',
    format: 'JSONEachRow',
    values: visits.flatMap((v) =>
      v.views.map((pv, i) => ({
        site_id: siteId,
        visitor_id: id(pv.visitor),
        session_id: pv.session,
        time: chTime(pv.time),
        path: pv.path,
        title: pv.title,
        country_code: pv.country,
        ...(flags === 'sessionizer'
          ? { first_in_visit: v.views.findIndex((o) => o.path === pv.path) === i ? 1 : 0 }
          : {}),
      })),
    ),
  });
  // Sessions as the flusher writes them: a visit of several pages was first stored as a bounce,
  // then cancelled (-1) and replaced by its final state (+1, version 2).
  await ch.insert({
    table: 'session',
    format: 'JSONEachRow',
    values: visits.flatMap((v) => {
      const row = (sign: number, version: number, pages: number) => ({
        sign,
        version,
        site_id: siteId,
        visitor_id: id(v.visitor),
        session_id: v.session,
        start: chTime(v.views[0]!.time),
        time: chTime(v.views[pages - 1]!.time),
        entry_path: v.views[0]!.path,
        exit_path: v.views[pages - 1]!.path,
        page_views: pages,
        is_bounce: pages === 1 ? 1 : 0,
        country_code: v.views[0]!.country,
      });
      return v.views.length === 1 ? [row(1, 1, 1)] : [row(1, 1, 1), row(-1, 1, 1), row(1, 2, v.views.length)];
    }),
  });
}

/** The page list as the README's definitions say, computed from the rows themselves. */
function expectedPages(visits: Visit[], to: number, country?: string) {
  const inPeriod = (t: Date) => t.getTime() >= FROM && t.getTime() < to;
  const kept = visits.filter((v) => !country || v.views[0]!.country === country);
  const started = kept.filter((v) => inPeriod(v.views[0]!.time));
  // Shares are of the whole period, without filters.
  const all = visits.filter((v) => inPeriod(v.views[0]!.time));
  const totalVisitors = new Set(all.map((v) => v.visitor)).size;
  const totalViews = all.reduce((n, v) => n + v.views.length, 0);
  const views = kept.flatMap((v) => v.views).filter((pv) => inPeriod(pv.time));
  return [...new Set(views.map((pv) => pv.path))]
    .map((path) => {
      const of = views.filter((pv) => pv.path === path);
      const visitors = new Set(of.map((pv) => pv.visitor)).size;
      const sessions = new Set(of.map((pv) => pv.session)).size;
      const bounces = started.filter((v) => v.views.length === 1 && v.views[0]!.path === path).length;
      const latest = of.reduce((a, b) => (b.time > a.time ? b : a));
      return {
        path,
        title: latest.title,
        visitors,
        views: of.length,
        sessions,
        bounces,
        relative_visitors: visitors / totalVisitors,
        relative_views: of.length / totalViews,
        bounce_rate: sessions ? bounces / sessions : 0,
        average_time_spent_seconds: 0,
      };
    })
    .sort((a, b) => b.visitors - a.visitors || (a.path < b.path ? -1 : 1));
}

let t: TestStores;
beforeAll(async () => {
  t = await startTestStores();
});
afterAll(() => t?.close());

/** The page list, its statements named `page` and `page-titles` run with `settings`. */
async function pages(
  siteId: string,
  organizationId: string,
  query: Record<string, string>,
  settings: object,
  sampleAboveViews = 0,
) {
  return (await answer(siteId, organizationId, query, settings, sampleAboveViews)).body;
}

async function answer(
  siteId: string,
  organizationId: string,
  query: Record<string, string>,
  settings: object,
  sampleAboveViews: number,
) {
  const reader = t.stores.clickhouse.reader;
  const client = {
    query: (args: Parameters<ClickHouseClient['query']>[0]) => {
      const name = String(args.clickhouse_settings?.log_comment ?? '');
      const own = name === 'stats:page' || name === 'stats:page-titles';
      return reader.query(own ? { ...args, clickhouse_settings: { ...args.clickhouse_settings, ...settings } } : args);
    },
  } as unknown as ClickHouseClient;
  const endpoint = STATISTICS_ENDPOINTS.find((e) => e.path === 'page')!;
  return runStatistics(
    { clickhouse: client, db: t.stores.postgres.pool, sampleAboveViews },
    endpoint,
    { id: siteId, organization_id: organizationId, timezone: 'UTC' },
    parseStatisticsQuery(endpoint, { id: siteId, ...query }),
  );
}

type QueryArgs = Parameters<ClickHouseClient['query']>[0];

/** The reader, every statement shown to `watch` first. */
function watchingReader(watch: (args: QueryArgs) => void): ClickHouseClient {
  const reader = t.stores.clickhouse.reader;
  return {
    query: (args: QueryArgs) => {
      watch(args);
      return reader.query(args);
    },
  } as unknown as ClickHouseClient;
}

/**
 * An endpoint's answer over the site's page views, read through `clickhouse` (requests share the
 * period totals being read per client, as the backend's requests share its one reader).
 */
function askWith(
  clickhouse: ClickHouseClient,
  path: string,
  site: { siteId: string; organizationId: string },
  query: Record<string, string>,
) {
  const endpoint = STATISTICS_ENDPOINTS.find((e) => e.path === path)!;
  return runStatistics(
    { clickhouse, db: t.stores.postgres.pool, sampleAboveViews: 0 },
    endpoint,
    { id: site.siteId, organization_id: site.organizationId, timezone: 'UTC' },
    parseStatisticsQuery(endpoint, { id: site.siteId, ...query }),
  );
}

const CHOSEN = {};
const TABLE = { optimize_use_projections: 0 };

/** The site's page views as the table holds them and as the projection holds them. */
async function tableAndProjection(siteId: string) {
  const columns = 'site_id, path, time, visitor_id, session_id, title, first_in_visit';
  const rows = async (from: string) =>
    (
      await t.stores.clickhouse.client.query({
        query: `SELECT ${columns} FROM ${from} WHERE site_id = {site:UInt64} ORDER BY ${columns}`,
        query_params: { site: siteId },
        format: 'JSONEachRow',
      })
    ).json();
  const table = await rows('page_view');
  const projection = await rows(`mergeTreeProjection(${t.stores.clickhouse.database}, page_view, pages_by_path)`);
  return { table, projection };
}

/** A new site holding makeVisits()' page views and sessions. */
async function siteWithVisits() {
  const site = await createTestSite(t.stores.postgres.pool);
  const visits = makeVisits();
  await insert(t.stores.clickhouse.client, site.siteId, visits);
  return { site, visits };
}

describe('the page list and the by_path projection', () => {
  it('when page views are stored, then the projection holds them, and the page list gives the exact counts, titles and shares', async () => {
    const { site, visits } = await siteWithVisits();
    const { table, projection } = await tableAndProjection(site.siteId);
    expect(table).toHaveLength(visits.reduce((n, v) => n + v.views.length, 0));
    expect(projection).toEqual(table);
    const period = { from: '2026-11-10', to: '2026-11-11' };
    const expected = expectedPages(visits, FROM + 2 * DAY);
    expect(expected.length).toBe(6);
    expect(expected.find((p) => p.path === '/a')?.title).toBe('A (new)');
    expect(await pages(site.siteId, site.organizationId, period, CHOSEN)).toEqual(expected);
    expect(await pages(site.siteId, site.organizationId, period, TABLE)).toEqual(expected);
  });

  it('when the request filters by a visit property, then the table answers (the projection lacks the column) with the exact counts of the matching visitors', async () => {
    const { site, visits } = await siteWithVisits();
    const query = { from: '2026-11-10', to: '2026-11-11', country: 'DE' };
    const expected = expectedPages(visits, FROM + 2 * DAY, 'DE');
    // Half the visitors (the odd ones) are from DE: they reach every path, 27 of the 50 visitors summed over the paths.
    expect(expected.map((p) => p.path)).toEqual(['/c', '/', '/a', '/blog/x', '/b', '/blog/y']);
    const visitorsOf = (rows: { visitors: number }[]) => rows.reduce((n, p) => n + p.visitors, 0);
    expect([visitorsOf(expected), visitorsOf(expectedPages(visits, FROM + 2 * DAY))]).toEqual([27, 50]);
    expect(await pages(site.siteId, site.organizationId, query, CHOSEN)).toEqual(expected);
    expect(await pages(site.siteId, site.organizationId, query, TABLE)).toEqual(expected);
  });

  it("when a day's statistics are deleted, then the projection no longer counts that day's visits", async () => {
    const { site, visits } = await siteWithVisits();
    const ctx = { clickhouse: t.stores.clickhouse, redis: t.stores.redis, log: t.log };
    await deleteSiteStatistics(ctx, site.siteId, { from: new Date(FROM), to: new Date(FROM + DAY) });

    // A visit is deleted whole, with its page views after midnight.
    const left = visits.filter((v) => v.views[0]!.time.getTime() < FROM || v.views[0]!.time.getTime() >= FROM + DAY);
    expect([left.length, visits.length]).toEqual([45, 60]);
    const { table, projection } = await tableAndProjection(site.siteId);
    expect(table).toHaveLength(113);
    expect(left.reduce((n, v) => n + v.views.length, 0)).toBe(113);
    expect(projection).toEqual(table);
    const expected = expectedPages(left, FROM + 2 * DAY);
    const period = { from: '2026-11-10', to: '2026-11-11' };
    expect(await pages(site.siteId, site.organizationId, period, CHOSEN)).toEqual(expected);
    expect(await pages(site.siteId, site.organizationId, period, TABLE)).toEqual(expected);
  });
});

describe('visits per page counted by first views (first_in_visit, migration 0004)', () => {
  const period = { from: '2026-11-10', to: '2026-11-11' };
  const to = FROM + 2 * DAY;

  /** The page list, and the names of the statements it ran. */
  async function pagesAndStatements(siteId: string, organizationId: string, query: Record<string, string>) {
    const names: string[] = [];
    const reader = watchingReader((args) => names.push(String(args.clickhouse_settings?.log_comment ?? '')));
    const answer = await askWith(reader, 'page', { siteId, organizationId }, query);
    return { body: answer.body, names };
  }

  // Over two days the period is read whole for the visits crossing either edge; over three, its
  // first and last day each for the visits crossing that edge.
  it.each([2, 3])(
    'when visits cross the edges of a period of %i days, then their visits per page are still exact, though counting flagged views alone would not be',
    async (days) => {
      const to = FROM + days * DAY;
      const period = { from: '2026-11-10', to: new Date(to - DAY).toISOString().slice(0, 10) };
      const site = await createTestSite(t.stores.postgres.pool);
      const at = (visitor: number, time: number, path: string): PageView => ({
        visitor,
        session: visitor * 10,
        time: new Date(time),
        path,
        title: `Title ${path}`,
        country: 'DE',
      });
      const visits: Visit[] = [
        ...makeVisits(),
        // Across FROM: '/a' first viewed the minute before the period, again in it.
        {
          visitor: 91,
          session: 910,
          views: [at(91, FROM - 120_000, '/a'), at(91, FROM - 60_000, '/blog/x'), at(91, FROM + 60_000, '/a')],
        },
        // Across the end, its hits arriving out of order (listed as they arrived): the first view of
        // '/b' the sessionizer saw came after the period, an earlier one inside it.
        {
          visitor: 92,
          session: 920,
          views: [
            at(92, to - 60_000, '/c'),
            at(92, to + 30_000, '/b'),
            at(92, to - 30_000, '/b'),
            at(92, to + 60_000, '/d'),
          ],
        },
      ];
      await insert(t.stores.clickhouse.client, site.siteId, visits);
      const expected = expectedPages(visits, to);
      // The fixture holds what the edges do to a plain count of first views: a visit that viewed a
      // path before FROM and again inside the period, and one whose first view of a path lies after the period.
      const inPeriod = (d: Date) => d.getTime() >= FROM && d.getTime() < to;
      const firstViews = (path: string) =>
        visits.filter((v) => {
          const first = v.views.find((pv) => pv.path === path);
          return first !== undefined && inPeriod(first.time);
        }).length;
      const crossing = (v: Visit) =>
        v.views.some((pv) => inPeriod(pv.time)) && v.views.some((pv) => !inPeriod(pv.time));
      expect(visits.filter(crossing).map((v) => v.visitor)).toEqual([91, 92]);
      expect(expected.filter((p) => firstViews(p.path) !== p.sessions).map((p) => p.path)).toEqual(['/a', '/b']);

      const { body, names } = await pagesAndStatements(site.siteId, site.organizationId, period);
      expect(body).toEqual(expected);
      // The flags are read (no set of visits), and the totals come with the page list.
      expect(names.filter((n) => n !== 'stats:page-titles')).toEqual(['stats:page-first-views', 'stats:page']);
      // Filtered by path, sorted by title, paged: the same counts.
      const blog = await pagesAndStatements(site.siteId, site.organizationId, {
        ...period,
        pattern: '^/blog/',
        sort: 'title',
        direction: 'desc',
        limit: '1',
        offset: '1',
      });
      const blogExpected = expected
        .filter((p) => p.path.startsWith('/blog/'))
        .sort((a, b) => (a.title < b.title ? 1 : -1));
      expect(blog.body).toEqual(blogExpected.slice(1, 2));
    },
  );

  it('when any page view of the period was stored without the flag (before 0004), then the page list counts sets of visits, with the same answer', async () => {
    const site = await createTestSite(t.stores.postgres.pool);
    const visits = makeVisits();
    // One visit of the period stored before the migration, the rest after it.
    const old = visits.find(
      (v) => v.views.length > 1 && v.views.every((pv) => pv.time.getTime() >= FROM + DAY && pv.time.getTime() < to),
    )!;
    await insert(
      t.stores.clickhouse.client,
      site.siteId,
      visits.filter((v) => v !== old),
    );
    await insert(t.stores.clickhouse.client, site.siteId, [old], String, 'unknown');
    const { body, names } = await pagesAndStatements(site.siteId, site.organizationId, period);
    expect(body).toEqual(expectedPages(visits, to));
    expect(names.filter((n) => n !== 'stats:page-titles')).toEqual([
      'stats:page-first-views',
      'stats:page',
      'stats:period-totals',
    ]);
  });

  it('when a visit has two first views of a path, then stats:check names it; flags not known are no violation', async () => {
    const site = await createTestSite(t.stores.postgres.pool);
    const pv = (session: number, minute: number, path: string) => ({
      visitor: 1,
      session,
      time: new Date(FROM + minute * 60_000),
      path,
      title: '',
      country: 'DE',
    });
    const good = { visitor: 1, session: 1, views: [pv(1, 0, '/a'), pv(1, 1, '/a'), pv(1, 2, '/b')] };
    await insert(t.stores.clickhouse.client, site.siteId, [good]);
    await insert(
      t.stores.clickhouse.client,
      site.siteId,
      [{ visitor: 1, session: 3, views: [pv(3, 0, '/a')] }],
      String,
      'unknown',
    );
    expect(
      (await checkSiteStatistics(t.stores.clickhouse.client, { id: site.siteId, timezone: 'UTC' })).violations,
    ).toEqual([]);
    // Each view of '/a' of visit 2 stored as the first (as a sessionizer that lost its paths would write it).
    await insert(t.stores.clickhouse.client, site.siteId, [{ visitor: 1, session: 2, views: [pv(2, 5, '/a')] }]);
    await insert(t.stores.clickhouse.client, site.siteId, [{ visitor: 1, session: 2, views: [pv(2, 6, '/a')] }]);
    const check = await checkSiteStatistics(t.stores.clickhouse.client, { id: site.siteId, timezone: 'UTC' });
    expect(check.violations.filter((v) => v.includes('first views'))).toEqual([
      '2026-11-10: visit 1/2 has 2 first views of "/a"',
    ]);
  });

  it("when the filter reads a page view's own tags, then sets are counted (a tag may mark a later view and not the first)", async () => {
    const site = await createTestSite(t.stores.postgres.pool);
    const visits = makeVisits();
    await insert(t.stores.clickhouse.client, site.siteId, visits);
    const { body, names } = await pagesAndStatements(site.siteId, site.organizationId, { ...period, tag: 'plan' });
    expect(body).toEqual([]);
    expect(names).not.toContain('stats:page-first-views');
  });
});

describe('sampling (STATS_SAMPLE_ABOVE_VIEWS)', () => {
  it('when the period has more page views than the threshold, then the page list reads the visitors with the lowest ids and scales their counts, and says so', async () => {
    const site = await createTestSite(t.stores.postgres.pool);
    const visits = makeVisits();
    // Odd visitors get ids above 2^63: a sample of a bit under half the id range leaves them all out.
    const high = (visitor: number) => (visitor % 2 ? (2n ** 63n + BigInt(visitor)).toString() : String(visitor));
    await insert(t.stores.clickhouse.client, site.siteId, visits, high);
    const to = FROM + 2 * DAY;
    const period = { from: '2026-11-10', to: '2026-11-11' };
    const started = visits.filter((v) => v.views[0]!.time.getTime() >= FROM && v.views[0]!.time.getTime() < to);
    const views = started.reduce((n, v) => n + v.views.length, 0);

    // At or under the threshold: exact, no mark.
    const exact = await answer(site.siteId, site.organizationId, period, CHOSEN, views);
    expect(exact.sampled).toBeUndefined();
    expect(exact.body).toEqual(expectedPages(visits, to));

    const sampled = await answer(site.siteId, site.organizationId, period, CHOSEN, Math.floor(views / 2.5));
    const rate = Math.round((Math.floor(views / 2.5) / views) * 10_000) / 10_000;
    expect(sampled.sampled).toBe(rate);
    const even = expectedPages(
      visits.filter((v) => v.visitor % 2 === 0),
      to,
    );
    const all = expectedPages(visits, to);
    const totalVisitors = all.reduce((n, p) => Math.max(n, p.visitors / p.relative_visitors), 0);
    const scale = (n: number) => Math.round(n / rate);
    expect(sampled.body).toEqual(
      even
        .map((p) => ({
          ...p,
          visitors: scale(p.visitors),
          views: scale(p.views),
          sessions: scale(p.sessions),
          bounces: scale(p.bounces),
          relative_visitors: scale(p.visitors) / Math.round(totalVisitors),
          relative_views: scale(p.views) / views,
          bounce_rate: scale(p.sessions) ? scale(p.bounces) / scale(p.sessions) : 0,
        }))
        .sort((a, b) => b.visitors - a.visitors || (a.path < b.path ? -1 : 1)),
    );
  });
});

describe('titles of the page list', () => {
  it("when a path was last viewed before the period's last day, then its latest title still comes from the whole period; the last day is read first and the period only for such paths", async () => {
    const site = await createTestSite(t.stores.postgres.pool);
    const view = (visitor: number, at: number, path: string, title: string): Visit => ({
      visitor,
      session: visitor,
      views: [{ visitor, session: visitor, time: new Date(at), path, title, country: 'DE' }],
    });
    const H = 3_600_000;
    await insert(t.stores.clickhouse.client, site.siteId, [
      // '/early': only on the first day, renamed that day.
      view(1, FROM + 2 * H, '/early', 'Early (old)'),
      view(2, FROM + 20 * H, '/early', 'Early (renamed)'),
      view(3, FROM + 10 * H, '/early', 'Early (old)'),
      // '/late': on both days; the last day's title is the latest.
      view(4, FROM + 23 * H, '/late', 'Late (old)'),
      view(5, FROM + DAY + H, '/late', 'Late (new)'),
      view(6, FROM + 5 * H, '/late', 'Late (older)'),
      // Outside the period: later, with another title.
      view(7, FROM + 2 * DAY + H, '/early', 'Early (after the period)'),
    ]);
    const statements: { missing: unknown }[] = [];
    const reader = watchingReader((args) => {
      if (args.clickhouse_settings?.log_comment === 'stats:page-titles')
        statements.push({ missing: Object.values(args.query_params ?? {}).find(Array.isArray) });
    });
    const answer = await askWith(reader, 'page', site, { from: '2026-11-10', to: '2026-11-11' });
    const body = answer.body as { path: string; title: string; views: number }[];
    expect(body.map((p) => [p.path, p.title, p.views])).toEqual([
      ['/early', 'Early (renamed)', 3],
      ['/late', 'Late (new)', 3],
    ]);
    expect(statements).toEqual([{ missing: ['/early', '/late'] }, { missing: ['/early'] }]);
  });
});

describe('the period totals of concurrent requests', () => {
  it("when a dashboard's panels ask at once, then the totals are read once, as a branch of the first panel's statement, and every panel's shares are of them", async () => {
    const { site, visits } = await siteWithVisits();
    const statements: string[] = [];
    const reader = watchingReader((args) => statements.push(args.query));
    const ask = (path: string) => askWith(reader, path, site, { from: '2026-11-10', to: '2026-11-11' });
    // Breakdowns ask at once; the page list reads its flags first and may find the totals settled.
    const [country, browser, os] = await Promise.all([ask('country'), ask('browser'), ask('os')]);
    const readsTotals = (sql: string) => sql.includes('FROM (SELECT uniqExactIf(visitor_id, sign = 1) AS visitors');
    expect(statements.filter(readsTotals)).toHaveLength(1);
    // ... in the statement of the panel that asked first, whose rows and totals are one UNION ALL.
    expect(statements.filter((sql) => sql.includes('UNION ALL'))).toEqual(statements.filter(readsTotals));

    // The shares, from the fixture itself: visitors who started a visit in the period.
    const started = visits.filter(
      (v) => v.views[0]!.time.getTime() >= FROM && v.views[0]!.time.getTime() < FROM + 2 * DAY,
    );
    const total = new Set(started.map((v) => v.visitor)).size;
    const byCountry = (code: string) =>
      new Set(started.filter((v) => v.views[0]!.country === code).map((v) => v.visitor)).size;
    expect(
      (country.body as { country_code: string; visitors: number; relative_visitors: number }[]).map((r) => [
        r.country_code,
        r.visitors,
        r.relative_visitors,
      ]),
    ).toEqual(
      ['DE', 'FR']
        .map((c) => [c, byCountry(c), byCountry(c) / total])
        .sort((a, b) => Number(b[1]) - Number(a[1]) || (a[0]! < b[0]! ? -1 : 1)),
    );
    for (const other of [browser, os])
      expect((other.body as { relative_visitors: number }[]).map((r) => r.relative_visitors)).toEqual([1]);
  });
});
