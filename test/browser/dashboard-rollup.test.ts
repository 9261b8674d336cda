import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  addSite,
  CHROME,
  FIREFOX,
  kpiValue,
  recordNoise,
  panelRows,
  screenshot,
  signUpAndLogIn,
  sitePage,
  startDashboardStack,
  visit,
  waitUntilCounted,
  type DashboardStack,
} from './dashboard-harness.ts';
import { PAGE_HOST } from './tracker-pages.ts';

/**
 * A rollup view made and read on a 360 px phone: two sites (one with traffic, one without), the
 * "New rollup view" form, the rollup's dashboard with its hostname panel and filter, and its
 * settings. Every screen fits the phone and leaves nothing in the console.
 */
const WIDTH = 360;
let stack: DashboardStack;
let app: Page;
let siteId: string;
let noise: string[] = [];

beforeAll(async () => {
  stack = await startDashboardStack();
  const phone = await stack.browser.newContext({ viewport: { width: WIDTH, height: 740 }, isMobile: true });
  app = await phone.newPage();
  noise = recordNoise(app);
  await signUpAndLogIn(app, stack, 'rollup@example.com', 'a passphrase for two sites and a view');
  await app.waitForURL(`${stack.urls.dashboard}/`);
  const added = await addSite(app, 'UTC');
  siteId = added.siteId;
  for (const path of ['/', '/pricing']) stack.pages.set(path, sitePage(path, added.snippet));
  await visit(stack, CHROME, ['/', '/pricing']);
  await visit(stack, FIREFOX, ['/']);
  noise.splice(0);
}, 180_000);
afterAll(() => stack?.stop(), 60_000);

/** Opens a route, waits for it, and expects it to fit the phone and the console to be quiet. */
async function check(path: string, ready: () => Promise<unknown>) {
  await app.goto(`${stack.urls.dashboard}${path}`);
  await ready();
  await app.waitForLoadState('networkidle');
  const scrollWidth = await app.evaluate(() => document.documentElement.scrollWidth);
  expect({ path, scrollWidth, noise: noise.splice(0) }).toEqual({ path, scrollWidth: WIDTH, noise: [] });
}

describe('rollup views', () => {
  it('when a rollup of a site with traffic and an empty one is made, then it shows both sites together, filters by hostname and fits a phone', async () => {
    // The first site's own figures, once the flusher has written them: 2 visitors, 3 views.
    await waitUntilCounted(app, stack, siteId, 2);
    await check(`/sites/${siteId}?period=today`, () =>
      expect.poll(() => kpiValue(app, 'visitors').textContent()).toBe('2'),
    );
    await app.goto(`${stack.urls.dashboard}/sites/new`);
    await app.getByLabel('Domain', { exact: true }).fill('second.example');
    await app.getByRole('button', { name: 'Add site' }).click();
    await app.waitForURL(/\/sites\/\d+\/setup$/);

    await check('/', () => app.getByRole('link', { name: 'New rollup view' }).waitFor());
    await app.getByRole('link', { name: 'New rollup view' }).click();
    await app.getByRole('checkbox').first().waitFor();
    await app.getByLabel('Name', { exact: true }).fill('Both sites');
    await app.getByRole('checkbox', { name: PAGE_HOST }).check();
    await app.getByRole('checkbox', { name: 'second.example' }).check();
    await app.getByLabel('Time zone of the reports').selectOption('UTC');
    await app.getByRole('button', { name: 'Create rollup view' }).click();
    await app.waitForURL(/\/sites\/\d+$/);
    const rollupId = /\/sites\/(\d+)$/.exec(app.url())![1]!;
    // A rollup has no snippet of its own: its setup page opens its dashboard, quietly.
    await check(`/sites/${rollupId}/setup`, () => app.waitForURL(new RegExp(`/sites/${rollupId}$`)));

    await check(`/sites/${rollupId}?period=today`, () =>
      expect.poll(() => kpiValue(app, 'views').textContent()).toBe('3'),
    );
    expect(await kpiValue(app, 'visitors').textContent()).toBe('2');
    // Both visits were a minute ago: the live count of the rollup is its sites' too.
    expect((await app.getByTestId('realtime').first().textContent())?.trim()).toBe('2 current visitors');
    expect((await app.locator('.site-head .host').textContent())?.trim()).toBe('Rollup view of several sites');
    await app.getByTestId('panel-pages').getByRole('tab', { name: 'Hostnames' }).click();
    await expect.poll(() => panelRows(app, 'pages')).toEqual([[PAGE_HOST, '2']]);
    await screenshot(app, 'phone-360-rollup');
    await check(`/sites/${rollupId}?period=today&hostname=second.example`, () =>
      expect.poll(() => kpiValue(app, 'visitors').textContent()).toBe('0'),
    );

    for (const tab of ['', 'sites', 'danger'])
      await check(`/sites/${rollupId}/settings${tab ? `/${tab}` : ''}`, () =>
        app.locator('.content .card').first().waitFor(),
      );
    // The Sites tab was the last but one: back to it, and the empty site leaves the view.
    await check(`/sites/${rollupId}/settings/sites`, () => app.getByRole('checkbox').first().waitFor());
    await app.getByRole('checkbox', { name: 'second.example' }).uncheck();
    await app.getByRole('button', { name: 'Save sites' }).click();
    await app.getByText('Saved.').waitFor();
    await check('/', () => app.getByText('Rollup view of 1 site', { exact: true }).waitFor());
  });
});
