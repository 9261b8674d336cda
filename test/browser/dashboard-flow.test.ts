import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { linkIn, type DevUrls, type LocalSes } from '@spur/testkit';
import {
  CHROME,
  FIREFOX,
  kpiValue,
  panelRows as rowsOf,
  screenshot,
  sitePage,
  startDashboardStack,
  visit,
  type DashboardStack,
} from './dashboard-harness.ts';
import { PAGE_HOST, type PageServer } from './tracker-pages.ts';

/**
 * The dashboard end to end, as a customer meets it: sign up, confirm the email, log in, add a site,
 * put the snippet on a page, and read exactly those visits back; then filter and change the range.
 * Everything runs on `npm run dev`-style servers on loopback, in real Chromium.
 */
const EMAIL = 'owner@example.com';
const PASSWORD = 'a long and unusual passphrase 42';

let stack: DashboardStack;
let urls: DevUrls;
let ses: LocalSes;
let pages: PageServer;
let owner: BrowserContext;
let app: Page;
let siteId: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  stack = await startDashboardStack();
  ({ urls, ses, pages } = stack);
  owner = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
  app = await owner.newPage();
  app.on('pageerror', (e) => pageErrors.push(e.message));
}, 180_000);
afterAll(() => stack?.stop(), 60_000);

const shot = (name: string, page: Page = app) => screenshot(page, name);
const kpi = (key: string) => kpiValue(app, key);
const panelRows = (panel: string) => rowsOf(app, panel);

/** The session list's rows as [pages, facts], without the start time (it varies by run). */
const sessionSummaries = () =>
  app
    .getByTestId('panel-sessions')
    .locator('button.session')
    .evaluateAll((rows) =>
      rows.map((row) =>
        ['.path', '.facts'].map((part) => row.querySelector(part)!.textContent!.replace(/\s+/g, ' ').trim()),
      ),
    );

type AxeViolation = { id: string; impact: string | null; nodes: { target: string[] }[] };

