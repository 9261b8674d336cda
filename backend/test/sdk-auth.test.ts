import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type PirschFilter } from 'pirsch-sdk';
import { createFunnel, createGoal } from '@spur/accounts';
import { seedApiClient } from '@spur/accounts/testing';
import { createBackendAccounts } from '../src/api.ts';
import {
  fixtureSteps,
  play,
  startStatsHarness,
  UA,
  yesterday,
  type Site,
  type StatsHarness,
  type Tenant,
} from './statistics-fixture.ts';

/**
 * The official pirsch-sdk (2.9.1, unmodified), every case from a brand-new client instance, as a
 * server that tracks page views would use it (issue 12): its first POST carries an empty bearer
 * token and it fetches a token only when answered 401. Both ways it authenticates (OAuth client id
 * + secret, `pa_` access key) with every write method and every statistics method as first call,
 * tokens that expire in the middle of a stream of hits, and a hits-only integration whose exact
 * counts are read back through the statistics API.
 */
type Sdk = InstanceType<typeof Client>;
type Credentials = { clientId: string; clientSecret: string } | { accessToken: string };

let h: StatsHarness;
let tenant: Tenant;
const today = new Date().toISOString().slice(0, 10);

async function siteWithClients(hostname: string): Promise<{ site: Site; oauth: Credentials; key: Credentials }> {
  const site = await h.site(tenant, { hostname });
  const pool = h.stores.postgres.pool;
  const client = await seedApiClient(pool, tenant.organizationId, { siteId: site.id });
  const key = await seedApiClient(pool, tenant.organizationId, { siteId: site.id, type: 'access_key' });
  return {
    site,
    oauth: { clientId: client.client_id!, clientSecret: client.client_secret! },
    key: { accessToken: key.access_key! },
  };
}

/** A brand-new SDK instance: no token yet, whatever the credentials. */
const fresh = (credentials: Credentials, hostname: string): Sdk =>
  new Client({ baseUrl: h.backend.url, hostname, protocol: 'https', ...credentials });

/** The SDK keeps its current token in a protected field; the tests watch it change. */
const tokenOf = (sdk: Sdk) => (sdk as unknown as { accessToken: string }).accessToken;

const visitor = (n: number, ua = UA.chromeLinux) => ({
  ip: `81.2.${69 + Math.floor(n / 200)}.${(n % 200) + 20}`,
  user_agent: ua,
});

/** Exact rows per path / event name, straight from ClickHouse. */
async function countBy(table: 'page_view' | 'event', column: 'path' | 'event_name', siteId: string) {
  const rows = await h.query<{ key: string; n: string }>(
    `SELECT ${column} AS key, count() AS n FROM ${table} WHERE site_id = {site:UInt64} GROUP BY key ORDER BY key`,
    { site: siteId },
  );
  return Object.fromEntries(rows.map((r) => [r.key, Number(r.n)]));
}

beforeAll(async () => {
  h = await startStatsHarness();
  tenant = await h.tenant();
});
afterAll(() => h?.stop());

