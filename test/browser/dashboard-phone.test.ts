import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import {
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
 * Every screen of the dashboard on a 360 px phone, from the login to the last settings tab: none
 * scrolls sideways, no table runs past the screen, and nothing lands in the browser console — no
 * error, no warning (Vue's included), no failed request (a 404 favicon or a 401 "who am I?").
 */
const WIDTH = 360;
const EMAIL = 'phone@example.com';
const PASSWORD = 'a long and unusual passphrase 42';

let stack: DashboardStack;
let phone: BrowserContext;
let app: Page;
let siteId = '';
/** What the console and the network said since the last check. */
let noise: string[] = [];

beforeAll(async () => {
  stack = await startDashboardStack();
  phone = await stack.browser.newContext({ viewport: { width: WIDTH, height: 740 }, isMobile: true });
  app = await phone.newPage();
  noise = recordNoise(app);
}, 180_000);
afterAll(() => stack?.stop(), 60_000);

/**
 * Visits reach ClickHouse through the flusher a moment after they were accepted, and panels load
 * once: the dashboard (today, `query`) is opened again until `there` sees them.
 */
async function flushed(query: string, there: () => Promise<boolean>) {
  await expect
    .poll(
      async () => {
        await app.goto(`${stack.urls.dashboard}/sites/${siteId}?period=today${query ? `&${query}` : ''}`);
        await app.waitForLoadState('networkidle');
        return there();
      },
      { timeout: 30_000, interval: 500 },
    )
    .toBe(true);
}

/** How the current screen fits: the page's width and every table that reaches past the screen. */
const fit = () =>
  app.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    wideTables: [...document.querySelectorAll('table')]
      .filter((t) => t.getBoundingClientRect().right > window.innerWidth + 1)
      .map((t) => t.closest('[data-testid], section, form')?.getAttribute('data-testid') ?? t.className),
  }));

/** Opens a route, waits until it has loaded everything, and expects it to fit and to be quiet. */
async function check(path: string, ready?: () => Promise<unknown>) {
  await app.goto(`${stack.urls.dashboard}${path}`);
  await ready?.();
  await app.waitForLoadState('networkidle');
  expect({ path, ...(await fit()), noise: noise.splice(0) }).toEqual({
    path,
    scrollWidth: WIDTH,
    wideTables: [],
    noise: [],
  });
}

