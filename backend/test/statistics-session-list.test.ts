import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStatsHarness, type Site, type StatsHarness, type Tenant } from './statistics-fixture.ts';

/**
 * The session list over a week, newest first: the page is looked for among the visits of the
 * period's last two days first, and the whole week is read only when those cannot prove the page.
 * Visits are written straight into ClickHouse (ingest takes nothing older than yesterday), as
 * cancel/state pairs where a visit changed. T is today 00:00 UTC, the period T-6d … T:
 *
 * | visit | start        | last activity | country |
 * |-------|--------------|---------------|---------|
 * | V1    | T-5d 10:00   | T-5d 10:10    | DE      |
 * | V2    | T-3d 12:00   | T-3d 12:30    | US      |
 * | V8    | T-2d 22:00   | T-1d 21:00    | DE      | (started before the two days, active in them)
 * | V4    | T-1d 08:00   | T-1d 08:05    | US      |
 * | V3    | T-1d 23:50   | T 00:20       | DE      |
 * | V6    | T 01:00      | T 01:05       | US      | (version 1 at 01:01 with one page, cancelled by version 2)
 * | V5    | T 09:00      | T 09:30       | DE      |
 *
 * Latest activity first: V5 V6 V3 V8 V4 V2 V1; latest start first: V5 V6 V3 V4 V8 V2 V1.
 */
let h: StatsHarness;
let tenant: Tenant;
let site: Site;
const T = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
const day = (offset: number) => new Date(T + offset * 86_400_000).toISOString().slice(0, 10);
const at = (offset: number, hm: string) =>
  new Date(T + offset * 86_400_000 + Date.parse(`1970-01-01T${hm}:00Z`)).toISOString().replace('T', ' ').slice(0, 23);

type Visit = { name: string; start: [number, string]; time: [number, string]; country: string };
const VISITS: Visit[] = [
  { name: 'V1', start: [-5, '10:00'], time: [-5, '10:10'], country: 'DE' },
  { name: 'V2', start: [-3, '12:00'], time: [-3, '12:30'], country: 'US' },
  { name: 'V8', start: [-2, '22:00'], time: [-1, '21:00'], country: 'DE' },
  { name: 'V4', start: [-1, '08:00'], time: [-1, '08:05'], country: 'US' },
  { name: 'V3', start: [-1, '23:50'], time: [0, '00:20'], country: 'DE' },
  { name: 'V6', start: [0, '01:00'], time: [0, '01:05'], country: 'US' },
  { name: 'V5', start: [0, '09:00'], time: [0, '09:30'], country: 'DE' },
];

beforeAll(async () => {
  h = await startStatsHarness();
  tenant = await h.tenant();
  site = await h.site(tenant, { hostname: 'list.example' });
  const row = (v: Visit, i: number, sign: 1 | -1, version: number, time: string, pageViews: number) => ({
    sign,
    version,
    site_id: site.id,
    visitor_id: String(1000 + i),
    session_id: 7 + i,
    start: at(...v.start),
    time,
    duration_seconds: Math.round((Date.parse(`${time}Z`) - Date.parse(`${at(...v.start)}Z`)) / 1000),
    hostname: site.hostname,
    // The entry path names the visit, so the answers read as the table above.
    entry_path: `/${v.name}`,
    exit_path: `/${v.name}`,
    page_views: pageViews,
    is_bounce: 0,
    country_code: v.country,
  });
  const values = VISITS.flatMap((v, i) =>
    v.name === 'V6'
      ? [row(v, i, 1, 1, at(0, '01:01'), 1), row(v, i, -1, 1, at(0, '01:01'), 1), row(v, i, 1, 2, at(...v.time), 2)]
      : [row(v, i, 1, 1, at(...v.time), 2)],
  );
  await h.stores.clickhouse.client.insert({ table: 'session', values, format: 'JSONEachRow' });
});
afterAll(() => h?.stop());

const list = async (query: Record<string, string> = {}) => {
  const reply = await h.api(tenant.token, '/api/v1/statistics/session/list', {
    id: site.id,
    from: day(-6),
    to: day(0),
    ...query,
  });
  expect(reply.status, reply.text).toBe(200);
  return (reply.body as { entry_path: string }[]).map((r) => r.entry_path.slice(1));
};

describe('session list, newest first over a week', () => {
  it('when the whole week is listed, then every visit comes by its latest activity', async () => {
    expect(await list()).toEqual(['V5', 'V6', 'V3', 'V8', 'V4', 'V2', 'V1']);
  });

  it('when a page is proven by the last two days, then it is exactly the page of the whole week', async () => {
    // V3 (third) was active after T 00:00: nothing started before T-1d can come before it.
    expect(await list({ limit: '3' })).toEqual(['V5', 'V6', 'V3']);
    expect(await list({ limit: '2', offset: '1' })).toEqual(['V6', 'V3']);
    expect(await list({ sort: 'start', limit: '4' })).toEqual(['V5', 'V6', 'V3', 'V4']);
  });

  it('when the last two days cannot prove the page, then the visit started before them is found', async () => {
    // The two days hold V5 V6 V3 V4, but V8 (started T-2d) was active after V4.
    expect(await list({ limit: '4' })).toEqual(['V5', 'V6', 'V3', 'V8']);
    expect(await list({ limit: '2', offset: '3' })).toEqual(['V8', 'V4']);
    expect(await list({ sort: 'start', limit: '5' })).toEqual(['V5', 'V6', 'V3', 'V4', 'V8']);
  });

  it('when visits are filtered or listed oldest first, then the same rules give the same visits', async () => {
    expect(await list({ country: 'DE', limit: '2' })).toEqual(['V5', 'V3']);
    expect(await list({ country: 'DE', limit: '3' })).toEqual(['V5', 'V3', 'V8']);
    expect(await list({ direction: 'asc', limit: '3' })).toEqual(['V1', 'V2', 'V4']);
  });

  it('when a changed visit is listed, then its latest state is shown', async () => {
    const reply = await h.api(tenant.token, '/api/v1/statistics/session/list', {
      id: site.id,
      from: day(-6),
      to: day(0),
      limit: '2',
    });
    expect(
      reply.body.map((r: { page_views: number; time: string; duration_seconds: number }) => [
        r.page_views,
        r.time,
        r.duration_seconds,
      ]),
    ).toEqual([
      [2, `${day(0)}T09:30:00.000Z`, 1800],
      [2, `${day(0)}T01:05:00.000Z`, 300],
    ]);
  });
});