describe('pirsch-sdk authentication, every case from a fresh client', () => {
  it('when the first call of a new client is hit, batchHits, event, batchEvents, session or batchSessions, then it is taken, with an OAuth client and with an access key', async () => {
    const hostname = 'writes.example';
    const { site, oauth, key } = await siteWithClients(hostname);
    const url = (path: string) => `https://${hostname}${path}`;
    const start = Math.floor(Date.now() / 1000) * 1000 - 120_000;
    let n = 0;
    for (const [mode, credentials] of [
      ['oauth', oauth],
      ['key', key],
    ] as const) {
      const v = () => visitor(n++);
      await fresh(credentials, hostname).hit({ ...v(), url: url(`/hit-${mode}`) });
      await fresh(credentials, hostname).batchHits([
        { ...v(), url: url(`/batch-hit-${mode}`), time: new Date().toISOString() },
      ]);
      await fresh(credentials, hostname).event(`event-${mode}`, { ...v(), url: url(`/event-${mode}`) }, 2, { a: 1 });
      await fresh(credentials, hostname).batchEvents([
        {
          name: `batch-event-${mode}`,
          hit: { ...v(), url: url(`/batch-event-${mode}`) },
          time: new Date().toISOString(),
        },
      ]);
      // A session ping extends a visit: each pinged visitor viewed a page two minutes ago. The
      // clients are scoped to the site, so a ping needs no URL (the SDK's type has none).
      const pinged = v();
      const batchPinged = v();
      await h.post(
        '/api/v1/hit/batch',
        [
          { ...pinged, url: url(`/session-${mode}`), time: new Date(start).toISOString() },
          { ...batchPinged, url: url(`/batch-session-${mode}`), time: new Date(start).toISOString() },
        ],
        { authorization: `Bearer ${site.accessKey}` },
      );
      await fresh(credentials, hostname).session(pinged);
      await fresh(credentials, hostname).batchSessions([
        { ...batchPinged, time: new Date(start + 60_000).toISOString() },
      ]);
    }
    const arrived = Date.now();
    await h.flushed();

    expect(await countBy('page_view', 'path', site.id)).toEqual({
      '/batch-hit-key': 1,
      '/batch-hit-oauth': 1,
      '/batch-session-key': 1,
      '/batch-session-oauth': 1,
      '/hit-key': 1,
      '/hit-oauth': 1,
      '/session-key': 1,
      '/session-oauth': 1,
    });
    expect(await countBy('event', 'event_name', site.id)).toEqual({
      'batch-event-key': 1,
      'batch-event-oauth': 1,
      'event-key': 1,
      'event-oauth': 1,
    });
    // The latest duration of each pinged visit (cancel/new row pairs summed by sign).
    const durations = Object.fromEntries(
      (
        await h.query<{ path: string; seconds: string }>(
          `SELECT entry_path AS path, sum(sign * duration_seconds) AS seconds FROM session
            WHERE site_id = {site:UInt64} AND entry_path LIKE '%session%' GROUP BY path`,
          { site: site.id },
        )
      ).map((r) => [r.path, Number(r.seconds)]),
    );
    expect([durations['/batch-session-oauth'], durations['/batch-session-key']]).toEqual([60, 60]);
    // A ping without a time counts when it arrives: two minutes after the page view, give or take the test's pace.
    for (const mode of ['oauth', 'key']) {
      expect(durations[`/session-${mode}`]).toBeGreaterThanOrEqual(120);
      expect(durations[`/session-${mode}`]).toBeLessThanOrEqual(Math.ceil((arrived - start) / 1000));
    }
  });

  it('when the first call of a new OAuth client is any statistics method, then it answers; an access key is refused by the SDK itself', async () => {
    const hostname = 'reads.example';
    const { site, oauth, key } = await siteWithClients(hostname);
    const day = yesterday();
    await play(h, site, fixtureSteps(day));
    const accounts = createBackendAccounts(h.config, h.stores, h.log);
    await createGoal(accounts, tenant.userId, site.id, { name: 'Pricing', path_pattern: '/pricing' });
    await createFunnel(accounts, tenant.userId, site.id, {
      name: 'Buy',
      steps: [
        { name: 'Home', filter: { path: '/' } },
        { name: 'Pricing', filter: { path: '/pricing' } },
      ],
    });
    const filter = (extra: Partial<PirschFilter> = {}): PirschFilter => ({
      id: site.id,
      from: new Date(`${day}T00:00:00Z`),
      to: new Date(`${day}T00:00:00Z`),
      ...extra,
    });
    const extras: Record<string, Partial<PirschFilter>> = {
      eventMetadata: { event: 'Signup', event_meta_key: 'plan' },
      eventPages: { event: 'Signup' },
      tags: { tag: 'author' },
      activeVisitors: { start: 600 },
    };
    // Every data method of the SDK, taken from its prototype so that none is forgotten.
    const writes = ['hit', 'batchHits', 'event', 'batchEvents', 'session', 'batchSessions'];
    const internals = ['constructor', 'performPost', 'performGet', 'performFilteredGet', 'getFilterParams'];
    const methods = Object.getOwnPropertyNames(Object.getPrototypeOf(Client.prototype)).filter(
      (name) => ![...writes, ...internals, 'refreshToken', 'generateUrl', 'accessModeCheck'].includes(name),
    );
    expect(methods).toHaveLength(37);

    const answers: Record<string, unknown> = {};
    for (const method of methods) {
      const sdk = fresh(oauth, hostname);
      const call = (sdk as unknown as Record<string, (f?: PirschFilter) => Promise<unknown>>)[method]!.bind(sdk);
      const answer = await (method === 'domain' ? call() : call(filter(extras[method]))).catch((e: unknown) => e);
      expect([method, answer instanceof Error ? answer.message : 'answered']).toEqual([method, 'answered']);
      answers[method] = answer;
    }
    expect(answers.domain).toMatchObject({ id: site.id, hostname });
    expect(answers.totalVisitors).toMatchObject({ visitors: 4, views: 12, sessions: 7, bounces: 2 });
    expect((answers.pages as { path: string; visitors: number }[]).map((p) => [p.path, p.visitors])).toEqual([
      ['/', 4],
      ['/pricing', 3],
      ['/blog/hello', 2],
      ['/docs', 2],
    ]);
    expect((answers.listFunnel as { name: string }[]).map((f) => f.name)).toEqual(['Buy']);
    expect((answers.eventMetadata as { meta_value: string }[]).map((e) => e.meta_value)).toEqual(['free', 'pro']);

    // pirsch-sdk refuses data methods with an access key before sending anything (its code is 401).
    for (const method of methods) {
      const sdk = fresh(key, hostname);
      const call = (sdk as unknown as Record<string, (f?: PirschFilter) => Promise<unknown>>)[method]!.bind(sdk);
      const error = (await call(filter()).catch((e: unknown) => e)) as { name: string; code: number };
      expect([method, error.name, error.code]).toEqual([method, 'PirschInvalidAccessModeApiError', 401]);
    }
  });

  it('when access tokens expire in the middle of a stream of hits, then the SDK fetches new ones and no hit is lost', async () => {
    const hostname = 'expiry.example';
    const { site, oauth } = await siteWithClients(hostname);
    const pool = h.stores.postgres.pool;
    // Every token issued while this runs lives 1.5 s (instead of an hour): several expire mid-stream.
    await pool.query(`CREATE FUNCTION short_lived_token() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN NEW.expires_at := now() + interval '1500 milliseconds'; RETURN NEW; END $$`);
    await pool.query(
      'CREATE TRIGGER short_lived BEFORE INSERT ON api_access_token FOR EACH ROW EXECUTE FUNCTION short_lived_token()',
    );
    const sdk = fresh(oauth, hostname);
    const tokens = new Set<string>();
    let sent = 0;
    try {
      const deadline = Date.now() + 15_000;
      while ((tokens.size < 4 || sent < 150) && Date.now() < deadline) {
        await sdk.hit({ ...visitor(sent % 10), url: `https://${hostname}/page/${sent}` });
        sent++;
        tokens.add(tokenOf(sdk));
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    } finally {
      await pool.query('DROP TRIGGER short_lived ON api_access_token');
      await pool.query('DROP FUNCTION short_lived_token()');
    }
    // The first token and at least three refreshes after an expiry, each after a 401 the SDK retried.
    expect(tokens.size).toBeGreaterThanOrEqual(4);
    await h.flushed();
    const total = await fresh(oauth, hostname).totalVisitors({
      id: site.id,
      from: new Date(`${today}T00:00:00Z`),
      to: new Date(`${today}T00:00:00Z`),
    });
    expect(total).toMatchObject({ visitors: 10, views: sent, sessions: 10 });
    const paths = await countBy('page_view', 'path', site.id);
    expect([Object.keys(paths).length, Math.max(...Object.values(paths))]).toEqual([sent, 1]);
  });

  it('when a server only sends single hits (300 through an OAuth client, 100 through an access key), then every one is counted exactly', async () => {
    const oauthSite = await siteWithClients('hits-oauth.example');
    const keySite = await siteWithClients('hits-key.example');
    const uas = [UA.chromeLinux, UA.firefoxWindows, UA.iphone, UA.chromeWindows];
    const stream = async (credentials: Credentials, hostname: string, visitors: number, pages: number) => {
      const sdk = fresh(credentials, hostname);
      // Page after page, visitor after visitor, as requests would reach a web server.
      for (let page = 0; page < pages; page++)
        for (let v = 0; v < visitors; v++)
          await sdk.hit({
            ...visitor(v, uas[v % uas.length]),
            url: `https://${hostname}/p/${page}`,
            title: `P${page}`,
          });
    };
    await Promise.all([
      stream(oauthSite.oauth, 'hits-oauth.example', 20, 15),
      stream(keySite.key, 'hits-key.example', 10, 10),
    ]);
    await h.flushed();
    const range = { from: new Date(`${today}T00:00:00Z`), to: new Date(`${today}T00:00:00Z`) };
    const reader = (hostname: string, which: typeof oauthSite) => fresh(which.oauth, hostname);
    for (const [which, hostname, visitors, pages] of [
      [oauthSite, 'hits-oauth.example', 20, 15],
      [keySite, 'hits-key.example', 10, 10],
    ] as const) {
      const filter = { id: which.site.id, ...range };
      expect(await reader(hostname, which).totalVisitors(filter)).toEqual({
        visitors,
        views: visitors * pages,
        sessions: visitors,
        bounces: 0,
        bounce_rate: 0,
        cr: 0,
        custom_metric_avg: 0,
        custom_metric_total: 0,
      });
      const perPage = (await reader(hostname, which).pages(filter)) as {
        path: string;
        visitors: number;
        views: number;
      }[];
      expect(perPage.map((p) => [p.path, p.visitors, p.views]).sort()).toEqual(
        Array.from({ length: pages }, (_, page) => [`/p/${page}`, visitors, visitors]).sort(),
      );
    }
  });
});
