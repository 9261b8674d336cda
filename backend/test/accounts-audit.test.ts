import { describe, expect, it } from 'vitest';
import { base32Decode, totp } from '@spur/accounts';
import { linkIn } from '@spur/testkit';
import { Browser, DASHBOARD, signUpAndLogin, useAccountsBackend } from './accounts-client.ts';

const b = useAccountsBackend();

const PASSWORD = 'a-Sound-passphrase-42';
const PHONE = 'Mozilla/5.0 (Linux; Android 14) Chrome/126.0 Mobile';
const codeAt = (secret: string, offsetSeconds = 0) =>
  totp(base32Decode(secret), Math.floor(Date.now() / 1000) + offsetSeconds);

type Entry = {
  id: string;
  organization_id: string | null;
  user_id: string | null;
  actor_email: string | null;
  action: string;
  details: Record<string, unknown>;
  created_at: string;
};

describe('account audit log', () => {
  it('when a user signs in, fails a login, turns 2FA on and off and changes and resets the password, then their log lists exactly that, newest first', async () => {
    const browser = await signUpAndLogin(b, 'audited@example.com');
    const me = (await browser.get('/api/v1/account')).body.id as string;
    // A failed login with an unknown address cannot be attributed; one with this address is.
    expect(
      (
        await new Browser(b.server.url).post('/api/v1/auth/login', {
          email: 'audited@example.com',
          password: 'not-the-password-1',
        })
      ).status,
    ).toBe(401);

    const secret = (await browser.post('/api/v1/account/2fa/setup')).body.secret as string;
    const { recovery_codes: codes } = (await browser.post('/api/v1/account/2fa/enable', { code: codeAt(secret) })).body;
    const phone = new Browser(b.server.url, PHONE);
    const { challenge } = (await phone.post('/api/v1/auth/login', { email: 'audited@example.com', password: PASSWORD }))
      .body;
    expect((await phone.post('/api/v1/auth/login/2fa', { challenge, recovery_code: codes[0] })).status).toBe(200);
    const fresh = (await browser.post('/api/v1/account/2fa/recovery-codes', { code: codeAt(secret, 30) })).body
      .recovery_codes;
    expect(
      (await browser.post('/api/v1/account/2fa/disable', { password: PASSWORD, recovery_code: fresh[0] })).status,
    ).toBe(204);

    expect(
      (
        await browser.put('/api/v1/account/password', {
          current_password: PASSWORD,
          new_password: 'second-Secret-2027',
        })
      ).status,
    ).toBe(200);
    await new Browser(b.server.url).post('/api/v1/auth/password/forgot', { email: 'audited@example.com' });
    const token = new URL(
      linkIn(
        await b.ses.waitForEmail('audited@example.com', /Reset your Spur password/),
        `${DASHBOARD}/reset-password`,
      ),
    ).searchParams.get('token');
    expect(
      (await new Browser(b.server.url).post('/api/v1/auth/password/reset', { token, password: 'third-Secret-2028' }))
        .status,
    ).toBe(200);
    const again = new Browser(b.server.url);
    expect(
      (await again.post('/api/v1/auth/login', { email: 'audited@example.com', password: 'third-Secret-2028' })).status,
    ).toBe(200);

    const reply = await again.get('/api/v1/account/audit-log');
    expect(reply.status).toBe(200);
    const log = reply.body as Entry[];
    expect(log.map((e) => [e.action, e.details])).toEqual([
      ['user.login', { device: 'Firefox on Linux' }],
      ['user.password_reset', {}],
      ['user.password_changed', {}],
      ['user.2fa_disabled', {}],
      ['user.recovery_codes_regenerated', {}],
      ['user.login', { device: 'Chrome on Android' }],
      ['user.2fa_enabled', {}],
      ['user.login_failed', {}],
      ['user.login', { device: 'Firefox on Linux' }],
      ['user.email_verified', {}],
      ['user.signup', {}],
    ]);
    for (const entry of log) {
      expect(entry).toEqual({
        id: expect.stringMatching(/^\d+$/),
        organization_id: null,
        user_id: me,
        actor_email: 'audited@example.com',
        action: entry.action,
        details: entry.details,
        created_at: expect.any(String),
      });
      expect(Date.parse(entry.created_at)).toBeGreaterThan(Date.now() - 120_000);
    }
    const ids = log.map((e) => BigInt(e.id));
    expect(ids).toEqual([...ids].sort((x, y) => (x > y ? -1 : 1)));
    // No secret of any of these steps is kept in the log.
    expect(JSON.stringify(log)).not.toMatch(
      new RegExp([secret, codes[0], fresh[0], token, PASSWORD, 'third-Secret-2028'].join('|')),
    );

    // Pages continue below the id of the last entry shown.
    const older = (await again.get(`/api/v1/account/audit-log?before=${log[8]!.id}`)).body as Entry[];
    expect(older.map((e) => e.action)).toEqual(['user.email_verified', 'user.signup']);
  });

  it('when someone else reads the account log, then they see only their own entries, and without a session nothing', async () => {
    await signUpAndLogin(b, 'private@example.com');
    await new Browser(b.server.url).post('/api/v1/auth/login', {
      email: 'private@example.com',
      password: 'wrong-guess-for-it',
    });
    const other = await signUpAndLogin(b, 'other@example.com');
    const log = (await other.get('/api/v1/account/audit-log')).body as Entry[];
    expect(log.map((e) => [e.action, e.actor_email])).toEqual([
      ['user.login', 'other@example.com'],
      ['user.email_verified', 'other@example.com'],
      ['user.signup', 'other@example.com'],
    ]);
    const anonymous = await new Browser(b.server.url).get('/api/v1/account/audit-log');
    expect([anonymous.status, anonymous.body.error]).toEqual([401, expect.any(String)]);
  });
});

