import { describe, expect, it } from 'vitest';
import { base32Decode, totp } from '@spur/accounts';
import { linkIn } from '@spur/testkit';
import { Browser, DASHBOARD, resetRateLimits, signUpAndLogin, useAccountsBackend } from './accounts-client.ts';

const b = useAccountsBackend();

const PASSWORD = 'a-Sound-passphrase-42';
const now = () => Math.floor(Date.now() / 1000);
const codeAt = (secret: string, offsetSeconds = 0) => totp(base32Decode(secret), now() + offsetSeconds);

describe('two-factor authentication', () => {
  it('when TOTP is enabled, then login needs a fresh code or an unused recovery code, and each works only once', async () => {
    const browser = await signUpAndLogin(b, 'totp@example.com');
    const setup = await browser.post('/api/v1/account/2fa/setup');
    expect(setup.body.otpauth_url).toBe(
      `otpauth://totp/Spur%3Atotp%40example.com?secret=${setup.body.secret}&issuer=Spur&algorithm=SHA1&digits=6&period=30`,
    );
    const { rows } = await b.t.stores.postgres.pool.query(
      "SELECT totp_secret FROM app_user WHERE email = 'totp@example.com'",
    );
    expect(rows[0].totp_secret).not.toContain(setup.body.secret);
    expect(
      (
        await browser.post('/api/v1/account/2fa/enable', {
          code: '000000' === codeAt(setup.body.secret) ? '111111' : '000000',
        })
      ).status,
    ).toBe(400);
    const enableCode = codeAt(setup.body.secret);
    const enabled = await browser.post('/api/v1/account/2fa/enable', { code: enableCode });
    expect(enabled.status).toBe(200);
    expect(enabled.body.recovery_codes).toHaveLength(10);
    expect(enabled.body.recovery_codes[0]).toMatch(/^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/);
    const notice = await b.ses.waitForEmail('totp@example.com', /Two-factor authentication enabled/);
    expect(linkIn(notice, DASHBOARD)).toBe(`${DASHBOARD}/account/security`);

    const phone = new Browser(b.server.url);
    const first = await phone.post('/api/v1/auth/login', { email: 'totp@example.com', password: PASSWORD });
    expect(first.body).toEqual({ two_factor_required: true, challenge: expect.any(String) });
    expect(first.headers.get('set-cookie')).toBeNull();
    expect((await phone.get('/api/v1/account')).status).toBe(401);
    // The code used to enable 2FA is spent; the next step's code (clock drift window) is not.
    expect(
      (await phone.post('/api/v1/auth/login/2fa', { challenge: first.body.challenge, code: enableCode })).status,
    ).toBe(401);
    const next = codeAt(setup.body.secret, 30);
    expect((await phone.post('/api/v1/auth/login/2fa', { challenge: first.body.challenge, code: next })).status).toBe(
      200,
    );
    expect((await phone.get('/api/v1/account')).body.two_factor_enabled).toBe(true);
    // The challenge is single-use, and so is the code.
    expect((await phone.post('/api/v1/auth/login/2fa', { challenge: first.body.challenge, code: next })).status).toBe(
      401,
    );
    const second = await new Browser(b.server.url).post('/api/v1/auth/login', {
      email: 'totp@example.com',
      password: PASSWORD,
    });
    expect(
      (await new Browser(b.server.url).post('/api/v1/auth/login/2fa', { challenge: second.body.challenge, code: next }))
        .status,
    ).toBe(401);

    const laptop = new Browser(b.server.url);
    const third = await laptop.post('/api/v1/auth/login', { email: 'totp@example.com', password: PASSWORD });
    const recovery = enabled.body.recovery_codes[3].toUpperCase();
    expect(
      (await laptop.post('/api/v1/auth/login/2fa', { challenge: third.body.challenge, recovery_code: recovery }))
        .status,
    ).toBe(200);
    const fourth = await new Browser(b.server.url).post('/api/v1/auth/login', {
      email: 'totp@example.com',
      password: PASSWORD,
    });
    expect(
      (
        await new Browser(b.server.url).post('/api/v1/auth/login/2fa', {
          challenge: fourth.body.challenge,
          recovery_code: recovery,
        })
      ).status,
    ).toBe(401);
  });

  it('when second-step codes are guessed, then the 6th guess within five minutes is rate limited', async () => {
    const browser = await signUpAndLogin(b, 'guess@example.com');
    const secret = (await browser.post('/api/v1/account/2fa/setup')).body.secret;
    await browser.post('/api/v1/account/2fa/enable', { code: codeAt(secret) });
    await resetRateLimits(b);
    const attacker = new Browser(b.server.url);
    const { challenge } = (
      await attacker.post('/api/v1/auth/login', { email: 'guess@example.com', password: PASSWORD })
    ).body;
    const wrong = ['000000', '111111', '222222', '333333', '444444', '555555', '666666'].filter(
      (c) => ![-30, 0, 30].some((o) => codeAt(secret, o) === c),
    );
    const statuses: number[] = [];
    for (const code of wrong.slice(0, 6))
      statuses.push((await attacker.post('/api/v1/auth/login/2fa', { challenge, code })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it('when 2FA is disabled, then password and code are required and the owner is told', async () => {
    const browser = await signUpAndLogin(b, 'off@example.com');
    const secret = (await browser.post('/api/v1/account/2fa/setup')).body.secret;
    await browser.post('/api/v1/account/2fa/enable', { code: codeAt(secret) });
    expect(
      (await browser.post('/api/v1/account/2fa/disable', { password: 'wrong-password-1', code: codeAt(secret, 30) }))
        .status,
    ).toBe(400);
    expect(
      (await browser.post('/api/v1/account/2fa/disable', { password: PASSWORD, code: codeAt(secret, 30) })).status,
    ).toBe(204);
    await b.ses.waitForEmail('off@example.com', /Two-factor authentication disabled/);
    const again = await new Browser(b.server.url).post('/api/v1/auth/login', {
      email: 'off@example.com',
      password: PASSWORD,
    });
    expect(again.body.user.two_factor_enabled).toBe(false);
  });
});

describe('sessions', () => {
  it('when a user lists and revokes sessions, then the revoked device is signed out and other users cannot touch them', async () => {
    const desktop = await signUpAndLogin(b, 'sessions@example.com');
    const phone = new Browser(b.server.url, 'Mozilla/5.0 (Linux; Android 14) Chrome/126.0 Mobile');
    await phone.post('/api/v1/auth/login', { email: 'sessions@example.com', password: PASSWORD });
    const list = (await desktop.get('/api/v1/account/sessions')).body as {
      id: string;
      user_agent: string;
      current: boolean;
    }[];
    expect(list.map((s) => [s.user_agent, s.current]).sort()).toEqual([
      ['Chrome on Android', false],
      ['Firefox on Linux', true],
    ]);
    const phoneSession = list.find((s) => !s.current)!;
    const stranger = await signUpAndLogin(b, 'nosy@example.com');
    expect((await stranger.delete(`/api/v1/account/sessions/${phoneSession.id}`)).status).toBe(404);
    expect((await phone.get('/api/v1/account')).status).toBe(200);
    expect((await desktop.delete(`/api/v1/account/sessions/${phoneSession.id}`)).status).toBe(204);
    expect((await phone.get('/api/v1/account')).status).toBe(401);
    expect((await desktop.get('/api/v1/account')).status).toBe(200);
  });
});

describe('changing password and email', () => {
  it('when the password changes, then the current password is required, this session stays and the others end', async () => {
    const here = await signUpAndLogin(b, 'pw@example.com');
    const there = new Browser(b.server.url);
    await there.post('/api/v1/auth/login', { email: 'pw@example.com', password: PASSWORD });
    const wrong = await here.put('/api/v1/account/password', {
      current_password: 'not-it-at-all',
      new_password: 'fresh-Secret-2027',
    });
    expect([wrong.status, wrong.body.field]).toEqual([400, 'current_password']);
    expect(
      (await here.put('/api/v1/account/password', { current_password: PASSWORD, new_password: 'short' })).body.field,
    ).toBe('new_password');
    expect(
      (await here.put('/api/v1/account/password', { current_password: PASSWORD, new_password: 'fresh-Secret-2027' }))
        .status,
    ).toBe(200);
    expect((await here.get('/api/v1/account')).status).toBe(200);
    expect((await there.get('/api/v1/account')).status).toBe(401);
    await b.ses.waitForEmail('pw@example.com', /Your Spur password changed/);
  });

  it('when the email changes, then the new address must confirm and the old one is notified; a taken address gets nothing', async () => {
    const browser = await signUpAndLogin(b, 'before@example.com');
    await signUpAndLogin(b, 'taken@example.com');
    const taken = await browser.post('/api/v1/account/email', { new_email: 'taken@example.com', password: PASSWORD });
    const free = await browser.post('/api/v1/account/email', { new_email: 'After@Example.com', password: PASSWORD });
    expect(taken.status).toBe(202);
    expect(taken.body).toEqual(free.body);
    expect((await b.ses.emailsTo('taken@example.com')).map((m) => m.subject)).toEqual([
      'Confirm your email address for Spur',
    ]);

    const mail = await b.ses.waitForEmail('after@example.com', /Confirm your new email address/);
    const token = new URL(linkIn(mail, `${DASHBOARD}/confirm-email`)).searchParams.get('token')!;
    expect((await browser.get('/api/v1/account')).body.email).toBe('before@example.com');
    expect((await new Browser(b.server.url).post('/api/v1/account/email/confirm', { token })).body).toEqual({
      email: 'after@example.com',
    });
    expect((await new Browser(b.server.url).post('/api/v1/account/email/confirm', { token })).status).toBe(400);
    expect((await browser.get('/api/v1/account')).body.email).toBe('after@example.com');
    const notice = await b.ses.waitForEmail('before@example.com', /email address of your Spur account changed/);
    expect(notice.body.text).toContain('after@example.com');
    expect(
      (await new Browser(b.server.url).post('/api/v1/auth/login', { email: 'after@example.com', password: PASSWORD }))
        .status,
    ).toBe(200);
  });
});

describe('deleting an account', () => {
  it('when a user deletes their account, then organizations they alone own go with their sites and statistics; shared ones stay', async () => {
    const leaver = await signUpAndLogin(b, 'leaver@example.com');
    const partner = await signUpAndLogin(b, 'partner@example.com');
    const personal = (await leaver.get('/api/v1/organizations')).body[0].id;
    const site = (await leaver.post(`/api/v1/organizations/${personal}/sites`, { hostname: 'leaver.example.com' }))
      .body;
    await b.t.stores.clickhouse.client.insert({
      table: 'page_view',
      values: [{ site_id: site.id, visitor_id: '7', session_id: 1, time: '2026-05-01 10:00:00.000', path: '/' }],
      format: 'JSONEachRow',
    });
    const shared = (await leaver.post('/api/v1/organizations', { name: 'Shared' })).body.id;
    await leaver.post(`/api/v1/organizations/${shared}/invitations`, { email: 'partner@example.com', role: 'owner' });
    const token = new URL(
      linkIn(await b.ses.waitForEmail('partner@example.com', /Shared/), `${DASHBOARD}/invitations/accept`),
    ).searchParams.get('token')!;
    await partner.post('/api/v1/invitations/accept', { token });

    expect((await leaver.post('/api/v1/account/delete', { password: PASSWORD, confirm: 'delete' })).body.field).toBe(
      'confirm',
    );
    expect(
      (await leaver.post('/api/v1/account/delete', { password: 'not-my-password', confirm: 'DELETE' })).body.field,
    ).toBe('password');
    const deleted = await leaver.post('/api/v1/account/delete', { password: PASSWORD, confirm: 'DELETE' });
    expect(deleted.body).toEqual({ deleted_organizations: [personal] });
    expect(deleted.headers.get('set-cookie')).toContain('Max-Age=0');

    const db = b.t.stores.postgres.pool;
    expect((await db.query("SELECT 1 FROM app_user WHERE email = 'leaver@example.com'")).rowCount).toBe(0);
    expect((await db.query('SELECT 1 FROM organization WHERE id = $1', [personal])).rowCount).toBe(0);
    expect((await db.query('SELECT 1 FROM site WHERE id = $1', [site.id])).rowCount).toBe(0);
    const left = await b.t.stores.clickhouse.client.query({
      query: 'SELECT count() AS n FROM page_view WHERE site_id = {s:UInt64}',
      query_params: { s: site.id },
      format: 'JSONEachRow',
    });
    expect(await left.json()).toEqual([{ n: '0' }]);
    expect(
      (await partner.get(`/api/v1/organizations/${shared}/members`)).body.map((m: { email: string }) => m.email),
    ).toEqual(['partner@example.com']);
    expect(
      (await new Browser(b.server.url).post('/api/v1/auth/login', { email: 'leaver@example.com', password: PASSWORD }))
        .status,
    ).toBe(401);
  });
});
