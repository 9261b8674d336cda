import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessLink, createFunnel, createSession, updateSite } from '@spur/accounts';
import { seedApiClient } from '@spur/accounts/testing';
import { STATISTICS_ENDPOINTS } from '@spur/stats';
import { createBackendAccounts } from '../src/api.ts';
import {
  fixtureSteps,
  play,
  startStatsHarness,
  yesterday,
  type Site,
  type StatsHarness,
  type Tenant,
} from './statistics-fixture.ts';

/**
 * Tenancy over every statistics endpoint (walked from the same registry the router serves, so a
 * new endpoint cannot be forgotten): callers of another organization, write-only keys, clients
 * scoped to another site and access links for another site all get 404 (anonymous callers 401),
 * with the same body as for a site that does not exist; the owner gets 200 for the same request.
 */
let h: StatsHarness;
let owner: Tenant;
let stranger: Tenant;
let site: Site;
let otherSite: Site;
const day = yesterday();
const extras: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  h = await startStatsHarness();
  owner = await h.tenant();
  stranger = await h.tenant();
  site = await h.site(owner, { hostname: 'shop.example' });
  otherSite = await h.site(owner, { hostname: 'second.example' });
  await play(h, site, fixtureSteps(day));
  const accounts = createBackendAccounts(h.config, h.stores, h.log);
  const funnel = await createFunnel(accounts, owner.userId, site.id, {
    name: 'F',
    steps: [
      { name: 'a', filter: { path: '/' } },
      { name: 'b', filter: { path: '/pricing' } },
    ],
  });
  const [visit] = (await h.api(owner.token, '/api/v1/statistics/session/list', { id: site.id, from: day, to: day }))
    .body;
  Object.assign(extras, {
    'event/meta': { event: 'Signup', event_meta_key: 'plan' },
    'event/page': { event: 'Signup' },
    'tag/details': { tag: 'author' },
    'options/metadata': { event_meta_key: 'plan' },
    'options/tag/value': { tag: 'author' },
    'session/details': { visitor_id: visit.visitor_id, session_id: String(visit.session_id) },
    funnel: { funnel_id: funnel.id },
  });
});
afterAll(() => h?.stop());

const request = (e: { path: string }, siteId: string) => ({ id: siteId, from: day, to: day, ...extras[e.path] });

