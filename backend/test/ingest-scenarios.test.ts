import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestAccessKey,
  createTestSite,
  startIngestHarness,
  type IngestHarness,
  type TestSite,
} from '@spur/testkit';

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';
const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const GOOGLE = 'https://www.google.com/';

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

async function attribution(site: TestSite) {
  return h.query<Record<string, unknown>>(
    `SELECT referrer, utm_source, utm_medium, utm_campaign FROM session FINAL WHERE site_id = {site:UInt64} ORDER BY start`,
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
      {
        entry_path: '/',
        exit_path: '/pricing',
        page_views: 3,
        events: 0,
        duration_seconds: 270,
        is_bounce: 0,
        referrer_name: '',
        channel: 'Direct',
      },
      {
        entry_path: '/pricing',
        exit_path: '/pricing',
        page_views: 1,
        events: 0,
        duration_seconds: 0,
        is_bounce: 1,
        referrer_name: '',
        channel: 'Direct',
      },
    ]);
    // Time on a page is stored on the next page view of the session.
    const views = await h.query<{
      path: string;
      title: string;
      duration_seconds: number;
      language: string;
      browser: string;
    }>(
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
    expect(
      (await sessions(site)).map((s) => [s.entry_path, s.exit_path, s.page_views, s.referrer_name, s.channel]),
    ).toEqual([
      ['/', '/docs', 2, '', 'Direct'],
      ['/', '/blog', 2, 'Hacker News', 'Organic Social'],
    ]);
  });

  it('when an SPA navigates after a paid landing, resending its referrer without the UTM parameters, then it stays one paid session', async () => {
    // spur.js (document.referrer does not change on pushState) and Pirsch's SDKs resend the landing
    // page's referrer with every hit; the UTM parameters were only in the landing URL.
    const { site, at, send } = await scenario();
    const a = visitor('8.8.8.8');
    await send('hit', [
      { ...a, url: 'https://shop.example/?utm_source=google&utm_medium=cpc', referrer: GOOGLE, time: at(0) },
      { ...a, url: 'https://shop.example/pricing', referrer: GOOGLE, time: at(1) },
      { ...a, url: 'https://shop.example/signup', referrer: GOOGLE, time: at(3) },
    ]);
    await send('event', [
      { ...a, url: 'https://shop.example/signup', referrer: GOOGLE, event_name: 'Signup', time: at(4) },
    ]);
    // Back on the landing URL from a client that forwards the Referer with the first hit only:
    // the same campaign and no referrer is no new source either.
    await send('hit', [
      { ...a, url: 'https://shop.example/?utm_source=google&utm_medium=cpc', referrer: '', time: at(5) },
    ]);
    await h.flushed();

    expect(await totals(site)).toEqual({ sessions: '1', bounces: '0', views: '4', visitors: '1' });
    expect(await sessions(site)).toEqual([
      {
        entry_path: '/',
        exit_path: '/',
        page_views: 4,
        events: 1,
        duration_seconds: 300,
        is_bounce: 0,
        referrer_name: 'Google',
        channel: 'Paid Search',
      },
    ]);
    expect(await attribution(site)).toEqual([
      { referrer: 'https://www.google.com', utm_source: 'google', utm_medium: 'cpc', utm_campaign: '' },
    ]);
  });

  it('when a visitor from Google follows internal links, then every page view and event of the visit is attributed to Google', async () => {
    // The second and third pages arrive with the site itself as referrer (a self-referral, dropped):
    // on their own they would count as Direct, and the pages of visits from Google would be only landings.
    const { site, at, send } = await scenario();
    const a = visitor('8.8.8.8');
    const b = visitor('9.9.9.9', FIREFOX);
    await send('hit', [
      { ...a, url: 'https://shop.example/', referrer: GOOGLE, time: at(0) },
      { ...a, url: 'https://shop.example/pricing', referrer: 'https://shop.example/', time: at(1) },
      { ...b, url: 'https://shop.example/pricing', referrer: '', time: at(1) },
      { ...a, url: 'https://shop.example/signup', referrer: 'https://shop.example/pricing', time: at(2) },
    ]);
    await send('event', [
      {
        ...a,
        url: 'https://shop.example/signup',
        referrer: 'https://shop.example/pricing',
        event_name: 'Signup',
        time: at(3),
      },
    ]);
    await h.flushed();

    const rows = (table: string) =>
      h.query<Record<string, string>>(
        `SELECT path, referrer_name, channel, browser FROM ${table} WHERE site_id = {site:UInt64} ORDER BY time, browser`,
        { site: site.siteId },
      );
    expect(await rows('page_view')).toEqual([
      { path: '/', referrer_name: 'Google', channel: 'Organic Search', browser: 'Chrome' },
      { path: '/pricing', referrer_name: 'Google', channel: 'Organic Search', browser: 'Chrome' },
      { path: '/pricing', referrer_name: '', channel: 'Direct', browser: 'Firefox' },
      { path: '/signup', referrer_name: 'Google', channel: 'Organic Search', browser: 'Chrome' },
    ]);
    expect(await rows('event')).toEqual([
      { path: '/signup', referrer_name: 'Google', channel: 'Organic Search', browser: 'Chrome' },
    ]);
    expect(await sessions(site)).toEqual([
      {
        entry_path: '/',
        exit_path: '/signup',
        page_views: 3,
        events: 1,
        duration_seconds: 180,
        is_bounce: 0,
        referrer_name: 'Google',
        channel: 'Organic Search',
      },
      {
        entry_path: '/pricing',
        exit_path: '/pricing',
        page_views: 1,
        events: 0,
        duration_seconds: 0,
        is_bounce: 1,
        referrer_name: '',
        channel: 'Direct',
      },
    ]);
  });

  it('when a new campaign value arrives mid-session, with the same referrer or none, then a new session starts', async () => {
    const { site, at, send } = await scenario();
    const a = visitor('8.8.8.8');
    await send('hit', [
      {
        ...a,
        url: 'https://shop.example/?utm_source=google&utm_medium=cpc&utm_campaign=spring',
        referrer: GOOGLE,
        time: at(0),
      },
      { ...a, url: 'https://shop.example/pricing', referrer: GOOGLE, time: at(1) },
      {
        ...a,
        url: 'https://shop.example/?utm_source=google&utm_medium=cpc&utm_campaign=summer',
        referrer: GOOGLE,
        time: at(2),
      },
      { ...a, url: 'https://shop.example/docs', referrer: GOOGLE, time: at(3) },
      { ...a, url: 'https://shop.example/?utm_source=newsletter&utm_medium=email', referrer: '', time: at(4) },
      { ...a, url: 'https://shop.example/blog', referrer: 'https://shop.example/', time: at(5) },
    ]);
    await h.flushed();

    expect(await totals(site)).toEqual({ sessions: '3', bounces: '0', views: '6', visitors: '1' });
    expect(
      (await sessions(site)).map((s) => [
        s.entry_path,
        s.exit_path,
        s.page_views,
        s.duration_seconds,
        s.referrer_name,
        s.channel,
      ]),
    ).toEqual([
      ['/', '/pricing', 2, 60, 'Google', 'Paid Search'],
      ['/', '/docs', 2, 60, 'Google', 'Paid Search'],
      ['/', '/blog', 2, 60, 'newsletter', 'Email'],
    ]);
    expect((await attribution(site)).map((s) => [s.referrer, s.utm_source, s.utm_campaign])).toEqual([
      ['https://www.google.com', 'google', 'spring'],
      ['https://www.google.com', 'google', 'summer'],
      ['', 'newsletter', ''],
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
      {
        ...a,
        url: 'https://shop.example/',
        event_name: 'Signup',
        event_meta: { plan: 'pro', seats: 3 },
        event_duration: 12,
        time: at(2),
      },
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
      {
        event_name: 'Signup',
        event_meta_keys: ['plan', 'seats'],
        event_meta_values: ['pro', '3'],
        duration_seconds: 12,
        non_interactive: 0,
        path: '/',
      },
      {
        event_name: 'Scrolled',
        event_meta_keys: [],
        event_meta_values: [],
        duration_seconds: 0,
        non_interactive: 1,
        path: '/',
      },
    ]);
    expect((await sessions(site)).map((s) => [s.events, s.is_bounce, s.duration_seconds]).sort()).toEqual([
      [1, 0, 120],
      [1, 1, 180],
    ]);
  });

  it('when a visit consists of events only, then it viewed no page and is no bounce', async () => {
    // Server-side integrations may send events without any page view: such a visit did not leave
    // after one page, and a bounce counted for it would land on its entry path, a page never viewed.
    const { site, at, send } = await scenario();
    const a = visitor('8.8.8.8');
    await send('event', [
      { ...a, url: 'https://shop.example/', event_name: 'Scrolled', non_interactive: true, time: at(0) },
      { ...a, url: 'https://shop.example/', event_name: 'Scrolled', non_interactive: true, time: at(1) },
    ]);
    await h.flushed();
    expect(await totals(site)).toEqual({ sessions: '1', bounces: '0', views: '0', visitors: '1' });
    expect(await sessions(site)).toEqual([
      {
        entry_path: '/',
        exit_path: '/',
        page_views: 0,
        events: 2,
        duration_seconds: 60,
        is_bounce: 0,
        referrer_name: '',
        channel: 'Direct',
      },
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
    // Both are held (a 202 says Redis has them); the sessionizer, which alone knows whether a visit
    // is live, drops the second downstream, so it reaches neither ClickHouse nor the request log.
    expect(summary).toEqual({ accepted: 2, dropped: 0, rejected: [] });
    await h.flushed();
    expect((await sessions(site)).map((s) => [s.page_views, s.duration_seconds, s.is_bounce])).toEqual([[1, 600, 1]]);
  });
});

