import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAccessKey, createTestSite, startIngestHarness, type IngestHarness, type TestSite } from '@spur/testkit';

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';
const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const MIN = 60_000;

let h: IngestHarness;
beforeAll(async () => {
  h = await startIngestHarness();
});
afterAll(() => h?.stop());

/** A fresh site and access key per scenario, and a clock starting 6 hours ago. */
async function scenario() {
  const site = await createTestSite(h.stores.postgres.pool, { hostname: 'shop.example' });
  const key = await createTestAccessKey(h.stores.postgres.pool, site);
  const start = Math.floor((Date.now() - 6 * 60 * MIN) / 1000) * 1000;
  const at = (minutes: number) => new Date(start + minutes * MIN).toISOString();
  const send = async (kind: 'hit' | 'event' | 'session', items: Record<string, unknown>[]) => {
    const response = await h.post(`/api/v1/${kind}/batch`, items, { authorization: `Bearer ${key}` });
    expect(response.status, await response.clone().text()).toBe(202);
    return response.json();
  };
  return { site, at, send };
}

const visitor = (ip: string, user_agent = CHROME) => ({ ip, user_agent, accept_language: 'de-DE,de;q=0.9,en;q=0.8' });

async function sessions(site: TestSite) {
  return h.query<Record<string, unknown>>(
    `SELECT entry_path, exit_path, page_views, events, duration_seconds, is_bounce, referrer_name, channel
     FROM session FINAL WHERE site_id = {site:UInt64} ORDER BY start, entry_path`,
    { site: site.siteId },
  );
}

async function totals(site: TestSite) {
  const [row] = await h.query<Record<string, string>>(
    `SELECT sum(sign) AS sessions, sum(sign * is_bounce) AS bounces, sum(sign * page_views) AS views,
            uniqExactIf(visitor_id, sign = 1) AS visitors
     FROM session WHERE site_id = {site:UInt64}`,
    { site: site.siteId },
  );
  return row;
}

describe('ingest scenarios (hand-computed expectations)', () => {
  it('when two visitors browse, then visitors, views, sessions, bounces, entry/exit pages and durations are exact', async () => {
    const { site, at, send } = await scenario();
    const a = visitor('8.8.8.8');
    const b = visitor('1.1.1.1', FIREFOX);
    await send('hit', [
      { ...a, url: 'https://shop.example/', title: 'Home', time: at(0) },
      { ...b, url: 'https://shop.example/pricing', title: 'Pricing', time: at(1) },
      { ...a, url: 'https://shop.example/about/', title: 'About', time: at(2) },
      { ...a, url: 'https://shop.example/pricing?plan=pro', title: 'Pricing', time: at(4.5) },
    ]);
    await h.flushed();

    expect(await totals(site)).toEqual({ sessions: '2', bounces: '1', views: '4', visitors: '2' });
    expect(await sessions(site)).toEqual([
      { entry_path: '/', exit_path: '/pricing', page_views: 3, events: 0, duration_seconds: 270, is_bounce: 0, referrer_name: '', channel: 'Direct' },
      { entry_path: '/pricing', exit_path: '/pricing', page_views: 1, events: 0, duration_seconds: 0, is_bounce: 1, referrer_name: '', channel: 'Direct' },
    ]);
    // Time on a page is stored on the next page view of the session.
    const views = await h.query<{ path: string; title: string; duration_seconds: number; language: string; browser: string }>(
      'SELECT path, title, duration_seconds, language, browser FROM page_view WHERE site_id = {site:UInt64} ORDER BY time',
      { site: site.siteId },
    );
    expect(views).toEqual([
      { path: '/', title: 'Home', duration_seconds: 0, language: 'de', browser: 'Chrome' },
      { path: '/pricing', title: 'Pricing', duration_seconds: 0, language: 'de', browser: 'Firefox' },
      { path: '/about', title: 'About', duration_seconds: 120, language: 'de', browser: 'Chrome' },
      { path: '/pricing', title: 'Pricing', duration_seconds: 150, language: 'de', browser: 'Chrome' },
    ]);
  });

  it('when a visitor is idle for more than 30 minutes, then the next page starts a new session', async () => {
    const { site, at, send } = await scenario();
    const a = visitor('8.8.4.4');
    await send('hit', [
      { ...a, url: 'https://shop.example/a', time: at(0) },
      { ...a, url: 'https://shop.example/b', time: at(29) },
      { ...a, url: 'https://shop.example/c', time: at(60) },
    ]);
    await h.flushed();
    expect(await totals(site)).toEqual({ sessions: '2', bounces: '1', views: '3', visitors: '1' });
    expect((await sessions(site)).map((s) => [s.entry_path, s.exit_path, s.duration_seconds])).toEqual([
      ['/a', '/b', 29 * 60],
      ['/c', '/c', 0],
    ]);
  });

  it('when a visitor returns through a new referrer, then a new session starts even within 30 minutes', async () => {
    const { site, at, send } = await scenario();
    const a = visitor('9.9.9.9');
    await send('hit', [
      { ...a, url: 'https://shop.example/', time: at(0) },
      { ...a, url: 'https://shop.example/docs', referrer: 'https://shop.example/', time: at(1) },
      { ...a, url: 'https://shop.example/', referrer: 'https://news.ycombinator.com/item?id=1', time: at(5) },
      { ...a, url: 'https://shop.example/blog', referrer: 'https://shop.example/', time: at(6) },
    ]);
    await h.flushed();
    expect((await sessions(site)).map((s) => [s.entry_path, s.exit_path, s.page_views, s.referrer_name, s.channel])).toEqual([
      ['/', '/docs', 2, '', 'Direct'],
      ['/', '/blog', 2, 'Hacker News', 'Organic Social'],
    ]);
  });

  it('when a visitor sends an interactive event, then the session is no bounce; a non-interactive one keeps it a bounce', async () => {
    const { site, at, send } = await scenario();
    const a = visitor('8.8.8.8');
    const b = visitor('1.0.0.1');
    await send('hit', [
      { ...a, url: 'https://shop.example/', time: at(0) },
      { ...b, url: 'https://shop.example/', time: at(0) },
    ]);
    await send('event', [
      { ...a, url: 'https://shop.example/', event_name: 'Signup', event_meta: { plan: 'pro', seats: 3 }, event_duration: 12, time: at(2) },
      { ...b, url: 'https://shop.example/', event_name: 'Scrolled', non_interactive: true, time: at(3) },
    ]);
    await h.flushed();
    expect(await totals(site)).toEqual({ sessions: '2', bounces: '1', views: '2', visitors: '2' });
    const events = await h.query<Record<string, unknown>>(
      `SELECT event_name, event_meta_keys, event_meta_values, duration_seconds, non_interactive, path
       FROM event WHERE site_id = {site:UInt64} ORDER BY time`,
      { site: site.siteId },
    );
    expect(events).toEqual([
      { event_name: 'Signup', event_meta_keys: ['plan', 'seats'], event_meta_values: ['pro', '3'], duration_seconds: 12, non_interactive: 0, path: '/' },
      { event_name: 'Scrolled', event_meta_keys: [], event_meta_values: [], duration_seconds: 0, non_interactive: 1, path: '/' },
    ]);
    expect((await sessions(site)).map((s) => [s.events, s.is_bounce, s.duration_seconds]).sort()).toEqual([
      [1, 0, 120],
      [1, 1, 180],
    ]);
  });

  it('when session pings arrive, then they extend a live session and are ignored without one', async () => {
    const { site, at, send } = await scenario();
    const a = visitor('8.8.8.8');
    await send('hit', [{ ...a, url: 'https://shop.example/', time: at(0) }]);
    const summary = await send('session', [
      { ...a, time: at(10) },
      { ...visitor('4.4.4.4'), time: at(10) },
    ]);
    expect(summary).toEqual({ accepted: 1, dropped: 1, rejected: [] });
    await h.flushed();
    expect((await sessions(site)).map((s) => [s.page_views, s.duration_seconds, s.is_bounce])).toEqual([[1, 600, 1]]);
  });
});