/** axe-core's serious and critical findings on the page as it is now (contrast, names, labels, ARIA). */
async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.waitForLoadState('networkidle');
  await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document) => Promise<{ violations: AxeViolation[] }> } })
      .axe;
    return (await axe.run(document)).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('the dashboard, end to end', () => {
  it('when a new customer signs up, then the emailed link confirms the address and they can log in to an empty account', async () => {
    await app.goto(`${urls.dashboard}/signup`);
    await app.getByLabel('Email', { exact: true }).fill(EMAIL);
    await app.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await app.getByLabel('I accept the terms').check();
    await shot('signup');
    await app.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => app.getByTestId('signup-sent').textContent()).toContain(EMAIL);

    const mail = await ses.waitForEmail(EMAIL, /confirm|verify/i);
    await app.goto(linkIn(mail, `${urls.dashboard}/verify-email`));
    await expect.poll(() => app.getByTestId('verified').textContent()).toContain('Your email address is confirmed.');

    await app.getByRole('link', { name: 'Log in' }).first().click();
    await app.waitForURL(/\/login$/);
    await app.getByLabel('Email', { exact: true }).fill(EMAIL);
    await app.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await shot('login');
    await app.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => app.getByTestId('no-sites').textContent()).toContain('No sites yet');
    expect(new URL(app.url()).pathname).toBe('/');
  });

  it('when a site is added, then its snippet is shown and the page waits for the first visit, which it then reports', async () => {
    await app.getByRole('link', { name: 'Add your first site' }).click();
    await app.getByLabel('Domain', { exact: true }).fill(`https://${PAGE_HOST}/`);
    await app.getByLabel('Name (optional)').fill('Test site');
    // Reports in UTC, so the test's idea of "today" is the site's whatever zone the machine is in.
    await app.getByLabel('Time zone of the reports').selectOption('UTC');
    await app.getByRole('button', { name: 'Add site' }).click();
    await app.waitForURL(/\/sites\/\d+\/setup$/);
    siteId = /\/sites\/(\d+)\/setup/.exec(app.url())![1]!;

    const snippet = (await app.getByTestId('snippet').textContent())!;
    expect(snippet).toMatch(
      new RegExp(`^<script defer src="${urls.backend}/spur.js" data-code="[A-Za-z0-9]{32}"></script>$`),
    );
    expect(await app.getByTestId('waiting').textContent()).toContain('Waiting for the first visit');
    await shot('setup-waiting');

    // Before the first visit the dashboard says what is missing instead of showing bare zeros.
    const early = await owner.newPage();
    await early.goto(`${urls.dashboard}/sites/${siteId}`);
    await expect.poll(() => early.getByTestId('no-data-hint').textContent()).toContain('No visits recorded yet.');
    await early.close();

    for (const path of ['/', '/pricing']) pages.set(path, sitePage(path, snippet));
    // Two visitors: one from Google who reads the pricing and leaves, one who comes directly and reads two pages.
    await visit(stack, CHROME, ['/pricing'], { referer: 'https://www.google.com/' });
    await visit(stack, FIREFOX, ['/', '/pricing'], { event: { name: 'Signup', meta: { plan: 'pro' } } });

    await expect
      .poll(() => app.getByTestId('first-hit').textContent(), { timeout: 30_000 })
      .toContain('2 visitors so far today');
    await shot('setup-receiving');
  });

  it('when the dashboard opens, then it shows exactly the visits that were sent', async () => {
    await app.goto(`${urls.dashboard}/sites/${siteId}`);
    await expect.poll(() => kpi('visitors').textContent(), { timeout: 20_000 }).toBe('2');
    expect(await kpi('views').textContent()).toBe('3');
    expect(await kpi('sessions').textContent()).toBe('2');
    expect(await kpi('bounce_rate').textContent()).toBe('50%');
    // Without a filter a conversion rate means nothing (everyone "converts"): the card says how to get one.
    expect(await kpi('cr').textContent()).toBe('—');
    expect(await app.getByTestId('kpi-cr').getByTestId('kpi-hint').textContent()).toBe(
      'Filter by a goal, event or page to see its conversion rate',
    );
    await expect
      .poll(async () => (await panelRows('sources')).sort())
      .toEqual([
        ['Direct / none', '1'],
        ['Google', '1'],
      ]);
    await expect
      .poll(() => panelRows('pages'))
      .toEqual([
        ['/pricing', '2'],
        ['/', '1'],
      ]);
    await app.getByTestId('panel-devices').getByRole('tab', { name: 'Browsers' }).click();
    await expect
      .poll(() => panelRows('devices'))
      .toEqual([
        ['Chrome', '1'],
        ['Firefox', '1'],
      ]);
    // Loopback has no country; both browsers ask for English.
    await expect.poll(() => panelRows('locations')).toEqual([['Unknown', '2']]);
    await app.getByTestId('panel-locations').getByRole('tab', { name: 'Languages' }).click();
    await expect.poll(() => panelRows('locations')).toEqual([['English', '2']]);
    // The event with its metadata, broken down by value.
    const events = app.getByTestId('panel-events');
    await expect
      .poll(() =>
        events
          .locator('tbody tr')
          .first()
          .locator('td')
          .evaluateAll((tds) => tds.map((td) => td.textContent!.trim())),
      )
      .toEqual([expect.stringContaining('Signup'), '1', '1', '50%', '–', 'Filter']);
    await events.getByRole('button', { name: 'Signup', exact: true }).click();
    await expect
      .poll(() => events.locator('.meta-rows li').allTextContents())
      .toEqual([expect.stringMatching(/^\s*pro\s*1\s*$/)]);

    // A visit's journey, page by page, with its event.
    const sessions = app.getByTestId('panel-sessions');
    await sessions.getByRole('button', { name: /\/ → \/pricing/ }).click();
    await expect
      .poll(() =>
        sessions.locator('.journey li').evaluateAll((li) =>
          li.map((l) =>
            l
              .textContent!.replace(/\d{1,2}:\d{2}:\d{2}\s[AP]M/, '')
              .replace(/\s+/g, ' ')
              .trim(),
          ),
        ),
      )
      .toEqual(['/ “Test /”', '/pricing “Test /pricing”', 'event Signup']);

    // Any panel exports what it shows as CSV.
    const download = app.waitForEvent('download');
    await app.getByRole('button', { name: 'Export Pages as CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(
      new RegExp(`^${PAGE_HOST}-pages-\\d{4}-\\d{2}-\\d{2}-\\d{4}-\\d{2}-\\d{2}\\.csv$`),
    );
    const csv = await fs.readFile((await file.path())!, 'utf8');
    expect(csv.split('\r\n').map((line) => line.split(',').slice(0, 3).join(','))).toEqual([
      'Page,Visitors,Share',
      '/pricing,2,1.0000',
      '/,1,0.5000',
      '',
    ]);

    // The session list too, latest first; times and durations left out here as they vary by run.
    const sessionsDownload = app.waitForEvent('download');
    await app.getByRole('button', { name: 'Export sessions as CSV' }).click();
    const sessionsCsv = await fs.readFile((await (await sessionsDownload).path())!, 'utf8');
    expect(
      sessionsCsv.split('\r\n').map((line) =>
        line
          .split(',')
          .filter((_, i) => i > 1 && i !== 6)
          .join(','),
      ),
    ).toEqual([
      'Entry page,Exit page,Page views,Events,Referrer,Country,Browser,Operating system',
      '/,/pricing,2,1,,,Firefox,Linux',
      '/pricing,/pricing,1,0,Google,,Chrome,Linux',
      '',
    ]);

    // The filter bar offers the values the period holds, from the API's option lists.
    await app.getByTestId('add-filter').click();
    await app.getByLabel('Field').selectOption('browser');
    await expect
      .poll(() =>
        app.locator('#filter-options option').evaluateAll((o) => o.map((e) => (e as HTMLOptionElement).value)),
      )
      .toEqual(['Chrome', 'Firefox']);
    await app.getByRole('button', { name: 'Cancel' }).click();
    await shot('site-dashboard');
  });

  it('when a referrer row is clicked, then every panel filters to it, and the back button undoes it', async () => {
    // By keyboard, as anyone without a mouse would: focus the row and press Enter.
    await app.getByTestId('panel-sources').getByRole('button', { name: 'Google' }).focus();
    await app.keyboard.press('Enter');
    await app.waitForURL(/referrer_name=Google/);
    await expect.poll(() => kpi('visitors').textContent()).toBe('1');
    expect(await kpi('views').textContent()).toBe('1');
    expect(await kpi('bounce_rate').textContent()).toBe('100%');
    // One of the two visitors came from Google.
    expect(await kpi('cr').textContent()).toBe('50%');
    expect(await app.getByTestId('filter-chip').first().textContent()).toContain('Referrer is Google');
    await expect.poll(() => panelRows('pages')).toEqual([['/pricing', '1']]);
    await expect.poll(() => panelRows('devices')).toEqual([['Chrome', '1']]);
    // Drilled into Google, the sources list the referrer URLs it sent (one here), not "Google" again.
    await expect.poll(() => panelRows('sources')).toEqual([['https://www.google.com', '1']]);
    await expect.poll(() => panelRows('locations')).toEqual([['English', '1']]);
    // The Google visitor sent no event: the other visitor's Signup is filtered out with them.
    await expect
      .poll(() => app.getByTestId('panel-events').locator('.empty').textContent())
      .toContain('No events in this period.');
    expect(await app.getByTestId('panel-events').locator('tbody tr').count()).toBe(0);
    await expect.poll(() => sessionSummaries()).toEqual([['/pricing', '1 page · 0s · from Google · Chrome']]);
    await shot('site-dashboard-filtered');

    await app.goBack();
    await expect.poll(() => kpi('visitors').textContent()).toBe('2');
    expect(await app.getByTestId('filter-chip').count()).toBe(0);
    await expect
      .poll(() => sessionSummaries())
      .toEqual([
        ['/ → /pricing', expect.stringMatching(/^2 pages · 1 event · \d+s · Firefox$/)],
        ['/pricing', '1 page · 0s · from Google · Chrome'],
      ]);
  });

  it('when the range changes, then the figures are the API’s for that range, and the URL keeps it', async () => {
    const apiTotal = (from: string, to: string) =>
      app.evaluate(
        async ([id, f, t]) =>
          (await (await fetch(`/api/v1/statistics/total?id=${id}&from=${f}&to=${t}`)).json()) as {
            visitors: number;
            views: number;
          },
        [siteId, from, to],
      );
    for (const period of ['yesterday', 'today', '7d'] as const) {
      await app.getByTestId('range-select').selectOption(period);
      await app.waitForURL(new RegExp(`period=${period}`));
      const label = (await app.getByTestId('range-label').textContent())!;
      const { from, to } = await app.evaluate(() => {
        const q = new URLSearchParams(location.search);
        return { from: q.get('from'), to: q.get('to'), period: q.get('period') };
      });
      expect(from).toBeNull(); // presets stay relative in the URL, so a bookmark moves with time
      expect(to).toBeNull();
      const today = new Date().toISOString().slice(0, 10);
      const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
      const range =
        period === 'today' ? [today, today] : period === 'yesterday' ? [day(-1), day(-1)] : [day(-6), today];
      const expected = await apiTotal(range[0]!, range[1]!);
      await expect.poll(() => kpi('visitors').textContent()).toBe(String(expected.visitors));
      expect(await kpi('views').textContent()).toBe(String(expected.views));
      expect(label.length).toBeGreaterThan(0);
    }
    expect(await kpi('visitors').textContent()).toBe('2');
    await app.reload();
    await expect.poll(() => kpi('visitors').textContent()).toBe('2');
    expect(await app.getByTestId('range-select').inputValue()).toBe('7d');

    // A day of the chart opens that day, by hour.
    const today = new Date().toISOString().slice(0, 10);
    await app.getByText('Show as table').click();
    await app.getByRole('button', { name: `Open ${today}` }).click();
    await app.waitForURL(new RegExp(`period=custom&from=${today}&to=${today}`));
    await expect.poll(() => app.locator('#chart-scale').inputValue()).toBe('hour');
    expect(await kpi('visitors').textContent()).toBe('2');
    await app.goBack();
    await expect.poll(() => app.getByTestId('range-select').inputValue()).toBe('7d');
  });

  it('when viewed on a phone and in dark mode, then the dashboard still shows the same figures', async () => {
    // The header's theme switch is remembered per browser: system → dark → light.
    await app.getByRole('button', { name: 'Theme: system' }).click();
    expect(
      await app.evaluate(() => [document.documentElement.dataset.theme, localStorage.getItem('spur.theme')]),
    ).toEqual(['dark', 'dark']);
    await app.getByRole('button', { name: 'Theme: dark' }).click();
    expect(
      await app.evaluate(() => [document.documentElement.dataset.theme, localStorage.getItem('spur.theme')]),
    ).toEqual(['light', 'light']);
    await app.getByRole('button', { name: 'Theme: light' }).click();
    expect(await app.evaluate(() => localStorage.getItem('spur.theme'))).toBeNull();

    const phone = await stack.browser.newContext({
      viewport: { width: 390, height: 844 },
      colorScheme: 'dark',
      storageState: await owner.storageState(),
    });
    const tab = await phone.newPage();
    await tab.goto(`${urls.dashboard}/sites/${siteId}?period=7d`);
    await expect.poll(() => tab.getByTestId('kpi-visitors').getByTestId('kpi-value').textContent()).toBe('2');
    expect(await tab.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    // Nothing may stick out sideways on a narrow screen, once every panel has loaded.
    await tab.waitForLoadState('networkidle');
    await tab.getByTestId('panel-heatmap').locator('table').waitFor();
    expect(await tab.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot('site-dashboard-phone-dark', tab);
    await phone.close();
  });

  it('when the sites overview and settings open, then they show the site and its settings', async () => {
    await app.goto(urls.dashboard);
    await expect.poll(() => app.getByTestId(`site-${PAGE_HOST}`).getByTestId('visitors-today').textContent()).toBe('2');
    await shot('sites');
    await app.goto(`${urls.dashboard}/sites/${siteId}/settings`);
    expect(await app.getByLabel('Domain', { exact: true }).inputValue()).toBe(PAGE_HOST);
    await shot('settings-general');
  });

  it('when a goal and a funnel are defined in the settings, then the dashboard shows their conversions', async () => {
    await app.goto(`${urls.dashboard}/sites/${siteId}/settings/goals`);
    await app.getByLabel('Name', { exact: true }).fill('Saw pricing');
    await app.getByLabel('Path', { exact: true }).fill('/pricing');
    await app.getByRole('button', { name: 'Add goal' }).click();
    await expect
      .poll(() => app.locator('table.data tbody tr').allTextContents())
      .toEqual([expect.stringContaining('Saw pricing')]);

    await app.goto(`${urls.dashboard}/sites/${siteId}/settings/funnels`);
    await app.getByLabel('Name', { exact: true }).fill('Home to pricing');
    await app.locator('#f-step-value-0').fill('/');
    await app.locator('#f-step-value-1').fill('/pricing');
    await app.getByRole('button', { name: 'Save funnel' }).click();
    await expect.poll(() => app.locator('.funnels > li strong').allTextContents()).toEqual(['Home to pricing']);
    await shot('settings-funnels');

    await app.goto(`${urls.dashboard}/sites/${siteId}?period=7d`);
    // Both visitors saw the pricing page: 2 of 2 converted.
    await expect
      .poll(() => app.getByTestId('goal-row').allTextContents(), { timeout: 20_000 })
      .toEqual([expect.stringMatching(/^Saw pricing\s*2\s*100%/)]);
    // Only the direct visitor went from the home page to the pricing page, in that order.
    await expect.poll(() => app.getByTestId('funnel-figures').allTextContents()).toEqual(['1 · 100%', '1 · 100%']);

    // The goals panel exports its rows, rates as fractions, an unset target as an empty cell.
    const download = app.waitForEvent('download');
    await app.getByRole('button', { name: 'Export goals as CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(
      new RegExp(`^${PAGE_HOST}-goals-\\d{4}-\\d{2}-\\d{2}-\\d{4}-\\d{2}-\\d{2}\\.csv$`),
    );
    expect(await fs.readFile((await file.path())!, 'utf8')).toBe(
      'Goal,Visitors,Conversion rate,Visitor target,Conversion rate target,Value key,Total,Average,Currency\r\nSaw pricing,2,1.0000,,,,,,\r\n',
    );

    // A goal filters the whole dashboard to its conversions, and the conversion-rate card shows it.
    await app.getByRole('button', { name: 'Filter by goal Saw pricing' }).click();
    await app.waitForURL(/path=(%2F|\/)pricing/);
    await expect.poll(() => kpi('cr').textContent()).toBe('100%');
    expect(await app.getByTestId('filter-chip').allTextContents()).toEqual([
      expect.stringContaining('Page is /pricing'),
    ]);
    await shot('site-dashboard-goal');

    // Embedded (`?ui=hide`), the header goes and the live visitor count stays.
    await app.goto(`${urls.dashboard}/sites/${siteId}?period=7d&ui=hide`);
    await expect.poll(() => kpi('visitors').textContent(), { timeout: 20_000 }).toBe('2');
    expect(await app.locator('header.app-header').count()).toBe(0);
    await expect.poll(() => app.getByTestId('realtime').textContent()).toMatch(/^\s*\d+ current visitors?\s*$/);
  });

  it('when a second organization is created, then the header switches between organizations and each lists its own sites', async () => {
    await app.goto(`${urls.dashboard}/account/organizations`);
    await app.getByLabel('Name of the new organization').fill('Agency');
    await app.getByRole('button', { name: 'Create organization' }).click();
    await expect
      .poll(() => app.getByTestId('organization').allTextContents())
      .toEqual([expect.stringContaining('Personal'), expect.stringContaining('Agency')]);
    const switcher = app.getByLabel('Organization', { exact: true });
    await expect
      .poll(() => switcher.evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent), {
        timeout: 5_000,
      })
      .toBe('Agency');
    await app.goto(urls.dashboard);
    await expect.poll(() => app.getByTestId('no-sites').count()).toBe(1);
    await app.getByLabel('Organization', { exact: true }).selectOption({ label: 'Personal' });
    await expect.poll(() => app.getByTestId(`site-${PAGE_HOST}`).count()).toBe(1);
  });

  it('when the main screens are checked with axe, in light and dark, then none has a serious accessibility problem', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const context = await stack.browser.newContext({
        viewport: { width: 1280, height: 900 },
        colorScheme: scheme,
        storageState: await owner.storageState(),
      });
      const tab = await context.newPage();
      for (const path of [
        '/',
        `/sites/${siteId}?period=7d`,
        `/sites/${siteId}/settings`,
        `/sites/${siteId}/settings/members`,
        '/account/security',
      ]) {
        await tab.goto(`${urls.dashboard}${path}`);
        expect({ path, scheme, problems: await accessibilityProblems(tab) }).toEqual({ path, scheme, problems: [] });
      }
      await context.close();
    }
    const signedOut = await stack.browser.newPage();
    await signedOut.goto(`${urls.dashboard}/login`);
    expect(await accessibilityProblems(signedOut)).toEqual([]);
    await signedOut.close();
    expect(pageErrors).toEqual([]);
  });
});
