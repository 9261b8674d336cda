import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFunnel, createGoal } from '@spur/accounts';
import { STATISTICS_ENDPOINTS } from '@spur/stats';
import { createBackendAccounts } from '../src/api.ts';
import {
  fixtureSteps,
  play,
  startStatsHarness,
  VISITORS,
  yesterday,
  type Site,
  type StatsHarness,
  type Tenant,
} from './statistics-fixture.ts';

/**
 * Every statistics endpoint against the hand-counted fixture of statistics-fixture.ts (4 visitors,
 * 7 visits, 12 page views on one day). Expected numbers are derived from that table, not read back.
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

const get = async (path: string, query: Record<string, string | string[]> = {}) => {
  const reply = await h.api(tenant.token, `/api/v1/statistics/${path}`, { id: site.id, from: day, to: day, ...query });
  expect(reply.status, reply.text).toBe(200);
  return reply.body;
};
const fields = <T extends Record<string, unknown>>(rows: T[], ...keys: (keyof T)[]) =>
  rows.map((r) => keys.map((k) => r[k]));

describe('totals and time series', () => {
  it('when the day is read, then visitors, views, sessions, bounces and rates are exact', async () => {
    // Bounces C1 and D1 of 7 visits; C2 (one page and an interactive event) is not one.
    expect(await get('total')).toEqual({
      visitors: 4,
      views: 12,
      sessions: 7,
      bounces: 2,
      bounce_rate: 2 / 7,
      cr: 0,
      custom_metric_avg: 0,
      custom_metric_total: 0,
    });
  });

  it('when a one-page visit has an event, then only an interactive one keeps it from bouncing', async () => {
    // c's visits (the only mobile ones): C1 `/` + non-interactive Scrolled bounced, C2 `/pricing` + Contact did not.
    expect(await get('total', { platform: 'mobile' })).toEqual({
      visitors: 1,
      views: 2,
      sessions: 2,
      bounces: 1,
      bounce_rate: 0.5,
      cr: 0.25,
      custom_metric_avg: 0,
      custom_metric_total: 0,
    });
    expect(fields(await get('page', { platform: 'mobile' }), 'path', 'sessions', 'bounces', 'bounce_rate')).toEqual([
      ['/', 1, 1, 1],
      ['/pricing', 1, 0, 0],
    ]);
    expect(
      fields(await get('channel', { platform: 'mobile' }), 'channel', 'sessions', 'bounces', 'bounce_rate'),
    ).toEqual([
      ['Direct', 1, 0, 0], // C2
      ['Email', 1, 1, 1], // C1
    ]);
  });

  it('when a series spans days without traffic, then every day is present, empty ones as zero', async () => {
    const before = new Date(Date.parse(`${day}T00:00:00Z`) - 2 * 86_400_000).toISOString().slice(0, 10);
    const series = await get('visitor', { from: before });
    expect(series.map((r: { day: string }) => r.day)).toEqual(
      [0, 1, 2].map(
        (i) => `${new Date(Date.parse(`${before}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10)}T00:00:00Z`,
      ),
    );
    expect(fields(series, 'visitors', 'views', 'sessions', 'bounces', 'week')).toEqual([
      [0, 0, 0, 0, null],
      [0, 0, 0, 0, null],
      [4, 12, 7, 2, null],
    ]);
  });

  it('when compared with the empty day before, then every present metric grew by 100 %', async () => {
    expect(await get('growth')).toEqual({
      visitors_growth: 1,
      views_growth: 1,
      sessions_growth: 1,
      bounces_growth: 1,
      time_spent_growth: 1,
      cr_growth: 0,
      custom_metric_avg_growth: 0,
      custom_metric_total_growth: 0,
    });
  });

  it('when the overview is read, then it has totals, growth, the daily series and the team size', async () => {
    const overview = await get('overview');
    expect([
      overview.visitors,
      overview.views,
      overview.visitors_growth,
      overview.views_growth,
      overview.member,
    ]).toEqual([4, 12, 1, 1, 1]);
    expect(fields(overview.visitors_time_series, 'day', 'visitors')).toEqual([[`${day}T00:00:00Z`, 4]]);
  });

  it('when visits are bucketed by hour, minute and weekday, then each has its page views', async () => {
    const hours = await get('hours');
    expect(hours).toHaveLength(24);
    // 10h: A1 B1 C1 D1 (7 views, bounces C1 D1); 11h: C2 D2 B2 (1 + 2 + 2 views).
    expect(
      fields(
        hours.filter((r: { views: number }) => r.views > 0),
        'hour',
        'visitors',
        'views',
        'sessions',
        'bounces',
      ),
    ).toEqual([
      [10, 4, 7, 4, 2],
      [11, 3, 5, 3, 0],
    ]);
    const minutes = await get('minutes');
    expect(minutes).toHaveLength(60);
    expect(
      fields(
        minutes.filter((r: { views: number }) => r.views > 0),
        'minute',
        'views',
      ),
    ).toEqual([
      [0, 2], // 10:00 (A1) and 11:00 (C2)
      [2, 1],
      [5, 1],
      [10, 1],
      [11, 1],
      [15, 1],
      [16, 1],
      [20, 1],
      [30, 1],
      [40, 1],
      [41, 1],
    ]);
    const weekdays = await get('weekdays');
    const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
    expect(weekdays).toHaveLength(168);
    expect(
      fields(
        weekdays.filter((r: { views: number }) => r.views > 0),
        'weekday',
        'hour',
        'visitors',
        'views',
        'sessions',
        'bounces',
      ),
    ).toEqual([
      [weekday, 10, 4, 7, 4, 2],
      [weekday, 11, 3, 5, 3, 0],
    ]);
  });

  it('when durations are read, then sessions average (300+90+70+80+120+60)/6 s and pages (120+180+60+60+60)/5 s', async () => {
    // D1 (a single moment) is left out of the session average; last pages of a visit have no time.
    expect(fields(await get('duration/session'), 'day', 'average_time_spent_seconds')).toEqual([
      [`${day}T00:00:00Z`, 120],
    ]);
    expect(fields(await get('duration/page'), 'average_time_spent_seconds')).toEqual([[96]]);
    expect(fields(await get('duration/page', { path: '/pricing' }), 'average_time_spent_seconds')).toEqual([[120]]); // (180 + 60) / 2
  });
});

describe('pages', () => {
  it('when pages are listed with time on page, then each path has its visitors, views, bounces and time', async () => {
    // Bounces per page are bounced visits entering there: / has C1 and D1 (of A1 C1 D1 B2); /pricing
    // is entered by C2 (one page, interactive event) and B2 (two pages), neither a bounce.
    expect(await get('page', { include_avg_time_on_page: 'true' })).toEqual([
      {
        path: '/',
        title: 'Home',
        visitors: 4,
        views: 4,
        sessions: 4,
        bounces: 2,
        relative_visitors: 1,
        relative_views: 4 / 12,
        bounce_rate: 0.5,
        average_time_spent_seconds: 120,
      },
      {
        path: '/pricing',
        title: 'Pricing',
        visitors: 3,
        views: 4,
        sessions: 4,
        bounces: 0,
        relative_visitors: 0.75,
        relative_views: 4 / 12,
        bounce_rate: 0,
        average_time_spent_seconds: 120,
      },
      {
        path: '/blog/hello',
        title: 'Hello',
        visitors: 2,
        views: 2,
        sessions: 2,
        bounces: 0,
        relative_visitors: 0.5,
        relative_views: 2 / 12,
        bounce_rate: 0,
        average_time_spent_seconds: 60,
      },
      {
        path: '/docs',
        title: 'Docs',
        visitors: 2,
        views: 2,
        sessions: 2,
        bounces: 0,
        relative_visitors: 0.5,
        relative_views: 2 / 12,
        bounce_rate: 0,
        average_time_spent_seconds: 60,
      },
    ]);
    expect(fields(await get('page'), 'average_time_spent_seconds')).toEqual([[0], [0], [0], [0]]);
  });

  it('when sorted, paged and searched, then the order and slice follow the parameters', async () => {
    expect(fields(await get('page', { sort: 'path', direction: 'asc', limit: '2', offset: '1' }), 'path')).toEqual([
      ['/blog/hello'],
      ['/docs'],
    ]);
    // Ties on views fall back to the default order (visitors, then path): / (4 visitors) before /pricing (3).
    expect(fields(await get('page', { sort: 'views', direction: 'asc' }), 'path')).toEqual([
      ['/blog/hello'],
      ['/docs'],
      ['/'],
      ['/pricing'],
    ]);
    expect(fields(await get('page', { search: 'BLOG' }), 'path')).toEqual([['/blog/hello']]);
    const bad = await h.api(tenant.token, '/api/v1/statistics/page', {
      id: site.id,
      from: day,
      to: day,
      sort: 'sessions; DROP TABLE page_view',
    });
    expect([bad.status, bad.body.validation]).toEqual([
      400,
      {
        sort: 'must be one of path, title, visitors, sessions, views, bounces, bounce_rate, relative_visitors, relative_views',
      },
    ]);
  });

  it('when entry and exit pages are read, then visits starting and ending there are shares of all 7 visits', async () => {
    // Entries: / A1 C1 D1, /pricing C2 B2, /blog/hello B1, /docs D2. visitors/sessions: everyone who viewed the page.
    expect(await get('page/entry', { include_avg_time_on_page: 'true' })).toEqual([
      {
        path: '/',
        title: 'Home',
        visitors: 4,
        sessions: 4,
        entries: 3,
        entry_rate: 3 / 7,
        average_time_spent_seconds: 120,
      },
      {
        path: '/pricing',
        title: 'Pricing',
        visitors: 3,
        sessions: 4,
        entries: 2,
        entry_rate: 2 / 7,
        average_time_spent_seconds: 120,
      },
      {
        path: '/blog/hello',
        title: 'Hello',
        visitors: 2,
        sessions: 2,
        entries: 1,
        entry_rate: 1 / 7,
        average_time_spent_seconds: 60,
      },
      {
        path: '/docs',
        title: 'Docs',
        visitors: 2,
        sessions: 2,
        entries: 1,
        entry_rate: 1 / 7,
        average_time_spent_seconds: 60,
      },
    ]);
    // Exits: / C1 D1 B2, /pricing B1 C2 (an event does not move the exit page), /blog/hello D2, /docs A1.
    expect(fields(await get('page/exit'), 'exit_path', 'title', 'visitors', 'sessions', 'exits', 'exit_rate')).toEqual([
      ['/', 'Home', 4, 4, 3, 3 / 7],
      ['/pricing', 'Pricing', 3, 4, 2, 2 / 7],
      ['/blog/hello', 'Hello', 2, 2, 1, 1 / 7],
      ['/docs', 'Docs', 2, 2, 1, 1 / 7],
    ]);
  });
});

describe('sources and visitor properties', () => {
  it('when referrers and channels are read, then direct, Hacker News and the newsletter are told apart', async () => {
    // Direct: A1 C2 D1 D2 B2, so every visitor; of those visits only D1 bounced (C2 has an interactive event).
    expect(await get('referrer')).toEqual([
      {
        referrer: '',
        referrer_name: '',
        referrer_icon: '',
        visitors: 4,
        sessions: 5,
        relative_visitors: 1,
        bounces: 1,
        bounce_rate: 0.2,
      },
      {
        referrer: 'https://news.ycombinator.com/item',
        referrer_name: 'Hacker News',
        referrer_icon: '',
        visitors: 1,
        sessions: 1,
        relative_visitors: 0.25,
        bounces: 0,
        bounce_rate: 0,
      },
      {
        referrer: '',
        referrer_name: 'newsletter',
        referrer_icon: '',
        visitors: 1,
        sessions: 1,
        relative_visitors: 0.25,
        bounces: 1,
        bounce_rate: 1,
      },
    ]);
    expect(await get('channel')).toEqual([
      {
        channel: 'Direct',
        visitors: 4,
        views: 9,
        sessions: 5,
        bounces: 1,
        relative_visitors: 1,
        relative_views: 9 / 12,
        bounce_rate: 0.2,
      },
      {
        channel: 'Email',
        visitors: 1,
        views: 1,
        sessions: 1,
        bounces: 1,
        relative_visitors: 0.25,
        relative_views: 1 / 12,
        bounce_rate: 1,
      },
      {
        channel: 'Organic Social',
        visitors: 1,
        views: 2,
        sessions: 1,
        bounces: 0,
        relative_visitors: 0.25,
        relative_views: 2 / 12,
        bounce_rate: 0,
      },
    ]);
    expect(await get('hostname')).toEqual([
      {
        hostname: 'shop.example',
        visitors: 4,
        views: 12,
        sessions: 7,
        bounces: 2,
        relative_visitors: 1,
        relative_views: 1,
        bounce_rate: 2 / 7,
      },
    ]);
  });

  it('when UTM parameters are read, then the campaign visitor and the rest (empty) are listed', async () => {
    // c is in both rows: C1 came from the newsletter, C2 directly.
    expect(await get('utm/source')).toEqual([
      { utm_source: '', visitors: 4, relative_visitors: 1 },
      { utm_source: 'newsletter', visitors: 1, relative_visitors: 0.25 },
    ]);
    expect(await get('utm/medium', { utm_medium: '!null' })).toEqual([
      { utm_medium: 'email', visitors: 1, relative_visitors: 0.25 },
    ]);
    expect(await get('utm/campaign', { utm_campaign: '!null' })).toEqual([
      { utm_campaign: 'launch', visitors: 1, relative_visitors: 0.25 },
    ]);
    expect(await get('utm/content')).toEqual([
      { utm_content: '', visitors: 4, relative_visitors: 1 },
      { utm_content: 'hero', visitors: 1, relative_visitors: 0.25 },
    ]);
    expect(await get('utm/term')).toEqual([{ utm_term: '', visitors: 4, relative_visitors: 1 }]);
  });

  it('when visitor properties are read, then language, place, software, platform and screen are counted per visitor', async () => {
    const quarter = (row: Record<string, string>) => ({ ...row, visitors: 1, relative_visitors: 0.25 });
    expect(await get('language')).toEqual([
      { language: 'en', visitors: 2, relative_visitors: 0.5 },
      quarter({ language: 'de' }),
      quarter({ language: 'fr' }),
    ]);
    expect(await get('country')).toEqual(['AU', 'DE', 'GB', 'US'].map((country_code) => quarter({ country_code })));
    expect(await get('region')).toEqual([
      quarter({ country_code: 'AU', region: 'New South Wales' }),
      quarter({ country_code: 'DE', region: 'Bavaria' }),
      quarter({ country_code: 'GB', region: 'England' }),
      quarter({ country_code: 'US', region: 'California' }),
    ]);
    expect(fields(await get('city'), 'city')).toEqual([['Sydney'], ['Falkenstein'], ['London'], ['Mountain View']]);
    expect(await get('os')).toEqual([
      { os: 'Windows', visitors: 2, relative_visitors: 0.5 },
      quarter({ os: 'Linux' }),
      quarter({ os: 'iOS' }),
    ]);
    expect(fields(await get('os/version'), 'os', 'os_version', 'visitors')).toEqual([
      ['Windows', '10', 2],
      ['Linux', '', 1],
      ['iOS', '17.5', 1],
    ]);
    expect(await get('browser')).toEqual([
      { browser: 'Chrome', visitors: 2, relative_visitors: 0.5 },
      quarter({ browser: 'Firefox' }),
      quarter({ browser: 'Safari' }),
    ]);
    expect(fields(await get('browser/version'), 'browser', 'browser_version')).toEqual([
      ['Chrome', '139'],
      ['Chrome', '140'],
      ['Firefox', '133'],
      ['Safari', '17'],
    ]);
    expect(await get('screen')).toEqual(['L', 'XL', 'XS', 'XXL'].map((screen_class) => quarter({ screen_class })));
    expect(await get('platform')).toEqual({
      platform_desktop: 3,
      platform_mobile: 1,
      platform_tablet: 0,
      platform_unknown: 0,
      relative_platform_desktop: 0.75,
      relative_platform_mobile: 0.25,
      relative_platform_tablet: 0,
      relative_platform_unknown: 0,
    });
  });
});

describe('events and tags', () => {
  it("when events are read, then counts, visitors, the visits' page views, rates, durations and keys are exact", async () => {
    expect(await get('events')).toEqual([
      {
        name: 'Signup',
        count: 2,
        visitors: 2,
        views: 5,
        cr: 0.5,
        average_duration_seconds: 12,
        meta_keys: ['plan', 'seats'],
      },
      { name: 'Contact', count: 1, visitors: 1, views: 1, cr: 0.25, average_duration_seconds: 0, meta_keys: [] },
      { name: 'Download', count: 1, visitors: 1, views: 2, cr: 0.25, average_duration_seconds: 0, meta_keys: ['file'] },
      { name: 'Scrolled', count: 1, visitors: 1, views: 1, cr: 0.25, average_duration_seconds: 0, meta_keys: [] },
    ]);
    expect(await get('event/meta', { event: 'Signup', event_meta_key: 'plan' })).toEqual([
      { name: 'Signup', count: 1, visitors: 1, views: 2, cr: 0.25, average_duration_seconds: 0, meta_value: 'free' },
      { name: 'Signup', count: 1, visitors: 1, views: 3, cr: 0.25, average_duration_seconds: 12, meta_value: 'pro' },
    ]);
    expect(await get('event/list')).toEqual([
      { name: 'Contact', meta: {}, visitors: 1, count: 1 },
      { name: 'Download', meta: { file: 'guide.pdf' }, visitors: 1, count: 1 },
      { name: 'Scrolled', meta: {}, visitors: 1, count: 1 },
      { name: 'Signup', meta: { plan: 'free' }, visitors: 1, count: 1 },
      { name: 'Signup', meta: { plan: 'pro', seats: '3' }, visitors: 1, count: 1 },
    ]);
    expect(await get('event/page', { event: 'Signup' })).toEqual([
      {
        path: '/pricing',
        title: 'Pricing',
        visitors: 2,
        views: 2,
        sessions: 2,
        bounces: 0,
        relative_visitors: 0.5,
        relative_views: 2 / 12,
        bounce_rate: 0,
        average_time_spent_seconds: 12,
      },
    ]);
  });

  it('when tags are read, then keys and the values of one key are counted', async () => {
    expect(await get('tags')).toEqual([
      { key: 'author', visitors: 3, views: 3, relative_visitors: 0.75, relative_views: 3 / 12 },
    ]);
    expect(await get('tag/details', { tag: 'author' })).toEqual([
      { key: 'author', value: 'alice', visitors: 2, views: 2, relative_visitors: 0.5, relative_views: 2 / 12 },
      { key: 'author', value: 'bob', visitors: 1, views: 1, relative_visitors: 0.25, relative_views: 1 / 12 },
    ]);
  });

  it('when the filter pickers ask for options, then the distinct non-empty values come sorted', async () => {
    expect(await get('options/page')).toEqual(['/', '/blog/hello', '/docs', '/pricing']);
    expect(await get('options/referrer/name')).toEqual(['Hacker News', 'newsletter']);
    expect(await get('options/event', { search: 's' })).toEqual(['Scrolled', 'Signup']);
    expect(await get('options/metadata/keys')).toEqual(['file', 'plan', 'seats']);
    expect(await get('options/metadata', { event_meta_key: 'plan' })).toEqual(['free', 'pro']);
    expect(await get('options/tag/value', { tag: 'author' })).toEqual(['alice', 'bob']);
    expect(await get('options/utm/term')).toEqual([]);
  });

  it("when the visit-property pickers ask for options, then each lists exactly the fixture's values in byte order", async () => {
    const expected: Record<string, string[]> = {
      hostname: ['shop.example'],
      referrer: ['https://news.ycombinator.com/item'], // direct and newsletter visits have none
      channel: ['Direct', 'Email', 'Organic Social'],
      country: ['AU', 'DE', 'GB', 'US'],
      region: ['Bavaria', 'California', 'England', 'New South Wales'],
      city: ['Falkenstein', 'London', 'Mountain View', 'Sydney'],
      language: ['de', 'en', 'fr'],
      browser: ['Chrome', 'Firefox', 'Safari'],
      os: ['Linux', 'Windows', 'iOS'], // upper case sorts first
      platform: ['desktop', 'mobile'],
      screen: ['L', 'XL', 'XS', 'XXL'],
      'utm/source': ['newsletter'],
      'utm/medium': ['email'],
      'utm/campaign': ['launch'],
      'utm/content': ['hero'],
      tag: ['author'],
    };
    const actual: Record<string, string[]> = {};
    for (const source of Object.keys(expected)) actual[source] = await get(`options/${source}`);
    expect(actual).toEqual(expected);
    expect(await get('options/city', { search: 'DON' })).toEqual(['London']);
  });
});

describe('goals, funnels and sessions', () => {
  it('when goals are defined, then path globs, events with metadata and custom metrics convert exactly', async () => {
    const accounts = createBackendAccounts(h.config, h.stores, h.log);
    await createGoal(accounts, tenant.userId, site.id, { name: 'A pricing', path_pattern: '/pricing' });
    await createGoal(accounts, tenant.userId, site.id, { name: 'B blog', path_pattern: '/blog/*' });
    await createGoal(accounts, tenant.userId, site.id, {
      name: 'C pro signup',
      event_name: 'Signup',
      event_meta_key: 'plan',
      event_meta_value: 'pro',
    });
    await createGoal(accounts, tenant.userId, site.id, {
      name: 'D seats',
      event_name: 'Signup',
      custom_metric_key: 'seats',
      custom_metric_type: 'integer',
    });
    const goals = await get('goals');
    expect(goals.map((g: { page_goal: { name: string }; stats: unknown }) => [g.page_goal.name, g.stats])).toEqual([
      ['A pricing', { visitors: 3, views: 4, cr: 0.75, custom_metric_avg: 0, custom_metric_total: 0 }], // A1, B1, C2, B2
      ['B blog', { visitors: 2, views: 2, cr: 0.5, custom_metric_avg: 0, custom_metric_total: 0 }],
      ['C pro signup', { visitors: 1, views: 1, cr: 0.25, custom_metric_avg: 0, custom_metric_total: 0 }],
      ['D seats', { visitors: 2, views: 2, cr: 0.5, custom_metric_avg: 3, custom_metric_total: 3 }],
    ]);
    expect(goals[0].page_goal.domain_id).toBe(site.id);
  });

  it('when a funnel / → /pricing → Signup is read, then only steps in order within one visit count', async () => {
    const accounts = createBackendAccounts(h.config, h.stores, h.log);
    const funnel = await createFunnel(accounts, tenant.userId, site.id, {
      name: 'Buy',
      steps: [
        { name: 'Home', filter: { path: '/' } },
        { name: 'Pricing', filter: { path: '/pricing' } },
        { name: 'Signup', filter: { event: 'Signup' } },
      ],
    });
    const result = await get('funnel', { funnel_id: funnel.id });
    expect(result.definition.steps.map((s: { name: string }) => s.name)).toEqual(['Home', 'Pricing', 'Signup']);
    // a: / → /pricing → Signup in A1 (3). b: B1 never views /, B2 views /pricing before / (1).
    // c: / in C1 but /pricing only in C2, another visit (1). d: / only (1).
    expect(result.data).toEqual([
      {
        step: 1,
        visitors: 4,
        relative_visitors: 1,
        previous_visitors: 0,
        relative_previous_visitors: 0,
        dropped: 0,
        drop_off: 0,
      },
      {
        step: 2,
        visitors: 1,
        relative_visitors: 0.25,
        previous_visitors: 4,
        relative_previous_visitors: 0.25,
        dropped: 3,
        drop_off: 0.75,
      },
      {
        step: 3,
        visitors: 1,
        relative_visitors: 0.25,
        previous_visitors: 1,
        relative_previous_visitors: 1,
        dropped: 0,
        drop_off: 0,
      },
    ]);
    // The other way round, only B2 qualifies: A1 has both pages in the wrong order, C2 and B1 never reach /.
    const back = await createFunnel(accounts, tenant.userId, site.id, {
      name: 'Back home',
      steps: [
        { name: 'Pricing', filter: { path: '/pricing' } },
        { name: 'Home', filter: { path: '/' } },
      ],
    });
    const backData = (await get('funnel', { funnel_id: back.id })).data;
    expect(fields(backData, 'step', 'visitors', 'previous_visitors', 'dropped')).toEqual([
      [1, 3, 0, 0], // a, b, c
      [2, 1, 3, 2], // b
    ]);
    const csv = await h.api(tenant.token, '/api/v1/statistics/funnel', {
      id: site.id,
      from: day,
      to: day,
      funnel_id: funnel.id,
      format: 'csv',
    });
    expect(csv.text.split('\r\n')[0]).toBe(
      'step,visitors,relative_visitors,previous_visitors,relative_previous_visitors,dropped,drop_off',
    );
    const missing = await h.api(tenant.token, '/api/v1/statistics/funnel', {
      id: site.id,
      from: day,
      to: day,
      funnel_id: '999999',
    });
    expect(missing.status).toBe(404);
  });

  it('when visits are listed and one is opened, then its page views and events come in order', async () => {
    const sessions = await get('session/list');
    // Latest activity first: B2 11:41, D2 11:17, C2 11:01:20, D1 10:30, C1 10:21:10, B1 10:11:30, A1 10:05.
    expect(
      fields(
        sessions,
        'entry_path',
        'exit_path',
        'page_views',
        'events',
        'duration_seconds',
        'is_bounce',
        'country_code',
        'mobile',
      ),
    ).toEqual([
      ['/pricing', '/', 2, 0, 60, false, 'AU', false],
      ['/docs', '/blog/hello', 2, 1, 120, false, 'DE', false],
      ['/pricing', '/pricing', 1, 1, 80, false, 'GB', true],
      ['/', '/', 1, 0, 0, true, 'DE', false],
      ['/', '/', 1, 1, 70, true, 'GB', true],
      ['/blog/hello', '/pricing', 2, 1, 90, false, 'AU', false],
      ['/', '/docs', 3, 1, 300, false, 'US', false],
    ]);
    // A page of another order: fewest page views first, ties latest first (D1, C1, then B2).
    const page = await get('session/list', { sort: 'page_views', direction: 'asc', limit: '3', offset: '1' });
    expect(fields(page, 'entry_path', 'page_views', 'country_code')).toEqual([
      ['/', 1, 'DE'],
      ['/', 1, 'GB'],
      ['/pricing', 2, 'AU'],
    ]);
    const a1 = sessions[6];
    expect([a1.start, a1.time]).toEqual([`${day}T10:00:00.000Z`, `${day}T10:05:00.000Z`]);
    const steps = await get('session/details', { visitor_id: a1.visitor_id, session_id: String(a1.session_id) });
    expect(
      steps.map(
        (s: { page_view: { path: string } | null; event: { name: string } | null }) =>
          s.page_view?.path ?? `event ${s.event?.name}`,
      ),
    ).toEqual(['/', '/pricing', 'event Signup', '/docs']);
    expect(steps[2].event).toMatchObject({
      name: 'Signup',
      meta_keys: ['plan', 'seats'],
      meta_values: ['pro', '3'],
      duration_seconds: 12,
      path: '/pricing',
    });
    expect(steps[3].page_view).toMatchObject({
      tag_keys: ['author'],
      tag_values: ['bob'],
      duration_seconds: 180,
      visitor_id: a1.visitor_id,
    });
  });
});

describe('realtime, export and the API document', () => {
  it('when visitors were active minutes ago, then the window decides who is counted', async () => {
    const live = await h.site(tenant, { hostname: 'live.example' });
    const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    await play(h, live, [
      { kind: 'hit', visitor: VISITORS.a, time: ago(2), path: '/', title: 'Home' },
      { kind: 'hit', visitor: VISITORS.b, time: ago(3), path: '/pricing', title: 'Pricing' },
      { kind: 'hit', visitor: VISITORS.c, time: ago(20), path: '/docs', title: 'Docs' },
    ]);
    const active = async (start?: string) =>
      (await h.api(tenant.token, '/api/v1/statistics/active', { id: live.id, ...(start ? { start } : {}) })).body;
    expect(await active()).toEqual({
      stats: [
        { path: '/', title: 'Home', visitors: 1 },
        { path: '/pricing', title: 'Pricing', visitors: 1 },
      ],
      countries: [
        { country_code: 'AU', visitors: 1, relative_visitors: 0.5 },
        { country_code: 'US', visitors: 1, relative_visitors: 0.5 },
      ],
      visitors: 2,
    });
    expect((await active('1800')).visitors).toBe(3);
    expect(
      (await h.api(tenant.token, '/api/v1/statistics/active', { id: live.id, start: '7200' })).body.validation,
    ).toEqual({ start: 'must be at most 3600' });
  });

  it('when any statistic is asked for as CSV, then the rows come as text/csv', async () => {
    const reply = await h.api(tenant.token, '/api/v1/statistics/browser', {
      id: site.id,
      from: day,
      to: day,
      format: 'csv',
    });
    expect(reply.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(reply.headers.get('content-disposition')).toBe('attachment; filename=browser.csv');
    expect(reply.text).toBe(
      'browser,visitors,relative_visitors\r\nChrome,2,0.5\r\nFirefox,1,0.25\r\nSafari,1,0.25\r\n',
    );
    const total = await h.api(tenant.token, '/api/v1/statistics/total', {
      id: site.id,
      from: day,
      to: day,
      format: 'csv',
    });
    expect(total.text).toBe(
      'visitors,views,sessions,bounces,bounce_rate,cr,custom_metric_avg,custom_metric_total\r\n4,12,7,2,0.2857142857142857,0,0,0\r\n',
    );
  });

  it('when the OpenAPI document is fetched, then it describes every statistics route and the ingest, token and domain endpoints', async () => {
    const reply = await h.api(undefined, '/api/v1/openapi.json');
    expect([reply.status, reply.body.openapi]).toEqual([200, '3.1.0']);
    const paths = Object.keys(reply.body.paths);
    expect(paths).toEqual(expect.arrayContaining(STATISTICS_ENDPOINTS.map((e) => `/api/v1/statistics/${e.path}`)));
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/token',
        '/api/v1/hit',
        '/api/v1/hit/batch',
        '/api/v1/event',
        '/api/v1/session/batch',
        '/api/v1/domain',
        '/api/v1/goal',
        '/api/v1/funnel',
      ]),
    );
    const hit = reply.body.paths['/api/v1/hit'].post.requestBody.content['application/json'].schema;
    expect(hit.required).toEqual(['url']);
    const page = reply.body.paths['/api/v1/statistics/page'].get;
    expect(Object.keys(page.responses['200'].content)).toEqual(['application/json', 'text/csv']);
    expect(page.responses['200'].content['application/json'].schema.items.required).toContain(
      'average_time_spent_seconds',
    );
  });
});
