import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createTestSite, startIngestHarness, type IngestHarness, type TestSite } from '@spur/testkit';
import { launchTrackerBrowser, PAGE_HOST, startPageServer, trackerPageHtml, type PageServer, type TrackerPage } from './tracker-pages.ts';

// Headless Chromium announces itself as HeadlessChrome, which the bot filter drops, as it should.
const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';

let h: IngestHarness;
let browser: Browser;
let pages: PageServer;
let site: TestSite;

beforeAll(async () => {
  [h, browser, pages] = await Promise.all([startIngestHarness(), launchTrackerBrowser(), startPageServer()]);
  site = await createTestSite(h.stores.postgres.pool, { hostname: PAGE_HOST });
});
afterAll(async () => {
  await browser?.close();
  await pages?.close();
  await h?.stop();
});

async function open(path: string, page: TrackerPage, init?: string) {
  pages.set(path, trackerPageHtml(`${h.backend.url}/spur.js`, page));
  const context = await browser.newContext({ userAgent: CHROME, screen: { width: 1920, height: 1080 }, viewport: { width: 1280, height: 800 } });
  if (init) await context.addInitScript(init);
  const tab = await context.newPage();
  await tab.goto(`${pages.origin()}${path}`);
  await tab.waitForFunction('typeof window.spur === "function"');
  return { tab, context };
}

const rows = <T>(sql: string) => h.query<T>(sql, { site: site.siteId });

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
    await tab.evaluate(() => (window as unknown as { spur: (n: string, o: object) => Promise<unknown> }).spur('Coupon', { meta: { code: 'SPRING' }, duration: 3 }));
    await tab.click('#buy');
    await tab.click('#out');
    await tab.click('#dl');
    await tab.evaluate(() => (window as unknown as { spur404: () => Promise<unknown> }).spur404());
    // Keep-alive pings (every second) must extend the session past its last event.
    const lastEvent = async () =>
      (await rows<{ t: string }>("SELECT toString(max(time)) AS t FROM event WHERE site_id = {site:UInt64}"))[0]!.t;
    const lastActivity = async () =>
      (await rows<{ t: string }>('SELECT toString(max(time)) AS t FROM session FINAL WHERE site_id = {site:UInt64}'))[0]!.t;
    await expect
      .poll(async () => {
        await h.flushed();
        return (await lastActivity()) > (await lastEvent());
      }, { timeout: 20_000, interval: 500 })
      .toBe(true);
    await context.close();
    await h.flushed();

    expect(await rows('SELECT path, title, screen_class, tag_keys, tag_values, browser FROM page_view WHERE site_id = {site:UInt64} ORDER BY time')).toEqual([
      { path: '/shop', title: 'Shop', screen_class: 'XL', tag_keys: ['plan'], tag_values: ['pro'], browser: 'Chrome' },
      { path: '/shop/cart', title: 'Cart', screen_class: 'XL', tag_keys: ['plan'], tag_values: ['pro'], browser: 'Chrome' },
    ]);
    expect(
      await rows('SELECT event_name, event_meta_keys AS k, event_meta_values AS v, duration_seconds AS d, path FROM event WHERE site_id = {site:UInt64} ORDER BY time'),
    ).toEqual([
      { event_name: 'Coupon', k: ['code'], v: ['SPRING'], d: 3, path: '/shop/cart' },
      { event_name: 'Buy', k: ['sku'], v: ['A-1'], d: 0, path: '/shop/cart' },
      { event_name: 'Outbound Link Click', k: ['url'], v: [`http://partner.test:${pages.port}/offer`], d: 0, path: '/shop/cart' },
      { event_name: 'File Download', k: ['file'], v: [`${pages.origin()}/files/price-list.pdf`], d: 0, path: '/shop/cart' },
      { event_name: '404 Page Not Found', k: ['path'], v: ['/shop/cart'], d: 0, path: '/shop/cart' },
    ]);
    const sessions = await rows<{ entry_path: string; exit_path: string; page_views: number; events: number; is_bounce: number; duration_seconds: number }>(
      'SELECT entry_path, exit_path, page_views, events, is_bounce, duration_seconds FROM session FINAL WHERE site_id = {site:UInt64}',
    );
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ entry_path: '/shop', exit_path: '/shop/cart', page_views: 2, events: 5, is_bounce: 0 });
  });

  it('when the visitor opted out or the path is excluded, then nothing reaches ClickHouse', async () => {
    const other = await createTestSite(h.stores.postgres.pool, { hostname: 'other.test' });
    const before = await h.query<{ n: string }>('SELECT count() AS n FROM page_view WHERE site_id = {s:UInt64}', { s: other.siteId });
    const optOut = await open('/private', { attrs: { code: other.identificationCode } }, 'localStorage.setItem("spur_ignore", "1")');
    await optOut.tab.evaluate(() => (window as unknown as { spur: (n: string) => Promise<unknown> }).spur('Ignored'));
    await optOut.context.close();
    const excluded = await open('/admin/users', { attrs: { code: other.identificationCode, exclude: '^/admin' } });
    await excluded.context.close();
    await h.flushed();
    expect(before).toEqual([{ n: '0' }]);
    for (const table of ['page_view', 'event', 'session']) {
      expect(await h.query(`SELECT count() AS n FROM ${table} WHERE site_id = {s:UInt64}`, { s: other.siteId })).toEqual([{ n: '0' }]);
    }
  });
});
