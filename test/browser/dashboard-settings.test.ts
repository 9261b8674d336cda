import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  addSite,
  CHROME,
  kpiValue,
  panelRows,
  screenshot,
  signUpAndLogIn,
  sitePage,
  startDashboardStack,
  visit,
  type DashboardStack,
} from './dashboard-harness.ts';
import { PAGE_HOST } from './tracker-pages.ts';

/**
 * A site's settings driven in the browser, and what they change on the dashboard. An API client
 * made in the settings backfills yesterday's visits (the batch endpoint takes hits back to
 * yesterday 00:00 UTC), which the comparisons and the weekday × hour heatmap then read; traffic
 * filters, email reports and the danger zone follow, ending with the site deleted.
 */
const EMAIL = 'settings@example.com';
const PASSWORD = 'a passphrase for the owner of site.test';
// Nine hours ahead of UTC all year: a day or hour taken in UTC instead of the site's zone shows.
// (Chromium lists India's zone as Asia/Calcutta or Asia/Kolkata depending on its ICU, Tokyo's is stable.)
const ZONE = 'Asia/Tokyo';

let stack: DashboardStack;
let app: Page;
let siteId: string;
let snippet: string;
let client: { id: string; secret: string };
let token: string;

beforeAll(async () => {
  stack = await startDashboardStack();
  app = await (await stack.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  // Revoking a client and deleting data or the site ask first.
  app.on('dialog', (dialog) => void dialog.accept());
  await signUpAndLogIn(app, stack, EMAIL, PASSWORD);
  ({ siteId, snippet } = await addSite(app, ZONE));
  stack.pages.set('/', sitePage('/', snippet));
}, 180_000);
afterAll(() => stack?.stop(), 60_000);

const part = (type: Intl.DateTimeFormatOptions) => (t: Date) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, hourCycle: 'h23', ...type }).format(t);
const dayIn = part({ year: 'numeric', month: '2-digit', day: '2-digit' });
const hourIn = (t: Date) => Number(part({ hour: '2-digit' })(t));
const weekdayIn = (t: Date) => new Intl.DateTimeFormat('en-US', { timeZone: ZONE, weekday: 'short' }).format(t);
const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const inZone = (day: string, time: string) => new Date(`${day}T${time}+09:00`);
/** "May 13" or "May 13, 2025", as the comparison line prints a day. */
const shortDay = (day: string, today: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString('en-US', {
    timeZone: 'UTC',
    month: 'short',
    day: 'numeric',
    ...(day.slice(0, 4) === today.slice(0, 4) ? {} : { year: 'numeric' }),
  });

const today = dayIn(new Date());
const yesterday = addDays(today, -1);
/** Now's time of day in the zone, in minutes. */
function minutesInZone(): number {
  const now = part({ hour: '2-digit', minute: '2-digit' })(new Date());
  return Number(now.slice(0, 2)) * 60 + Number(now.slice(3, 5));
}
/** `day` in the zone at minute `minute` of its day. */
const atMinute = (day: string, minute: number) =>
  inZone(day, `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00`);
/**
 * The first minute of yesterday in the zone that the batch endpoint takes: it takes hits back to
 * yesterday 00:00 UTC, which is 09:00 in Tokyo on the zone's yesterday between 00:00 and 15:00 UTC.
 */
function firstAcceptedMinute(): number {
  const oldest = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`) - 86_400_000;
  let minute = 0;
  while (atMinute(yesterday, minute).getTime() <= oldest) minute++;
  return minute;
}
/**
 * Yesterday, `plus` minutes after a minute about half an hour before now's time of day in the zone,
 * but not before what the batch endpoint takes (between 00:00 and 00:30 UTC the half hour before
 * is earlier than yesterday 00:00 UTC).
 */
function yesterdayAt(plus: number): Date {
  let base = Math.max(firstAcceptedMinute(), minutesInZone() - 30);
  if (base % 60 > 57) base -= 3; // all of yesterday's visits in one hour of the heatmap
  return atMinute(yesterday, base + plus);
}

type Hit = { ip: string; path: string; time: Date };
/** Every hit that was counted, to work out what the heatmap must show. */
const counted: Hit[] = [];

/** Page views from a server, as Pirsch's SDKs send them: the visitor's IP and user agent in the body. */
async function sendHits(hits: Hit[]): Promise<{ accepted: number; dropped: number; rejected: unknown[] }> {
  const response = await fetch(`${stack.urls.backend}/api/v1/hit/batch`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(
      hits.map((h) => ({
        url: `https://${PAGE_HOST}${h.path}`,
        title: h.path,
        ip: h.ip,
        user_agent: CHROME,
        time: h.time.toISOString(),
      })),
    ),
  });
  expect(response.status).toBe(202);
  return (await response.json()) as { accepted: number; dropped: number; rejected: unknown[] };
}

