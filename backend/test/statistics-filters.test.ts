import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fixtureSteps,
  play,
  startStatsHarness,
  yesterday,
  type Site,
  type StatsHarness,
  type Tenant,
} from './statistics-fixture.ts';

/**
 * The filter model over the fixture of statistics-fixture.ts: each case names the visits or page
 * views it selects (A1 … D2 as in the fixture's table) and the totals that follow from them.
 */
let h: StatsHarness;
let tenant: Tenant;
let site: Site;
const day = yesterday();

beforeAll(async () => {
  h = await startStatsHarness();
  tenant = await h.tenant();
  site = await h.site(tenant, { hostname: 'shop.example' });
  await play(h, site, fixtureSteps(day));
});
afterAll(() => h?.stop());

type Query = Record<string, string | string[]>;
const call = (path: string, query: Query) =>
  h.api(tenant.token, `/api/v1/statistics/${path}`, { id: site.id, from: day, to: day, ...query });
async function total(query: Query) {
  const reply = await call('total', query);
  expect(reply.status, reply.text).toBe(200);
  const { visitors, views, sessions, bounces } = reply.body;
  return [visitors, views, sessions, bounces];
}

describe('filters on totals: [visitors, views, sessions, bounces]', () => {
  it('when filtering by page, then the matching page views are counted (equal, not, contains, not contains, alternatives)', async () => {
    expect(await total({ path: '/pricing' })).toEqual([3, 4, 4, 0]); // A1, B1, C2, B2 (C2: one page, interactive event)
    expect(await total({ path: '!/pricing' })).toEqual([4, 8, 6, 2]); // every other view, in all visits but C2; C1 and D1 bounced
    expect(await total({ path: '~BLOG' })).toEqual([2, 2, 2, 0]); // case-insensitive
    expect(await total({ path: '^blog' })).toEqual([4, 10, 7, 2]); // 12 views but B1's and D2's /blog/hello
    expect(await total({ path: ['/', '/pricing'] })).toEqual([4, 8, 6, 2]); // either page: all visits but D2
    expect(await total({ path: ['!/', '!/pricing'] })).toEqual([3, 4, 3, 0]); // neither: /docs ×2, /blog/hello ×2
    expect(await total({ pattern: '^/blog/[^/]+$' })).toEqual([2, 2, 2, 0]);
    expect(await total({ pattern: '!^/blog' })).toEqual([4, 10, 7, 2]); // only `!` is an operator for expressions
    expect((await call('total', { path: '/pricing' })).body.cr).toBe(0.75);
  });

  it('when filtering by event, then visits with (or, negated, without) the event are counted', async () => {
    expect(await total({ event: 'Signup' })).toEqual([2, 5, 2, 0]); // A1, B1
    expect(await total({ event: '!Signup' })).toEqual([3, 7, 5, 2]); // C1, C2, D1, D2, B2
    expect(await total({ event: '~sign' })).toEqual([2, 5, 2, 0]);
    expect(await total({ meta_plan: 'pro' })).toEqual([1, 3, 1, 0]); // A1
    expect(await total({ event_meta_plan: 'free' })).toEqual([1, 2, 1, 0]); // B1
    expect(await total({ event: 'Signup', path: '/pricing' })).toEqual([2, 2, 2, 0]); // /pricing views in A1, B1
    expect(await total({ os: 'iOS', event: 'Scrolled' })).toEqual([1, 1, 1, 1]); // C1: a non-interactive event keeps the bounce
    expect((await call('total', { event: 'Signup' })).body.cr).toBe(0.5);
  });

  it('when filtering by visit properties, then values of one field are alternatives and fields combine', async () => {
    expect(await total({ country: 'de' })).toEqual([1, 3, 2, 1]); // D1, D2; lower case as Pirsch clients send it
    expect(await total({ country: ['!de', '!US'] })).toEqual([2, 6, 4, 1]); // B1, B2, C1, C2
    expect(await total({ language: 'en', browser: 'Chrome' })).toEqual([1, 3, 2, 1]); // d only
    expect(await total({ language: ['en', 'de'] })).toEqual([3, 10, 5, 1]); // a, b, d: A1, B1, B2, D1, D2
    expect(await total({ referrer_name: 'null' })).toEqual([4, 9, 5, 1]); // A1, C2, D1, D2, B2
    expect(await total({ referrer_name: '!null' })).toEqual([2, 3, 2, 1]); // B1, C1
    expect(await total({ platform: 'mobile' })).toEqual([1, 2, 2, 1]); // C1 bounced, C2 did not
    expect(await total({ screen_class: 'XXL', channel: 'Direct' })).toEqual([1, 3, 2, 1]);
    expect(await total({ utm_source: 'newsletter' })).toEqual([1, 1, 1, 1]);
    expect(await total({ channel: 'Organic Social' })).toEqual([1, 2, 1, 0]);
    expect(await total({ hostname: 'other.example' })).toEqual([0, 0, 0, 0]);
  });

  it('when filtering by entry or exit page, then whole visits are selected by where they started or ended', async () => {
    expect(await total({ entry_path: '/' })).toEqual([3, 5, 3, 2]); // A1, C1, D1
    expect(await total({ exit_path: '/pricing' })).toEqual([2, 3, 2, 0]); // B1, C2 (its later event leaves the exit page)
    expect(await total({ exit_path: '/' })).toEqual([3, 4, 3, 2]); // C1, D1, B2
    expect(await total({ exit_path: '!/' })).toEqual([4, 8, 4, 0]); // A1, B1, C2, D2
  });

  // Fields no other case filters by, repeats mixing alternatives with exclusions, and `^` off the path.
  it.each<[string, Query, number[]]>([
    ['C1, C2', { region: 'England' }, [1, 2, 2, 1]],
    ['B1, B2, D1, D2: Windows 10', { os_version: '10' }, [2, 7, 4, 1]],
    ['A1: Chrome 140', { browser_version: '140' }, [1, 3, 1, 0]],
    ['B1: the referrer as stored, without its query', { referrer: 'https://news.ycombinator.com/item' }, [1, 2, 1, 0]],
    ['A1: an event with a seats key', { event_meta_key: 'seats' }, [1, 3, 1, 0]],
    ['D2: an event with a file key', { event_meta_key: 'file' }, [1, 2, 1, 0]],
    [
      '(/ or /pricing) and not /pricing: the / views of A1, C1, D1, B2',
      { path: ['/', '/pricing', '!/pricing'] },
      [4, 4, 4, 2],
    ],
    ['(en or de) and not en: a', { language: ['en', 'de', '!en'] }, [1, 3, 1, 0]],
    ['not containing chrome: b and c', { browser: '^chrome' }, [2, 6, 4, 1]],
    ['not containing news (Hacker News, newsletter): the 5 direct visits', { referrer_name: '^NEWS' }, [4, 9, 5, 1]],
  ])('when filtering totals by %s, then they are exact', async (_visits, query, expected) => {
    expect(await total(query)).toEqual(expected);
  });

  it('when filtering by tags, then page views carrying the tag (value) are counted', async () => {
    expect(await total({ tag_author: 'alice' })).toEqual([2, 2, 2, 0]);
    expect(await total({ tag_author: '!alice' })).toEqual([4, 10, 7, 2]); // untagged views count as "not alice"
    expect(await total({ tag: 'author' })).toEqual([3, 3, 3, 0]);
    expect(await total({ tag: '!author' })).toEqual([4, 9, 7, 2]); // A1: /, /pricing; B1: /pricing; C1: /; C2: /pricing; D1: /; D2: /docs; B2: both
  });
});