/**
 * A backend node of its own, to send hits at any time: the batch API only takes the last day or so.
 * Each node keeps the salts it has seen in memory, so only Redis can make two of them agree.
 */
async function ingestNode(site: TestSite) {
  const { createIngestPipeline, createSiteDirectory, openGeo } = await import('@spur/ingest');
  const pipeline = createIngestPipeline({
    redis: h.stores.redis,
    sites: createSiteDirectory(h.stores.postgres.pool),
    geo: await openGeo(),
    trustedProxies: [],
    maxBacklog: 1_000_000,
    log: h.log,
  });
  return (ip: string, path: string, time: Date) =>
    pipeline.ingest({
      kind: 'page_view',
      payload: {
        url: `https://${site.hostname}${path}`,
        title: path,
        referrer: '',
        screen_width: 0,
        screen_height: 0,
        tags: {},
        ip,
        user_agent: CHROME,
      },
      auth: { type: 'principal', organizationId: site.organizationId, siteId: site.siteId },
      remoteAddress: '127.0.0.1',
      headers: {},
      time,
    });
}

describe('a visit across midnight', () => {
  it('when the daily salt changes during a visit, then it stays one visitor and one session', async () => {
    const site = await createTestSite(h.stores.postgres.pool, { hostname: 'night.example' });
    // The last UTC midnight, so that yesterday's and today's salts are both live in Redis (salts
    // expire two days after their day starts; the minutes after midnight may be still to come,
    // which the pipeline does not mind). The visit continues on another node after midnight,
    // which knows the visitor only through yesterday's salt as Redis keeps it.
    const midnight = Math.floor(Date.now() / DAY) * DAY;
    const at = (minutes: number) => new Date(midnight + minutes * MIN);
    const evening = await ingestNode(site);
    const morning = await ingestNode(site);
    // Night owl: 23:50 → 00:05 → 00:12 UTC. Early bird: first seen at 00:10.
    expect(await evening('8.8.8.8', '/evening', at(-10))).toEqual({ status: 'accepted' });
    expect(await morning('8.8.8.8', '/midnight', at(5))).toEqual({ status: 'accepted' });
    expect(await morning('1.1.1.1', '/morning', at(10))).toEqual({ status: 'accepted' });
    expect(await morning('8.8.8.8', '/late', at(12))).toEqual({ status: 'accepted' });
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

  it('when a visitor keeps browsing for more than 24 hours, then the page after the 24th hour starts a new session', async () => {
    const site = await createTestSite(h.stores.postgres.pool, { hostname: 'marathon.example' });
    const start = Math.floor((Date.now() - 25 * 60 * MIN) / MIN) * MIN;
    const hit = await ingestNode(site);
    // A page every 25 minutes (never idle for 30): /p57 at 23:45 h is within the cap, /p58 at 24:10 h is not.
    for (let n = 0; n <= 58; n++) {
      expect(await hit('8.8.8.8', `/p${n}`, new Date(start + n * 25 * MIN))).toEqual({ status: 'accepted' });
    }
    await h.flushed();

    expect(
      (await sessions(site)).map((s) => [s.entry_path, s.exit_path, s.page_views, s.duration_seconds, s.is_bounce]),
    ).toEqual([
      ['/p0', '/p57', 58, 57 * 25 * 60, 0],
      ['/p58', '/p58', 1, 0, 1],
    ]);
  });
});
