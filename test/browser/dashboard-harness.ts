/**
 * What the dashboard's end-to-end files share: the `npm run dev`-style stack they run against, the
 * customer's first steps (sign up, add a site), visits through spur.js in real Chromium, and the
 * ways they read the dashboard back (key figures, panel rows, screenshots).
 */
import fs from 'node:fs/promises';
import type { Browser, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import {
  devDataDir,
  devPorts,
  linkIn,
  screenshotPath,
  startDev,
  startLocalSes,
  type DevUrls,
  type LocalSes,
} from '@spur/testkit';
import { launchTrackerBrowser, PAGE_HOST, startPageServer, type PageServer } from './tracker-pages.ts';

// Headless Chromium calls itself HeadlessChrome, which the bot filter drops; visitors use real browsers' agents.
export const CHROME =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';
export const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:142.0) Gecko/20100101 Firefox/142.0';

export type DashboardStack = {
  urls: DevUrls;
  ses: LocalSes;
  browser: Browser;
  /** The customer's website, on PAGE_HOST. */
  pages: PageServer;
  stop: () => Promise<void>;
};

/** The product on free ports with its own data directory, the SES stand-in, Chromium and a page server. */
export async function startDashboardStack(): Promise<DashboardStack> {
  const [dataDir, ses, browser, pages] = await Promise.all([
    devDataDir(),
    startLocalSes(),
    launchTrackerBrowser(),
    startPageServer(),
  ]);
  const { process: dev, urls } = await startDev({
    dataDir,
    ports: await devPorts(),
    env: { SES_ENDPOINT: ses.endpoint, SEED_DEMO: 'false' },
  });
  return {
    urls,
    ses,
    browser,
    pages,
    stop: async () => {
      await browser.close();
      await pages.close();
      dev.kill('SIGTERM');
      await dev.exited;
      await ses.stop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A full-page screenshot from the top (a sticky toolbar would otherwise sit where the page was scrolled to). */
export async function screenshot(page: Page, name: string) {
  // Panels load on their own; wait until every request has answered and the chart has drawn.
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(300);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: await screenshotPath('dashboard', `${name}.png`), fullPage: true });
}

/** Signs up, confirms the address from the email and logs in; ends on the sites overview. */
export async function signUpAndLogIn(page: Page, stack: DashboardStack, email: string, password: string) {
  await page.goto(`${stack.urls.dashboard}/signup`);
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('I accept the terms').check();
  await page.getByRole('button', { name: 'Create account' }).click();
  // A refused password says why instead of leaving the wait for the email to time out.
  await page.locator('[data-testid="signup-sent"], [role="alert"]').first().waitFor();
  expect(await page.getByRole('alert').allTextContents()).toEqual([]);
  await page.goto(
    linkIn(await stack.ses.waitForEmail(email, /Confirm your email/), `${stack.urls.dashboard}/verify-email`),
  );
  await page.getByTestId('verified').waitFor();
  await page.goto(`${stack.urls.dashboard}/login`);
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

/** Adds PAGE_HOST as a site from the sites overview; returns its id and tracking snippet. */
export async function addSite(page: Page, timeZone: string): Promise<{ siteId: string; snippet: string }> {
  await page.getByRole('link', { name: 'Add your first site' }).click();
  await page.getByLabel('Domain', { exact: true }).fill(PAGE_HOST);
  await page.getByLabel('Time zone of the reports').selectOption(timeZone);
  await page.getByRole('button', { name: 'Add site' }).click();
  await page.waitForURL(/\/sites\/\d+\/setup$/);
  return {
    siteId: /\/sites\/(\d+)\/setup/.exec(page.url())![1]!,
    snippet: (await page.getByTestId('snippet').textContent())!,
  };
}

/** A page of the test site that carries the snippet. */
export function sitePage(path: string, snippet: string): string {
  return `<!doctype html><html><head><title>Test ${path}</title>${snippet}</head><body><h1>${path}</h1></body></html>`;
}

/**
 * One visitor opens pages of the test site; each page view is awaited until the backend accepted
 * it. `event` is sent from the last page through spur.js, the way a site would.
 */
export async function visit(
  stack: DashboardStack,
  userAgent: string,
  paths: string[],
  options: { referer?: string; event?: { name: string; meta: Record<string, string> } } = {},
) {
  const context = await stack.browser.newContext({ userAgent, viewport: { width: 1280, height: 800 } });
  const tab = await context.newPage();
  for (const [i, path] of paths.entries()) {
    const accepted = tab.waitForResponse((r) => r.url().endsWith('/api/v1/hit') && r.request().method() === 'POST');
    await tab.goto(`${stack.pages.origin()}${path}`, i === 0 && options.referer ? { referer: options.referer } : {});
    expect((await accepted).status()).toBeLessThan(300);
  }
  if (options.event) {
    await tab.waitForFunction('typeof window.spur === "function"');
    const accepted = tab.waitForResponse((r) => r.url().endsWith('/api/v1/event') && r.request().method() === 'POST');
    await tab.evaluate(
      ({ name, meta }) =>
        (window as unknown as { spur: (n: string, o: object) => Promise<unknown> }).spur(name, { meta }),
      options.event,
    );
    expect((await accepted).status()).toBeLessThan(300);
  }
  await context.close();
}

/**
 * What the page says that a quiet screen must not: console errors and warnings (Vue's included),
 * page errors, answers of 400 and above, failed requests. A request the app aborts itself (a panel
 * whose filters changed, a page left) is not a failure. Tests take the list with `splice(0)`.
 */
export function recordNoise(page: Page): string[] {
  const noise: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') noise.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => noise.push(`page error: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) noise.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
  });
  page.on('requestfailed', (r) => {
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') noise.push(`failed ${r.url()}: ${r.failure()?.errorText}`);
  });
  return noise;
}

/**
 * Waits until the site's setup page, which watches for visits as a customer would, counts `visitors`
 * today: the visits are then in ClickHouse. The dashboard reads its panels once per load, so a load
 * before the flush would show the old figures for good.
 */
export async function waitUntilCounted(page: Page, stack: DashboardStack, siteId: string, visitors: number) {
  await page.goto(`${stack.urls.dashboard}/sites/${siteId}/setup`);
  await expect
    .poll(() => page.getByTestId('first-hit').textContent(), { timeout: 30_000 })
    .toContain(`${visitors} ${visitors === 1 ? 'visitor' : 'visitors'} so far`);
}

/** A key figure card's value (`kpi-visitors`, `kpi-views`, ...). */
export const kpiValue = (page: Page, key: string): Locator => page.getByTestId(`kpi-${key}`).getByTestId('kpi-value');

/** A panel's visible rows as [label, visitors]. */
export const panelRows = (page: Page, panel: string) =>
  page
    .getByTestId(`panel-${panel}`)
    .evaluate((el) =>
      [...el.querySelectorAll('[data-testid="panel-row"]')].map((row) => [
        row.querySelector('.row-button, .row-text')!.textContent!.trim(),
        row.querySelector('[data-testid="row-visitors"]')!.textContent!.trim(),
      ]),
    );
