import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  play,
  startStatsHarness,
  VISITORS,
  writeVisits,
  yesterday,
  type StatsHarness,
  type Tenant,
} from './statistics-fixture.ts';

/**
 * Days, hours and buckets in the site's (or the request's) time zone, across DST changes, and
 * series over months: gap-filled, and compared with the period before.
 */
let h: StatsHarness;
let tenant: Tenant;
beforeAll(async () => {
  h = await startStatsHarness();
  tenant = await h.tenant();
});
afterAll(() => h?.stop());

const series = async (siteId: string, query: Record<string, string>, key = 'day') => {
  const reply = await h.api(tenant.token, '/api/v1/statistics/visitor', { id: siteId, ...query });
  expect(reply.status, reply.text).toBe(200);
  return reply.body.map((r: Record<string, unknown>) => [String(r[key]).slice(0, 10), r.visitors, r.views]);
};

describe('time zones', () => {
  it("when a visit crosses midnight in the site's zone but not in UTC, then it counts on the local day", async () => {
    const site = await h.site(tenant, { hostname: 'tokyo.example', timezone: 'Asia/Tokyo' });
    const day = yesterday();
    const today = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    await play(h, site, [
      { kind: 'hit', visitor: VISITORS.a, time: `${day}T14:30:00Z`, path: '/' }, // 23:30 in Tokyo
      { kind: 'hit', visitor: VISITORS.b, time: `${day}T15:30:00Z`, path: '/' }, // 00:30 the next day in Tokyo
    ]);
    expect(await series(site.id, { from: day, to: today })).toEqual([
      [day, 1, 1],
      [today, 1, 1],
    ]);
    expect(await series(site.id, { from: day, to: today, tz: 'UTC' })).toEqual([
      [day, 2, 2],
      [today, 0, 0],
    ]);
    const total = await h.api(tenant.token, '/api/v1/statistics/total', { id: site.id, from: day, to: day });
    expect(total.body.visitors).toBe(1);
  });

  it('when Berlin leaves summer time, then the 25-hour day holds its visits and 02:30 happens twice', async () => {
    const site = await h.site(tenant, { hostname: 'autumn.example', timezone: 'Europe/Berlin' });
    await writeVisits(h, site, [
      { pages: [['2025-10-25T21:30:00Z', '/']] }, // 23:30 CEST, Oct 25
      { pages: [['2025-10-25T22:30:00Z', '/']] }, // 00:30 CEST, Oct 26
      { pages: [['2025-10-26T00:30:00Z', '/']] }, // 02:30 CEST
      { pages: [['2025-10-26T01:30:00Z', '/']] }, // 02:30 CET, the hour again
      { pages: [['2025-10-26T22:30:00Z', '/']] }, // 23:30 CET, Oct 26
      { pages: [['2025-10-26T23:30:00Z', '/']] }, // 00:30 CET, Oct 27
    ]);
    expect(await series(site.id, { from: '2025-10-25', to: '2025-10-27' })).toEqual([
      ['2025-10-25', 1, 1],
      ['2025-10-26', 4, 4],
      ['2025-10-27', 1, 1],
    ]);
    expect(await series(site.id, { from: '2025-10-25', to: '2025-10-27', tz: 'UTC' })).toEqual([
      ['2025-10-25', 2, 2],
      ['2025-10-26', 4, 4],
      ['2025-10-27', 0, 0],
    ]);
    const hours = await h.api(tenant.token, '/api/v1/statistics/hours', {
      id: site.id,
      from: '2025-10-26',
      to: '2025-10-26',
    });
    expect(
      hours.body
        .filter((r: { visitors: number }) => r.visitors > 0)
        .map((r: { hour: number; visitors: number }) => [r.hour, r.visitors]),
    ).toEqual([
      [0, 1],
      [2, 2],
      [23, 1],
    ]);
    // Saturday 25th, Sunday 26th, Monday 27th in Berlin; Monday = 0.
    const weekdays = await h.api(tenant.token, '/api/v1/statistics/weekdays', {
      id: site.id,
      from: '2025-10-25',
      to: '2025-10-27',
    });
    expect(
      weekdays.body
        .filter((r: { visitors: number }) => r.visitors > 0)
        .map((r: { weekday: number; hour: number; visitors: number }) => [r.weekday, r.hour, r.visitors]),
    ).toEqual([
      [0, 0, 1],
      [5, 23, 1],
      [6, 0, 1],
      [6, 2, 2],
      [6, 23, 1],
    ]);
    const growth = async (date: string) =>
      (await h.api(tenant.token, '/api/v1/statistics/growth', { id: site.id, from: date, to: date })).body;
    // The 25-hour 26th (4 visits, the last at 22:30 UTC) against the 25th (1); every visit bounced.
    expect(await growth('2025-10-26')).toEqual({
      visitors_growth: 3,
      views_growth: 3,
      sessions_growth: 3,
      bounces_growth: 0,
      time_spent_growth: 0,
      cr_growth: 0,
      custom_metric_avg_growth: 0,
      custom_metric_total_growth: 0,
    });
    // The 27th (1) against all 25 hours of the 26th (4); 24 hours back would miss its 00:30 CEST visit.
    expect(await growth('2025-10-27')).toMatchObject({
      visitors_growth: -0.75,
      views_growth: -0.75,
      sessions_growth: -0.75,
    });
  });

  it('when Berlin enters summer time, then the 23-hour day ends at 22:00 UTC', async () => {
    const site = await h.site(tenant, { hostname: 'spring.example', timezone: 'Europe/Berlin' });
    await writeVisits(h, site, [
      { pages: [['2025-03-29T23:30:00Z', '/']] }, // 00:30 CET, Mar 30
      { pages: [['2025-03-30T21:30:00Z', '/']] }, // 23:30 CEST, Mar 30
      { pages: [['2025-03-30T22:30:00Z', '/']] }, // 00:30 CEST, Mar 31
    ]);
    expect(await series(site.id, { from: '2025-03-29', to: '2025-03-31' })).toEqual([
      ['2025-03-29', 0, 0],
      ['2025-03-30', 2, 2],
      ['2025-03-31', 1, 1],
    ]);
    expect(await series(site.id, { from: '2025-03-29', to: '2025-03-31', tz: 'UTC' })).toEqual([
      ['2025-03-29', 1, 1],
      ['2025-03-30', 2, 2],
      ['2025-03-31', 0, 0],
    ]);
  });
});

