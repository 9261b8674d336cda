import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createAccountsContext, requestEmailChange, requestPasswordReset, resendVerification } from '@spur/accounts';
import { SEED_PASSWORD, seedUser } from '@spur/accounts/testing';
import type { Mailer, OutgoingEmail } from '@spur/email';
import { linkIn } from '@spur/testkit';
import { Browser, DASHBOARD, signUpAndLogin, useAccountsBackend } from './accounts-client.ts';

const b = useAccountsBackend();

const sha256 = (value: string) => createHash('sha256').update(value).digest();
const db = () => b.t.stores.postgres.pool;

describe('sign-up and email verification', () => {
  it('when someone signs up, then a verification email links to the dashboard and the link works exactly once', async () => {
    const browser = new Browser(b.server.url);
    const signup = await browser.post('/api/v1/auth/signup', {
      email: 'Ada@Example.com',
      password: 'analytical-Engine-1843',
      accept_terms: true,
    });
    expect(signup.status).toBe(202);
    const mail = await b.ses.waitForEmail('ada@example.com');
    expect(mail.subject).toBe('Confirm your email address for Spur');
    expect(mail.from).toBe('Spur <no-reply@spur.localhost>');
    expect(mail.body.html).toContain('Confirm email address');
    const link = linkIn(mail, `${DASHBOARD}/verify-email?token=`);
    const token = new URL(link).searchParams.get('token')!;
    expect(mail.body.html).toContain(link);

    // Not verified yet: the right password is answered with "confirm first".
    const early = await browser.post('/api/v1/auth/login', {
      email: 'ada@example.com',
      password: 'analytical-Engine-1843',
    });
    expect(early.status).toBe(403);

    expect((await browser.post('/api/v1/auth/verify', { token })).body).toEqual({ status: 'verified' });
    const again = await browser.post('/api/v1/auth/verify', { token });
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ error: 'this link is invalid or has expired', field: 'token' });

    // Stored as a digest only.
    const { rows } = await db().query('SELECT token_hash FROM one_time_token WHERE token_hash = $1', [sha256(token)]);
    expect(rows).toHaveLength(1);

    const login = await browser.post('/api/v1/auth/login', {
      email: 'ADA@example.com',
      password: 'analytical-Engine-1843',
    });
    expect(login.status).toBe(200);
    expect(login.body.user).toMatchObject({
      email: 'ada@example.com',
      email_verified: true,
      two_factor_enabled: false,
    });
    const session = await browser.get('/api/v1/auth/session');
    expect(session.body.organizations).toMatchObject([{ name: 'Personal', personal: true, role: 'owner' }]);
  });

  it('when the address is already registered, then sign-up answers the same and only the owner hears about it', async () => {
    await signUpAndLogin(b, 'grace@example.com');
    const fresh = await new Browser(b.server.url).post('/api/v1/auth/signup', {
      email: 'new-person@example.com',
      password: 'cobol-Compiler-1959',
      accept_terms: true,
    });
    const taken = await new Browser(b.server.url).post('/api/v1/auth/signup', {
      email: 'grace@example.com',
      password: 'cobol-Compiler-1959',
      accept_terms: true,
    });
    expect(taken.status).toBe(fresh.status);
    expect(taken.body).toEqual(fresh.body);
    const notice = await b.ses.waitForEmail('grace@example.com', /already have a Spur account/);
    expect(notice.body.text).toContain(`${DASHBOARD}/forgot-password`);
    const { rows } = await db().query("SELECT count(*)::int AS n FROM app_user WHERE email = 'grace@example.com'");
    expect(rows[0].n).toBe(1);
  });

  it('when the password is short or common, or the terms are not accepted, then sign-up is refused naming the field', async () => {
    const browser = new Browser(b.server.url);
    const short = await browser.post('/api/v1/auth/signup', {
      email: 'x1@example.com',
      password: 'Sh0rt!',
      accept_terms: true,
    });
    expect(short.status).toBe(400);
    expect(short.body).toEqual({ error: 'password must be at least 10 characters', field: 'password' });
    const common = await browser.post('/api/v1/auth/signup', {
      email: 'x1@example.com',
      password: 'Password2024!',
      accept_terms: true,
    });
    expect(common.body.error).toBe('password is too common; choose a longer or less predictable one');
    const terms = await browser.post('/api/v1/auth/signup', {
      email: 'x1@example.com',
      password: 'fine-Passphrase-77',
      accept_terms: false,
    });
    expect(terms.status).toBe(400);
    expect(terms.body.field).toBe('accept_terms');
    expect((await db().query("SELECT 1 FROM app_user WHERE email = 'x1@example.com'")).rowCount).toBe(0);
  });
});

