import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { base32Decode, totp } from '@spur/accounts';
import { linkIn, type DevUrls, type LocalSes } from '@spur/testkit';
import {
  addSite,
  CHROME,
  screenshot,
  signUpAndLogIn,
  startDashboardStack,
  type DashboardStack,
} from './dashboard-harness.ts';
import { PAGE_HOST, type PageServer } from './tracker-pages.ts';

/**
 * The dashboard's doors: two-factor login (with a recovery code), password reset by email, a
 * shared access link and a public, embeddable dashboard opened by people without an account.
 */
const EMAIL = 'guarded@example.com';
const PASSWORD = 'first passphrase, quite long';
const NEW_PASSWORD = 'second passphrase, longer still';

let stack: DashboardStack;
let urls: DevUrls;
let ses: LocalSes;
let pages: PageServer;
let owner: BrowserContext;
let app: Page;
let siteId: string;
let recoveryCodes: string[];
let totpSecret: string;

beforeAll(async () => {
  stack = await startDashboardStack();
  ({ urls, ses, pages } = stack);
  owner = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
  app = await owner.newPage();
}, 180_000);
afterAll(() => stack?.stop(), 60_000);

const shot = (name: string, page: Page = app) => screenshot(page, name);

async function logIn(password: string) {
  await app.goto(`${urls.dashboard}/login`);
  await app.getByLabel('Email', { exact: true }).fill(EMAIL);
  await app.getByLabel('Password', { exact: true }).fill(password);
  await app.getByRole('button', { name: 'Log in' }).click();
}

async function logOut() {
  await app.getByRole('button', { name: 'Log out' }).click();
  await app.waitForURL(/\/login$/);
}

