import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Router } from 'express';
import {
  createApiClient,
  createAccessLink,
  addEmailReport,
  addTrafficFilter,
  createAnnotation,
  createFunnel,
  createGoal,
  inviteMember,
  updateSite,
} from '@spur/accounts';
import { SEED_PASSWORD, seedMember, seedSite, seedUser } from '@spur/accounts/testing';
import { apiRouters, createBackendAccounts } from '../src/api.ts';
import { Browser, resetRateLimits, startAccountsBackend, type AccountsBackend } from './accounts-client.ts';

/**
 * Walks every route of the accounts API (read from the router itself, so a new route cannot be
 * forgotten) as a member of another organization, who must get 404 everywhere, and as a viewer
 * of the organization, who may read but must get 403 on every change.
 */
let b: AccountsBackend;
beforeAll(async () => {
  b = await startAccountsBackend();
});
afterAll(async () => {
  await b?.close();
});

type Route = { method: string; path: string };

/** The routes of the API's accounts family (statistics have their own tenancy test). */
function accountRoutes(accounts: ReturnType<typeof createBackendAccounts>): Route[] {
  const deps = { accounts, clickhouse: b.t.stores.clickhouse.client, config: b.t.config };
  return routesOf(Router().use(...apiRouters(deps).accounts));
}

function routesOf(router: Router): Route[] {
  const out: Route[] = [];
  const walk = (
    stack: { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: unknown[] } }[],
  ) => {
    for (const layer of stack) {
      if (layer.route)
        for (const method of Object.keys(layer.route.methods))
          out.push({ method: method.toUpperCase(), path: layer.route.path });
      else if (layer.handle?.stack) walk(layer.handle.stack as typeof stack);
    }
  };
  walk((router as unknown as { stack: Parameters<typeof walk>[0] }).stack);
  return out;
}

/** Routes about the caller themself (their account, their login, tokens they hold): no tenant in the path. */
const SELF_ROUTES = new Set([
  'POST /api/v1/token',
  'POST /api/v1/auth/signup',
  'POST /api/v1/auth/verify',
  'POST /api/v1/auth/verify/resend',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/login/2fa',
  'POST /api/v1/auth/logout',
  'GET /api/v1/auth/session',
  'POST /api/v1/auth/password/forgot',
  'POST /api/v1/auth/password/reset',
  'GET /api/v1/account',
  'PUT /api/v1/account/password',
  'POST /api/v1/account/email',
  'POST /api/v1/account/email/confirm',
  'GET /api/v1/account/sessions',
  'DELETE /api/v1/account/sessions/:id',
  'DELETE /api/v1/account/sessions',
  'POST /api/v1/account/2fa/setup',
  'POST /api/v1/account/2fa/enable',
  'POST /api/v1/account/2fa/disable',
  'POST /api/v1/account/2fa/recovery-codes',
  'GET /api/v1/account/audit-log',
  'POST /api/v1/account/delete',
  'GET /api/v1/organizations',
  'POST /api/v1/organizations',
  'POST /api/v1/invitations/accept',
  'POST /api/v1/share',
  'GET /api/v1/share',
  'GET /api/v1/public/:subdomain',
  // Your own avatar, and images served by their (unguessable, content-hash) name to anyone.
  'GET /api/v1/account/avatar',
  'PUT /api/v1/account/avatar',
  'DELETE /api/v1/account/avatar',
  'GET /api/v1/images/:name',
]);

/** Reads a viewer may not do either: secrets and membership administration are for admins. */
const ADMIN_READS = new Set([
  'GET /api/v1/organizations/:orgId/invitations',
  'GET /api/v1/organizations/:orgId/clients',
  'GET /api/v1/organizations/:orgId/audit-log',
  'GET /api/v1/sites/:siteId/access-links',
]);

