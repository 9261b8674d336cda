import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { SEED_PASSWORD, seedSite, seedUser } from '@spur/accounts/testing';
import { Browser, DASHBOARD, useAccountsBackend } from './accounts-client.ts';

const b = useAccountsBackend();

const db = () => b.t.stores.postgres.pool;
const LIMITED = { error: 'too many attempts; try again later' };
// The same 202 whatever happened (auth.router.ts): it must not tell who has an account.
const ACCEPTED = { status: 'ok', message: 'If the address can receive it, an email is on its way.' };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- replies are compared field by field
type Answer = { status: number; body: any; retryAfter: number | undefined };

/**
 * A client on its own loopback address (all of 127.0.0.0/8 reaches the backend on Linux): the
 * backend trusts no proxy, so this is the address per-IP limits count, and a second one shows a
 * limit is per address rather than global.
 */
function from(ip: string) {
  const post = (path: string, body: unknown) =>
    new Promise<Answer>((resolve, reject) => {
      const url = new URL(path, b.server.url);
      const payload = JSON.stringify(body);
      const request = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          localAddress: ip,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => {
            const retryAfter = response.headers['retry-after'];
            resolve({
              status: response.statusCode!,
              body: text ? JSON.parse(text) : undefined,
              retryAfter: retryAfter === undefined ? undefined : Number(retryAfter),
            });
          });
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
  return { post };
}

/** Sends `count` requests at once (the counters are atomic) and returns the answers in order. */
const burst = (count: number, send: (i: number) => Promise<Answer>) =>
  Promise.all(Array.from({ length: count }, (_, i) => send(i)));

/** Deferred mail (send-later.ts) has had time to go out. */
const settle = () => new Promise((r) => setTimeout(r, 500));

describe('sign-up is limited per IP address', () => {
  it('when one address signs up 10 times in an hour, then the 11th is 429 alike for a registered and a new email, and other addresses still sign up', async () => {
    const taken = await seedUser(db());
    const ip = from('127.0.0.11');
    const allowed = await burst(10, (i) =>
      ip.post('/api/v1/auth/signup', {
        email: i % 2 ? taken.email : `signup-${i}@example.com`,
        password: 'signup-Passphrase-77',
        accept_terms: true,
      }),
    );
    expect(allowed.map((a) => [a.status, a.body])).toEqual(Array(10).fill([202, ACCEPTED]));
    await expect.poll(async () => (await b.ses.emailsTo(taken.email)).length).toBe(5);

    const registered = await ip.post('/api/v1/auth/signup', {
      email: taken.email,
      password: 'signup-Passphrase-77',
      accept_terms: true,
    });
    const fresh = await ip.post('/api/v1/auth/signup', {
      email: 'signup-late@example.com',
      password: 'signup-Passphrase-77',
      accept_terms: true,
    });
    expect([registered.status, registered.body]).toEqual([429, LIMITED]);
    expect(fresh).toEqual(registered);
    expect(fresh.retryAfter).toBeGreaterThan(3500);
    expect(fresh.retryAfter).toBeLessThanOrEqual(3600);
    // The limit applies before anything else: no account, no mail.
    expect((await db().query("SELECT 1 FROM app_user WHERE email = 'signup-late@example.com'")).rowCount).toBe(0);
    await settle();
    expect(await b.ses.emailsTo('signup-late@example.com')).toEqual([]);
    expect((await b.ses.emailsTo(taken.email)).map((m) => m.subject)).toEqual(
      Array(5).fill('You already have a Spur account'),
    );

    const elsewhere = await from('127.0.0.12').post('/api/v1/auth/signup', {
      email: 'signup-late@example.com',
      password: 'signup-Passphrase-77',
      accept_terms: true,
    });
    expect([elsewhere.status, elsewhere.body]).toEqual([202, ACCEPTED]);
    await b.ses.waitForEmail('signup-late@example.com', /Confirm your email/);
  });
});

describe('login is limited per IP address', () => {
  it('when one address fails 100 logins in 15 minutes (each email once), then the next is 429 even with the right password, registered or not; other addresses log in', async () => {
    const user = await seedUser(db());
    const ip = from('127.0.0.21');
    const failed = await burst(100, (i) =>
      ip.post('/api/v1/auth/login', {
        email: i === 50 ? user.email : `spray-${i}@example.com`,
        password: `sprayed-guess-${i}`,
      }),
    );
    expect(failed.map((a) => [a.status, a.body])).toEqual(
      Array(100).fill([401, { error: 'invalid email or password' }]),
    );

    const right = await ip.post('/api/v1/auth/login', { email: user.email, password: SEED_PASSWORD });
    const unknown = await ip.post('/api/v1/auth/login', { email: 'spray-new@example.com', password: SEED_PASSWORD });
    expect([right.status, right.body]).toEqual([429, LIMITED]);
    expect(unknown).toEqual(right);
    expect(right.retryAfter).toBeGreaterThan(800);
    expect(right.retryAfter).toBeLessThanOrEqual(900);

    // Per address, not global, and not the per-email limit (each email was tried once).
    const elsewhere = await from('127.0.0.22').post('/api/v1/auth/login', {
      email: user.email,
      password: SEED_PASSWORD,
    });
    expect([elsewhere.status, elsewhere.body.user?.email]).toEqual([200, user.email]);
  });
});

describe('a stranger cannot lock the owner out (issue 13)', () => {
  it('when strangers fail logins for an account from other addresses, then the owner still signs in from a browser that signed in before, while unknown browsers wait out the attack', async () => {
    const user = await seedUser(db());
    // The owner's browser signed in once: it holds the device cookie that marks it as known.
    const owner = new Browser(b.server.url);
    const first = await owner.post('/api/v1/auth/login', { email: user.email, password: SEED_PASSWORD });
    expect(first.status).toBe(200);
    expect(owner.device).toMatch(/^[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{43}$/);
    const device = `spur_device=${owner.device}`;

    // Ten addresses, five guesses each: 50 failures for the account, none of them delayed yet.
    const guesses = await burst(50, (i) =>
      from(`127.0.1.${1 + (i % 10)}`).post('/api/v1/auth/login', { email: user.email, password: `guess-${i}` }),
    );
    expect(guesses.map((g) => g.status)).toEqual(Array(50).fill(401));
    // Now the account is under attack: an unknown browser is refused, even with the right password.
    const stranger = await from('127.0.1.99').post('/api/v1/auth/login', {
      email: user.email,
      password: SEED_PASSWORD,
    });
    expect([stranger.status, stranger.body]).toEqual([429, LIMITED]);
    expect(stranger.retryAfter).toBeGreaterThan(3500);
    // The owner's known browser still gets in; a forged or foreign device cookie does not count.
    // (An address with no account is throttled by the same counters: login-throttle.ts keys by email.)
    const known = await owner.post('/api/v1/auth/login', { email: user.email, password: SEED_PASSWORD });
    expect([known.status, known.body.user?.email]).toEqual([200, user.email]);
    const other = await seedUser(db());
    const foreign = new Browser(b.server.url);
    await foreign.post('/api/v1/auth/login', { email: other.email, password: SEED_PASSWORD });
    const borrowed = await new Browser(b.server.url).post(
      '/api/v1/auth/login',
      { email: user.email, password: SEED_PASSWORD },
      { cookie: `spur_device=${foreign.device}` },
    );
    const forged = await new Browser(b.server.url).post(
      '/api/v1/auth/login',
      { email: user.email, password: SEED_PASSWORD },
      { cookie: `${device.slice(0, -3)}abc` },
    );
    expect([borrowed.status, forged.status]).toEqual([429, 429]);
  });
});

describe('password reset is limited per IP address', () => {
  it('when one address asks for 30 resets in an hour (each email once), then the 31st is 429 alike for a registered and an unknown email, and sends nothing', async () => {
    const user = await seedUser(db());
    const ip = from('127.0.0.31');
    const allowed = await burst(30, (i) =>
      ip.post('/api/v1/auth/password/forgot', { email: i === 0 ? user.email : `reset-spray-${i}@example.com` }),
    );
    expect(allowed.map((a) => [a.status, a.body])).toEqual(Array(30).fill([202, ACCEPTED]));
    await b.ses.waitForEmail(user.email, /Reset your Spur password/);

    const registered = await ip.post('/api/v1/auth/password/forgot', { email: user.email });
    const unknown = await ip.post('/api/v1/auth/password/forgot', { email: 'reset-spray-new@example.com' });
    expect([registered.status, registered.body]).toEqual([429, LIMITED]);
    expect(unknown).toEqual(registered);
    expect(registered.retryAfter).toBeGreaterThan(3500);
    await settle();
    expect((await b.ses.emailsTo(user.email)).map((m) => m.subject)).toEqual(['Reset your Spur password']);

    const elsewhere = await from('127.0.0.32').post('/api/v1/auth/password/forgot', { email: user.email });
    expect(elsewhere.status).toBe(202);
    await expect.poll(async () => (await b.ses.emailsTo(user.email)).length).toBe(2);
  });
});

describe('resending the verification email is limited per address', () => {
  it('when a verification is resent 3 times in an hour, then the 4th is 429, for unverified, verified and unknown addresses alike, from any IP', async () => {
    const unverified = await seedUser(db(), { verified: false });
    const verified = await seedUser(db());
    const answers: Record<string, Answer[]> = {};
    // One IP per address: resends also count against the per-IP sign-up budget (10 an hour).
    for (const [n, email] of [unverified.email, verified.email, 'never-signed-up@example.com'].entries()) {
      const ip = from(`127.0.0.${41 + n}`);
      answers[email] = [];
      for (let i = 0; i < 4; i++) answers[email].push(await ip.post('/api/v1/auth/verify/resend', { email }));
      // A new address does not help: the budget belongs to the email.
      answers[email].push(
        await from(`127.0.0.${51 + n}`).post('/api/v1/auth/verify/resend', { email: email.toUpperCase() }),
      );
    }
    const expected = [...Array(3).fill([202, ACCEPTED]), [429, LIMITED], [429, LIMITED]];
    for (const email of Object.keys(answers))
      expect([email, answers[email]!.map((a) => [a.status, a.body])]).toEqual([email, expected]);
    expect(answers[unverified.email]![3]!.retryAfter).toBeGreaterThan(3500);

    // Only the unverified account got mail: one link per allowed resend, and the newest works.
    await expect.poll(async () => (await b.ses.emailsTo(unverified.email)).length).toBe(3);
    await settle();
    const mails = await b.ses.emailsTo(unverified.email);
    expect(mails.map((m) => m.subject)).toEqual(Array(3).fill('Confirm your email address for Spur'));
    expect(await b.ses.emailsTo(verified.email)).toEqual([]);
    expect(await b.ses.emailsTo('never-signed-up@example.com')).toEqual([]);
    const link = /\S*\/verify-email\?token=\S+/.exec(mails.at(-1)!.body.text!)![0];
    expect(link.startsWith(`${DASHBOARD}/verify-email?token=`)).toBe(true);
    expect(
      (await new Browser(b.server.url).post('/api/v1/auth/verify', { token: new URL(link).searchParams.get('token') }))
        .body,
    ).toEqual({ status: 'verified' });
  });
});

describe('access-link passwords are limited per link', () => {
  it('when a link password is tried 20 times in 15 minutes, then the 21st is 429 even when right and from another IP, while other links still open', async () => {
    const owner = await seedUser(db());
    const site = await seedSite(db(), owner.organizationId);
    const browser = new Browser(b.server.url);
    expect((await browser.post('/api/v1/auth/login', { email: owner.email, password: SEED_PASSWORD })).status).toBe(
      200,
    );
    const target = (await browser.post(`/api/v1/sites/${site.id}/access-links`, { password: 'open-sesame' })).body
      .token as string;
    const sibling = (await browser.post(`/api/v1/sites/${site.id}/access-links`, { password: 'open-sesame' })).body
      .token as string;

    const ip = from('127.0.0.61');
    const guesses = await burst(20, (i) =>
      ip.post('/api/v1/share', i === 0 ? { token: target } : { token: target, password: `guess-${i}` }),
    );
    expect(guesses.map((a) => [a.status, a.body])).toEqual(
      Array(20).fill([401, { error: 'wrong password', field: 'password' }]),
    );

    const right = await ip.post('/api/v1/share', { token: target, password: 'open-sesame' });
    expect([right.status, right.body]).toEqual([429, LIMITED]);
    expect(right.retryAfter).toBeGreaterThan(800);
    expect(await from('127.0.0.62').post('/api/v1/share', { token: target, password: 'open-sesame' })).toEqual(right);

    const other = await ip.post('/api/v1/share', { token: sibling, password: 'open-sesame' });
    expect([other.status, other.body.site?.id, other.body.grant]).toEqual([
      200,
      site.id,
      expect.stringMatching(/^al_/),
    ]);
  });
});