describe(`the dashboard on a ${WIDTH} px phone`, () => {
  it('when a visitor is signed out, then login, sign-up and the password page fit and log nothing', async () => {
    await check('/', () => app.waitForURL(/\/login$/));
    await check('/signup', () => app.getByTestId('password-rules').waitFor());
    // The rules are there before the first try, and the one about the email bites while typing.
    await app.getByLabel('Email', { exact: true }).fill('newcomer@site.example');
    await app.getByLabel('Password', { exact: true }).fill('Newcomer-Pass-2026!x');
    expect(await app.getByTestId('password-rules').locator('li.broken').allTextContents()).toEqual([
      '✗ Does not contain the part of your email before the @',
    ]);
    // The terms checkbox says what it accepts, with links to both texts on the website.
    const links = app.locator('.terms a');
    expect(await links.evaluateAll((as) => as.map((a) => [a.textContent, (a as HTMLAnchorElement).href]))).toEqual([
      ['terms of service', `${stack.urls.website}/legal/terms`],
      ['privacy policy', `${stack.urls.website}/legal/privacy`],
    ]);
    await check('/forgot-password');
    await check('/no-such-page');
  });

  it('when a customer signs up and adds a www address, then the bare domain counts too and every screen fits', async () => {
    await signUpAndLogIn(app, stack, EMAIL, PASSWORD);
    await app.waitForURL(`${stack.urls.dashboard}/`);
    noise.splice(0);
    await check('/');
    await check('/sites/new');
    await app.getByLabel('Domain', { exact: true }).fill(`https://www.${PAGE_HOST}/`);
    expect((await app.getByTestId('hostname-as-saved').textContent())?.trim()).toBe(`Saved as www.${PAGE_HOST}.`);
    expect(await app.getByLabel(`Also count visits to ${PAGE_HOST}`).isChecked()).toBe(true);
    await app.getByLabel('Time zone of the reports').selectOption('UTC');
    await app.getByRole('button', { name: 'Add site' }).click();
    await app.waitForURL(/\/sites\/\d+\/setup$/);
    siteId = /\/sites\/(\d+)\/setup/.exec(app.url())![1]!;
    const snippet = (await app.getByTestId('snippet').textContent())!;
    await check(`/sites/${siteId}/setup`);

    // Visits arrive at the bare domain (PAGE_HOST), which is only an alternative hostname.
    for (const path of ['/', '/pricing']) stack.pages.set(path, sitePage(path, snippet));
    await visit(stack, CHROME, ['/', '/pricing'], {
      referer: 'https://www.google.com/',
      event: { name: 'Outbound Link Click', meta: { url: 'https://docs.example.com/a/rather/long/path/to/read' } },
    });
    await waitUntilCounted(app, stack, siteId, 1);
    await check(`/sites/${siteId}`, () => expect.poll(() => kpiValue(app, 'visitors').textContent()).toBe('1'));
    await screenshot(app, 'phone-360-dashboard');
    await check(`/sites/${siteId}?period=today&referrer_name=Google`, () =>
      app.getByTestId('panel-sources').getByTestId('panel-row').first().waitFor(),
    );
    await check(`/sites/${siteId}/realtime`, () => app.getByTestId('realtime-now').waitFor());
    expect(await app.getByTestId('realtime-minute').count()).toBe(30);
    for (const tab of ['', 'members', 'filters', 'links', 'clients', 'goals', 'funnels', 'reports', 'danger'])
      await check(`/sites/${siteId}/settings${tab ? `/${tab}` : ''}`, () =>
        app.locator('.content .card').first().waitFor(),
      );
    for (const tab of ['', 'security', 'organizations', 'delete'])
      await check(`/account${tab ? `/${tab}` : ''}`, () => app.locator('.card').first().waitFor());
  });

  it('when a revenue goal filters the dashboard, then panels show revenue per row in its currency, fit, and export it', async () => {
    // The goal form on the phone: an event goal adding up `amount` in euros.
    await app.goto(`${stack.urls.dashboard}/sites/${siteId}/settings/goals`);
    await app.getByLabel('Name', { exact: true }).fill('Purchase');
    await app.getByLabel('Reached by').selectOption('event_name');
    await app.getByLabel('Event name').fill('Purchase');
    await app.getByLabel(/^Value to add up/).fill('amount');
    await app.getByLabel(/^Currency/).fill('EUR');
    await app.getByRole('button', { name: 'Add goal' }).click();
    await expect
      .poll(() => app.locator('table.data tbody tr').allTextContents(), { timeout: 15_000 })
      .toEqual([expect.stringContaining('Purchase')]);
    // Chrome (from Google earlier) buys for 5.10 on /, a new Firefox visitor for 19.90 on /pricing.
    await visit(stack, CHROME, ['/'], { event: { name: 'Purchase', meta: { amount: '5.10' } } });
    await visit(stack, FIREFOX, ['/pricing'], { event: { name: 'Purchase', meta: { amount: '19.90' } } });
    const totals = (panel: string) =>
      app.getByTestId(`panel-${panel}`).getByTestId('row-metric-total').allTextContents();
    await flushed('event=Purchase', () => totals('pages').then((t) => t.length === 2));
    await app.goto(`${stack.urls.dashboard}/sites/${siteId}?period=today`);
    await app.getByRole('button', { name: 'Filter by goal Purchase' }).click();
    await app.waitForURL(/event=Purchase/);
    await check(`/sites/${siteId}?period=today&event=Purchase`, () =>
      expect.poll(() => totals('pages'), { timeout: 30_000 }).toEqual(['€19.90', '€5.10']),
    );
    // Pages: /pricing (both buyers viewed it) holds the 19.90 bought there, / the 5.10.
    expect(await panelRows(app, 'pages')).toEqual([
      ['/pricing', '2'],
      ['/', '1'],
    ]);
    expect(await totals('sources')).toEqual(['€19.90', '€5.10']);
    // The key figures add up the period's revenue: 19.90 + 5.10, 12.50 a purchase on average.
    const metricCards = () =>
      Promise.all(['total', 'avg'].map((k) => kpiValue(app, `custom_metric_${k}`).textContent()));
    await expect.poll(metricCards, { timeout: 15_000 }).toEqual(['€25.00', '€12.50']);
    expect(await app.getByTestId('kpi-custom_metric_total').locator('.label').textContent()).toBe('Total revenue');
    expect(await panelRows(app, 'sources')).toEqual([
      ['Direct / none', '1'],
      ['Google', '1'],
    ]);
    // At 360 px the average folds away; the total stays.
    expect(await app.getByTestId('panel-pages').getByTestId('row-metric-avg').first().isVisible()).toBe(false);
    await screenshot(app, 'phone-360-revenue');
    const download = app.waitForEvent('download');
    await app.getByTestId('panel-pages').getByRole('button', { name: /CSV/ }).click();
    const lines = (await readFile((await (await download).path())!, 'utf8')).split('\r\n');
    expect(lines[0]).toBe('Page,Visitors,Share,Views,Time on page,Total amount (EUR),Average amount (EUR)');
    expect(lines.slice(1, 3).map((l) => [l.split(',')[0], ...l.split(',').slice(-2)])).toEqual([
      ['/pricing', '19.9', '19.9'],
      ['/', '5.1', '5.1'],
    ]);
    // The Purchase event broken down by a metadata key totals each value the same way.
    await app.getByTestId('panel-events').getByRole('button', { name: 'Purchase', exact: true }).click();
    await expect
      .poll(() => app.getByTestId('meta-metric-total').allTextContents(), { timeout: 15_000 })
      .toEqual(['€19.90', '€5.10']);
    expect(await fit()).toEqual({ scrollWidth: WIDTH, wideTables: [] });
    expect(noise.splice(0)).toEqual([]);

    // Without a goal: a Quote for 3 seats on /pricing, and "Add up seats" on the event's breakdown.
    await visit(stack, CHROME, ['/pricing'], { event: { name: 'Quote', meta: { seats: '3' } } });
    const events = app.getByTestId('panel-events');
    await flushed('', async () => (await events.getByRole('button', { name: 'Quote', exact: true }).count()) > 0);
    await events.getByRole('button', { name: 'Quote', exact: true }).click();
    await events.getByRole('button', { name: 'Add up seats' }).click();
    await app.waitForURL(/custom_metric_key=seats.*event=Quote|event=Quote.*custom_metric_key=seats/);
    // Plain numbers (no currency): the 3 seats were quoted on /pricing, none on /.
    await expect.poll(() => totals('pages'), { timeout: 15_000 }).toEqual(['0', '3']);
    expect(await app.getByTestId('panel-pages').locator('th').allTextContents()).toContain('Total');
    await expect.poll(metricCards, { timeout: 15_000 }).toEqual(['3', '3']);
    expect(await fit()).toEqual({ scrollWidth: WIDTH, wideTables: [] });
    await events.getByRole('button', { name: 'Quote', exact: true }).click();
    await events.getByTestId('stop-adding-up').click();
    await expect.poll(() => totals('pages'), { timeout: 15_000 }).toEqual([]);
    expect(app.url()).not.toContain('custom_metric');
    expect(noise.splice(0)).toEqual([]);
  });
});