describe('login, session cookie and logout', () => {
  it('when a user logs in, then the cookie is HttpOnly, SameSite=Lax, not Secure over http, 256 random bits, and stored hashed', async () => {
    await signUpAndLogin(b, 'cookie@example.com');
    const browser = new Browser(b.server.url);
    const login = await browser.post('/api/v1/auth/login', {
      email: 'cookie@example.com',
      password: 'a-Sound-passphrase-42',
    });
    const [header = '', device] = login.headers.getSetCookie();
    expect(header).toMatch(/^spur_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=2592000; HttpOnly; SameSite=Lax$/);
    // The device cookie marks the browser as known (login-throttle.ts); sent only to the sign-in routes.
    expect(device).toMatch(
      /^spur_device=[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{43}; Max-Age=15552000; HttpOnly; SameSite=Lax; Path=\/api\/v1\/auth$/,
    );
    // Login answers hold the CSRF token: nothing may cache them (issue 13), and nothing sniffs them.
    expect([login.headers.get('cache-control'), login.headers.get('x-content-type-options')]).toEqual([
      'no-store',
      'nosniff',
    ]);
    const session = await browser.get('/api/v1/auth/session');
    expect([session.status, session.headers.get('cache-control')]).toEqual([200, 'no-store']);
    const token = /spur_session=([^;]+)/.exec(header)![1]!;
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    const { rows } = await db().query('SELECT token_hash FROM auth_session WHERE token_hash = $1', [sha256(token)]);
    expect(rows).toHaveLength(1);
    const raw = await db().query(
      "SELECT count(*)::int AS n FROM auth_session WHERE encode(token_hash, 'escape') LIKE '%' || $1 || '%'",
      [token],
    );
    expect(raw.rows[0].n).toBe(0);

    expect((await browser.get('/api/v1/account')).body.email).toBe('cookie@example.com');
    expect((await browser.post('/api/v1/auth/logout')).status).toBe(204);
    browser.cookie = `spur_session=${token}`;
    expect((await browser.get('/api/v1/account')).status).toBe(401);
  });

  it('when the email is unknown or the password wrong, then the answers are identical', async () => {
    await signUpAndLogin(b, 'same@example.com');
    const unknown = await new Browser(b.server.url).post('/api/v1/auth/login', {
      email: 'nobody@example.com',
      password: 'whatever-it-is-1',
    });
    const wrong = await new Browser(b.server.url).post('/api/v1/auth/login', {
      email: 'same@example.com',
      password: 'whatever-it-is-1',
    });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body).toEqual({ error: 'invalid email or password' });
    expect(wrong.body).toEqual(unknown.body);
  });

  it('when one browser keeps failing for an address, then after five free failures it waits, doubling, registered or not alike; the password still works once the wait is over', async () => {
    await signUpAndLogin(b, 'target@example.com');
    for (const email of ['target@example.com', 'ghost@example.com']) {
      const browser = new Browser(b.server.url);
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++)
        statuses.push((await browser.post('/api/v1/auth/login', { email, password: `wrong-guess-${i}` })).status);
      expect(statuses).toEqual(Array(6).fill(401));
      // The sixth failure costs a one-second wait; trying within it is refused without a check.
      const waiting = await browser.post('/api/v1/auth/login', { email, password: 'a-Sound-passphrase-42' });
      expect([waiting.status, waiting.body, waiting.headers.get('retry-after')]).toEqual([
        429,
        { error: 'too many attempts; try again later' },
        '1',
      ]);
    }
    await new Promise((r) => setTimeout(r, 1_100));
    const browser = new Browser(b.server.url);
    // The seventh wrong password doubles the wait to two seconds.
    expect(
      (await browser.post('/api/v1/auth/login', { email: 'ghost@example.com', password: 'x-guess-7' })).status,
    ).toBe(401);
    const doubled = await browser.post('/api/v1/auth/login', { email: 'ghost@example.com', password: 'x-guess-8' });
    expect([doubled.status, doubled.headers.get('retry-after')]).toEqual([429, '2']);
    const right = await browser.post('/api/v1/auth/login', {
      email: 'target@example.com',
      password: 'a-Sound-passphrase-42',
    });
    expect([right.status, right.body.user.email]).toEqual([200, 'target@example.com']);
  });

  it('when a new kind of device signs in, then the owner gets a new sign-in email', async () => {
    await signUpAndLogin(b, 'devices@example.com');
    const phone = new Browser(b.server.url, 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1');
    await phone.post('/api/v1/auth/login', { email: 'devices@example.com', password: 'a-Sound-passphrase-42' });
    const mail = await b.ses.waitForEmail('devices@example.com', /New sign-in/);
    expect(mail.body.text).toContain('Safari on iOS');
    expect(linkIn(mail, DASHBOARD)).toBe(`${DASHBOARD}/account/security`);
  });
});

