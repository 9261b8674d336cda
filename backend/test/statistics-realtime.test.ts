import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { play, startStatsHarness, VISITORS, type StatsHarness, type Tenant } from './statistics-fixture.ts';

/** The realtime view's data: page views per minute of the last half hour, and where the visitors came from. */
let h: StatsHarness;
let tenant: Tenant;
beforeAll(async () => {
  h = await startStatsHarness();
  tenant = await h.tenant();
});
afterAll(() => h?.stop());

describe('realtime minutes', () => {
  it('when visitors came minutes ago, then each minute of the window holds its page views and the sources are counted', async () => {
    const site = await h.site(tenant, { hostname: 'minutes.example' });
    const thisMinute = Math.floor(Date.now() / 60_000) * 60_000;
    const minute = (ago: number) => thisMinute - ago * 60_000;
    const at = (ago: number, second = 20) => new Date(minute(ago) + second * 1000).toISOString();
    await play(h, site, [
      { kind: 'hit', visitor: VISITORS.a, time: at(3), path: '/', referrer: 'https://www.google.com/' },
      { kind: 'hit', visitor: VISITORS.a, time: at(3, 40), path: '/pricing' },
      { kind: 'hit', visitor: VISITORS.b, time: at(2), path: '/' },
      { kind: 'hit', visitor: VISITORS.c, time: at(45), path: '/old' },
    ]);
    const answer = await h.api(tenant.token, '/api/v1/statistics/active/minutes', { id: site.id, start: '600' });
    expect(answer.status, answer.text).toBe(200);
    const minutes = answer.body.minutes as { minute: string; visitors: number; views: number }[];
    // Ten minutes, oldest first, every one present, the last being the current one (the clock may have
    // turned a minute since the visits were written: the minutes are compared as instants, not offsets).
    expect(minutes).toHaveLength(10);
    expect([minute(0), minute(-1)].map((t) => new Date(t).toISOString())).toContain(minutes.at(-1)!.minute);
    expect(minutes.filter((m) => m.views > 0).map((m) => [m.minute, m.visitors, m.views])).toEqual([
      [new Date(minute(3)).toISOString(), 1, 2],
      [new Date(minute(2)).toISOString(), 1, 1],
    ]);
    expect(answer.body.referrers).toEqual([
      { referrer_name: '', visitors: 1 },
      { referrer_name: 'Google', visitors: 1 },
    ]);
    const bad = await h.api(tenant.token, '/api/v1/statistics/active/minutes', { id: site.id, start: '0' });
    expect([bad.status, bad.body.validation]).toEqual([400, { start: 'must be at least 1' }]);
  });
});
