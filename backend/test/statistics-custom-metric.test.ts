import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type PirschFilter } from 'pirsch-sdk';
import { seedApiClient } from '@spur/accounts/testing';
import {
  play,
  startStatsHarness,
  VISITORS,
  yesterday,
  type Site,
  type StatsHarness,
  type Step,
  type Tenant,
} from './statistics-fixture.ts';

/**
 * Custom metrics per breakdown row (revenue per page, source, country, browser, ...). The fixture,
 * all on `day` (UTC), sent through the real ingest path:
 *
 * | visitor    | time  | what                                                      |
 * |------------|-------|-----------------------------------------------------------|
 * | a (US, Chrome, direct) | 10:00 | `/shop`                                   |
 * |            | 10:01 | event Purchase on /shop {amount: "10.50", plan: pro}      |
 * |            | 10:02 | `/checkout`                                               |
 * |            | 10:03 | event Purchase on /checkout {amount: "4.25", plan: free}  |
 * |            | 10:04 | event Refund on /checkout {amount: "99"} (another event)  |
 * | b (AU, Firefox, Hacker News) | 10:10 | `/shop`                             |
 * |            | 10:11 | event Purchase on /shop {amount: "20", plan: pro}         |
 * |            | 10:12 | event Purchase on /shop {amount: "free", plan: pro} (not a number) |
 *
 * Purchases: 10.50 + 4.25 + 20 = 34.75 over 3 numeric values. Per page: /shop 10.50 + 20 = 30.50
 * (average 15.25: "free" is left out), /checkout 4.25; b saw /shop titled "Sale" (20), a "Shop" (10.50). Per visitor's country, browser and referrer:
 * a 14.75 (average 7.375), b 20. Per plan: pro 30.50 (average 15.25), free 4.25. As integers only
 * "20" parses: total 20, average 20.
 */
let h: StatsHarness;
let tenant: Tenant;
let site: Site;
const day = yesterday();
const METRIC = { event: 'Purchase', custom_metric_key: 'amount', custom_metric_type: 'float' };

function steps(): Step[] {
  const at = (hms: string) => `${day}T${hms}Z`;
  const { a, b } = VISITORS;
  const event = (visitor: typeof a, time: string, path: string, name: string, meta: Record<string, string>): Step => ({
    kind: 'event',
    visitor,
    time: at(time),
    path,
    // As a tracker sends them: the title of the page the event fired on (b saw /shop as "Sale").
    title: path === '/checkout' ? 'Checkout' : visitor === b ? 'Sale' : 'Shop',
    event_name: name,
    event_meta: meta,
  });
  return [
    { kind: 'hit', visitor: a, time: at('10:00:00'), path: '/shop', title: 'Shop' },
    event(a, '10:01:00', '/shop', 'Purchase', { amount: '10.50', plan: 'pro' }),
    { kind: 'hit', visitor: a, time: at('10:02:00'), path: '/checkout', title: 'Checkout' },
    event(a, '10:03:00', '/checkout', 'Purchase', { amount: '4.25', plan: 'free' }),
    event(a, '10:04:00', '/checkout', 'Refund', { amount: '99' }),
    {
      kind: 'hit',
      visitor: b,
      time: at('10:10:00'),
      path: '/shop',
      title: 'Sale',
      referrer: 'https://news.ycombinator.com/item?id=1',
    },
    event(b, '10:11:00', '/shop', 'Purchase', { amount: '20', plan: 'pro' }),
    event(b, '10:12:00', '/shop', 'Purchase', { amount: 'free', plan: 'pro' }),
  ];
}

async function get(path: string, query: Record<string, string | number> = {}) {
  const r = await h.api(tenant.token, `/api/v1/statistics/${path}`, { id: site.id, from: day, to: day, ...query });
  expect(r.status, r.text).toBe(200);
  return r.body;
}

/** `[key, custom_metric_total, custom_metric_avg]` per row. */
const metricOf = (rows: Record<string, unknown>[], key: string) =>
  rows.map((r) => [r[key], r.custom_metric_total, r.custom_metric_avg]);

beforeAll(async () => {
  h = await startStatsHarness();
  tenant = await h.tenant();
  site = await h.site(tenant, { hostname: 'shop.example' });
  await play(h, site, steps());
});
afterAll(() => h?.stop());