describe('long periods', () => {
  it('when months, weeks and years are asked for, then every bucket is present and growth compares equal periods', async () => {
    const site = await h.site(tenant, { hostname: 'months.example' });
    await writeVisits(h, site, [
      { pages: [['2025-01-15T10:00:00Z', '/']] },
      { pages: [['2025-02-10T10:00:00Z', '/']] },
      {
        pages: [
          ['2025-03-10T10:00:00Z', '/'],
          ['2025-03-10T10:05:00Z', '/pricing'],
        ],
      },
      {
        pages: [
          ['2025-03-20T10:00:00Z', '/'],
          ['2025-03-20T10:05:00Z', '/docs'],
        ],
      },
    ]);
    expect(await series(site.id, { from: '2025-01-01', to: '2025-04-30', scale: 'month' }, 'month')).toEqual([
      ['2025-01-01', 1, 1],
      ['2025-02-01', 1, 1],
      ['2025-03-01', 2, 4],
      ['2025-04-01', 0, 0],
    ]);
    expect(await series(site.id, { from: '2025-03-03', to: '2025-03-23', scale: 'week' }, 'week')).toEqual([
      ['2025-03-03', 0, 0],
      ['2025-03-10', 1, 2],
      ['2025-03-17', 1, 2],
    ]);
    expect(await series(site.id, { from: '2024-12-01', to: '2025-04-30', scale: 'year' }, 'year')).toEqual([
      ['2024-01-01', 0, 0],
      ['2025-01-01', 4, 6],
    ]);
    // March (31 days) against Jan 29 - Feb 28: 2 visitors with 4 views and no bounce vs 1 bouncing visitor.
    const growth = await h.api(tenant.token, '/api/v1/statistics/growth', {
      id: site.id,
      from: '2025-03-01',
      to: '2025-03-31',
    });
    expect(growth.body).toEqual({
      visitors_growth: 1,
      views_growth: 3,
      sessions_growth: 1,
      bounces_growth: -1,
      time_spent_growth: 1,
      cr_growth: 0,
      custom_metric_avg_growth: 0,
      custom_metric_total_growth: 0,
    });
    const durations = await h.api(tenant.token, '/api/v1/statistics/duration/session', {
      id: site.id,
      from: '2025-03-01',
      to: '2025-03-31',
      scale: 'month',
    });
    expect(
      durations.body.map((r: { month: string; average_time_spent_seconds: number }) => [
        r.month,
        r.average_time_spent_seconds,
      ]),
    ).toEqual([['2025-03-01T00:00:00Z', 300]]);
  });

  it('when a day is cut at a time of day (to_time), then only visits before that time in the zone count', async () => {
    const site = await h.site(tenant, { hostname: 'cut.example', timezone: 'Europe/Berlin' });
    await writeVisits(h, site, [
      { pages: [['2025-03-10T08:00:00Z', '/']] }, // 09:00 in Berlin
      { pages: [['2025-03-10T10:59:00Z', '/a']] }, // 11:59
      { pages: [['2025-03-10T11:00:00Z', '/b']] }, // 12:00: not before the cut
    ]);
    const total = async (query: Record<string, string>) =>
      (
        await h.api(tenant.token, '/api/v1/statistics/total', {
          id: site.id,
          from: '2025-03-10',
          to: '2025-03-10',
          ...query,
        })
      ).body.visitors;
    expect(await total({})).toBe(3);
    expect(await total({ to_time: '12:00' })).toBe(2);
    expect(await total({ to_time: '00:00' })).toBe(0);
    const bad = await h.api(tenant.token, '/api/v1/statistics/total', {
      id: site.id,
      from: '2025-03-10',
      to: '2025-03-10',
      to_time: '25:00',
    });
    expect([bad.status, bad.body.validation?.to_time ?? bad.body]).toEqual([400, 'must be a time of day (HH:MM)']);
  });
});