async function exchange(credentials: { id: string; secret: string }) {
  return fetch(`${stack.urls.backend}/api/v1/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: credentials.id, client_secret: credentials.secret }),
  });
}

const apiTotal = async (from: string, to: string) => {
  const response = await fetch(`${stack.urls.backend}/api/v1/statistics/total?id=${siteId}&from=${from}&to=${to}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return response.ok ? ((await response.json()) as { visitors: number; views: number }) : response.status;
};

const settings = async (tab: string) => {
  await app.goto(`${stack.urls.dashboard}/sites/${siteId}/settings/${tab}`);
  await app.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
};
const dashboard = (query: string) => app.goto(`${stack.urls.dashboard}/sites/${siteId}?${query}`);
const kpi = (key: string) => kpiValue(app, key);
/** A key figure's change line as shown, and as a screen reader reads it. */
const delta = async (key: string) => {
  const line = app.getByTestId(`kpi-${key}`).locator('.delta');
  const shown = await line.evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    for (const hidden of copy.querySelectorAll('.sr-only')) hidden.remove();
    return copy.textContent!.replace(/\s+/g, ' ').trim();
  });
  return { shown, read: (await line.ariaSnapshot()).replace(/^- text: /, '') };
};
const urlQuery = () => Object.fromEntries(new URL(app.url()).searchParams);