describe('signing in and sharing', () => {
  it('when two-factor authentication is turned on, then logging in asks for a code and a recovery code works once', async () => {
    await signUpAndLogIn(app, stack, EMAIL, PASSWORD);
    await app.waitForURL(`${urls.dashboard}/`);

    await app.goto(`${urls.dashboard}/account/security`);
    await app.getByRole('button', { name: 'Set up two-factor authentication' }).click();
    totpSecret = (await app.getByTestId('totp-secret').textContent())!;
    await app.getByLabel('Code', { exact: true }).fill(totp(base32Decode(totpSecret), Math.floor(Date.now() / 1000)));
    await app.getByRole('button', { name: 'Turn on' }).click();
    recoveryCodes = (await app.locator('pre.codes').textContent())!.split('\n').filter(Boolean);
    expect(recoveryCodes.length).toBeGreaterThanOrEqual(8);
    await shot('account-2fa');

    await logOut();
    await logIn(PASSWORD);
    await expect.poll(() => app.getByRole('heading', { level: 1 }).textContent()).toBe('Two-factor authentication');
    await app.getByRole('button', { name: 'Use a recovery code instead' }).click();
    await app.getByLabel('Recovery code').fill(recoveryCodes[0]!);
    await shot('login-2fa');
    await app.getByRole('button', { name: 'Verify' }).click();
    await app.waitForURL(`${urls.dashboard}/`);

    // A recovery code is single-use: the same one is refused the next time, in words.
    await logOut();
    await logIn(PASSWORD);
    await app.getByRole('button', { name: 'Use a recovery code instead' }).click();
    await app.getByLabel('Recovery code').fill(recoveryCodes[0]!);
    await app.getByRole('button', { name: 'Verify' }).click();
    await expect.poll(() => app.getByRole('alert').textContent()).toBe('Invalid code.');
  });

  it('when the password is forgotten, then the emailed link sets a new one that logs in', async () => {
    await app.goto(`${urls.dashboard}/forgot-password`);
    await app.getByLabel('Email', { exact: true }).fill(EMAIL);
    await app.getByRole('button', { name: 'Send the link' }).click();
    await app.getByRole('status').waitFor();
    await app.goto(
      linkIn(await ses.waitForEmail(EMAIL, /Reset your Spur password/), `${urls.dashboard}/reset-password`),
    );
    await app.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await app.getByLabel('Repeat it').fill(NEW_PASSWORD);
    await app.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => app.getByRole('status').textContent()).toContain('Your password is changed.');

    await logIn(PASSWORD);
    await expect.poll(() => app.getByRole('alert').textContent()).toBe('Invalid email or password.');
    await logIn(NEW_PASSWORD);
    await app.getByRole('button', { name: 'Use a recovery code instead' }).click();
    await app.getByLabel('Recovery code').fill(recoveryCodes[1]!);
    await app.getByRole('button', { name: 'Verify' }).click();
    await app.waitForURL(`${urls.dashboard}/`);
  });

  it('when an access link is opened by someone without an account, then they see the site read-only', async () => {
    // Reports in UTC, so the test's idea of "today" is the site's whatever zone the machine is in.
    const added = await addSite(app, 'UTC');
    siteId = added.siteId;
    const snippet = added.snippet;
    pages.set('/', `<!doctype html><html><head><title>Home</title>${snippet}</head><body>home</body></html>`);
    const visitor = await stack.browser.newContext({ userAgent: CHROME });
    const tab = await visitor.newPage();
    const accepted = tab.waitForResponse((r) => r.url().endsWith('/api/v1/hit'));
    await tab.goto(`${pages.origin()}/`);
    expect((await accepted).status()).toBeLessThan(300);
    await visitor.close();
    await app.getByTestId('first-hit').waitFor({ timeout: 30_000 });

    await app.goto(`${urls.dashboard}/sites/${siteId}/settings/links`);
    await app.getByLabel('Note').fill('For the agency');
    await app.getByRole('button', { name: 'Create link' }).click();
    const link = (await app.locator('code.link').textContent())!;
    expect(link).toMatch(new RegExp(`^${urls.dashboard}/share/[A-Za-z0-9_-]+$`));
    await shot('settings-access-links');

    const stranger = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const shared = await stranger.newPage();
    await shared.goto(link);
    await expect
      .poll(() => shared.getByTestId('kpi-visitors').getByTestId('kpi-value').textContent(), { timeout: 20_000 })
      .toBe('1');
    expect(await shared.locator('.host').textContent()).toContain('shared, read-only');
    expect(await shared.getByRole('link', { name: 'Settings' }).count()).toBe(0);
    await shot('shared-dashboard', shared);
    await stranger.close();
  });

  it('when the site is made public, then its embeddable dashboard shows without the app chrome, in the requested theme', async () => {
    await app.goto(`${urls.dashboard}/sites/${siteId}/settings`);
    await app.getByLabel('Anyone with the address can see this dashboard').check();
    await app.getByLabel('Subdomain').fill('test-site');
    await app.getByRole('button', { name: 'Save', exact: true }).last().click();
    await app.getByText('Public link:').waitFor();

    const stranger = await stack.browser.newContext({ viewport: { width: 900, height: 700 } });
    const embed = await stranger.newPage();
    await embed.goto(`${urls.dashboard}/public/test-site?ui=hide&theme=dark`);
    await expect
      .poll(() => embed.getByTestId('kpi-visitors').getByTestId('kpi-value').textContent(), { timeout: 20_000 })
      .toBe('1');
    expect(await embed.locator('header.app-header').count()).toBe(0);
    expect(await embed.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await shot('public-embed-dark', embed);

    await embed.goto(`${urls.dashboard}/public/not-a-site`);
    await expect.poll(() => embed.getByRole('alert').textContent()).toBe('No public dashboard here.');
    await stranger.close();
  });

  it('when a colleague is invited as a viewer, then after accepting they see the site but cannot change it', async () => {
    const colleague = 'viewer@example.com';
    await app.goto(`${urls.dashboard}/sites/${siteId}/settings/members`);
    await app.getByLabel('Email', { exact: true }).fill(colleague);
    await app.getByRole('button', { name: 'Invite' }).click();
    await expect
      .poll(async () => (await app.getByRole('status').textContent())?.trim())
      .toBe(`Invitation sent to ${colleague}. It expires in 7 days.`);
    const invitation = linkIn(
      await ses.waitForEmail(colleague, /You are invited/),
      `${urls.dashboard}/invitations/accept`,
    );

    const desk = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const tab = await desk.newPage();
    await tab.goto(`${urls.dashboard}/signup`);
    await tab.getByLabel('Email', { exact: true }).fill(colleague);
    await tab.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await tab.getByLabel('I accept the terms').check();
    await tab.getByRole('button', { name: 'Create account' }).click();
    await tab.goto(linkIn(await ses.waitForEmail(colleague, /Confirm your email/), `${urls.dashboard}/verify-email`));
    await tab.getByTestId('verified').waitFor();

    // The invitation link needs a signed-in user: log in first, then land back on it.
    await tab.goto(invitation);
    await tab.waitForURL(/\/login\?next=/);
    await tab.getByLabel('Email', { exact: true }).fill(colleague);
    await tab.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await tab.getByRole('button', { name: 'Log in' }).click();
    await tab.waitForURL(/\/invitations\/accept\?token=/);
    await tab.getByRole('button', { name: 'Accept the invitation' }).click();
    await tab.getByRole('link', { name: 'See its sites' }).click();
    await expect.poll(() => tab.getByTestId(`site-${PAGE_HOST}`).getByTestId('visitors-today').textContent()).toBe('1');
    expect(await tab.getByRole('link', { name: 'Add a site' }).count()).toBe(0);
    await tab.getByTestId(`site-${PAGE_HOST}`).getByRole('link').click();
    await expect.poll(() => tab.getByTestId('kpi-visitors').getByTestId('kpi-value').textContent()).toBe('1');
    expect(await tab.getByRole('link', { name: 'Settings' }).count()).toBe(0);
    await desk.close();
  });

  it('when the email address is changed, then the link sent to the new address makes it the login', async () => {
    const moved = 'moved@example.com';
    await app.goto(`${urls.dashboard}/account`);
    await app.getByLabel('New email').fill(moved);
    await app.getByLabel('Your password').fill(NEW_PASSWORD);
    await app.getByRole('button', { name: 'Change email' }).click();
    await expect
      .poll(async () => (await app.locator('.notice[role="status"]').textContent())?.trim())
      .toBe('If the address can receive it, a confirmation link is on its way.');
    await app.goto(linkIn(await ses.waitForEmail(moved, /Confirm your new email/), `${urls.dashboard}/confirm-email`));
    await expect.poll(() => app.getByRole('status').textContent()).toContain('Your new email address is confirmed');
    await app.goto(`${urls.dashboard}/account`);
    await expect.poll(() => app.locator('.card').first().textContent()).toContain(`Currently ${moved}.`);
    expect(await app.getByRole('link', { name: 'Account', exact: true }).getAttribute('title')).toBe(moved);
  });

  it('when the session is ended from another device, then the next request asks to log in again and returns to the same view', async () => {
    const laptop = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const other = await laptop.newPage();
    await other.goto(`${urls.dashboard}/login`);
    await other.getByLabel('Email', { exact: true }).fill('moved@example.com');
    await other.getByLabel('Password', { exact: true }).fill(NEW_PASSWORD);
    await other.getByRole('button', { name: 'Log in' }).click();
    await other.getByRole('button', { name: 'Use a recovery code instead' }).click();
    await other.getByLabel('Recovery code').fill(recoveryCodes[2]!);
    await other.getByRole('button', { name: 'Verify' }).click();
    await other.waitForURL(`${urls.dashboard}/`);
    await other.goto(`${urls.dashboard}/sites/${siteId}?period=7d`);
    await expect.poll(() => other.getByTestId('kpi-visitors').getByTestId('kpi-value').textContent()).toBe('1');

    await app.goto(`${urls.dashboard}/account/security`);
    await app.getByRole('button', { name: 'Sign out everywhere else' }).click();
    await expect.poll(() => app.locator('table.data tbody tr').count()).toBe(1);

    // The statistics of this (now public) site still answer; its settings need the ended session.
    await other.getByRole('link', { name: 'Settings' }).click();
    await other.waitForURL(/\/login\?/);
    expect((await other.getByRole('status').first().textContent())?.trim()).toBe(
      'Your session ended. Log in again to continue.',
    );
    expect(new URL(other.url()).searchParams.get('next')).toBe(`/sites/${siteId}/settings`);
    await laptop.close();
  });

  it('when the account is deleted, then it is gone: logging in again fails', async () => {
    await app.goto(`${urls.dashboard}/account/delete`);
    await app.getByLabel('Password', { exact: true }).fill(NEW_PASSWORD);
    await app.getByLabel('Code from your app').fill(totp(base32Decode(totpSecret), Math.floor(Date.now() / 1000) + 30));
    const button = app.getByRole('button', { name: 'Delete my account' });
    expect(await button.isDisabled()).toBe(true);
    await app.getByLabel('Type DELETE to confirm').fill('DELETE');
    await button.click();
    await app.waitForURL(/\/login$/);
    await app.getByLabel('Email', { exact: true }).fill('moved@example.com');
    await app.getByLabel('Password', { exact: true }).fill(NEW_PASSWORD);
    await app.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => app.getByRole('alert').textContent()).toBe('Invalid email or password.');
  });
});