describe('audit rows of second factors and sign-outs', () => {
  it('when a wrong second factor is tried at login or to turn 2FA off, then the log says so, naming the kind of code but never the code', async () => {
    const browser = await signUpAndLogin(b, 'second-factor@example.com');
    const secret = (await browser.post('/api/v1/account/2fa/setup')).body.secret as string;
    expect((await browser.post('/api/v1/account/2fa/enable', { code: codeAt(secret) })).status).toBe(200);
    const valid = new Set([-60, -30, 0, 30, 60].map((offset) => codeAt(secret, offset)));
    let wrong = 0;
    while (valid.has(String(wrong).padStart(6, '0'))) wrong++;
    const wrongCode = String(wrong).padStart(6, '0');
    const wrongRecovery = 'zzzz-zzzz-zzzz-zzzz';

    // A failed second step means the password is known: the owner must be able to see it.
    const phone = new Browser(b.server.url, PHONE);
    const { challenge } = (
      await phone.post('/api/v1/auth/login', { email: 'second-factor@example.com', password: PASSWORD })
    ).body;
    expect((await phone.post('/api/v1/auth/login/2fa', { challenge, code: wrongCode })).status).toBe(401);
    expect((await phone.post('/api/v1/auth/login/2fa', { challenge, recovery_code: wrongRecovery })).status).toBe(401);
    expect((await phone.post('/api/v1/auth/login/2fa', { challenge, code: codeAt(secret, 30) })).status).toBe(200);
    // In a session too: someone holding it cannot quietly guess their way to turning 2FA off.
    expect((await phone.post('/api/v1/account/2fa/disable', { password: PASSWORD, code: wrongCode })).status).toBe(400);

    const log = (await browser.get('/api/v1/account/audit-log')).body as Entry[];
    expect(log.map((e) => [e.action, e.details])).toEqual([
      ['user.2fa_failed', { method: 'totp', during: '2fa_disable' }],
      ['user.login', { device: 'Chrome on Android' }],
      ['user.2fa_failed', { method: 'recovery_code', during: 'login' }],
      ['user.2fa_failed', { method: 'totp', during: 'login' }],
      ['user.2fa_enabled', {}],
      ['user.login', { device: 'Firefox on Linux' }],
      ['user.email_verified', {}],
      ['user.signup', {}],
    ]);
    expect(log[0]!.actor_email).toBe('second-factor@example.com');
    expect(JSON.stringify(log)).not.toMatch(new RegExp([wrongCode, wrongRecovery, 'zzzz', secret].join('|')));
  });

  it('when a user signs out everywhere else, then the log records it with how many sessions ended (a password change records only itself)', async () => {
    const browser = await signUpAndLogin(b, 'everywhere@example.com');
    const phone = new Browser(b.server.url, PHONE);
    expect(
      (await phone.post('/api/v1/auth/login', { email: 'everywhere@example.com', password: PASSWORD })).status,
    ).toBe(200);
    const other = new Browser(b.server.url);
    expect(
      (await other.post('/api/v1/auth/login', { email: 'everywhere@example.com', password: PASSWORD })).status,
    ).toBe(200);

    expect((await browser.delete('/api/v1/account/sessions')).body).toEqual({ revoked: 2 });
    expect((await phone.get('/api/v1/account')).status).toBe(401);
    expect((await browser.delete('/api/v1/account/sessions')).body).toEqual({ revoked: 0 });
    expect(
      (
        await browser.put('/api/v1/account/password', {
          current_password: PASSWORD,
          new_password: 'after-Signout-2032',
        })
      ).status,
    ).toBe(200);

    const log = (await browser.get('/api/v1/account/audit-log')).body as Entry[];
    expect(log.slice(0, 5).map((e) => [e.action, e.details])).toEqual([
      ['user.password_changed', {}],
      ['user.sessions_revoked', { revoked: 0 }],
      ['user.sessions_revoked', { revoked: 2 }],
      ['user.login', { device: 'Firefox on Linux' }],
      ['user.login', { device: 'Chrome on Android' }],
    ]);
  });
});

