import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { base32Decode, totp } from '@spur/accounts';
import { linkIn, type SentEmail } from '@spur/testkit';
import { Browser, DASHBOARD, signUpAndLogin, useAccountsBackend } from './accounts-client.ts';

/**
 * The account notices as they reach a mailbox (read back from the local SES server): recipient,
 * subject, both bodies, and every link followed to the dashboard page it opens and the API call
 * that page makes.
 */
const b = useAccountsBackend();

const root = path.resolve(import.meta.dirname, '../..');
const PASSWORD = 'a-Sound-passphrase-42';
const codeAt = (secret: string, offsetSeconds = 0) =>
  totp(base32Decode(secret), Math.floor(Date.now() / 1000) + offsetSeconds);

const escape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
/** URLs as a mail client would link them: trailing punctuation is not part of the address. */
const urlsIn = (text: string) => [...text.matchAll(/https?:\/\/[^\s<"]+?(?=[.,;:!?)]*(?:[\s<"]|$))/g)].map((m) => m[0]);
const hrefsIn = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));

/** A string, or a sentence whose link follows it (in text: the URL alone on the next line). */
type Paragraph = string | { text: string; url: string };
type Expected = {
  to: string;
  subject: string;
  heading: string;
  paragraphs: Paragraph[];
  action?: { label: string; url: string };
};

function expectMail(mail: SentEmail, e: Expected): void {
  expect(mail.destination).toEqual({ to: [e.to], cc: [], bcc: [] });
  expect(mail.from).toBe('Spur <no-reply@spur.localhost>');
  expect(mail.subject).toBe(e.subject);
  const text = mail.body.text!;
  expect(text.startsWith(`Spur\n\n${e.heading}\n${'='.repeat(e.heading.length)}\n\n`)).toBe(true);
  for (const p of e.paragraphs)
    expect(text).toContain(typeof p === 'string' ? `\n\n${p}\n\n` : `\n\n${p.text}\n${p.url}\n\n`);
  const html = mail.body.html!;
  expect(html).toContain(`<title>${escape(e.heading)}</title>`);
  expect(html).toContain(`>${escape(e.heading)}</h1>`);
  for (const p of e.paragraphs) {
    expect(html).toContain(
      typeof p === 'string' ? `>${escape(p)}</p>` : `>${escape(p.text)}<br><a href="${escape(p.url)}"`,
    );
  }
  if (e.action) {
    expect(text).toContain(`\n${e.action.label}: ${e.action.url}\n`);
    expect(html).toContain(`<a href="${escape(e.action.url)}"`);
    expect(html).toContain(`>${escape(e.action.label)}</a>`);
  }
  const links = e.paragraphs.flatMap((p) => (typeof p === 'string' ? [] : [p.url]));
  expect(hrefsIn(html)).toEqual([...links, ...(e.action ? [e.action.url] : [])]);
  // The sender is no-reply: no notice may ask for an answer.
  expect(text).not.toMatch(/\breply\b/i);
}

/** "On <date> …": the notices say when, in UTC; it must be the moment of the change. */
function whenIn(mail: SentEmail): string {
  const when = /^On (\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT) /m.exec(mail.body.text!)?.[1];
  expect(when, mail.body.text).toBeDefined();
  expect(Math.abs(Date.parse(when!) - Date.now())).toBeLessThan(60_000);
  return when!;
}

/** The dashboard route (dashboard/src/router.ts) a link opens; a link to no page fails. */
async function dashboardPage(link: string): Promise<string> {
  const url = new URL(link);
  expect(url.origin).toBe(DASHBOARD);
  const source = await fs.readFile(path.join(root, 'dashboard/src/router.ts'), 'utf8');
  for (const [, route] of source.matchAll(/\bpath: '([^']+)'/g)) {
    if (route!.includes('pathMatch')) continue;
    const pattern = new RegExp(`^${route!.replace(/\/:\w+\?/g, '(?:/[^/]+)?').replace(/:\w+/g, '[^/]+')}$`);
    if (pattern.test(url.pathname)) return route!;
  }
  throw new Error(`${link} opens no dashboard page`);
}

