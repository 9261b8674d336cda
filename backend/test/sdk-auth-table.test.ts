import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountsContext, exchangeClientCredentials, revokeApiClient } from '@spur/accounts';
import { seedApiClient, seedSite } from '@spur/accounts/testing';
import { createMailer } from '@spur/email';
import { startStatsHarness, UA, type StatsHarness, type Tenant } from './statistics-fixture.ts';

/**
 * The authentication table of README.md ("Authentication"), request by request over raw HTTP:
 * every credential case against every ingest route, a statistics route, the domain list and a
 * settings route. Each row is what pirsch-sdk (which fetches a token only on a 401) and browsers
 * (identification code, no Authorization header) rely on.
 */
let h: StatsHarness;
let tenant: Tenant;
let stranger: Tenant;
let site: { id: string; code: string };
let token: string;
let key: string;

const today = new Date().toISOString().slice(0, 10);
const url = 'https://auth.example/pricing';
const visitor = { ip: '81.2.69.160', user_agent: UA.chromeLinux };
const ITEMS = {
  hit: { ...visitor, url },
  event: { ...visitor, url, event_name: 'Signup' },
  session: { ...visitor, url },
};
const KINDS = Object.keys(ITEMS) as (keyof typeof ITEMS)[];

type Answer = { status: number; body: { error: unknown; field?: string }; wwwAuthenticate: string | null };