describe('CSRF protection', () => {
  it('when a cookie-authenticated change lacks the CSRF token, has a wrong one, or comes from another origin, then it is refused', async () => {
    const browser = await signUpAndLogin(b, 'csrf@example.com');
    const good = browser.csrf!;
    browser.csrf = undefined;
    const missing = await browser.post('/api/v1/organizations', { name: 'Acme' });
    expect(missing.status).toBe(403);
    expect(missing.body).toEqual({ error: 'missing or invalid CSRF token', field: 'x-csrf-token' });
    expect(
      (
        await browser.post(
          '/api/v1/organizations',
          { name: 'Acme' },
          { 'x-csrf-token': `${good.slice(0, -1)}${good.endsWith('A') ? 'B' : 'A'}` },
        )
      ).status,
    ).toBe(403);
    const foreign = await browser.post(
      '/api/v1/organizations',
      { name: 'Acme' },
      { 'x-csrf-token': good, origin: 'https://evil.example' },
    );
    expect(foreign.status).toBe(403);
    expect(foreign.body.field).toBe('origin');
    browser.csrf = good;
    const ok = await browser.post('/api/v1/organizations', { name: 'Acme' }, { origin: DASHBOARD });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ name: 'Acme', role: 'owner', personal: false });
  });

  it('when a form posts (not JSON), then it is refused before reaching the route', async () => {
    const response = await fetch(`${b.server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=a%40b.c&password=x',
    });
    expect(response.status).toBe(415);
  });

  it('when a request carries no session, then settings routes answer 401', async () => {
    const anonymous = new Browser(b.server.url);
    expect((await anonymous.get('/api/v1/organizations')).status).toBe(401);
    expect((await anonymous.post('/api/v1/organizations', { name: 'x' })).status).toBe(401);
    // "Who am I?" is the exception: signed out is an answer, not an error in every anonymous console.
    const session = await anonymous.get('/api/v1/auth/session');
    expect([session.status, session.body]).toEqual([200, { user: null, website_url: b.t.config.websiteUrl }]);
  });
});

describe('password reset', () => {
  it('when a reset is requested, then only a registered address gets a single-use, expiring link that signs out every session', async () => {
    const old = await signUpAndLogin(b, 'reset@example.com');
    const anon = new Browser(b.server.url);
    const known = await anon.post('/api/v1/auth/password/forgot', { email: 'reset@example.com' });
    const unknown = await anon.post('/api/v1/auth/password/forgot', { email: 'not-here@example.com' });
    expect(known.status).toBe(202);
    expect(unknown.body).toEqual(known.body);
    expect(await b.ses.emailsTo('not-here@example.com')).toEqual([]);

    const mail = await b.ses.waitForEmail('reset@example.com', /Reset your Spur password/);
    expect(mail.body.text).toContain('expires in 60 minutes');
    const token = new URL(linkIn(mail, `${DASHBOARD}/reset-password`)).searchParams.get('token')!;

    const weak = await anon.post('/api/v1/auth/password/reset', { token, password: 'qwertyuiop' });
    expect(weak.status).toBe(400);
    expect(weak.body.field).toBe('password');
    expect((await anon.post('/api/v1/auth/password/reset', { token, password: 'brand-New-secret-99' })).status).toBe(
      200,
    );
    expect((await anon.post('/api/v1/auth/password/reset', { token, password: 'another-New-secret-99' })).status).toBe(
      400,
    );

    expect((await old.get('/api/v1/account')).status).toBe(401);
    expect(
      (await anon.post('/api/v1/auth/login', { email: 'reset@example.com', password: 'a-Sound-passphrase-42' })).status,
    ).toBe(401);
    expect(
      (await anon.post('/api/v1/auth/login', { email: 'reset@example.com', password: 'brand-New-secret-99' })).status,
    ).toBe(200);
    await b.ses.waitForEmail('reset@example.com', /Your Spur password changed/);
  });

  it('when a reset link has expired, then it no longer works', async () => {
    await signUpAndLogin(b, 'late@example.com');
    await new Browser(b.server.url).post('/api/v1/auth/password/forgot', { email: 'late@example.com' });
    const mail = await b.ses.waitForEmail('late@example.com', /Reset/);
    const token = new URL(linkIn(mail, `${DASHBOARD}/reset-password`)).searchParams.get('token')!;
    await db().query("UPDATE one_time_token SET expires_at = now() - interval '1 second' WHERE token_hash = $1", [
      sha256(token),
    ]);
    const response = await new Browser(b.server.url).post('/api/v1/auth/password/reset', {
      token,
      password: 'brand-New-secret-99',
    });
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('this link is invalid or has expired');
  });

  it('when resets for one address are requested repeatedly, then the 4th within the hour is rate limited', async () => {
    const anon = new Browser(b.server.url);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await anon.post('/api/v1/auth/password/forgot', { email: 'flood@example.com' })).status);
    expect(statuses).toEqual([202, 202, 202, 429]);
  });
});

describe('timing does not reveal registered addresses', () => {
  /** A mail server that holds every send until released (or fails it), and a log that keeps errors. */
  function slowMailContext(outcome: 'deliver' | 'fail') {
    const held: { email: OutgoingEmail; release: () => void }[] = [];
    const mailer: Mailer = {
      send: (email) =>
        new Promise((resolve, reject) => {
          held.push({
            email,
            release: () => (outcome === 'deliver' ? resolve({ messageId: 'm' }) : reject(new Error('SES is down'))),
          });
        }),
      close: () => undefined,
    };
    const errors: unknown[] = [];
    const base = createAccountsContext({ config: b.t.config, db: db(), redis: b.t.stores.redis, mailer, log: b.t.log });
    const log = Object.assign(Object.create(base.log) as typeof base.log, {
      error: (...args: unknown[]) => void errors.push(args),
    });
    return { ctx: { ...base, log }, held, errors };
  }

  it('when a reset, a resent verification or an email change is asked for, then the answer does not wait for the mail to go out', async () => {
    const { ctx, held } = slowMailContext('deliver');
    const known = await seedUser(db());
    const unverified = await seedUser(db(), { verified: false });
    await requestPasswordReset(ctx, known.email);
    await resendVerification(ctx, unverified.email);
    await requestEmailChange(ctx, known.id, { new_email: `moved-${known.email}`, password: SEED_PASSWORD });
    // All three answered while no mail has gone out; the work follows right after.
    await expect
      .poll(() => held.map((h) => h.email.to).sort())
      .toEqual([known.email, unverified.email, `moved-${known.email}`].sort());
    for (const h of held) h.release();
    const tokens = await db().query<{ purpose: string }>(
      'SELECT purpose FROM one_time_token WHERE user_id = ANY($1::bigint[]) ORDER BY purpose',
      [[known.id, unverified.id]],
    );
    expect(tokens.rows.map((r) => r.purpose)).toEqual(['change_email', 'reset_password', 'verify_email']);
  });

  it('when the mail fails after the answer, then it is logged, not thrown', async () => {
    const { ctx, held, errors } = slowMailContext('fail');
    const known = await seedUser(db());
    await expect(requestPasswordReset(ctx, known.email)).resolves.toBeUndefined();
    await expect.poll(() => held.length).toBe(1);
    held[0]!.release();
    await expect.poll(() => errors.length).toBe(1);
    expect(JSON.stringify(errors[0])).toContain('password reset');
  });
});

describe('API token endpoint', () => {
  it('when a client posts its credentials, then it gets a Pirsch-shaped token; a bad bearer token is a 401', async () => {
    const browser = await signUpAndLogin(b, 'api@example.com');
    const org = (await browser.get('/api/v1/organizations')).body[0];
    const client = await browser.post(`/api/v1/organizations/${org.id}/clients`, { name: 'SDK' });
    expect(client.status).toBe(201);
    const anon = new Browser(b.server.url);
    const token = await anon.post('/api/v1/token', {
      client_id: client.body.client_id,
      client_secret: client.body.client_secret,
    });
    expect(token.status).toBe(200);
    expect(Object.keys(token.body).sort()).toEqual(['access_token', 'expires_at']);
    const wrong = await anon.post('/api/v1/token', { client_id: client.body.client_id, client_secret: 'y'.repeat(64) });
    expect(wrong.status).toBe(401);
    const goals = await anon.get('/api/v1/goal?id=1', { authorization: 'Bearer not-a-token' });
    expect(goals.status).toBe(401);
  });
});
