import fs from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import {
  devDataDir,
  devPorts,
  launchChromium,
  screenshotPath,
  startDev,
  type DevUrls,
  type SpawnedProcess,
} from '@spur/testkit';

let dev: SpawnedProcess;
let urls: DevUrls;
let dataDir: string;
let browser: Browser;

beforeAll(async () => {
  dataDir = await devDataDir();
  const started = await startDev({ dataDir, ports: await devPorts() });
  dev = started.process;
  urls = started.urls;
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  dev?.kill('SIGTERM');
  await dev?.exited;
  await fs.rm(dataDir, { recursive: true, force: true });
}, 60_000);

describe('npm run dev in a browser', () => {
  it('when the dashboard opens signed out, then it asks the API through its proxy and shows the login', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const session = page.waitForResponse((r) => r.url() === `${urls.dashboard}/api/v1/auth/session`);
    await page.goto(urls.dashboard);
    // The backend's "nobody" came back through Vite's /api proxy (200, no user: no 401 in the
    // console), so the app sent the visitor to log in.
    const answer = await session;
    expect([answer.status(), await answer.json()]).toEqual([200, { user: null, website_url: urls.website }]);
    await page.waitForURL(`${urls.dashboard}/login`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Log in to Spur');
    await page.screenshot({ path: await screenshotPath('foundation', 'dashboard.png') });
    expect(errors).toEqual([]);
  });

  it('when the website opens, then it renders without client JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(urls.website);
    // The home page's one heading, rendered by the server (the <br /> adds no text).
    expect(await page.locator('h1').allTextContents()).toEqual([
      'Know how your website is doing,not who your visitors are',
    ]);
    expect(await page.title()).toBe('Spur — privacy-friendly web analytics without cookies');
    await page.screenshot({ path: await screenshotPath('foundation', 'website.png') });
    await context.close();
  });
});
