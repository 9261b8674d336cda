import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loadConfig } from '@spur/config';
import { createLogger, Lifecycle } from '@spur/runtime';
import { launchChromium, screenshotPath } from '@spur/testkit';
import { startWebsite } from '@spur/website';

let browser: Browser;
let noScript: BrowserContext;
let lifecycle: Lifecycle;
let base: string;

beforeAll(async () => {
  const config = loadConfig(
    { HOST: '127.0.0.1', WEBSITE_PORT: '0', LOG_LEVEL: 'silent', DASHBOARD_PUBLIC_URL: 'https://app.spur.example' },
    {},
  );
  const log = createLogger(config, 'website-browser-test');
  lifecycle = new Lifecycle(log, 5_000);
  base = (await startWebsite({ config, log, lifecycle })).url;
  browser = await launchChromium();
  // Every page must be readable with JavaScript off; the screenshots are taken that way.
  noScript = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 800 } });
});
afterAll(async () => {
  await browser?.close();
  await lifecycle?.stop('test end');
});

/** One page per page type. */
const pageTypes: [name: string, path: string, heading: string][] = [
  ['home', '/', 'Know how your website is doing, not who your visitors are'],
  ['features', '/features', 'Everything you need to understand your traffic'],
  ['pricing-yearly', '/pricing?billing=yearly&views=100000', 'Pay for the traffic you have'],
  ['docs-index', '/docs', 'Documentation'],
  ['docs-page', '/docs/tracking-script', 'The tracking script'],
  ['docs-api', '/docs/api', 'REST API reference'],
  ['blog-index', '/blog', 'Blog'],
  ['blog-post', '/blog/counting-visitors-without-cookies', 'How Spur counts visitors without cookies'],
  ['blog-tag', '/blog/tags/privacy', 'Posts tagged “privacy”'],
  ['legal-index', '/legal', 'Legal'],
  ['legal-page', '/legal/subprocessors', 'Sub-processors'],
  ['not-found', '/docs/nothing-here', 'Page not found'],
];

/** Widest element edge vs the viewport: anything past it means sideways scrolling on a phone. */
const overflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe('the website in Chromium, JavaScript disabled', () => {
  it('when each page type is opened, then its heading is visible and every image has loaded', async () => {
    const page = await noScript.newPage();
    for (const [name, path, heading] of pageTypes) {
      const response = await page.goto(base + path);
      expect(response?.status(), path).toBe(name === 'not-found' ? 404 : 200);
      expect(await page.locator('h1').count(), path).toBe(1);
      expect(await page.locator('h1').innerText(), path).toBe(heading.replace('doing, not', 'doing,\nnot'));
      expect(await page.locator('h1').isVisible(), path).toBe(true);
      const broken = await page.evaluate(() =>
        [...document.images].filter((img) => !img.complete || img.naturalWidth === 0).map((img) => img.src),
      );
      expect(broken, path).toEqual([]);
      expect(await overflow(page), `${path} scrolls sideways`).toBe(0);
      await page.screenshot({ path: await screenshotPath('website', `${name}.png`), fullPage: true });
    }
    await page.close();
  });

  it('when the pricing toggle is clicked without JavaScript, then the yearly prices show', async () => {
    const page = await noScript.newPage();
    await page.goto(`${base}/pricing`);
    await expect.poll(() => page.locator('[data-plan="starter"]').innerText()).toBe('€6 / month');
    await page.getByRole('link', { name: 'Yearly: 2 months free' }).click();
    await page.waitForURL(`${base}/pricing?billing=yearly`);
    expect(await page.locator('[data-plan="starter"]').innerText()).toBe('€60 / year');
    await page.getByRole('navigation', { name: 'Monthly page views' }).getByRole('link', { name: '1M' }).click();
    await page.waitForURL(`${base}/pricing?billing=yearly&views=1000000`);
    expect(await page.locator('[data-plan="business"]').innerText()).toBe('€900 / year');
    await page.close();
  });

  it('when read on a phone, then no page scrolls sideways', async () => {
    const phone = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
    });
    const page = await phone.newPage();
    for (const [name, path] of [
      ['home', '/'],
      ['pricing', '/pricing'],
      ['docs-page', '/docs/tracking-script'],
      ['docs-api', '/docs/api'],
    ] as const) {
      await page.goto(base + path);
      expect(await overflow(page), `${path} scrolls sideways`).toBe(0);
      await page.screenshot({ path: await screenshotPath('website', `mobile-${name}.png`), fullPage: name === 'home' });
    }
    await phone.close();
  });

  it('when the visitor prefers a dark colour scheme, then the site follows it', async () => {
    const dark = await browser.newContext({
      javaScriptEnabled: false,
      colorScheme: 'dark',
      viewport: { width: 1280, height: 800 },
    });
    const page = await dark.newPage();
    await page.goto(`${base}/docs/getting-started`);
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(15, 18, 23)');
    await page.screenshot({ path: await screenshotPath('website', 'dark-docs-page.png') });
    await dark.close();
  });
});

describe('feeds and sitemap in a strict XML parser', () => {
  it('when Chromium parses RSS, Atom and the sitemap as XML, then none has an error', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    for (const path of ['/blog/rss.xml', '/blog/atom.xml', '/sitemap.xml']) {
      const xml = await (await fetch(base + path)).text();
      const result = await page.evaluate((text) => {
        const doc = new DOMParser().parseFromString(text, 'application/xml');
        return { error: doc.querySelector('parsererror')?.textContent ?? null, root: doc.documentElement.nodeName };
      }, xml);
      expect(result, path).toEqual({
        error: null,
        root: { '/blog/rss.xml': 'rss', '/blog/atom.xml': 'feed', '/sitemap.xml': 'urlset' }[path],
      });
    }
    await context.close();
  });
});