async function call(method: 'GET' | 'POST', path: string, authorization?: string, body?: unknown): Promise<Answer> {
  const response = await fetch(`${h.backend.url}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      'user-agent': UA.chromeLinux,
      ...(authorization === undefined ? {} : { authorization }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? JSON.parse(text) : {},
    wwwAuthenticate: response.headers.get('www-authenticate'),
  };
}

/** One ingest request: the single form (with or without the identification code) or the batch form. */
function ingest(kind: keyof typeof ITEMS, form: 'single' | 'batch', authorization?: string, withCode = false) {
  const item = { ...ITEMS[kind], ...(withCode ? { identification_code: site.code } : {}) };
  return form === 'single'
    ? call('POST', `/api/v1/${kind}`, authorization, item)
    : call('POST', `/api/v1/${kind}/batch`, authorization, [{ ...item, time: new Date().toISOString() }]);
}

const statistics = (authorization?: string) =>
  call('GET', `/api/v1/statistics/total?id=${site.id}&from=${today}&to=${today}`, authorization);

async function newToken(clientId: string, secret: string): Promise<string> {
  const response = await h.post('/api/v1/token', { client_id: clientId, client_secret: secret });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

beforeAll(async () => {
  h = await startStatsHarness();
  tenant = await h.tenant();
  stranger = await h.tenant();
  const seeded = await seedSite(h.stores.postgres.pool, tenant.organizationId, { hostname: 'auth.example' });
  site = { id: seeded.id, code: seeded.identification_code };
  const client = await seedApiClient(h.stores.postgres.pool, tenant.organizationId, { siteId: site.id });
  token = await newToken(client.client_id!, client.client_secret!);
  key = (await seedApiClient(h.stores.postgres.pool, tenant.organizationId, { siteId: site.id, type: 'access_key' }))
    .access_key!;
});
afterAll(() => h?.stop());

const unauthorized = (answer: Answer) => [answer.status, answer.body.field, answer.wwwAuthenticate?.split(',')[0]];
const UNAUTHORIZED = [401, 'authorization', 'Bearer realm="spur"'];

describe('authentication table', () => {
  it('when no usable credential comes with a hit, event or session (no header, empty, malformed, unknown), then 401, and a browser with its identification code still gets 202', async () => {
    const pa = `pa_${'A'.repeat(45)}`;
    const noCredential: [string, string | undefined][] = [
      ['no header', undefined],
      ['empty bearer, as pirsch-sdk sends it first', 'Bearer '],
      ['the bare word Bearer', 'Bearer'],
      ['another scheme', 'Basic Zm9vOmJhcg=='],
    ];
    const badCredential: [string, string][] = [
      ['two words', 'Bearer abc def'],
      ['characters no token has', 'Bearer abc,def'],
      ['over 200 characters', `Bearer ${'a'.repeat(201)}`],
      ['unknown access key', `Bearer ${pa}`],
      ['unknown access token', `Bearer ${randomBytes(48).toString('base64url')}`],
    ];
    for (const kind of KINDS) {
      for (const [what, authorization] of noCredential) {
        const label = `${kind} ${what}`;
        // Without the code: the SDK's first call. It must be a 401 so that the SDK fetches a token.
        expect([label, ...unauthorized(await ingest(kind, 'single', authorization))]).toEqual([label, ...UNAUTHORIZED]);
        expect([label, ...unauthorized(await ingest(kind, 'batch', authorization))]).toEqual([label, ...UNAUTHORIZED]);
        // With the code: a browser (or a proxy adding basic auth); the token is optional there.
        expect([label, (await ingest(kind, 'single', authorization, true)).status]).toEqual([label, 202]);
      }
      for (const [what, authorization] of badCredential) {
        const label = `${kind} ${what}`;
        // A presented token that does not work is refused even next to a valid code.
        for (const answer of [
          await ingest(kind, 'single', authorization),
          await ingest(kind, 'single', authorization, true),
          await ingest(kind, 'batch', authorization),
        ]) {
          expect([label, ...unauthorized(answer), answer.wwwAuthenticate]).toEqual([
            label,
            ...UNAUTHORIZED,
            'Bearer realm="spur", error="invalid_token"',
          ]);
        }
      }
      expect((await ingest(kind, 'single', `Bearer ${token}`)).status).toBe(202);
      expect((await ingest(kind, 'batch', `Bearer ${key}`)).status).toBe(202);
    }
    const missing = await ingest('hit', 'single', 'Bearer ');
    // Pirsch's error shape: pirsch-sdk shows error[0] to its user.
    const missingMessage = 'send an access token (Authorization: Bearer <token>) or an identification_code';
    expect(missing.body).toEqual({
      error: [missingMessage],
      validation: { authorization: missingMessage },
      field: 'authorization',
    });
    expect((await ingest('hit', 'batch', 'Bearer nope')).body).toEqual({
      error: ['invalid, expired or revoked access token'],
      validation: { authorization: 'invalid, expired or revoked access token' },
      field: 'authorization',
    });
    // A code that is there but unusable is still the browser's 400 naming it.
    const badCode = await call('POST', '/api/v1/hit', undefined, { ...ITEMS.hit, identification_code: 42 });
    expect([badCode.status, badCode.body.field]).toEqual([400, 'identification_code']);
  });

  it('when a token has expired or its client was revoked, then ingest and statistics answer 401 at once, even right after a successful call', async () => {
    const pool = h.stores.postgres.pool;
    const client = await seedApiClient(pool, tenant.organizationId, { siteId: site.id });
    // An expired token: issued two hours ago for one hour.
    const expired = (
      await exchangeClientCredentials(
        pool,
        h.stores.redis,
        { client_id: client.client_id!, client_secret: client.client_secret! },
        new Date(Date.now() - 7_200_000),
      )
    ).access_token;
    expect(unauthorized(await ingest('hit', 'single', `Bearer ${expired}`))).toEqual(UNAUTHORIZED);
    expect(unauthorized(await statistics(`Bearer ${expired}`))).toEqual(UNAUTHORIZED);
    expect((await statistics(`Bearer ${expired}`)).body).toEqual({
      error: ['invalid, expired or revoked access token'],
      field: 'authorization',
    });

    // The expiry stored in Postgres is what counts, also once ingest has cached the token.
    const fresh = await newToken(client.client_id!, client.client_secret!);
    await pool.query(
      "UPDATE api_access_token SET expires_at = now() + interval '300 milliseconds' WHERE api_client_id = $1",
      [client.id],
    );
    expect((await ingest('hit', 'single', `Bearer ${fresh}`)).status).toBe(202);
    expect((await statistics(`Bearer ${fresh}`)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(unauthorized(await ingest('hit', 'single', `Bearer ${fresh}`))).toEqual(UNAUTHORIZED);
    expect(unauthorized(await statistics(`Bearer ${fresh}`))).toEqual(UNAUTHORIZED);

    // Revocation: the token and the key worked a moment ago (and are cached by ingest).
    const accounts = createAccountsContext({
      config: h.config,
      db: pool,
      redis: h.stores.redis,
      mailer: createMailer(h.config, h.log),
      log: h.log,
    });
    const revocable = await seedApiClient(pool, tenant.organizationId, { siteId: site.id });
    const revocableToken = await newToken(revocable.client_id!, revocable.client_secret!);
    const revocableKey = await seedApiClient(pool, tenant.organizationId, { siteId: site.id, type: 'access_key' });
    for (const bearer of [revocableToken, revocableKey.access_key!])
      expect((await ingest('hit', 'single', `Bearer ${bearer}`)).status).toBe(202);
    expect((await statistics(`Bearer ${revocableToken}`)).status).toBe(200);
    await revokeApiClient(accounts, null, tenant.organizationId, revocable.id);
    await revokeApiClient(accounts, null, tenant.organizationId, revocableKey.id);
    for (const bearer of [revocableToken, revocableKey.access_key!]) {
      // The revocation reaches the ingest cache over Redis pub/sub: milliseconds, not the cache's 30 s.
      const deadline = Date.now() + 2_000;
      let answer = await ingest('hit', 'single', `Bearer ${bearer}`);
      while (answer.status !== 401 && Date.now() < deadline) answer = await ingest('hit', 'single', `Bearer ${bearer}`);
      expect(unauthorized(answer)).toEqual(UNAUTHORIZED);
      expect(unauthorized(await ingest('event', 'batch', `Bearer ${bearer}`))).toEqual(UNAUTHORIZED);
      expect(unauthorized(await statistics(`Bearer ${bearer}`))).toEqual(UNAUTHORIZED);
    }
  });

  it('when statistics are read, then no credential is 401, a credential that may not read this site is 404, a token may not change settings (403)', async () => {
    // A presented token that fails says so in WWW-Authenticate; with none, the 401 and its field suffice.
    for (const authorization of ['Bearer a b', 'Bearer nope'])
      expect([authorization, ...unauthorized(await statistics(authorization))]).toEqual([
        authorization,
        ...UNAUTHORIZED,
      ]);
    for (const authorization of [undefined, 'Bearer ', 'Bearer', 'Basic Zm9vOmJhcg==']) {
      const answer = await statistics(authorization);
      expect([authorization, answer.status, answer.body.field]).toEqual([authorization, 401, 'authorization']);
    }
    expect((await statistics()).body).toEqual({
      error: ['send an access token (Authorization: Bearer <token>)'],
      field: 'authorization',
    });
    // Valid credentials that may not read this site: the write-only key, another organization.
    for (const bearer of [key, stranger.token]) {
      const answer = await statistics(`Bearer ${bearer}`);
      expect([answer.status, answer.body]).toEqual([404, { error: ['site not found'] }]);
    }
    expect((await statistics(`Bearer ${token}`)).status).toBe(200);
    expect((await call('GET', '/api/v1/domain', 'Bearer ')).status).toBe(401);
    expect((await call('GET', `/api/v1/domain?id=${site.id}`)).status).toBe(401);
    expect((await call('GET', `/api/v1/domain?id=${site.id}`, `Bearer ${stranger.token}`)).status).toBe(404);

    const settings = await call('GET', '/api/v1/organizations', `Bearer ${token}`);
    expect([settings.status, settings.body]).toEqual([
      403,
      { error: 'only a signed-in dashboard user may do this', field: 'authorization' },
    ]);
    expect((await call('GET', '/api/v1/organizations', 'Bearer ')).status).toBe(401);
    // A stale token sent along never blocks getting a new one.
    const client = await seedApiClient(h.stores.postgres.pool, tenant.organizationId, { siteId: site.id });
    const exchange = await call('POST', '/api/v1/token', 'Bearer expired-or-whatever', {
      client_id: client.client_id,
      client_secret: client.client_secret,
    });
    expect(exchange.status).toBe(200);
    const wrong = await call('POST', '/api/v1/token', undefined, { client_id: client.client_id, client_secret: 'x' });
    expect(wrong.status).toBe(401);
  });
});