describe('custom metric per breakdown row', () => {
  it('when a float metric of the Purchase event is asked, then each row carries its total and average', async () => {
    expect(await get('total', METRIC)).toMatchObject({ custom_metric_total: 34.75, custom_metric_avg: 34.75 / 3 });
    expect(metricOf(await get('page', METRIC), 'path')).toEqual([
      ['/shop', 30.5, 15.25],
      ['/checkout', 4.25, 4.25],
    ]);
    expect(metricOf(await get('country', METRIC), 'country_code')).toEqual([
      ['AU', 20, 20],
      ['US', 14.75, 7.375],
    ]);
    expect(metricOf(await get('browser', METRIC), 'browser')).toEqual([
      ['Chrome', 14.75, 7.375],
      ['Firefox', 20, 20],
    ]);
    expect(metricOf(await get('referrer', METRIC), 'referrer_name')).toEqual([
      ['', 14.75, 7.375],
      ['Hacker News', 20, 20],
    ]);
    expect(metricOf(await get('os/version', METRIC), 'os')).toEqual([
      ['Linux', 14.75, 7.375],
      ['Windows', 20, 20],
    ]);
    expect(metricOf(await get('channel', METRIC), 'channel')).toEqual([
      ['Direct', 14.75, 7.375],
      ['Organic Social', 20, 20],
    ]);
  });

  it('when events are broken down by name or by a metadata value, then each carries its metric', async () => {
    expect(metricOf(await get('events', METRIC), 'name')).toEqual([['Purchase', 34.75, 34.75 / 3]]);
    const plans = await get('event/meta', { ...METRIC, event_meta_key: 'plan' });
    expect(
      plans.map((r: Record<string, unknown>) => [r.meta_value, r.count, r.custom_metric_total, r.custom_metric_avg]),
    ).toEqual([
      ['pro', 3, 30.5, 15.25],
      ['free', 1, 4.25, 4.25],
    ]);
  });

  it('when pages are grouped by path and title, then each row has the events under that title', async () => {
    const pages = await get('page', { ...METRIC, include_title: 'true' });
    // Rows of one path tie on visitors and path: compared in a fixed order.
    const rows = pages.map((r: Record<string, unknown>) => [r.path, r.title, r.custom_metric_total]);
    expect(rows.sort((x: string[], y: string[]) => `${x[0]}${x[1]}`.localeCompare(`${y[0]}${y[1]}`))).toEqual([
      ['/checkout', 'Checkout', 4.25],
      ['/shop', 'Sale', 20],
      ['/shop', 'Shop', 10.5],
    ]);
  });

  it('when the metric is an integer, then values that are not whole numbers are left out', async () => {
    const integer = { ...METRIC, custom_metric_type: 'integer' };
    expect(metricOf(await get('page', integer), 'path')).toEqual([
      ['/shop', 20, 20],
      ['/checkout', 0, 0],
    ]);
  });

  it('when no event is named, or none is asked, then rows keep their shape: zeros, or no metric fields', async () => {
    const { event: _event, ...noEvent } = METRIC;
    expect(metricOf(await get('page', noEvent), 'path')).toEqual([
      ['/shop', 0, 0],
      ['/checkout', 0, 0],
    ]);
    expect(await get('total', noEvent)).toMatchObject({ custom_metric_total: 0, custom_metric_avg: 0 });
    const plain = await get('country', { event: 'Purchase' });
    expect(plain[0]).not.toHaveProperty('custom_metric_total');
    expect(plain).toEqual([
      { country_code: 'AU', visitors: 1, relative_visitors: 0.5 },
      { country_code: 'US', visitors: 1, relative_visitors: 0.5 },
    ]);
  });

  it('when a Refund is asked for instead, then only its value counts', async () => {
    expect(metricOf(await get('page', { ...METRIC, event: 'Refund' }), 'path')).toEqual([
      ['/checkout', 99, 99],
      ['/shop', 0, 0],
    ]);
  });

  it('when a panel is exported as CSV, then the metric columns are in it', async () => {
    const r = await h.api(tenant.token, '/api/v1/statistics/country', {
      id: site.id,
      from: day,
      to: day,
      format: 'csv',
      ...METRIC,
    });
    expect(r.status).toBe(200);
    expect(r.text).toBe(
      'country_code,visitors,relative_visitors,custom_metric_avg,custom_metric_total\r\nAU,1,0.5,20,20\r\nUS,1,0.5,7.375,14.75\r\n',
    );
  });

  it('when the key holds quotes, backslashes, control characters or NUL, then it is only a key that matches nothing', async () => {
    for (const key of ["a'b", 'a\\b', 'a\tb\nc', 'a\u0000b', '{p0:String}', '💶']) {
      expect(metricOf(await get('page', { ...METRIC, custom_metric_key: key }), 'path')).toEqual([
        ['/shop', 0, 0],
        ['/checkout', 0, 0],
      ]);
    }
  });

  it('when the key or type is bad, then the 400 names the field', async () => {
    const rejected = async (query: Record<string, string>) => {
      const r = await h.api(tenant.token, '/api/v1/statistics/page', { id: site.id, from: day, to: day, ...query });
      expect(r.status).toBe(400);
      return Object.keys(r.body.validation);
    };
    expect(await rejected({ ...METRIC, custom_metric_type: 'decimal' })).toEqual(['custom_metric_type']);
    expect(await rejected({ ...METRIC, custom_metric_key: '' })).toEqual(['custom_metric_key']);
    expect(await rejected({ ...METRIC, custom_metric_key: 'k'.repeat(101) })).toEqual(['custom_metric_key']);
    expect(await rejected({ event: 'Purchase', custom_metric_key: 'amount' })).toEqual(['custom_metric_type']);
  });

  it('when the official pirsch-sdk reads pages and countries with the metric, then it gets the same fields', async () => {
    const client = await seedApiClient(h.stores.postgres.pool, tenant.organizationId, { siteId: site.id });
    const sdk = new Client({
      baseUrl: h.backend.url,
      clientId: client.client_id!,
      clientSecret: client.client_secret!,
      hostname: 'shop.example',
      protocol: 'https',
    });
    const filter: PirschFilter = {
      id: site.id,
      from: new Date(`${day}T00:00:00Z`),
      to: new Date(`${day}T00:00:00Z`),
      event: 'Purchase',
      custom_metric_key: 'amount',
      custom_metric_type: 'float',
    };
    const pages = (await sdk.pages(filter)) as unknown as Record<string, unknown>[];
    expect(metricOf(pages, 'path')).toEqual([
      ['/shop', 30.5, 15.25],
      ['/checkout', 4.25, 4.25],
    ]);
    const countries = (await sdk.country(filter)) as unknown as Record<string, unknown>[];
    expect(metricOf(countries, 'country_code')).toEqual([
      ['AU', 20, 20],
      ['US', 14.75, 7.375],
    ]);
    expect(await sdk.totalVisitors(filter)).toMatchObject({ custom_metric_total: 34.75, custom_metric_avg: 34.75 / 3 });
  });
});
