import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnnotation, createFunnel, createGoal, createSession, deleteSite } from '@spur/accounts';
import { seedApiClient, seedMember, seedUser } from '@spur/accounts/testing';
import { checkAlerts, createAlert } from '@spur/alerts';
import { measureUsage } from '@spur/billing';
import { createTestAccessKey } from '@spur/testkit';
import { createBackendAccounts } from '../src/api.ts';
import {
  fixtureSteps,
  play,
  startStatsHarness,
  VISITORS,
  yesterday,
  type Site,
  type StatsHarness,
  type Tenant,
} from './statistics-fixture.ts';

/**
 * Rollup views over two sites of one organization, through the real ingest path and API.
 *
 * shop.example: the shared fixture (4 visitors, 7 visits, 12 views, bounces C1 and D1).
 * blog.example, same day:
 *   12:00 a `/` (a bounce) · 12:10 b `/`, 12:12 b `/about`  →  2 visitors, 2 visits, 3 views, 1 bounce.
 * Visitors a and b come from the same IP and browser on both sites, but a visitor id is a hash
 * of (daily salt, site, IP, user agent): on another site they are other visitors, so the rollup
 * counts 4 + 2 = 6 visitors, 7 + 2 = 9 visits, 12 + 3 = 15 views and 2 + 1 = 3 bounces.
 */
