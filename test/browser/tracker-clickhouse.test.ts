import http from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { listen, type RunningServer } from '@spur/runtime';
import { createTestSite, startIngestHarness, type IngestHarness, type TestSite } from '@spur/testkit';
import {
  launchTrackerBrowser,
  PAGE_HOST,
  startPageServer,
  trackerPageHtml,
  type PageServer,
  type TrackerPage,
} from './tracker-pages.ts';

// Headless Chromium announces itself as HeadlessChrome, which the bot filter drops, as it should.
const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';

let h: IngestHarness;
let browser: Browser;
let pages: PageServer;
let site: TestSite;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [h, browser, pages] = await Promise.all([startIngestHarness(), launchTrackerBrowser(), startPageServer()]);
  site = await createTestSite(h.stores.postgres.pool, { hostname: PAGE_HOST });
});
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await browser?.close();
  await pages?.close();
  await h?.stop();
});

type OpenOptions = {
  /** Runs in the page before spur.js (opt-out flags, a missing sendBeacon). */
  init?: string;
  /** Appended to the page's URL: a query string and/or a fragment. */
  query?: string;
  /** Reach the page by clicking a link on this origin, which becomes the referrer. */
  from?: string;
};

/**
 * Opens `path`, served with spur.js from the real backend, in a fresh context. `sent` lists the
 * requests spur.js made to the ingest API, with Chromium's resource type (`fetch` or `ping`).
 */
async function open(path: string, page: TrackerPage, options: OpenOptions = {}) {
  pages.set(path, trackerPageHtml(`${h.backend.url}/spur.js`, page));
  const context = await browser.newContext({
    userAgent: CHROME,
    screen: { width: 1920, height: 1080 },
    viewport: { width: 1280, height: 800 },
  });
  contexts.push(context);
  const sent: { url: string; type: string }[] = [];
  context.on('request', (request) => {
    if (new URL(request.url()).pathname.includes('/api/v1/'))
      sent.push({ url: request.url(), type: request.resourceType() });
  });
  if (options.init) await context.addInitScript(options.init);
  const tab = await context.newPage();
  const target = `${pages.origin()}${path}${options.query ?? ''}`;
  if (options.from) {
    pages.set('/from', `<!doctype html><a id="go" href="${target}">go</a>`);
    await tab.goto(`${options.from}/from?campaign=spring`);
    await Promise.all([tab.waitForURL(target), tab.click('#go')]);
  } else {
    await tab.goto(target);
  }
  await tab.waitForFunction('typeof window.spur === "function"');
  return { tab, context, sent };
}

const rows = <T>(sql: string) => h.query<T>(sql, { site: site.siteId });

/** `columns` of `table` for one site, in arrival order. */
const rowsOf = (s: TestSite, table: 'page_view' | 'event', columns: string) =>
  h.query(`SELECT ${columns} FROM ${table} WHERE site_id = {s:UInt64} ORDER BY time`, { s: s.siteId });

/**
 * Waits until `s` has `n` rows in `table`. Beacons travel on parallel connections: waiting for each
 * row before the next navigation gives the rows a defined order.
 */
async function arrived(s: TestSite, table: 'page_view' | 'event', n: number) {
  const count = async () => {
    await h.flushed();
    return Number(
      (
        await h.query<{ n: string }>(`SELECT count() AS n FROM ${table} WHERE site_id = {s:UInt64}`, { s: s.siteId })
      )[0]!.n,
    );
  };
  await expect.poll(count, { timeout: 15_000, interval: 100 }).toBe(n);
}

/** Time for requests that must not be sent to show up anyway, then everything flushed. */
async function settled() {
  await new Promise((r) => setTimeout(r, 500));
  await h.flushed();
}

const newSite = () => createTestSite(h.stores.postgres.pool, { hostname: PAGE_HOST });