describe('statistics tenancy', () => {
  it('when a caller of another organization reads any endpoint, then it is 404 while the owner gets 200', async () => {
    expect(STATISTICS_ENDPOINTS.length).toBeGreaterThan(60);
    const missing = await h.api(stranger.token, '/api/v1/statistics/total', { id: '999999999', from: day, to: day });
    expect([missing.status, missing.body]).toEqual([404, { error: ['site not found'] }]);
    for (const e of STATISTICS_ENDPOINTS) {
      const path = `/api/v1/statistics/${e.path}`;
      const mine = await h.api(owner.token, path, request(e, site.id));
      expect(mine.status, `${e.path}: ${mine.text}`).toBe(200);
      const theirs = await h.api(stranger.token, path, request(e, site.id));
      expect([e.path, theirs.status, theirs.body], theirs.text).toEqual([e.path, 404, missing.body]);
    }
  });

  it("when a write-only key, a client of another site, an access link of another site or another organization's dashboard user asks, then every endpoint is 404 (nobody: 401)", async () => {
    const accounts = createBackendAccounts(h.config, h.stores, h.log);
    const foreignCookie = `spur_session=${(await createSession(accounts, accounts.db, stranger.userId)).token}`;
    const scoped = await seedApiClient(h.stores.postgres.pool, owner.organizationId, { siteId: otherSite.id });
    const token = (await (
      await h.post('/api/v1/token', { client_id: scoped.client_id, client_secret: scoped.client_secret })
    ).json()) as { access_token: string };
    const link = await createAccessLink(accounts, owner.userId, otherSite.id, {});
    // No credential at all is a 401 (issue 12: clients must learn to authenticate); it tells nothing
    // about the site, since public sites are the only ones readable without one.
    const callers: [string, string | undefined, Record<string, string>, number][] = [
      ['anonymous', undefined, {}, 401],
      ['write-only key', site.accessKey, {}, 404],
      ['client of another site', token.access_token, {}, 404],
      ['link of another site', undefined, { 'x-access-link': link.token }, 404],
      ['dashboard user of another organization', undefined, { cookie: foreignCookie }, 404],
    ];
    for (const e of STATISTICS_ENDPOINTS) {
      for (const [who, bearer, headers, status] of callers) {
        const reply = await h.api(bearer, `/api/v1/statistics/${e.path}`, request(e, site.id), headers);
        expect([e.path, who, reply.status]).toEqual([e.path, who, status]);
      }
    }
  });

  it('when an access link of the site or a public site is used, then statistics are readable without an account', async () => {
    const accounts = createBackendAccounts(h.config, h.stores, h.log);
    const link = await createAccessLink(accounts, owner.userId, site.id, {});
    const viaLink = await h.api(undefined, '/api/v1/statistics/total', request({ path: 'total' }, site.id), {
      'x-access-link': link.token,
    });
    expect([viaLink.status, viaLink.body.visitors]).toEqual([200, 4]);
    await updateSite(accounts, owner.userId, otherSite.id, { public: true });
    const open = await h.api(undefined, '/api/v1/statistics/total', request({ path: 'total' }, otherSite.id));
    expect([open.status, open.body.visitors]).toEqual([200, 0]);
  });

  it('when another organization names a foreign funnel or visit on its own site, then nothing of it is revealed', async () => {
    const theirs = await h.site(stranger, { hostname: 'theirs.example' });
    const funnel = await h.api(stranger.token, '/api/v1/statistics/funnel', request({ path: 'funnel' }, theirs.id));
    expect([funnel.status, funnel.body.error]).toEqual([404, ['funnel not found']]);
    const visit = await h.api(
      stranger.token,
      '/api/v1/statistics/session/details',
      request({ path: 'session/details' }, theirs.id),
    );
    expect([visit.status, visit.body]).toEqual([200, []]);
    const total = await h.api(stranger.token, '/api/v1/statistics/total', { id: theirs.id, from: day, to: day });
    expect(total.body.visitors).toBe(0);
  });

  it('when dashboard users read with their session cookie, then members see the statistics and others get 404', async () => {
    const accounts = createBackendAccounts(h.config, h.stores, h.log);
    const cookie = async (userId: string) => ({
      cookie: `spur_session=${(await createSession(accounts, accounts.db, userId)).token}`,
    });
    const member = await h.api(
      undefined,
      '/api/v1/statistics/total',
      request({ path: 'total' }, site.id),
      await cookie(owner.userId),
    );
    expect([member.status, member.body.visitors]).toEqual([200, 4]);
    const other = await h.api(
      undefined,
      '/api/v1/statistics/total',
      request({ path: 'total' }, site.id),
      await cookie(stranger.userId),
    );
    expect(other.status).toBe(404);
    const domains = await h.api(undefined, '/api/v1/domain', {}, await cookie(owner.userId));
    expect(domains.body.map((d: { hostname: string; user_role: string }) => [d.hostname, d.user_role])).toEqual([
      ['second.example', 'Owner'],
      ['shop.example', 'Owner'],
    ]);
  });

  it("when domains are listed, then only the caller's sites appear, and a foreign id is 404", async () => {
    const list = await h.api(stranger.token, '/api/v1/domain');
    expect(list.body.map((d: { hostname: string }) => d.hostname)).toEqual(['theirs.example']);
    expect((await h.api(stranger.token, '/api/v1/domain', { id: site.id })).status).toBe(404);
    const mine = await h.api(owner.token, '/api/v1/domain');
    expect(mine.body.map((d: { hostname: string }) => d.hostname)).toEqual(['second.example', 'shop.example']);
    expect(mine.body[1]).toMatchObject({
      id: site.id,
      identification_code: expect.stringMatching(/^\w{32}$/),
      display_name: 'shop.example',
    });
    expect((await h.api(undefined, '/api/v1/domain')).status).toBe(401);
  });
});