let h: StatsHarness;
let owner: Tenant;
let stranger: Tenant;
let shop: Site;
let blog: Site;
let theirs: Site;
let rollupId: string;
const day = yesterday();
type Call = { status: number; body: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A signed-in dashboard user: session cookie plus the CSRF token the dashboard echoes. */
async function browserOf(userId: string) {
  const accounts = createBackendAccounts(h.config, h.stores, h.log);
  const session = await createSession(accounts, accounts.db, userId);
  return async (method: string, path: string, body?: unknown): Promise<Call> => {
    const response = await fetch(`${h.backend.url}${path}`, {
      method,
      headers: {
        cookie: `spur_session=${session.token}`,
        'x-csrf-token': session.csrfToken,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
}

const total = (token: string | undefined, id: string, query: Record<string, string> = {}) =>
  h.api(token, '/api/v1/statistics/total', { id, from: day, to: day, ...query });

beforeAll(async () => {
  h = await startStatsHarness();
  owner = await h.tenant();
  stranger = await h.tenant();
  shop = await h.site(owner, { hostname: 'shop.example' });
  blog = await h.site(owner, { hostname: 'blog.example' });
  theirs = await h.site(stranger, { hostname: 'theirs.example' });
  await play(h, shop, fixtureSteps(day));
  const at = (hms: string) => `${day}T${hms}Z`;
  await play(h, blog, [
    { kind: 'hit', visitor: VISITORS.a, time: at('12:00:00'), path: '/', title: 'Blog' },
    { kind: 'hit', visitor: VISITORS.b, time: at('12:10:00'), path: '/', title: 'Blog' },
    { kind: 'hit', visitor: VISITORS.b, time: at('12:12:00'), path: '/about', title: 'About' },
  ]);
  const created = await (
    await browserOf(owner.userId)
  )('POST', `/api/v1/organizations/${owner.organizationId}/rollups`, {
    name: 'All shops',
    timezone: 'UTC',
    site_ids: [blog.id, shop.id, blog.id],
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  rollupId = created.body.id;
  expect(created.body).toMatchObject({
    kind: 'rollup',
    name: 'All shops',
    member_ids: [shop.id, blog.id].sort((x, y) => Number(x) - Number(y)),
    identification_code: '',
  });
});
afterAll(() => h?.stop());

describe('rollup statistics', () => {
  it('when the rollup is read, then visitors, visits, views and bounces are the sums over both sites', async () => {
    const combined = await total(owner.token, rollupId);
    expect([combined.status, combined.body]).toEqual([
      200,
      {
        visitors: 6,
        views: 15,
        sessions: 9,
        bounces: 3,
        bounce_rate: 3 / 9,
        cr: 0,
        custom_metric_avg: 0,
        custom_metric_total: 0,
      },
    ]);
    // The single sites are unchanged by being members.
    expect((await total(owner.token, blog.id)).body).toMatchObject({ visitors: 2, views: 3, sessions: 2, bounces: 1 });
  });

  it('when broken down or filtered by hostname, then each site keeps its own figures inside the rollup', async () => {
    const hosts = await h.api(owner.token, '/api/v1/statistics/hostname', { id: rollupId, from: day, to: day });
    expect(
      hosts.body.map((r: Record<string, unknown>) => [r.hostname, r.visitors, r.views, r.sessions, r.bounces]),
    ).toEqual([
      ['shop.example', 4, 12, 7, 2],
      ['blog.example', 2, 3, 2, 1],
    ]);
    expect((await total(owner.token, rollupId, { hostname: 'blog.example' })).body).toMatchObject({
      visitors: 2,
      views: 3,
      sessions: 2,
      bounces: 1,
    });
    const pages = await h.api(owner.token, '/api/v1/statistics/page', { id: rollupId, from: day, to: day });
    // `/`: A1 C1 D1 B2 on the shop, a and b on the blog.
    expect(pages.body.find((p: { path: string }) => p.path === '/')).toMatchObject({ visitors: 6, views: 6 });
    const sessions = await h.api(owner.token, '/api/v1/statistics/session/list', {
      id: rollupId,
      from: day,
      to: day,
      limit: '50',
    });
    expect(sessions.body).toHaveLength(9);
    const csv = await total(owner.token, rollupId, { format: 'csv' });
    expect(csv.text).toBe(
      `visitors,views,sessions,bounces,bounce_rate,cr,custom_metric_avg,custom_metric_total\r\n6,15,9,3,${3 / 9},0,0,0\r\n`,
    );
  });

  it("when the rollup has its own goal, funnel and annotation, then they apply to both sites' visitors", async () => {
    const accounts = createBackendAccounts(h.config, h.stores, h.log);
    await createGoal(accounts, owner.userId, rollupId, { name: 'Home', path_pattern: '/' });
    const goals = await h.api(owner.token, '/api/v1/statistics/goals', { id: rollupId, from: day, to: day });
    expect(goals.body.map((g: { page_goal: { name: string }; stats: unknown }) => [g.page_goal.name, g.stats])).toEqual(
      [['Home', { visitors: 6, views: 6, cr: 1, custom_metric_avg: 0, custom_metric_total: 0 }]],
    );
    // Funnel / → /about: six visitors view /, only b on the blog goes on to /about in the same visit.
    const funnel = await createFunnel(accounts, owner.userId, rollupId, {
      name: 'About us',
      steps: [
        { name: 'Home', filter: { path: '/' } },
        { name: 'About', filter: { path: '/about' } },
      ],
    });
    const steps = await h.api(owner.token, '/api/v1/statistics/funnel', {
      id: rollupId,
      from: day,
      to: day,
      funnel_id: funnel.id,
    });
    expect(steps.body.data.map((s: { step: number; visitors: number }) => [s.step, s.visitors])).toEqual([
      [1, 6],
      [2, 1],
    ]);
    await createAnnotation(accounts, owner.userId, rollupId, { day, text: 'Blog launch' });
    const notes = await h.api(owner.token, '/api/v1/annotation', { id: rollupId });
    expect(notes.body.map((a: { day: string; text: string }) => [a.day, a.text])).toEqual([[day, 'Blog launch']]);
  });

  it('when usage is measured for billing, then the rollup adds nothing: each page view counts once, for its site', async () => {
    await measureUsage(h.stores.postgres.pool, h.stores.clickhouse.reader, new Date(`${day}T00:00:00Z`), new Date());
    const { rows } = await h.stores.postgres.pool.query<{ site_id: string; page_views: string }>(
      'SELECT site_id::text, page_views::text FROM billing_usage_day WHERE organization_id = $1 ORDER BY site_id',
      [owner.organizationId],
    );
    expect(rows).toEqual([
      { site_id: shop.id, page_views: '12' },
      { site_id: blog.id, page_views: '3' },
    ]);
  });
});

describe('rollup alerts', () => {
  it('when a traffic alert watches the rollup, then it counts the visitors of both sites', async () => {
    const { rows: users } = await h.stores.postgres.pool.query<{ email: string }>(
      'SELECT email FROM app_user WHERE id = $1',
      [owner.userId],
    );
    const alert = await createAlert(h.stores.postgres.pool, owner.userId, rollupId, {
      emails: [users[0]!.email],
      kind: 'drop',
      threshold: 100,
      window_hours: 48,
    });
    await checkAlerts({ db: h.stores.postgres.pool, clickhouse: h.stores.clickhouse.reader }, new Date());
    const { rows } = await h.stores.postgres.pool.query<{ last_value: number }>(
      'SELECT last_value FROM traffic_alert WHERE id = $1',
      [alert.id],
    );
    expect(rows[0]!.last_value).toBe(6);
  });
});

describe('rollup tenancy and settings', () => {
  it('when another organization, a client scoped to one member or nobody asks, then the rollup is not readable', async () => {
    expect([(await total(stranger.token, rollupId)).status]).toEqual([404]);
    expect((await total(undefined, rollupId)).status).toBe(401);
    const scoped = await seedApiClient(h.stores.postgres.pool, owner.organizationId, { siteId: shop.id });
    const token = (await (
      await h.post('/api/v1/token', { client_id: scoped.client_id, client_secret: scoped.client_secret })
    ).json()) as { access_token: string };
    expect((await total(token.access_token, rollupId)).status).toBe(404);
  });

  it("when a user of another organization tries to change it or roll up the owner's sites, then nothing is revealed or changed", async () => {
    const as = await browserOf(stranger.userId);
    const intoTheirs = await as('PUT', `/api/v1/sites/${rollupId}/rollup-members`, { site_ids: [theirs.id] });
    expect([intoTheirs.status, intoTheirs.body]).toEqual([404, { error: 'site not found' }]);
    const inOwnersOrg = await as('POST', `/api/v1/organizations/${owner.organizationId}/rollups`, {
      name: 'x',
      site_ids: [shop.id],
    });
    expect(inOwnersOrg.status).toBe(404);
    const borrowing = await as('POST', `/api/v1/organizations/${stranger.organizationId}/rollups`, {
      name: 'Borrowed',
      site_ids: [theirs.id, shop.id],
    });
    expect([borrowing.status, borrowing.body]).toEqual([
      400,
      { error: `no site ${shop.id} in this organization`, field: 'site_ids' },
    ]);
    // And the owner cannot add a site of another organization either.
    const foreign = await (
      await browserOf(owner.userId)
    )('PUT', `/api/v1/sites/${rollupId}/rollup-members`, { site_ids: [shop.id, theirs.id] });
    expect([foreign.status, foreign.body.field]).toEqual([400, 'site_ids']);
    // The organization's client lists the rollup after its sites (pirsch-sdk's domain() takes the first).
    expect((await h.api(owner.token, `/api/v1/domain`)).body.map((d: { id: string }) => d.id)).toEqual([
      blog.id,
      shop.id,
      rollupId,
    ]);
  });

  it('when a viewer of the organization reads and then tries to change the rollup, then reading works and changing is forbidden', async () => {
    const viewer = await seedUser(h.stores.postgres.pool);
    await seedMember(h.stores.postgres.pool, owner.organizationId, viewer.id, 'viewer');
    const as = await browserOf(viewer.id);
    const read = await as('GET', `/api/v1/statistics/total?id=${rollupId}&from=${day}&to=${day}`);
    expect([read.status, read.body.visitors]).toEqual([200, 6]);
    const change = await as('PUT', `/api/v1/sites/${rollupId}/rollup-members`, { site_ids: [shop.id] });
    expect(change.status).toBe(403);
  });

  it('when members are invalid (none, a rollup, not ids), then the field is named', async () => {
    const as = await browserOf(owner.userId);
    const put = (site_ids: unknown) => as('PUT', `/api/v1/sites/${rollupId}/rollup-members`, { site_ids });
    expect([(await put([])).status, (await put([])).body.field]).toEqual([400, 'site_ids']);
    expect((await put(['x'])).body.field).toBe('site_ids.0');
    expect((await put([rollupId])).body).toEqual({
      error: `a rollup view cannot include another (${rollupId})`,
      field: 'site_ids',
    });
    expect((await put(shop.id)).status).toBe(400);
    const notRollup = await as('PUT', `/api/v1/sites/${shop.id}/rollup-members`, { site_ids: [blog.id] });
    expect([notRollup.status, notRollup.body.field]).toEqual([400, 'site_ids']);
    // Postgres cannot store a NUL character: such a name is refused while the body is parsed (it was a 500).
    const nul = await as('POST', `/api/v1/organizations/${owner.organizationId}/rollups`, {
      name: 'Both\u0000sites',
      site_ids: [shop.id],
    });
    expect([nul.status, nul.body]).toEqual([400, { error: 'name: must not contain NUL characters', field: 'body' }]);
  });

  it('when anything is sent for the rollup, then ingest refuses it, and it has no snippet or domain to change', async () => {
    const key = await createTestAccessKey(h.stores.postgres.pool, {
      organizationId: owner.organizationId,
      siteId: rollupId,
    });
    const hit = await h.post(
      '/api/v1/hit',
      { url: 'https://shop.example/', ...VISITORS.a },
      {
        authorization: `Bearer ${key}`,
      },
    );
    expect([hit.status, ((await hit.json()) as { field: string }).field]).toEqual([404, 'url']);
    const { rows } = await h.stores.postgres.pool.query<{ identification_code: string }>(
      'SELECT identification_code FROM site WHERE id = $1',
      [rollupId],
    );
    const byCode = await h.post('/api/v1/hit', {
      identification_code: rows[0]!.identification_code,
      url: 'https://shop.example/',
      ...VISITORS.a,
    });
    expect([byCode.status, ((await byCode.json()) as { error: string[] }).error]).toEqual([
      404,
      ['no site with this identification code'],
    ]);
    const as = await browserOf(owner.userId);
    expect((await as('GET', `/api/v1/sites/${rollupId}/snippet`)).status).toBe(400);
    const filter = await as('POST', `/api/v1/sites/${rollupId}/filters`, { type: 'ip', value: '10.0.0.1' });
    expect([filter.status, filter.body.error]).toEqual([400, 'a rollup view has no traffic to filter of its own']);
    expect((await as('PATCH', `/api/v1/sites/${rollupId}`, { hostname: 'x.example' })).body.field).toBe('hostname');
    expect((await as('PATCH', `/api/v1/sites/${rollupId}`, { name: 'Every shop' })).body.name).toBe('Every shop');
  });

  it('when a member site is deleted, then it leaves the rollup and the rollup shows the rest', async () => {
    const accounts = createBackendAccounts(h.config, h.stores, h.log);
    await deleteSite(accounts, owner.userId, blog.id);
    const site = await (await browserOf(owner.userId))('GET', `/api/v1/sites/${rollupId}`);
    expect(site.body.member_ids).toEqual([shop.id]);
    expect((await total(owner.token, rollupId)).body).toMatchObject({
      visitors: 4,
      views: 12,
      sessions: 7,
      bounces: 2,
    });
  });
});