describe('spur.js against the real backend', () => {
  it('when a visitor browses an SPA, clicks and triggers events, then ClickHouse holds exactly those rows', async () => {
    const { tab, context } = await open('/shop', {
      attrs: { code: site.identificationCode, 'tag-plan': 'pro', 'enable-sessions': true, 'session-interval': '1' },
      title: 'Shop',
      body: `<a id="out" href="http://partner.test:${pages.port}/offer">partner</a>
             <a id="dl" href="/files/price-list.pdf">prices</a>
             <button id="buy" data-spur-event="Buy" data-spur-meta-sku="A-1">buy</button>`,
    });
    await tab.evaluate(() => {
      document.title = 'Cart';
      history.pushState({}, '', '/shop/cart');
    });
    await tab.evaluate(() =>
      (window as unknown as { spur: (n: string, o: object) => Promise<unknown> }).spur('Coupon', {
        meta: { code: 'SPRING' },
        duration: 3,
      }),
    );
    await tab.click('#buy');
    await tab.click('#out');
    await tab.click('#dl');
    await tab.evaluate(() => (window as unknown as { spur404: () => Promise<unknown> }).spur404());
    // Keep-alive pings (every second) must extend the session past its last event.
    const lastEvent = async () =>
      (await rows<{ t: string }>('SELECT toString(max(time)) AS t FROM event WHERE site_id = {site:UInt64}'))[0]!.t;
    const lastActivity = async () =>
      (
        await rows<{ t: string }>('SELECT toString(max(time)) AS t FROM session FINAL WHERE site_id = {site:UInt64}')
      )[0]!.t;
    await expect
      .poll(
        async () => {
          await h.flushed();
          return (await lastActivity()) > (await lastEvent());
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe(true);
    await context.close();
    await h.flushed();

    expect(
      await rows(
        'SELECT path, title, screen_class, tag_keys, tag_values, browser FROM page_view WHERE site_id = {site:UInt64} ORDER BY time',
      ),
    ).toEqual([
      { path: '/shop', title: 'Shop', screen_class: 'XL', tag_keys: ['plan'], tag_values: ['pro'], browser: 'Chrome' },
      {
        path: '/shop/cart',
        title: 'Cart',
        screen_class: 'XL',
        tag_keys: ['plan'],
        tag_values: ['pro'],
        browser: 'Chrome',
      },
    ]);
    expect(
      await rows(
        'SELECT event_name, event_meta_keys AS k, event_meta_values AS v, duration_seconds AS d, path FROM event WHERE site_id = {site:UInt64} ORDER BY time',
      ),
    ).toEqual([
      { event_name: 'Coupon', k: ['code'], v: ['SPRING'], d: 3, path: '/shop/cart' },
      { event_name: 'Buy', k: ['sku'], v: ['A-1'], d: 0, path: '/shop/cart' },
      {
        event_name: 'Outbound Link Click',
        k: ['url'],
        v: [`http://partner.test:${pages.port}/offer`],
        d: 0,
        path: '/shop/cart',
      },
      {
        event_name: 'File Download',
        k: ['file'],
        v: [`${pages.origin()}/files/price-list.pdf`],
        d: 0,
        path: '/shop/cart',
      },
      { event_name: '404 Page Not Found', k: ['path'], v: ['/shop/cart'], d: 0, path: '/shop/cart' },
    ]);
    const sessions = await rows<{
      entry_path: string;
      exit_path: string;
      page_views: number;
      events: number;
      is_bounce: number;
      duration_seconds: number;
    }>(
      'SELECT entry_path, exit_path, page_views, events, is_bounce, duration_seconds FROM session FINAL WHERE site_id = {site:UInt64}',
    );
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({
      entry_path: '/shop',
      exit_path: '/shop/cart',
      page_views: 2,
      events: 5,
      is_bounce: 0,
    });
  });

  it('when the visitor opted out or the path is excluded, then nothing reaches ClickHouse, while a normal page of the same site is counted', async () => {
    // Its pages are served at PAGE_HOST too: an alternative hostname, or the hostname shield drops them.
    const other = await createTestSite(h.stores.postgres.pool, { hostname: 'other.test', alternatives: [PAGE_HOST] });
    const optOut = await open(
      '/private',
      { attrs: { code: other.identificationCode } },
      { init: 'localStorage.setItem("spur_ignore", "1")' },
    );
    await optOut.tab.evaluate(() => (window as unknown as { spur: (n: string) => Promise<unknown> }).spur('Ignored'));
    await optOut.context.close();
    const excluded = await open('/admin/users', { attrs: { code: other.identificationCode, exclude: '^/admin' } });
    await excluded.tab.evaluate(() => (window as unknown as { spur: (n: string) => Promise<unknown> }).spur('Ignored'));
    await excluded.context.close();
    // The control: the same site and script, neither opted out nor excluded.
    const counted = await open('/public', { attrs: { code: other.identificationCode, exclude: '^/admin' } });
    await counted.tab.evaluate(() => (window as unknown as { spur: (n: string) => Promise<unknown> }).spur('Counted'));
    await arrived(other, 'event', 1);
    await settled();
    expect(await rowsOf(other, 'page_view', 'path')).toEqual([{ path: '/public' }]);
    expect(await rowsOf(other, 'event', 'event_name, path')).toEqual([{ event_name: 'Counted', path: '/public' }]);
    expect(await h.query('SELECT sum(sign) AS n FROM session WHERE site_id = {s:UInt64}', { s: other.siteId })).toEqual(
      [{ n: '1' }],
    );
  });
});

describe('spur.js options against the real backend', () => {
  it('when data-code lists several codes, then each site gets its own row of the page view and of the event', async () => {
    const sites = [await newSite(), await newSite(), await newSite()];
    const [a, b, c] = sites.map((s) => s.identificationCode);
    const { tab } = await open('/rollup', { attrs: { code: `${a}, ${b} ${c}`, 'tag-author': 'ada' } });
    await tab.evaluate(() => (window as unknown as { spur: (n: string) => Promise<unknown> }).spur('Signup'));
    for (const s of sites) await arrived(s, 'event', 1);
    await settled();
    for (const s of sites) {
      expect(await rowsOf(s, 'page_view', 'path, tag_keys, tag_values')).toEqual([
        { path: '/rollup', tag_keys: ['author'], tag_values: ['ada'] },
      ]);
      expect(await rowsOf(s, 'event', 'event_name, path')).toEqual([{ event_name: 'Signup', path: '/rollup' }]);
    }
  });

  it('when data-hash is set, then hash routes are pages of their own', async () => {
    const s = await newSite();
    const { tab } = await open('/spa', { attrs: { code: s.identificationCode, hash: true } }, { query: '#/home' });
    await arrived(s, 'page_view', 1);
    await tab.evaluate(`location.hash = '#/about'`);
    await arrived(s, 'page_view', 2);
    await tab.evaluate(`history.pushState({}, '', '/spa#/contact')`);
    await arrived(s, 'page_view', 3);
    await settled();
    expect(await rowsOf(s, 'page_view', 'path')).toEqual([
      { path: '/spa#/home' },
      { path: '/spa#/about' },
      { path: '/spa#/contact' },
    ]);
  });

  it('when an SPA replaces its URL and the visitor goes back, then each new URL is one row and a replaced or repeated URL none', async () => {
    const s = await newSite();
    const { tab } = await open('/app', { attrs: { code: s.identificationCode } });
    await arrived(s, 'page_view', 1);
    await tab.evaluate(`history.pushState({}, '', '/app/a')`);
    await arrived(s, 'page_view', 2);
    await tab.evaluate(`history.pushState({}, '', '/app/a')`);
    await tab.evaluate(`history.replaceState({ scroll: 1 }, '', '/app/a')`);
    await tab.evaluate(`history.replaceState({}, '', '/app/b')`);
    await arrived(s, 'page_view', 3);
    // Back from the replaced entry (/app/b) to the first /app/a: a popstate.
    await tab.evaluate('history.back()');
    await arrived(s, 'page_view', 4);
    // Without data-hash a fragment is the same page.
    await tab.evaluate(`location.hash = '#section'`);
    await settled();
    expect(await rowsOf(s, 'page_view', 'path')).toEqual([
      { path: '/app' },
      { path: '/app/a' },
      { path: '/app/b' },
      { path: '/app/a' },
    ]);
    const [session] = await h.query(
      'SELECT entry_path, exit_path, page_views FROM session FINAL WHERE site_id = {s:UInt64}',
      { s: s.siteId },
    );
    expect(session).toEqual({ entry_path: '/app', exit_path: '/app/a', page_views: 4 });
  });

  it('when data-include is set, then only the matching paths are rows', async () => {
    const s = await newSite();
    const { tab } = await open('/blog/one', { attrs: { code: s.identificationCode, include: '^/blog/' } });
    await arrived(s, 'page_view', 1);
    await tab.evaluate(`history.pushState({}, '', '/shop')`);
    await tab.evaluate(`history.pushState({}, '', '/blog/two')`);
    await arrived(s, 'page_view', 2);
    await tab.evaluate(`history.pushState({}, '', '/blog')`);
    await settled();
    expect(await rowsOf(s, 'page_view', 'path')).toEqual([{ path: '/blog/one' }, { path: '/blog/two' }]);
  });

  it('when the query, referrer or resolution is disabled, then the row lacks the campaign, the referrer or the screen class the plain script records', async () => {
    const plain = await newSite();
    const noQuery = await newSite();
    const noReferrer = await newSite();
    const landing = { query: '?utm_source=news&utm_medium=email', from: pages.origin('elsewhere.test') };
    await open('/landing/plain', { attrs: { code: plain.identificationCode } }, landing);
    await open('/landing/no-query', { attrs: { code: noQuery.identificationCode, 'disable-query': true } }, landing);
    await open(
      '/landing/no-referrer',
      { attrs: { code: noReferrer.identificationCode, 'disable-referrer': true, 'disable-resolution': true } },
      landing,
    );
    for (const s of [plain, noQuery, noReferrer]) await arrived(s, 'page_view', 1);
    await settled();
    const columns = 'path, utm_source, utm_medium, referrer, referrer_name, channel, screen_class';
    // Chromium sends only the origin as the referrer of a cross-origin navigation.
    const fromElsewhere = { referrer: 'http://elsewhere.test', referrer_name: 'elsewhere.test' };
    expect(await rowsOf(plain, 'page_view', columns)).toEqual([
      {
        path: '/landing/plain',
        utm_source: 'news',
        utm_medium: 'email',
        ...fromElsewhere,
        channel: 'Email',
        screen_class: 'XL',
      },
    ]);
    expect(await rowsOf(noQuery, 'page_view', columns)).toEqual([
      {
        path: '/landing/no-query',
        utm_source: '',
        utm_medium: '',
        ...fromElsewhere,
        channel: 'Referral',
        screen_class: 'XL',
      },
    ]);
    // Without a referrer the source is named by utm_source, as Pirsch does.
    expect(await rowsOf(noReferrer, 'page_view', columns)).toEqual([
      {
        path: '/landing/no-referrer',
        utm_source: 'news',
        utm_medium: 'email',
        referrer: '',
        referrer_name: 'news',
        channel: 'Email',
        screen_class: '',
      },
    ]);
  });

  it('when data-endpoint names a proxy, then the hits reach the backend through it', async () => {
    const proxied: string[] = [];
    const proxy = await startProxy(h.backend.url, '/stats', proxied);
    try {
      const s = await newSite();
      const { tab, sent } = await open('/proxied', {
        attrs: { code: s.identificationCode, endpoint: `http://proxy.test:${proxy.port}/stats/` },
      });
      await tab.evaluate(() => (window as unknown as { spur: (n: string) => Promise<unknown> }).spur('Signup'));
      await arrived(s, 'event', 1);
      await settled();
      expect(await rowsOf(s, 'page_view', 'path')).toEqual([{ path: '/proxied' }]);
      expect(await rowsOf(s, 'event', 'event_name, path')).toEqual([{ event_name: 'Signup', path: '/proxied' }]);
      expect(proxied).toEqual(['POST /stats/api/v1/hit', 'POST /stats/api/v1/event']);
      // Sent as beacons (the control for the fetch fallback below), to the proxy only.
      expect(sent.map((r) => [new URL(r.url).host, r.type])).toEqual([
        [`proxy.test:${proxy.port}`, 'ping'],
        [`proxy.test:${proxy.port}`, 'ping'],
      ]);
    } finally {
      await proxy.close();
    }
  });

  it('when sendBeacon is missing, then the page view and the event go by fetch and are counted once', async () => {
    const s = await newSite();
    const { tab, sent } = await open(
      '/no-beacon',
      { attrs: { code: s.identificationCode } },
      {
        init: `Object.defineProperty(Navigator.prototype, 'sendBeacon', { value: undefined })`,
      },
    );
    await tab.evaluate(() => (window as unknown as { spur: (n: string) => Promise<unknown> }).spur('Signup'));
    await arrived(s, 'event', 1);
    await settled();
    expect(sent.map((r) => [new URL(r.url).pathname, r.type])).toEqual([
      ['/api/v1/hit', 'fetch'],
      ['/api/v1/event', 'fetch'],
    ]);
    expect(await rowsOf(s, 'page_view', 'path')).toEqual([{ path: '/no-beacon' }]);
    expect(await rowsOf(s, 'event', 'event_name, path')).toEqual([{ event_name: 'Signup', path: '/no-beacon' }]);
  });
});

/** A reverse proxy: `prefix/...` on it is `...` on `upstream`; it records what it forwarded. */
async function startProxy(upstream: string, prefix: string, forwarded: string[]): Promise<RunningServer> {
  return listen(
    (req, res) => {
      const path = req.url ?? '/';
      if (!path.startsWith(`${prefix}/`)) return void res.writeHead(404).end();
      forwarded.push(`${req.method} ${path}`);
      const target = new URL(path.slice(prefix.length), upstream);
      const out = http.request(
        target,
        { method: req.method, headers: { ...req.headers, host: target.host } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      out.on('error', () => res.writeHead(502).end());
      req.pipe(out);
    },
    0,
    '127.0.0.1',
  );
}
