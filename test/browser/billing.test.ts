import fs from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncPrices } from '@spur/billing';
import {
  devDataDir,
  devPorts,
  launchChromium,
  linkIn,
  screenshotPath,
  startDev,
  startLocalSes,
  type DevUrls,
  type LocalSes,
  type SpawnedProcess,
} from '@spur/testkit';
import { startStripeTestServer, type StripeTestServer } from '@spur/testkit/stripe';

/**
 * Billing in real Chromium against `npm run dev` with Stripe configured to the Stripe test server,
 * which delivers its signed webhooks to the dev backend as they happen: a visitor picks a plan on
 * the pricing page, signs up, sees the trial banner, opens the billing page, pays at the (test)
 * checkout, changes plan after a preview, and sees the lock when the subscription ends.
 */
const WEBHOOK_SECRET = 'whsec_browser_test_secret';
let stripe: StripeTestServer;
let ses: LocalSes;
let browser: Browser;
let dev: SpawnedProcess;
let urls: DevUrls;
let dataDir: string;

beforeAll(async () => {
  [stripe, ses, browser, dataDir] = await Promise.all([
    startStripeTestServer(),
    startLocalSes(),
    launchChromium(),
    devDataDir(),
  ]);
  await syncPrices(stripe.client());
  ({ process: dev, urls } = await startDev({
    dataDir,
    ports: await devPorts(),
    env: {
      SES_ENDPOINT: ses.endpoint,
      STRIPE_SECRET_KEY: stripe.secretKey,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_BASE: stripe.url,
      STRIPE_AUTOMATIC_TAX: 'true',
    },
  }));
  stripe.webhook = { url: `${urls.backend}/api/v1/billing/webhook`, secret: WEBHOOK_SECRET };
  stripe.autoDeliver = true;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  dev?.kill('SIGTERM');
  await dev?.exited;
  await Promise.all([ses?.stop(), stripe?.stop()]);
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
}, 60_000);

async function shot(page: Page, name: string) {
  await page.screenshot({ path: await screenshotPath('billing', `${name}.png`), fullPage: true });
}

describe('billing in the browser', () => {
  it('when a visitor picks a plan on the pricing page and signs up, then the trial banner shows, checkout and a previewed plan change work, and an ended subscription locks', async () => {
    const page = await browser.newPage();
    const email = `billing-${Date.now()}@example.com`;
    const password = 'a-Long-enough-Passw0rd';

    // Pricing → sign-up with the plan and tier in the link.
    await page.goto(`${urls.website}/pricing`);
    await page.locator('article[aria-labelledby="plan-business"] a', { hasText: 'free trial' }).click();
    await page.waitForURL(/\/signup\?plan=business&tier=10000&interval=monthly$/);
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByLabel('I accept the terms').check();
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByTestId('signup-sent').waitFor();
    await page.goto(linkIn(await ses.waitForEmail(email, /Confirm your email/), `${urls.dashboard}/verify-email`));
    await page.getByTestId('verified').waitFor();
    await page.goto(`${urls.dashboard}/login`);
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();

    // The trial banner, then the billing page with the pricing page's choice preselected.
    const trial = page.getByTestId('billing-banner-trial');
    await trial.waitFor();
    expect(await trial.textContent()).toContain('Your free trial ends in 30 days.');
    await trial.getByRole('link', { name: 'Choose a plan' }).click();
    await page.getByTestId('usage-chart').waitFor();
    expect(await page.getByTestId('usage-bar').count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('select[name=plan]').inputValue()).toBe('business');
    expect(await page.locator('select[name=tier]').inputValue()).toBe('10000');
    expect(await page.getByTestId('price').textContent()).toBe('€12 / month');
    await shot(page, 'trial');

    // Checkout on the (test) Stripe page; back on the billing page the subscription shows.
    await page.getByRole('button', { name: 'Continue to checkout' }).click();
    await page.waitForURL(new RegExp(`^${stripe.url}/checkout/`));
    await page.getByRole('button', { name: 'Pay' }).click();
    await page.waitForURL(/\/billing\?checkout=success$/);
    await expect
      .poll(async () => (await page.reload(), await page.getByRole('heading', { level: 2 }).first().textContent()), {
        timeout: 15_000,
      })
      .toContain('trialing');
    expect(await page.getByTestId('billing-plan').textContent()).toContain('Business · 10k page views a month');

    // Change plan: the preview first, then the change.
    await page.locator('select[name=tier]').selectOption('100000');
    await page.getByRole('button', { name: 'Preview change' }).click();
    await page.getByTestId('preview').waitFor();
    expect(await page.getByTestId('preview').textContent()).toContain('Due now');
    await page.getByRole('button', { name: 'Confirm change' }).click();
    await expect
      .poll(() => page.getByTestId('billing-plan').textContent())
      .toContain('Business · 100k page views a month');
    await shot(page, 'changed');

    // A site, so that its dashboard can show the lock later.
    await page.goto(`${urls.dashboard}/sites/new`);
    await page.getByLabel('Domain', { exact: true }).fill('locked.example');
    await page.getByLabel('Time zone of the reports').selectOption('UTC');
    await page.getByRole('button', { name: 'Add site' }).click();
    await page.waitForURL(/\/sites\/\d+\/setup$/);
    const siteId = /\/sites\/(\d+)\/setup/.exec(page.url())![1]!;

    // The subscription ends (canceled in Stripe): statistics lock, and the dashboard says so.
    const subscription = [...stripe.state.subscriptions.values()].at(-1)!;
    await stripe.client().subscriptions.cancel(subscription.id);
    await expect
      .poll(async () => (await page.reload(), await page.getByTestId('billing-banner-locked').count()), {
        timeout: 15_000,
      })
      .toBe(1);
    expect(await page.getByTestId('billing-banner-locked').textContent()).toContain(
      'Your subscription has ended: upgrade to see your statistics.',
    );
    await shot(page, 'locked');

    // The site's dashboard shows the lock screen, not panels each repeating the 402.
    await page.goto(`${urls.dashboard}/sites/${siteId}`);
    const lock = page.getByTestId('statistics-locked');
    await lock.waitFor();
    expect(await lock.getByRole('alert').textContent()).toBe(
      'Your subscription has ended: upgrade to see your statistics. Your sites are still being counted.',
    );
    expect(await lock.getByRole('link', { name: 'Choose a plan' }).getAttribute('href')).toMatch(
      /^\/organizations\/\d+\/billing$/,
    );
    await shot(page, 'locked-dashboard');
  });
});