describe('tenancy', () => {
  it('when a member of another organization calls any route of a foreign organization, then every answer is 404; a viewer may read but not change', async () => {
    const ctx = createBackendAccounts(b.t.config, b.t.stores, b.t.log);
    const routes = accountRoutes(ctx);
    expect(routes.length).toBeGreaterThan(60);

    // The victim organization with one of everything.
    const owner = await seedUser(ctx.db);
    const site = await seedSite(ctx.db, owner.organizationId, { hostname: 'victim.example.com' });
    await updateSite(ctx, owner.id, site.id, { subdomain: 'victim-stats' });
    const viewer = await seedUser(ctx.db);
    await seedMember(ctx.db, owner.organizationId, viewer.id, 'viewer');
    const filter = await addTrafficFilter(ctx, owner.id, site.id, { type: 'ip', value: '10.0.0.0/8' });
    const link = await createAccessLink(ctx, owner.id, site.id, { description: 'press' });
    const report = await addEmailReport(ctx, owner.id, site.id, { email: owner.email, interval: 'weekly' });
    const goal = await createGoal(ctx, owner.id, site.id, { name: 'Signup', path_pattern: '/signup' });
    const funnel = await createFunnel(ctx, owner.id, site.id, {
      name: 'Buy',
      steps: [
        { name: 'Cart', filter: { path: '/cart' } },
        { name: 'Paid', filter: { path: '/thanks' } },
      ],
    });
    const annotation = await createAnnotation(ctx, owner.id, site.id, { day: '2026-01-01', text: 'Launch' });
    const client = await createApiClient(ctx, owner.id, owner.organizationId, { name: 'ci' });
    const invitation = await inviteMember(ctx, owner.id, owner.organizationId, {
      email: 'later@example.com',
      role: 'viewer',
    });

    const stranger = await seedUser(ctx.db);
    const login = async (email: string) => {
      const browser = new Browser(b.server.url);
      expect((await browser.post('/api/v1/auth/login', { email, password: SEED_PASSWORD })).status).toBe(200);
      return browser;
    };
    await resetRateLimits(b);
    const foreign = await login(stranger.email);
    const member = await login(viewer.email);

    const idFor: Record<string, string> = {
      '/filters/:id': filter.id,
      '/access-links/:id': link.id,
      '/email-reports/:id': report.id,
      '/invitations/:id': invitation.id,
      '/clients/:id': client.id,
    };
    const fill = (path: string) =>
      path
        .replace(':orgId', owner.organizationId)
        .replace(':siteId', site.id)
        .replace(':userId', owner.id)
        .replace(/\/[a-z-]+\/:id$/, (tail) => tail.replace(':id', idFor[tail] ?? 'missing'));
    const funnelBody = {
      name: 'Hijack',
      steps: [
        { name: 'a', filter: { path: '/a' } },
        { name: 'b', filter: { path: '/b' } },
      ],
    };
    const requestFor = (route: Route): { path: string; body?: unknown } => {
      const key = `${route.method} ${route.path}`;
      switch (key) {
        case 'GET /api/v1/goal':
        case 'GET /api/v1/funnel':
        case 'GET /api/v1/annotation':
          return { path: `${route.path}?id=${site.id}` };
        case 'DELETE /api/v1/goal':
          return { path: `${route.path}?id=${goal.id}` };
        case 'DELETE /api/v1/funnel':
          return { path: `${route.path}?id=${funnel.id}` };
        case 'DELETE /api/v1/annotation':
          return { path: `${route.path}?id=${annotation.id}` };
        case 'POST /api/v1/annotation':
          return { path: route.path, body: { domain_id: site.id, day: '2026-01-02', text: 'Hijack' } };
        case 'POST /api/v1/goal':
          return { path: route.path, body: { domain_id: site.id, name: 'Hijack', path_pattern: '/x' } };
        case 'PUT /api/v1/goal':
          return { path: route.path, body: { id: goal.id, name: 'Hijack', path_pattern: '/x' } };
        case 'POST /api/v1/funnel':
          return { path: route.path, body: { domain_id: site.id, ...funnelBody } };
        case 'PUT /api/v1/funnel':
          return { path: route.path, body: { id: funnel.id, ...funnelBody } };
      }
      const bodies: Record<string, unknown> = {
        'PATCH /api/v1/organizations/:orgId': { name: 'Hijacked' },
        'PUT /api/v1/organizations/:orgId/members/:userId': { role: 'viewer' },
        'POST /api/v1/organizations/:orgId/invitations': { email: 'intruder@example.com', role: 'owner' },
        'POST /api/v1/organizations/:orgId/clients': { name: 'intruder' },
        'POST /api/v1/organizations/:orgId/sites': { hostname: 'intruder.example.com' },
        'PATCH /api/v1/sites/:siteId': { name: 'Hijacked', public: true },
        'PUT /api/v1/sites/:siteId/hostnames': { hostnames: ['intruder.example.com'] },
        'POST /api/v1/sites/:siteId/data/delete': { from: '2020-01-01', to: '2030-01-01' },
        'POST /api/v1/sites/:siteId/filters': { type: 'path', value: '/x' },
        'POST /api/v1/sites/:siteId/access-links': { description: 'leak' },
        'POST /api/v1/sites/:siteId/email-reports': { email: stranger.email, interval: 'daily' },
        'PATCH /api/v1/sites/:siteId/email-reports/:id': { interval: 'daily' },
      };
      return {
        path: fill(route.path),
        body: bodies[key] ?? (route.method === 'GET' || route.method === 'DELETE' ? undefined : {}),
      };
    };

    const tenantRoutes = routes.filter((r) => !SELF_ROUTES.has(`${r.method} ${r.path}`));
    expect(tenantRoutes.length).toBeGreaterThan(35);
    const foreignAnswers: string[] = [];
    const viewerAnswers: string[] = [];
    for (const route of tenantRoutes) {
      const key = `${route.method} ${route.path}`;
      const { path, body } = requestFor(route);
      const asForeign = await foreign.request(route.method, path, body);
      foreignAnswers.push(`${key} → ${asForeign.status}`);
      if (key === 'POST /api/v1/organizations/:orgId/leave') continue; // a viewer may leave; tested with members
      const asViewer = await member.request(route.method, path, body);
      // Billing is for owners and admins; a viewer is not even told it exists.
      const expected = key.includes('/billing') ? 404 : route.method === 'GET' && !ADMIN_READS.has(key) ? 200 : 403;
      viewerAnswers.push(`${key} → ${asViewer.status === expected ? 'ok' : asViewer.status}`);
    }
    expect(foreignAnswers).toEqual(tenantRoutes.map((r) => `${r.method} ${r.path} → 404`));
    expect(
      viewerAnswers.every((a) => a.endsWith('→ ok')),
      viewerAnswers.filter((a) => !a.endsWith('→ ok')).join('\n'),
    ).toBe(true);

    // Nothing changed on the victim's side.
    const after = await ctx.db.query('SELECT name, public FROM site WHERE id = $1', [site.id]);
    expect(after.rows).toEqual([{ name: 'victim.example.com', public: false }]);
    const orgName = await ctx.db.query('SELECT name FROM organization WHERE id = $1', [owner.organizationId]);
    expect(orgName.rows[0].name).toBe('Personal');
    const counts = await ctx.db.query(
      `SELECT (SELECT count(*) FROM goal WHERE site_id = $1)::int AS goals, (SELECT count(*) FROM funnel WHERE site_id = $1)::int AS funnels,
              (SELECT count(*) FROM annotation WHERE site_id = $1)::int AS annotations,
              (SELECT count(*) FROM access_link WHERE site_id = $1 AND revoked_at IS NULL)::int AS links,
              (SELECT count(*) FROM api_client WHERE organization_id = $2 AND revoked_at IS NULL)::int AS clients,
              (SELECT count(*) FROM organization_member WHERE organization_id = $2)::int AS members`,
      [site.id, owner.organizationId],
    );
    expect(counts.rows[0]).toEqual({ goals: 1, funnels: 1, annotations: 1, links: 1, clients: 1, members: 2 });
  });
});