describe('account notices as delivered', () => {
  it('when someone signs up with a registered address, then its owner gets a notice whose log-in and reset links are real links, clear of punctuation, and both work', async () => {
    await signUpAndLogin(b, 'existing@example.com');
    await new Browser(b.server.url).post('/api/v1/auth/signup', {
      email: 'Existing@Example.com',
      password: 'intruder-Passphrase-9',
      accept_terms: true,
    });
    const mail = await b.ses.waitForEmail('existing@example.com', /already have/);
    const login = `${DASHBOARD}/login`;
    const forgot = `${DASHBOARD}/forgot-password`;
    expectMail(mail, {
      to: 'existing@example.com',
      subject: 'You already have a Spur account',
      heading: 'You already have an account',
      paragraphs: [
        'Someone, probably you, tried to sign up for Spur with this email address, which already has an account.',
        { text: 'If it was you, log in here:', url: login },
        { text: 'If you forgot your password, request a new one here:', url: forgot },
        'If this was not you, you can ignore this email; nothing changed.',
      ],
    });
    // A mail client links every run of non-space characters: each URL sits alone on its line.
    expect(mail.body.text!.split('\n').filter((line) => line.includes('http'))).toEqual([login, forgot]);
    expect(hrefsIn(mail.body.html!)).toEqual([login, forgot]);
    expect(linkIn(mail, `${DASHBOARD}/login`)).toBe(login);
    // Nothing in it that would let the sender of the sign-up in.
    expect(mail.body.text).not.toMatch(/token=|verify-email/);

    // /login: the account is as it was; the sign-up's password was not taken.
    expect(await dashboardPage(login)).toBe('/login');
    expect(
      (
        await new Browser(b.server.url).post('/api/v1/auth/login', {
          email: 'existing@example.com',
          password: 'intruder-Passphrase-9',
        })
      ).status,
    ).toBe(401);
    expect(
      (
        await new Browser(b.server.url).post('/api/v1/auth/login', {
          email: 'existing@example.com',
          password: PASSWORD,
        })
      ).status,
    ).toBe(200);
    // /forgot-password: that page's request sends a working reset link.
    expect(await dashboardPage(forgot)).toBe('/forgot-password');
    expect(
      (await new Browser(b.server.url).post('/api/v1/auth/password/forgot', { email: 'existing@example.com' })).status,
    ).toBe(202);
    const reset = linkIn(
      await b.ses.waitForEmail('existing@example.com', /Reset your Spur password/),
      `${DASHBOARD}/reset-password?token=`,
    );
    expect(await dashboardPage(reset)).toBe('/reset-password');
    const token = new URL(reset).searchParams.get('token');
    expect(
      (await new Browser(b.server.url).post('/api/v1/auth/password/reset', { token, password: 'recovered-Secret-31' }))
        .status,
    ).toBe(200);
    expect(
      (
        await new Browser(b.server.url).post('/api/v1/auth/login', {
          email: 'existing@example.com',
          password: 'recovered-Secret-31',
        })
      ).status,
    ).toBe(200);
  });

  it('when the email address changes, then the old address is told the new one, escaped in HTML, and a way back that works without a reply or a reset', async () => {
    const browser = await signUpAndLogin(b, 'old-address@example.com');
    const next = "o'hara+new@example.com";
    expect(
      (await browser.post('/api/v1/account/email', { new_email: "O'Hara+New@Example.com", password: PASSWORD })).status,
    ).toBe(202);
    const confirm = linkIn(
      await b.ses.waitForEmail(next, /Confirm your new email address/),
      `${DASHBOARD}/confirm-email?token=`,
    );
    expect(await dashboardPage(confirm)).toBe('/confirm-email');
    expect(
      (
        await new Browser(b.server.url).post('/api/v1/account/email/confirm', {
          token: new URL(confirm).searchParams.get('token'),
        })
      ).body,
    ).toEqual({ email: next });

    const mail = await b.ses.waitForEmail('old-address@example.com', /email address of your Spur account changed/);
    const when = whenIn(mail);
    const settings = `${DASHBOARD}/account/profile`;
    expectMail(mail, {
      to: 'old-address@example.com',
      subject: 'The email address of your Spur account changed',
      heading: 'Your email address changed',
      paragraphs: [
        `On ${when} the email address of your Spur account was changed to ${next}.`,
        'If this was not you, someone knows your password. Log in with the new address and your password, change the address back and choose a new password; that signs out every other session.',
        'A password reset will not reach you, because its link goes to the new address. If you cannot log in any more, ask the administrator of your Spur service to set a new password for you.',
      ],
      action: { label: 'Email & password settings', url: settings },
    });
    expect(mail.body.html).toContain('o&#39;hara+new@example.com');
    expect(mail.body.html).not.toContain(next);
    expect(urlsIn(mail.body.text!)).toEqual([settings]);
    // Sent once, to the old address only.
    expect((await b.ses.emailsTo(next)).map((m) => m.subject)).toEqual(['Confirm your new email address for Spur']);

    // The way back, as the notice describes it: /account/profile (its "Email & password" tab) after
    // logging in with the new address; the change back is confirmed from the old mailbox.
    expect(await dashboardPage(settings)).toBe('/account/:tab?');
    const owner = new Browser(b.server.url, 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Safari/605.1.15');
    expect((await owner.post('/api/v1/auth/login', { email: next, password: PASSWORD })).status).toBe(200);
    expect(
      (await owner.post('/api/v1/account/email', { new_email: 'old-address@example.com', password: PASSWORD })).status,
    ).toBe(202);
    const back = linkIn(
      await b.ses.waitForEmail('old-address@example.com', /Confirm your new email address/),
      `${DASHBOARD}/confirm-email?token=`,
    );
    expect(
      (await owner.post('/api/v1/account/email/confirm', { token: new URL(back).searchParams.get('token') })).body,
    ).toEqual({ email: 'old-address@example.com' });
    expect(
      (await owner.put('/api/v1/account/password', { current_password: PASSWORD, new_password: 'taken-Back-2030' }))
        .status,
    ).toBe(200);
    // Whoever made the change is signed out.
    expect((await browser.get('/api/v1/account')).status).toBe(401);
  });

  it('when the password changes, then exactly one notice says when and links to the reset page, whose reset signs out every session', async () => {
    const browser = await signUpAndLogin(b, 'pw-notice@example.com');
    expect(
      (
        await browser.put('/api/v1/account/password', {
          current_password: 'not-the-password',
          new_password: 'changed-Secret-2029',
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await browser.put('/api/v1/account/password', {
          current_password: PASSWORD,
          new_password: 'changed-Secret-2029',
        })
      ).status,
    ).toBe(200);
    const mail = await b.ses.waitForEmail('pw-notice@example.com', /Your Spur password changed/);
    const when = whenIn(mail);
    const forgot = `${DASHBOARD}/forgot-password`;
    expectMail(mail, {
      to: 'pw-notice@example.com',
      subject: 'Your Spur password changed',
      heading: 'Your password changed',
      paragraphs: [
        `On ${when} the password of your Spur account was changed and every other session was signed out.`,
        'If this was not you, reset your password now. The reset link comes to this address, and using it signs out every session, including the one that made this change.',
      ],
      action: { label: 'Reset your password', url: forgot },
    });
    expect(urlsIn(mail.body.text!)).toEqual([forgot]);
    expect(
      (await b.ses.emailsTo('pw-notice@example.com')).filter((m) => m.subject === 'Your Spur password changed'),
    ).toHaveLength(1);

    // /forgot-password: its request mails a reset link; using it ends the session that changed the password.
    expect(await dashboardPage(forgot)).toBe('/forgot-password');
    expect(
      (await new Browser(b.server.url).post('/api/v1/auth/password/forgot', { email: 'pw-notice@example.com' })).status,
    ).toBe(202);
    const reset = linkIn(
      await b.ses.waitForEmail('pw-notice@example.com', /Reset your Spur password/),
      `${DASHBOARD}/reset-password?token=`,
    );
    expect(
      (
        await new Browser(b.server.url).post('/api/v1/auth/password/reset', {
          token: new URL(reset).searchParams.get('token'),
          password: 'owner-Again-2031',
        })
      ).status,
    ).toBe(200);
    expect((await browser.get('/api/v1/account')).status).toBe(401);
    expect(
      (
        await new Browser(b.server.url).post('/api/v1/auth/login', {
          email: 'pw-notice@example.com',
          password: 'owner-Again-2031',
        })
      ).status,
    ).toBe(200);
  });

  it('when 2FA is disabled, then the notice links to the security settings, where sessions are listed and 2FA can be turned on again', async () => {
    const browser = await signUpAndLogin(b, 'mfa-off@example.com');
    const secret = (await browser.post('/api/v1/account/2fa/setup')).body.secret as string;
    expect((await browser.post('/api/v1/account/2fa/enable', { code: codeAt(secret) })).status).toBe(200);
    expect(
      (await browser.post('/api/v1/account/2fa/disable', { password: PASSWORD, code: codeAt(secret, 30) })).status,
    ).toBe(204);
    const mail = await b.ses.waitForEmail('mfa-off@example.com', /Two-factor authentication disabled/);
    const when = whenIn(mail);
    const security = `${DASHBOARD}/account/security`;
    expectMail(mail, {
      to: 'mfa-off@example.com',
      subject: 'Two-factor authentication disabled for your Spur account',
      heading: 'Two-factor authentication disabled',
      paragraphs: [
        `On ${when} two-factor authentication was disabled for your Spur account.`,
        'Your account is now protected by its password alone. If this was not you, change your password now.',
      ],
      action: { label: 'Security settings', url: security },
    });
    expect(urlsIn(mail.body.text!)).toEqual([security]);
    expect(linkIn(mail, DASHBOARD)).toBe(security);

    // /account/security: its tab lists the sessions and turns 2FA back on.
    expect(await dashboardPage(security)).toBe('/account/:tab?');
    const sessions = await browser.get('/api/v1/account/sessions');
    expect(sessions.body.map((s: { user_agent: string; current: boolean }) => [s.user_agent, s.current])).toEqual([
      ['Firefox on Linux', true],
    ]);
    const again = (await browser.post('/api/v1/account/2fa/setup')).body.secret as string;
    expect((await browser.post('/api/v1/account/2fa/enable', { code: codeAt(again) })).status).toBe(200);
    expect((await browser.get('/api/v1/account')).body.two_factor_enabled).toBe(true);
  });
});