describe('site settings, driven in the browser', () => {
  it('when an API client is created, then its secret is shown once and exchanges for a token that sends hits', async () => {
    await settings('clients');
    await expect.poll(() => app.getByText('No API clients.').count()).toBe(1);
    await app.getByLabel('Name', { exact: true }).fill('Backfill');
    await app.getByRole('button', { name: 'Create', exact: true }).click();
    const notice = app.locator('.notice[role="status"]');
    await expect.poll(() => notice.textContent()).toContain('Copy the secret now');
    client = {
      id: (await notice.locator('code').first().textContent())!,
      secret: (await notice.locator('code.secret').textContent())!,
    };
    expect(client.secret.length).toBeGreaterThanOrEqual(32);
    await screenshot(app, 'settings-api-clients');

    // Shown once: after a reload the list has the client, never its secret.
    await app.reload();
    await expect
      .poll(() => app.locator('table.data tbody tr td').allTextContents())
      .toEqual(['Backfill', 'Client', 'this site', client.id, 'Revoke']);
    expect(await app.getByText(client.secret).count()).toBe(0);

    const issued = await exchange(client);
    expect(issued.status).toBe(200);
    token = ((await issued.json()) as { access_token: string }).access_token;
    expect(await apiTotal(yesterday, today)).toMatchObject({ visitors: 0 });

    // Yesterday: four visitors, one of them reads three pages over two minutes. Today: five, two pages each.
    // Yesterday's visits come half an hour before today's time of day (within one hour of the clock):
    // "today" is compared with yesterday up to the same time, so they must lie before it.
    // In the first minutes after 00:00 UTC no minute of yesterday is both accepted and before now's
    // time of day (yesterday's three pages take two minutes after the first): wait those minutes out.
    const roomFrom = atMinute(today, firstAcceptedMinute() + 3).getTime();
    if (minutesInZone() < firstAcceptedMinute() + 3 && roomFrom > Date.now())
      await new Promise((resolve) => setTimeout(resolve, roomFrom - Date.now() + 1_000));
    const backfill: Hit[] = [
      ...['/', '/pricing', '/docs'].map((path, i) => ({ ip: '203.0.113.1', path, time: yesterdayAt(i) })),
      ...[2, 3, 4].map((n) => ({ ip: `203.0.113.${n}`, path: '/', time: yesterdayAt(n === 2 ? 0 : 1) })),
    ];
    // A minute and a half ago, but not before midnight where the site is.
    const first = new Date(Math.max(Date.now() - 90_000, inZone(today, '00:00:00').getTime()));
    const recent: Hit[] = [10, 11, 12, 13, 14].flatMap((n) => [
      { ip: `203.0.113.${n}`, path: '/', time: first },
      { ip: `203.0.113.${n}`, path: '/pricing', time: new Date(first.getTime() + 60_000) },
    ]);
    expect(await sendHits(backfill)).toEqual({ accepted: 6, dropped: 0, rejected: [] });
    expect(await sendHits(recent)).toEqual({ accepted: 10, dropped: 0, rejected: [] });
    counted.push(...backfill, ...recent);
    await expect.poll(() => apiTotal(yesterday, today), { timeout: 15_000 }).toMatchObject({ visitors: 9, views: 16 });
  }, 420_000);

  it('when the comparison is the previous period, the previous year or a custom range, then each card shows its exact change and the URL keeps it', async () => {
    await dashboard('period=today');
    await expect.poll(() => kpi('visitors').textContent(), { timeout: 20_000 }).toBe('5');
    // Today (5 visitors, 10 views, no bounce, 1 min visits) against yesterday (4, 6, 3 of 4 bounced, one 2 min visit).
    expect(await app.getByTestId('compare-select').inputValue()).toBe('previous');
    expect(urlQuery()).toEqual({ period: 'today' }); // the default comparison is left out of the URL
    expect(await app.getByTestId('compare-label').textContent()).toBe(shortDay(yesterday, today));
    await expect.poll(() => delta('visitors')).toEqual({ shown: '▲ 25% vs 4', read: '25% more than 4' });
    expect(await delta('views')).toEqual({ shown: '▲ 67% vs 6', read: '67% more than 6' });
    expect(await delta('sessions')).toEqual({ shown: '▲ 25% vs 4', read: '25% more than 4' });
    // Rates move by percentage points: no bounce against 75% is 75 points down, not "100% less".
    expect(await delta('bounce_rate')).toEqual({ shown: '▼ 75 pp vs 75%', read: '75 pp less than 75%' });
    expect(await delta('average_session_seconds')).toEqual({ shown: '▼ 50% vs 2m 00s', read: '50% less than 2m 00s' });
    // Fewer bounces are good news, a shorter visit is not.
    expect(await app.getByTestId('kpi-bounce_rate').locator('.delta').getAttribute('class')).toContain('up');
    expect(await app.getByTestId('kpi-average_session_seconds').locator('.delta').getAttribute('class')).toContain(
      'down',
    );
    await screenshot(app, 'site-dashboard-compare-previous');

    // A year ago the site did not exist: nothing to compute a change from.
    await app.getByTestId('compare-select').selectOption('year');
    await app.waitForURL(/compare=year/);
    expect(urlQuery()).toEqual({ period: 'today', compare: 'year' });
    const yearAgo = `${Number(today.slice(0, 4)) - 1}${today.slice(4)}`.replace(/-02-29$/, '-02-28');
    await expect.poll(() => app.getByTestId('compare-label').textContent()).toBe(shortDay(yearAgo, today));
    // Not "new (none before)" on every card: a period without a single visit shows no change at all.
    await expect.poll(() => app.getByTestId('kpi-visitors').locator('.delta').count()).toBe(0);
    expect(await app.locator('.kpis .delta').count()).toBe(0);
    expect(await kpi('visitors').textContent()).toBe('5');

    // Yesterday against today, chosen by hand.
    await app.getByTestId('range-select').selectOption('yesterday');
    await app.waitForURL(/period=yesterday/);
    await app.getByTestId('compare-select').selectOption('custom');
    await app.getByLabel('Compare from').fill(today);
    await app.getByLabel('Compare to').fill(today);
    await app.getByTestId('custom-compare').getByRole('button', { name: 'Apply' }).click();
    await app.waitForURL(/compare=custom/);
    expect(urlQuery()).toEqual({ period: 'yesterday', compare: 'custom', compare_from: today, compare_to: today });
    const customFigures = async () => {
      await expect.poll(() => kpi('visitors').textContent()).toBe('4');
      await expect.poll(() => delta('visitors')).toEqual({ shown: '▼ 20% vs 5', read: '20% less than 5' });
      expect(await delta('views')).toEqual({ shown: '▼ 40% vs 10', read: '40% less than 10' });
      // A rate against 0% still changes by points: 75% bounced yesterday, none today.
      expect(await delta('bounce_rate')).toEqual({ shown: '▲ 75 pp vs 0%', read: '75 pp more than 0%' });
      // The chart's comparison line, hour by hour: yesterday's visitors against today's.
      const todayByHour = new Map<number, Set<string>>();
      for (const hit of counted.filter((h) => dayIn(h.time) === today))
        todayByHour.set(hourIn(hit.time), (todayByHour.get(hourIn(hit.time)) ?? new Set()).add(hit.ip));
      const expected = Array.from({ length: 24 }, (_, h) => [
        `${String(h).padStart(2, '0')}:00`,
        h === hourIn(yesterdayAt(0)) ? '4' : '0',
        String(todayByHour.get(h)?.size ?? 0),
      ]);
      await app.getByText('Show as table').click();
      await expect
        .poll(() =>
          app
            .locator('.chart table.data tbody tr')
            .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent!.trim()))),
        )
        .toEqual(expected);
    };
    await customFigures();
    await screenshot(app, 'site-dashboard-compare-custom');
    await app.reload();
    expect(await app.getByTestId('compare-select').inputValue()).toBe('custom');
    expect(await app.getByLabel('Compare from').inputValue()).toBe(today);
    await customFigures();
  });

  it('when hits arrive at a known hour, then the heatmap lights that weekday and hour in the site’s time zone', async () => {
    const cells = new Map<string, Set<string>>();
    for (const hit of counted) {
      const key = `${weekdayIn(hit.time)} ${hourIn(hit.time)}:00`;
      cells.set(key, (cells.get(key) ?? new Set()).add(hit.ip));
    }
    const order = (key: string) =>
      ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(key.slice(0, 3)) * 100 +
      Number(key.slice(4).split(':')[0]);
    const expected = [...cells]
      .sort(([a], [b]) => order(a) - order(b))
      .map(([key, ips]) => `${key} – ${ips.size} visitors`);
    // Yesterday's four came within one hour in Tokyo.
    expect(expected).toContain(`${weekdayIn(inZone(yesterday, '12:00:00'))} ${hourIn(yesterdayAt(0))}:00 – 4 visitors`);
    await dashboard('period=7d');
    const heatmap = app.getByTestId('panel-heatmap');
    await heatmap.locator('table').waitFor({ timeout: 20_000 });
    expect(await heatmap.locator('td').count()).toBe(7 * 24);
    expect(
      await heatmap
        .locator('td')
        .evaluateAll((tds) => tds.filter((td) => td.textContent!.trim() !== '0').map((td) => td.getAttribute('title'))),
    ).toEqual(expected);
  });

  it('when someone opens a page now, then the realtime count goes up without reloading the dashboard', async () => {
    await dashboard('period=today');
    // The five visitors of a minute ago are still "current" (the last 10 minutes).
    await expect
      .poll(() => app.getByTestId('realtime').textContent(), { timeout: 20_000 })
      .toMatch(/^\s*5 current visitors\s*$/);
    await app.evaluate(() => ((window as unknown as { unreloaded: boolean }).unreloaded = true));
    const sent = new Date();
    await visit(stack, CHROME, ['/']);
    counted.push({ ip: '127.0.0.1', path: '/', time: sent });
    // The badge refreshes itself every 15 seconds.
    await expect
      .poll(() => app.getByTestId('realtime').textContent(), { timeout: 25_000, interval: 1_000 })
      .toMatch(/^\s*6 current visitors\s*$/);
    expect(await app.evaluate(() => (window as unknown as { unreloaded?: boolean }).unreloaded)).toBe(true);
    await app.getByTestId('realtime').click();
    expect(
      await app.locator('#realtime-pages tbody tr').evaluateAll((rows) => rows.map((r) => r.textContent!.trim())),
    ).toEqual(['/6', '/pricing5']);
  });

  it('when an IP range and a path are filtered, then matching hits are dropped and the others still count', async () => {
    await settings('filters');
    await expect.poll(() => app.getByText('No filters: every visit counts.').count()).toBe(1);
    await app.getByLabel('Kind').selectOption('ip');
    await app.getByLabel('Value').fill('198.51.100.0/24');
    await app.getByLabel('Note').fill('Office');
    await app.getByRole('button', { name: 'Add filter' }).click();
    await expect.poll(() => app.locator('table.data tbody tr').count()).toBe(1);
    await app.getByLabel('Kind').selectOption('path');
    await app.getByLabel('Value').fill('/admin/*');
    await app.getByRole('button', { name: 'Add filter' }).click();
    await expect
      .poll(() =>
        app
          .locator('table.data tbody tr')
          .evaluateAll((rows) =>
            rows.map((r) => [...r.querySelectorAll('td')].slice(0, 3).map((td) => td.textContent!.trim())),
          ),
      )
      .toEqual([
        ['IP address or range', '198.51.100.0/24', 'Office'],
        ['Path pattern', '/admin/*', ''],
      ]);
    await screenshot(app, 'settings-traffic-filters');

    const now = new Date();
    const contact = { ip: '203.0.113.20', path: '/contact', time: now };
    expect(
      await sendHits([
        { ip: '198.51.100.7', path: '/pricing', time: now },
        { ip: '203.0.113.21', path: '/admin/users', time: now },
        contact,
      ]),
    ).toEqual({ accepted: 1, dropped: 2, rejected: [] });
    counted.push(contact);
    // The dashboard reads once per view: open it when the hit has reached the statistics.
    await expect.poll(() => apiTotal(today, today), { timeout: 15_000 }).toMatchObject({ visitors: 7 });
    await dashboard('period=today');
    await expect.poll(() => kpi('visitors').textContent()).toBe('7');
    await expect
      .poll(() => panelRows(app, 'pages'))
      .toEqual([
        ['/', '6'],
        ['/pricing', '5'],
        ['/contact', '1'],
      ]);
  });

  it('when the API client is revoked, then its secret no longer exchanges for a token and its token stops working', async () => {
    await settings('clients');
    await app.getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => app.getByText('No API clients.').count()).toBe(1);
    expect((await exchange(client)).status).toBe(401);
    expect(await apiTotal(today, today)).toBe(401);
  });

  it('when an email report is added for a member and removed, then the list shows it and then none, across reloads', async () => {
    await settings('reports');
    await expect.poll(() => app.getByText('No reports.').count()).toBe(1);
    // Reports go to members only, so a summary cannot be sent to any address typed in.
    await app.getByLabel('Recipient').fill('someone@example.org');
    await app.getByRole('button', { name: 'Add report' }).click();
    await expect
      .poll(() => app.getByRole('alert').textContent())
      .toBe('Reports go to members of the organization only.');
    await app.getByLabel('Recipient').fill(EMAIL);
    await app.getByLabel('Interval').selectOption('monthly');
    await app.getByRole('button', { name: 'Add report' }).click();
    const row = () => app.locator('table.data tbody tr td').allTextContents();
    await expect.poll(row).toEqual([EMAIL, 'month', 'not yet', 'Remove']);
    await screenshot(app, 'settings-email-reports');
    await app.reload();
    await expect.poll(row).toEqual([EMAIL, 'month', 'not yet', 'Remove']);
    expect(await app.getByLabel('Recipient').inputValue()).toBe(EMAIL);
    await app.getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => app.getByText('No reports.').count()).toBe(1);
    await app.reload();
    await expect.poll(() => app.getByText('No reports.').count()).toBe(1);
  });

  it('when the other sections open, then each renders for the site', async () => {
    for (const [tab, heading] of [
      ['members', 'Members'],
      ['goals', 'Goals'],
      ['billing', 'Billing'],
    ] as const) {
      await settings(tab);
      await app.locator('.content h2').first().waitFor();
      expect(await app.locator('.content h2').allTextContents()).toContain(heading);
      await screenshot(app, `settings-${tab}`);
    }
  });

  it('when yesterday’s statistics are deleted and then the site, then yesterday is empty and the site leaves the overview', async () => {
    await settings('danger');
    expect(await app.locator('.danger-card').first().textContent()).toContain(`(${ZONE})`);
    await screenshot(app, 'settings-danger-zone');
    await app.getByLabel('From', { exact: true }).fill(yesterday);
    await app.getByLabel('To', { exact: true }).fill(yesterday);
    await app.getByRole('button', { name: 'Delete statistics' }).click();
    await expect.poll(() => app.getByRole('status').textContent(), { timeout: 15_000 }).toBe('Deleted.');

    await dashboard('period=yesterday');
    await expect.poll(() => kpi('visitors').textContent(), { timeout: 15_000 }).toBe('0');
    await dashboard('period=today');
    await expect.poll(() => kpi('visitors').textContent()).toBe('7');

    await settings('danger');
    const remove = app.getByRole('button', { name: 'Delete site' });
    await app.getByLabel('Domain to confirm').fill('site.tes');
    expect(await remove.isDisabled()).toBe(true);
    await app.getByLabel('Domain to confirm').fill(PAGE_HOST);
    await remove.click();
    await app.waitForURL(`${stack.urls.dashboard}/`);
    await expect.poll(() => app.getByTestId('no-sites').count()).toBe(1);
    expect(await app.getByTestId(`site-${PAGE_HOST}`).count()).toBe(0);
    const gone = await app.evaluate(async (id) => (await fetch(`/api/v1/sites/${id}`)).status, siteId);
    expect(gone).toBe(404);
  });
});