describe('audit rows of deletions', () => {
  it('when an owner deletes an organization, then their account log keeps its id, name and sites (its own log is gone with it)', async () => {
    const owner = await signUpAndLogin(b, 'deleter@example.com');
    const org = (await owner.post('/api/v1/organizations', { name: 'Doomed Co' })).body.id as string;
    const site = (await owner.post(`/api/v1/organizations/${org}/sites`, { hostname: 'doomed-co.example' })).body
      .id as string;
    expect((await owner.delete(`/api/v1/organizations/${org}`)).status).toBe(204);
    expect((await owner.get(`/api/v1/organizations/${org}`)).status).toBe(404);

    const [latest] = (await owner.get('/api/v1/account/audit-log')).body as Entry[];
    expect(latest).toMatchObject({
      organization_id: null,
      actor_email: 'deleter@example.com',
      action: 'organization.deleted',
      details: { organization_id: org, name: 'Doomed Co', site_ids: [site] },
    });
    const { rows } = await b.t.stores.postgres.pool.query(
      'SELECT count(*)::int AS n FROM audit_log WHERE organization_id = $1',
      [org],
    );
    expect(rows[0].n).toBe(0);
  });

  it('when a user deletes their account, then the user.deleted row keeps their id and the organizations that went with them', async () => {
    const leaver = await signUpAndLogin(b, 'gone@example.com');
    const me = (await leaver.get('/api/v1/account')).body.id as string;
    const personal = (await leaver.get('/api/v1/organizations')).body[0].id as string;
    expect((await leaver.post('/api/v1/account/delete', { password: PASSWORD, confirm: 'DELETE' })).status).toBe(200);
    const { rows } = await b.t.stores.postgres.pool.query(
      "SELECT user_id, organization_id, details FROM audit_log WHERE action = 'user.deleted' AND details->>'user_id' = $1",
      [me],
    );
    expect(rows).toEqual([
      { user_id: null, organization_id: null, details: { user_id: me, organizations: [personal] } },
    ]);
  });
});