describe('filters on breakdowns', () => {
  it('when a breakdown is filtered, then it counts the selected visitors and shares stay of the whole period', async () => {
    expect((await call('country', { event: 'Signup' })).body).toEqual([
      { country_code: 'AU', visitors: 1, relative_visitors: 0.25 },
      { country_code: 'US', visitors: 1, relative_visitors: 0.25 },
    ]);
    expect(
      (await call('page', { country: 'DE' })).body.map((p: { path: string; visitors: number }) => [p.path, p.visitors]),
    ).toEqual([
      ['/', 1],
      ['/blog/hello', 1],
      ['/docs', 1],
    ]);
    // Visits without Signup: C1 /, C2 /pricing, D1 /, D2 /docs /blog/hello, B2 /pricing /.
    expect(
      (await call('page', { event: '!Signup' })).body.map((p: { path: string; views: number }) => [p.path, p.views]),
    ).toEqual([
      ['/', 3],
      ['/pricing', 2],
      ['/blog/hello', 1],
      ['/docs', 1],
    ]);
    expect((await call('browser', { path: '/docs' })).body).toEqual([
      { browser: 'Chrome', visitors: 2, relative_visitors: 0.5 },
    ]);
    expect(
      (await call('events', { path: '/pricing' })).body.map((e: { name: string; count: number }) => [e.name, e.count]),
    ).toEqual([
      ['Signup', 2],
      ['Contact', 1],
    ]);
    expect(
      (await call('referrer', { referrer_name: 'Hacker News' })).body.map((r: { referrer: string }) => r.referrer),
    ).toEqual(['https://news.ycombinator.com/item']);
  });

  it('when a time zone with a half-hour offset is given, then hours follow it', async () => {
    const hours = (await call('hours', { tz: 'Asia/Kolkata' })).body.filter((r: { views: number }) => r.views > 0);
    // 10:00-10:29 UTC is 15:30-15:59 in India (A1, B1, C1); 10:30-11:29 is 16:xx (D1, C2, D2); 11:40-11:41 is 17:xx (B2).
    expect(hours.map((r: { hour: number; visitors: number; views: number }) => [r.hour, r.visitors, r.views])).toEqual([
      [15, 3, 6],
      [16, 2, 4],
      [17, 1, 2],
    ]);
  });
});