describe('a visit across midnight', () => {
  it('when the daily salt changes during a visit, then it stays one visitor and one session', async () => {
    const { createIngestPipeline, createSiteDirectory, openGeo } = await import('@spur/ingest');
    const site = await createTestSite(h.stores.postgres.pool, { hostname: 'night.example' });
    const pipeline = createIngestPipeline({
      redis: h.stores.redis,
      sites: createSiteDirectory(h.stores.postgres.pool),
      geo: await openGeo(),
      trustedProxies: [],
      maxBacklog: 1_000_000,
      log: h.log,
    });
    const hit = (ip: string, path: string, time: string) =>
      pipeline.ingest({
        kind: 'page_view',
        payload: { url: `https://night.example${path}`, title: path, referrer: '', screen_width: 0, screen_height: 0, tags: {}, ip, user_agent: CHROME },
        auth: { type: 'principal', organizationId: site.organizationId, siteId: site.siteId },
        remoteAddress: '127.0.0.1',
        headers: {},
        time: new Date(time),
      });
    // Night owl: 23:50 → 00:05 → 00:12 UTC. Early bird: first seen at 00:10.
    expect(await hit('8.8.8.8', '/evening', '2026-03-14T23:50:00Z')).toEqual({ status: 'accepted' });
    expect(await hit('8.8.8.8', '/midnight', '2026-03-15T00:05:00Z')).toEqual({ status: 'accepted' });
    expect(await hit('1.1.1.1', '/morning', '2026-03-15T00:10:00Z')).toEqual({ status: 'accepted' });
    expect(await hit('8.8.8.8', '/late', '2026-03-15T00:12:00Z')).toEqual({ status: 'accepted' });
    await h.flushed();

    expect(await totals(site)).toEqual({ sessions: '2', bounces: '1', views: '4', visitors: '2' });
    expect((await sessions(site)).map((s) => [s.entry_path, s.exit_path, s.page_views, s.duration_seconds])).toEqual([
      ['/evening', '/late', 3, 22 * 60],
      ['/morning', '/morning', 1, 0],
    ]);
    const [views] = await h.query<{ visitors: string; sessions: string }>(
      'SELECT uniqExact(visitor_id) AS visitors, uniqExact(visitor_id, session_id) AS sessions FROM page_view WHERE site_id = {site:UInt64}',
      { site: site.siteId },
    );
    expect(views).toEqual({ visitors: '2', sessions: '2' });
  });
});