/** Ids as they arrive from a URL: not a number, negative, zero, fractional, past the bigint range. */
const MALFORMED_IDS = [
  'abc',
  '-1',
  '0',
  '1.5',
  '1e3',
  '99999999999999999999',
  '9223372036854775808',
  '9999999999999999999',
];

describe('malformed ids', () => {
  it('when any id in an accounts route is malformed, then the answer is a 4xx with a JSON error, never a 500', async () => {
    const ctx = createBackendAccounts(b.t.config, b.t.stores, b.t.log);
    const routes = accountRoutes(ctx);
    const owner = await seedUser(ctx.db);
    const site = await seedSite(ctx.db, owner.organizationId);
    const filter = await addTrafficFilter(ctx, owner.id, site.id, { type: 'path', value: '/keep' });
    const report = await addEmailReport(ctx, owner.id, site.id, { email: owner.email, interval: 'weekly' });
    const goal = await createGoal(ctx, owner.id, site.id, { name: 'Keep', path_pattern: '/keep' });
    await resetRateLimits(b);
    const browser = new Browser(b.server.url);
    expect((await browser.post('/api/v1/auth/login', { email: owner.email, password: SEED_PASSWORD })).status).toBe(
      200,
    );
    const sessionId = (await browser.get('/api/v1/account/sessions')).body[0].id as string;

    // Every other parameter names a real row of the caller's, so the malformed one is what is judged.
    const valid: Record<string, string> = {
      orgId: owner.organizationId,
      siteId: site.id,
      userId: owner.id,
      subdomain: 'nothing-here',
    };
    const validId: Record<string, string> = { sessions: sessionId, filters: filter.id, 'email-reports': report.id };
    const bodies: Record<string, unknown> = {
      'PUT /api/v1/organizations/:orgId/members/:userId': { role: 'viewer' },
      'PATCH /api/v1/organizations/:orgId': { name: 'Renamed' },
      'PATCH /api/v1/sites/:siteId': { name: 'Renamed' },
      'PUT /api/v1/sites/:siteId/hostnames': { hostnames: [] },
      'PATCH /api/v1/sites/:siteId/email-reports/:id': { interval: 'daily' },
      'POST /api/v1/sites/:siteId/data/delete': { from: '2020-01-01', to: '2020-01-02' },
      'POST /api/v1/sites/:siteId/filters': { type: 'path', value: '/x' },
      'POST /api/v1/sites/:siteId/email-reports': { email: owner.email, interval: 'daily' },
      'POST /api/v1/organizations/:orgId/sites': { hostname: 'never.example.com' },
    };
    const requests: { label: string; method: string; path: string; body?: unknown }[] = [];
    for (const route of routes) {
      const key = `${route.method} ${route.path}`;
      const params = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
      for (const bad of params.filter((p) => p !== 'subdomain')) {
        for (const value of MALFORMED_IDS) {
          const path = route.path.replace(/\/([a-z-]+)\/:(\w+)/g, (_all, segment: string, param: string) => {
            const filled = param === bad ? value : (valid[param] ?? validId[segment] ?? '1');
            return `/${segment}/${encodeURIComponent(filled)}`;
          });
          requests.push({
            label: `${key} with ${bad}=${value}`,
            method: route.method,
            path,
            body: bodies[key] ?? (route.method === 'GET' || route.method === 'DELETE' ? undefined : {}),
          });
        }
      }
    }
    // Pirsch-style routes take their ids in the query string or the body.
    for (const value of MALFORMED_IDS) {
      const id = encodeURIComponent(value);
      for (const what of ['goal', 'funnel']) {
        requests.push({ label: `GET ${what}?id=${value}`, method: 'GET', path: `/api/v1/${what}?id=${id}` });
        requests.push({ label: `DELETE ${what}?id=${value}`, method: 'DELETE', path: `/api/v1/${what}?id=${id}` });
        requests.push({
          label: `PUT ${what} id=${value}`,
          method: 'PUT',
          path: `/api/v1/${what}`,
          body: { id: value, name: 'x', path_pattern: '/x' },
        });
        requests.push({
          label: `POST ${what} domain_id=${value}`,
          method: 'POST',
          path: `/api/v1/${what}`,
          body: { domain_id: value, name: 'x', path_pattern: '/x' },
        });
      }
      requests.push({
        label: `GET account audit-log?before=${value}`,
        method: 'GET',
        path: `/api/v1/account/audit-log?before=${id}`,
      });
      requests.push({
        label: `GET org audit-log?before=${value}`,
        method: 'GET',
        path: `/api/v1/organizations/${owner.organizationId}/audit-log?before=${id}`,
      });
      requests.push({ label: `GET domain?id=${value}`, method: 'GET', path: `/api/v1/domain?id=${id}` });
    }
    expect(requests.length).toBeGreaterThan(300);

    const wrong: string[] = [];
    for (const r of requests) {
      const reply = await browser.request(r.method, r.path, r.body);
      // The Pirsch-shaped /domain answers errors as a list; a malformed page cursor just means the first page.
      const fine =
        (reply.status >= 400 && reply.status < 500 && reply.body?.error !== undefined) ||
        (r.label.includes('audit-log') && reply.status === 200);
      if (!fine) wrong.push(`${r.label} → ${reply.status} ${JSON.stringify(reply.body)}`);
    }
    expect(wrong).toEqual([]);

    // Nothing of the caller's was touched along the way.
    expect((await browser.get('/api/v1/account')).status).toBe(200);
    expect((await browser.get(`/api/v1/sites/${site.id}/filters`)).body).toHaveLength(1);
    expect((await browser.get(`/api/v1/sites/${site.id}/email-reports`)).body).toMatchObject([
      { id: report.id, interval: 'weekly' },
    ]);
    expect((await browser.get(`/api/v1/goal?id=${site.id}`)).body).toMatchObject([{ id: goal.id }]);
  });
});