describe('invalid parameters', () => {
  async function rejected(path: string, query: Query) {
    const reply = await call(path, query);
    expect(reply.status, reply.text).toBe(400);
    return reply.body;
  }

  it("when a parameter is malformed or unknown, then the 400 names it in Pirsch's error shape", async () => {
    expect(await rejected('total', { from: '2025-13-01' })).toEqual({
      error: ['from: must be a date (YYYY-MM-DD)'],
      validation: { from: 'must be a date (YYYY-MM-DD)' },
      field: 'from',
    });
    expect((await rejected('total', { contry: 'de' })).validation).toEqual({ contry: 'is not a known parameter' });
    expect((await rejected('total', { tz: 'Europe/Nowhere' })).field).toBe('tz');
    expect((await rejected('total', { from: day, to: '2000-01-01' })).field).toBe('to');
    expect((await rejected('visitor', { scale: 'decade' })).field).toBe('scale');
    expect((await rejected('visitor', { from: '1990-01-01' })).validation.scale).toMatch(
      /^\d+ days are too many for one series \(at most 3660\); use a larger scale$/,
    );
    expect((await rejected('page', { limit: '100000' })).field).toBe('limit');
    expect((await rejected('total', { pattern: '(unclosed' })).validation).toEqual({
      // RE2's own reason, from ClickHouse, which judges every pattern before a query runs.
      pattern: 'must be a valid RE2 regular expression (missing ): (unclosed)',
    });
    expect((await rejected('total', { custom_metric_key: 'seats' })).field).toBe('custom_metric_type');
  });

  it('when an endpoint misses what it needs, then the 400 names the missing parameter', async () => {
    expect((await rejected('event/meta', { event: 'Signup' })).validation).toEqual({ event_meta_key: 'is required' });
    expect((await rejected('event/page', {})).field).toBe('event');
    expect((await rejected('tag/details', {})).field).toBe('tag');
    expect((await rejected('session/details', { visitor_id: '1' })).field).toBe('session_id');
    expect((await rejected('funnel', { funnel_id: 'abc' })).field).toBe('funnel_id');
    expect((await rejected('options/tag/value', {})).field).toBe('tag');
    const noPeriod = await h.api(tenant.token, '/api/v1/statistics/total', { id: site.id });
    expect([noPeriod.status, noPeriod.body.field]).toEqual([400, 'from']);
  });
});
