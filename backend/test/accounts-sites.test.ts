import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { emailReportsOfSite, SITE_SETTINGS_CHANNEL } from '@spur/accounts';
import { seedMember, seedUser } from '@spur/accounts/testing';
import {
  Browser,
  resetRateLimits,
  signUpAndLogin,
  startAccountsBackend,
  type AccountsBackend,
} from './accounts-client.ts';

let b: AccountsBackend;
let owner: Browser;
let orgId: string;
beforeAll(async () => {
  b = await startAccountsBackend();
  owner = await signUpAndLogin(b, 'owner@sites.example');
  orgId = (await owner.get('/api/v1/organizations')).body[0].id;
});
afterAll(async () => {
  await b?.close();
});
beforeEach(async () => {
  await resetRateLimits(b);
});

const CHROME =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

async function newSite(hostname: string, extra: Record<string, unknown> = {}) {
  const created = await owner.post(`/api/v1/organizations/${orgId}/sites`, { hostname, ...extra });
  expect(created.status).toBe(201);
  return created.body as { id: string; hostname: string; identification_code: string; timezone: string };
}

describe('sites', () => {
  it('when a site is created from a pasted URL, then the hostname is normalised and it gets a 32-character identification code', async () => {
    const site = await newSite('https://WWW.Shop.Example.com/checkout?x=1', { timezone: 'Europe/Berlin' });
    expect(site).toMatchObject({
      hostname: 'www.shop.example.com',
      name: 'www.shop.example.com',
      timezone: 'Europe/Berlin',
      public: false,
      subdomain: null,
      hostnames: [],
    });
    expect(site.identification_code).toMatch(/^[A-Za-z0-9]{32}$/);
    const duplicate = await owner.post(`/api/v1/organizations/${orgId}/sites`, { hostname: 'www.shop.example.com' });
    expect(duplicate.status).toBe(409);
    const bad = await owner.post(`/api/v1/organizations/${orgId}/sites`, { hostname: 'localhost' });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('hostname');
    const zone = await owner.post(`/api/v1/organizations/${orgId}/sites`, {
      hostname: 'tz.example.com',
      timezone: 'Mars/Base',
    });
    expect(zone.body.field).toBe('timezone');
    // Only zones ClickHouse can load, spelled its way (issue 13): statistics pass the site's zone to it.
    for (const timezone of ['US/Pacific-New', 'SystemV/AST4']) {
      const refused = await owner.post(`/api/v1/organizations/${orgId}/sites`, {
        hostname: 'tz.example.com',
        timezone,
      });
      expect([refused.status, refused.body.field]).toEqual([400, 'timezone']);
    }
    expect((await newSite('tz-case.example.com', { timezone: 'europe/berlin' })).timezone).toBe('Europe/Berlin');

    const snippet = await owner.get(`/api/v1/sites/${site.id}/snippet`);
    expect(snippet.body).toEqual({
      snippet: `<script defer src="${b.t.config.backendUrl}/spur.js" data-code="${site.identification_code}"></script>`,
    });
  });

  it('when settings change, then rename, time zone, alternative hostnames and the public subdomain are stored and validated', async () => {
    const site = await newSite('blog.example.org');
    const patched = await owner.patch(`/api/v1/sites/${site.id}`, {
      name: 'My blog',
      timezone: 'America/New_York',
      public: true,
      subdomain: 'My-Blog',
    });
    expect(patched.body).toMatchObject({
      name: 'My blog',
      timezone: 'America/New_York',
      public: true,
      subdomain: 'my-blog',
    });
    const hostnames = await owner.put(`/api/v1/sites/${site.id}/hostnames`, {
      hostnames: ['https://www.blog.example.org/', 'blog.example.org', 'staging.blog.example.org'],
    });
    expect(hostnames.body.hostnames).toEqual(['staging.blog.example.org', 'www.blog.example.org']);
    expect((await owner.patch(`/api/v1/sites/${site.id}`, { subdomain: 'api' })).body.field).toBe('subdomain');
    const other = await newSite('other.example.org');
    expect((await owner.patch(`/api/v1/sites/${other.id}`, { subdomain: 'my-blog' })).status).toBe(409);

    const anon = new Browser(b.server.url);
    expect((await anon.get('/api/v1/public/my-blog')).body).toEqual({
      site: {
        id: site.id,
        hostname: 'blog.example.org',
        name: 'My blog',
        timezone: 'America/New_York',
        kind: 'site',
        logo_url: null,
      },
    });
    // Hostile names find nothing, with the same 404 (a NUL byte was a 500).
    for (const name of ['%00', 'MY-BLOG%00', 'constructor', 'a'.repeat(300)])
      expect((await anon.get(`/api/v1/public/${name}`)).status).toBe(404);
    expect((await anon.get('/api/v1/public/MY-BLOG')).status).toBe(200);
    await owner.patch(`/api/v1/sites/${site.id}`, { public: false });
    expect((await anon.get('/api/v1/public/my-blog')).status).toBe(404);
  });

  it('when the identification code is regenerated, then the old one stops identifying the site and ingest nodes are told', async () => {
    const site = await newSite('regen.example.com');
    const subscriber = b.t.stores.redis.duplicate();
    const messages: string[] = [];
    subscriber.on('message', (_channel: string, message: string) => messages.push(message));
    await subscriber.subscribe(SITE_SETTINGS_CHANNEL);
    const regenerated = await owner.post(`/api/v1/sites/${site.id}/identification-code`);
    expect(regenerated.body.identification_code).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(regenerated.body.identification_code).not.toBe(site.identification_code);
    const old = await fetch(`${b.server.url}/api/v1/hit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': CHROME },
      body: JSON.stringify({ identification_code: site.identification_code, url: 'https://regen.example.com/' }),
    });
    expect(old.status).toBe(404);
    await expect.poll(() => messages).toEqual([site.id]);
    subscriber.disconnect();
  });
});

describe('traffic filters', () => {
  it('when filters are added, then values are validated and normalised and the ingest pipeline drops matching hits within seconds', async () => {
    const site = await newSite('filtered.example.com');
    const hit = (path: string) =>
      fetch(`${b.server.url}/api/v1/hit`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': CHROME },
        body: JSON.stringify({
          identification_code: site.identification_code,
          url: `https://filtered.example.com${path}`,
        }),
      });
    expect((await hit('/admin/warm-the-cache')).status).toBe(202);

    const add = (type: string, value: string) => owner.post(`/api/v1/sites/${site.id}/filters`, { type, value });
    expect((await add('ip', '2001:DB8::/32')).body).toMatchObject({ type: 'ip', value: '2001:db8::/32' });
    expect((await add('ip', '203.0.113.7')).body.value).toBe('203.0.113.7');
    expect((await add('country', 'de')).body.value).toBe('DE');
    expect((await add('path', '/admin/*')).status).toBe(201);
    expect((await add('path', '/admin/*')).status).toBe(409);
    for (const [type, value] of [
      ['ip', '10.0.0.0/33'],
      ['ip', 'not-an-ip'],
      ['country', 'Germany'],
      ['path', 'admin'],
    ]) {
      const refused = await add(type!, value!);
      expect([refused.status, refused.body.field], `${type} ${value}`).toEqual([400, 'value']);
    }
    const listed = await owner.get(`/api/v1/sites/${site.id}/filters`);
    expect(listed.body.map((f: { type: string; value: string }) => `${f.type}:${f.value}`)).toEqual([
      'country:DE',
      'ip:2001:db8::/32',
      'ip:203.0.113.7',
      'path:/admin/*',
    ]);

    const droppedByPath = async () => {
      await hit('/admin/settings');
      const metrics = await (await fetch(`${b.server.url}/metrics`)).text();
      return Number(/ingest_requests_total\{[^}]*reason="filtered_path"[^}]*\} (\d+)/.exec(metrics)?.[1] ?? 0);
    };
    await expect.poll(droppedByPath, { timeout: 3_000, interval: 100 }).toBeGreaterThan(0);

    const pathFilter = listed.body.find((f: { type: string }) => f.type === 'path');
    expect((await owner.delete(`/api/v1/sites/${site.id}/filters/${pathFilter.id}`)).status).toBe(204);
    expect((await owner.delete(`/api/v1/sites/${site.id}/filters/${pathFilter.id}`)).status).toBe(404);
  });
});

describe('hostname shield', () => {
  it('when the owner narrows or widens the allowed hostnames, then the list is validated, shown with what it allows, and the filter settings show dropped requests by reason (issue 13)', async () => {
    const site = await newSite('shielded.example.com');
    await owner.put(`/api/v1/sites/${site.id}/hostnames`, { hostnames: ['shielded.example.org'] });
    const path = `/api/v1/sites/${site.id}/allowed-hostnames`;
    expect((await owner.get(path)).body).toEqual({
      hostnames: [],
      effective: ['shielded.example.com', '*.shielded.example.com', 'shielded.example.org', '*.shielded.example.org'],
      default: true,
    });
    const set = await owner.put(path, { hostnames: ['*.Shielded.Example.com', 'partner.example', 'partner.example'] });
    expect([set.status, set.body]).toEqual([
      200,
      {
        hostnames: ['*.shielded.example.com', 'partner.example'],
        effective: ['*.shielded.example.com', 'partner.example'],
        default: false,
      },
    ]);
    const bad = await owner.put(path, { hostnames: ['ok.example', 'not a host'] });
    expect([bad.status, bad.body.field]).toEqual([400, 'hostnames.1']);
    expect((await owner.get(path)).body.hostnames).toEqual(['*.shielded.example.com', 'partner.example']);
    expect((await owner.put(path, { hostnames: [] })).body.default).toBe(true);

    // What ingest recorded as not counted (the request table), by reason, over the last 30 days.
    const now = new Date();
    const row = (reason: string, daysAgo: number) => ({
      site_id: site.id,
      time: new Date(now.getTime() - daysAgo * 86_400_000).toISOString().replace('T', ' ').slice(0, 23),
      reason,
      hostname: 'copy.example',
      path: '/',
      user_agent: '',
      referrer: '',
    });
    await b.t.stores.clickhouse.client.insert({
      table: 'request',
      values: [
        row('hostname_not_allowed', 0),
        row('hostname_not_allowed', 2),
        row('filtered_ip', 1),
        row('hostname_not_allowed', 40),
      ],
      format: 'JSONEachRow',
    });
    expect((await owner.get(`/api/v1/sites/${site.id}/dropped-requests`)).body).toEqual({
      days: 30,
      reasons: [
        { reason: 'hostname_not_allowed', count: 2 },
        { reason: 'filtered_ip', count: 1 },
      ],
    });
  });
});

describe('access links', () => {
  it('when a password-protected link is shared, then only the right password opens it, the grant reads that site only, and revocation ends it', async () => {
    const site = await newSite('shared.example.com');
    const otherSite = await newSite('private.example.com');
    const created = await owner.post(`/api/v1/sites/${site.id}/access-links`, {
      description: 'investors',
      password: 'open-sesame',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ description: 'investors', password_protected: true, expires_at: null });
    expect(created.body.url).toBe(`http://app.spur.test/share/${created.body.token}`);
    const listed = await owner.get(`/api/v1/sites/${site.id}/access-links`);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.token);

    const visitor = new Browser(b.server.url);
    expect((await visitor.post('/api/v1/share', { token: created.body.token })).status).toBe(401);
    expect((await visitor.post('/api/v1/share', { token: created.body.token, password: 'wrong' })).status).toBe(401);
    // The bare token of a protected link is no credential.
    expect((await visitor.get('/api/v1/share', { 'x-access-link': created.body.token })).status).toBe(401);
    const opened = await visitor.post('/api/v1/share', { token: created.body.token, password: 'open-sesame' });
    expect(opened.status).toBe(200);
    expect(opened.body.grant).toMatch(/^al_\d+\.\d+\.[\w-]{43}$/);
    const grant = { 'x-access-link': opened.body.grant };
    expect((await visitor.get('/api/v1/share', grant)).body.site).toEqual({
      id: site.id,
      hostname: 'shared.example.com',
      name: 'shared.example.com',
      timezone: 'UTC',
      kind: 'site',
      logo_url: null,
    });
    expect((await visitor.get(`/api/v1/goal?id=${site.id}`, grant)).status).toBe(200);
    expect((await visitor.get(`/api/v1/goal?id=${otherSite.id}`, grant)).status).toBe(404);
    // A forged grant (other link id, same MAC) is refused.
    const forged = opened.body.grant.replace(/^al_\d+/, `al_${Number(created.body.id) + 1}`);
    expect((await visitor.get('/api/v1/share', { 'x-access-link': forged })).status).toBe(401);

    expect((await owner.delete(`/api/v1/sites/${site.id}/access-links/${created.body.id}`)).status).toBe(204);
    expect((await visitor.get('/api/v1/share', grant)).status).toBe(401);
    expect((await visitor.post('/api/v1/share', { token: created.body.token, password: 'open-sesame' })).status).toBe(
      404,
    );
  });

  it('when a link has no password, then its token is the credential until it expires', async () => {
    const site = await newSite('open.example.com');
    const soon = new Date(Date.now() + 60_000).toISOString();
    const created = await owner.post(`/api/v1/sites/${site.id}/access-links`, { expires_at: soon });
    const visitor = new Browser(b.server.url);
    expect((await visitor.post('/api/v1/share', { token: created.body.token })).body.grant).toBe(created.body.token);
    expect((await visitor.get('/api/v1/share', { 'x-access-link': created.body.token })).status).toBe(200);
    await b.t.stores.postgres.pool.query(
      "UPDATE access_link SET expires_at = now() - interval '1 second' WHERE id = $1",
      [created.body.id],
    );
    expect((await visitor.get('/api/v1/share', { 'x-access-link': created.body.token })).status).toBe(401);
    expect(
      (await owner.post(`/api/v1/sites/${site.id}/access-links`, { expires_at: '2001-01-01T00:00:00Z' })).body.field,
    ).toBe('expires_at');
  });
});

describe('goals, funnels and email reports', () => {
  it('when goals are managed at the Pirsch paths, then exactly one trigger is required and the shape is Pirsch-like', async () => {
    const site = await newSite('goals.example.com');
    const created = await owner.post('/api/v1/goal', {
      domain_id: site.id,
      name: 'Signed up',
      path_pattern: '/welcome/**',
      visitor_goal: 100,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      domain_id: site.id,
      name: 'Signed up',
      path_pattern: '/welcome/**',
      pattern: '',
      event_name: '',
      visitor_goal: 100,
      cr_goal: null,
    });
    const both = await owner.post('/api/v1/goal', {
      domain_id: site.id,
      name: 'x',
      path_pattern: '/a',
      event_name: 'b',
    });
    expect([both.status, both.body.field]).toEqual([400, 'path_pattern']);
    expect((await owner.post('/api/v1/goal', { domain_id: site.id, name: 'x', pattern: '([' })).body.field).toBe(
      'pattern',
    );
    const updated = await owner.put('/api/v1/goal', {
      id: created.body.id,
      name: 'Purchase',
      event_name: 'purchase',
      custom_metric_key: 'amount',
      custom_metric_type: 'float',
    });
    expect(updated.body).toMatchObject({
      id: created.body.id,
      name: 'Purchase',
      path_pattern: '',
      event_name: 'purchase',
      custom_metric_type: 'float',
    });
    expect((await owner.get(`/api/v1/goal?id=${site.id}`)).body.map((g: { name: string }) => g.name)).toEqual([
      'Purchase',
    ]);
    expect((await owner.delete(`/api/v1/goal?id=${created.body.id}`)).status).toBe(204);
    expect((await owner.get(`/api/v1/goal?id=${site.id}`)).body).toEqual([]);
  });

  it('when a goal or funnel step pattern is valid JavaScript but not RE2, then it is refused naming the field; RE2-only syntax is taken (issue 13)', async () => {
    const site = await newSite('re2.example.com');
    const goal = (pattern: string) => owner.post('/api/v1/goal', { domain_id: site.id, name: 'g', pattern });
    const lookahead = await goal('^/(?=pricing)');
    expect([lookahead.status, lookahead.body]).toEqual([
      400,
      { error: 'pattern: must be an RE2 regular expression (invalid perl operator: (?=)', field: 'pattern' },
    ]);
    expect([(await goal('(a)\\1')).status, (await goal('(a)\\1')).body.field]).toEqual([400, 'pattern']);
    // Named groups in RE2's spelling and inline flags: RE2 compiles them, JavaScript does not.
    expect((await goal('^/(?P<section>blog|docs)/')).status).toBe(201);
    expect((await goal('(?i)^/PRICING$')).status).toBe(201);
    const created = (await goal('^/ok$')).body;
    const update = await owner.put('/api/v1/goal', { id: created.id, name: 'g', pattern: '(?!x)' });
    expect([update.status, update.body.field]).toEqual([400, 'pattern']);

    const steps = (pattern: string | string[]) => [
      { name: 'Any', filter: { path: '/a' } },
      { name: 'Bad', filter: { pattern } },
    ];
    const funnel = await owner.post('/api/v1/funnel', { domain_id: site.id, name: 'f', steps: steps('(?=x)') });
    expect([funnel.status, funnel.body]).toEqual([
      400,
      {
        error: 'steps.1.filter.pattern: must be an RE2 regular expression (invalid perl operator: (?=)',
        field: 'steps.1.filter.pattern',
      },
    ]);
    // `!` negates; what follows it must compile too.
    const negated = await owner.post('/api/v1/funnel', {
      domain_id: site.id,
      name: 'f',
      steps: steps(['^/a', '!(?<=b)']),
    });
    expect([negated.status, negated.body.field]).toEqual([400, 'steps.1.filter.pattern']);
    expect((await owner.post('/api/v1/funnel', { domain_id: site.id, name: 'f', steps: steps('!^/b') })).status).toBe(
      201,
    );
  });

  it('when another organization addresses goals and funnels by id, then it gets exactly the answer an unknown id gets (issue 13)', async () => {
    const site = await newSite('tenancy-goals.example.com');
    const goal = (await owner.post('/api/v1/goal', { domain_id: site.id, name: 'g', path_pattern: '/g' })).body;
    const steps = [
      { name: 'A', filter: { path: '/a' } },
      { name: 'B', filter: { path: '/b' } },
    ];
    const funnel = (await owner.post('/api/v1/funnel', { domain_id: site.id, name: 'f', steps })).body;
    const stranger = await signUpAndLogin(b, 'stranger@goals.example');
    for (const [kind, id, body] of [
      ['goal', goal.id, { name: 'x', path_pattern: '/x' }],
      ['funnel', funnel.id, { name: 'x', steps }],
    ] as const) {
      const unknown = [
        await stranger.put(`/api/v1/${kind}`, { id: '987654321', ...body }),
        await stranger.delete(`/api/v1/${kind}?id=987654321`),
      ];
      const foreign = [
        await stranger.put(`/api/v1/${kind}`, { id, ...body }),
        await stranger.delete(`/api/v1/${kind}?id=${id}`),
      ];
      expect(foreign.map((r) => [r.status, r.body])).toEqual(unknown.map((r) => [r.status, r.body]));
      expect(foreign.map((r) => [r.status, r.body])).toEqual([
        [404, { error: `${kind} not found` }],
        [404, { error: `${kind} not found` }],
      ]);
    }
    expect((await owner.get(`/api/v1/goal?id=${site.id}`)).body).toHaveLength(1);
  });

  it('when funnels are managed, then they keep 2-8 ordered steps', async () => {
    const site = await newSite('funnels.example.com');
    const steps = [
      { name: 'Pricing', filter: { path: '/pricing' } },
      { name: 'Sign-up', filter: { event: 'signup', event_meta_plan: 'pro' } },
      { name: 'Paid', filter: { path: ['/thanks', '/danke'] } },
    ];
    const created = await owner.post('/api/v1/funnel', { domain_id: site.id, name: 'Conversion', steps });
    expect(created.status).toBe(201);
    expect(
      created.body.steps.map((s: { step: number; name: string; filter: unknown }) => [s.step, s.name, s.filter]),
    ).toEqual([
      [1, 'Pricing', { path: '/pricing' }],
      [2, 'Sign-up', { event: 'signup', event_meta_plan: 'pro' }],
      [3, 'Paid', { path: ['/thanks', '/danke'] }],
    ]);
    expect(
      (await owner.post('/api/v1/funnel', { domain_id: site.id, name: 'One', steps: steps.slice(0, 1) })).body.field,
    ).toBe('steps');
    const reordered = await owner.put('/api/v1/funnel', {
      id: created.body.id,
      name: 'Short',
      steps: [steps[2], steps[0]],
    });
    expect(reordered.body.steps.map((s: { name: string }) => s.name)).toEqual(['Paid', 'Pricing']);
    expect((await owner.get(`/api/v1/funnel?id=${site.id}`)).body).toHaveLength(1);
    expect((await owner.delete(`/api/v1/funnel?id=${created.body.id}`)).status).toBe(204);
  });

  it('when an email report is added, then only members of the organization may receive it', async () => {
    const site = await newSite('reports.example.com');
    const added = await owner.post(`/api/v1/sites/${site.id}/email-reports`, {
      email: 'Owner@Sites.Example',
      interval: 'weekly',
    });
    expect(added.body).toMatchObject({ email: 'owner@sites.example', interval: 'weekly', last_sent_at: null });
    expect(
      (await owner.post(`/api/v1/sites/${site.id}/email-reports`, { email: 'stranger@example.com', interval: 'daily' }))
        .body.field,
    ).toBe('email');
    expect(
      (await owner.post(`/api/v1/sites/${site.id}/email-reports`, { email: 'owner@sites.example', interval: 'weekly' }))
        .status,
    ).toBe(409);
    expect((await owner.get(`/api/v1/sites/${site.id}/email-reports`)).body).toHaveLength(1);
  });

  it('when a report interval is changed, then it moves without losing its id, clashes are refused, and the audit log has every step', async () => {
    const site = await newSite('interval.example.com');
    const path = `/api/v1/sites/${site.id}/email-reports`;
    const weekly = (await owner.post(path, { email: 'owner@sites.example', interval: 'weekly' })).body;
    await owner.post(path, { email: 'owner@sites.example', interval: 'daily' });

    const changed = await owner.patch(`${path}/${weekly.id}`, { interval: 'monthly' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      id: weekly.id,
      site_id: site.id,
      email: 'owner@sites.example',
      interval: 'monthly',
    });
    const clash = await owner.patch(`${path}/${weekly.id}`, { interval: 'daily' });
    expect([clash.status, clash.body.field]).toEqual([409, 'interval']);
    expect((await owner.patch(`${path}/${weekly.id}`, { interval: 'hourly' })).body.field).toBe('interval');
    expect((await owner.patch(`${path}/999999`, { interval: 'daily' })).status).toBe(404);
    expect((await owner.get(path)).body.map((r: { interval: string }) => r.interval)).toEqual(['daily', 'monthly']);

    expect((await owner.delete(`${path}/${weekly.id}`)).status).toBe(204);
    const log = (await owner.get(`/api/v1/organizations/${orgId}/audit-log`)).body as {
      action: string;
      actor_email: string;
      details: Record<string, unknown>;
    }[];
    const ofSite = log.filter((e) => e.details.site_id === site.id && e.action.startsWith('site.email_report'));
    expect(ofSite.map((e) => [e.action, e.details])).toEqual([
      ['site.email_report_removed', { site_id: site.id, email: 'owner@sites.example', interval: 'monthly' }],
      ['site.email_report_changed', { site_id: site.id, email: 'owner@sites.example', from: 'weekly', to: 'monthly' }],
      ['site.email_report_added', { site_id: site.id, email: 'owner@sites.example', interval: 'daily' }],
      ['site.email_report_added', { site_id: site.id, email: 'owner@sites.example', interval: 'weekly' }],
    ]);
    expect(ofSite.every((e) => e.actor_email === 'owner@sites.example')).toBe(true);
  });

  it('when a recipient stops being a member, then the report job no longer gets their report', async () => {
    const db = b.t.stores.postgres.pool;
    const site = await newSite('leaver.example.com');
    const colleague = await seedUser(db);
    await seedMember(db, orgId, colleague.id, 'viewer');
    const path = `/api/v1/sites/${site.id}/email-reports`;
    expect((await owner.post(path, { email: colleague.email, interval: 'daily' })).status).toBe(201);
    expect((await owner.post(path, { email: 'owner@sites.example', interval: 'daily' })).status).toBe(201);
    expect((await emailReportsOfSite(db, site.id)).map((r) => r.email).sort()).toEqual(
      [colleague.email, 'owner@sites.example'].sort(),
    );

    expect((await owner.delete(`/api/v1/organizations/${orgId}/members/${colleague.id}`)).status).toBe(204);
    expect((await emailReportsOfSite(db, site.id)).map((r) => r.email)).toEqual(['owner@sites.example']);
    expect((await owner.get(path)).body.map((r: { email: string }) => r.email)).toEqual(['owner@sites.example']);
    // Membership of some other organization does not count.
    const elsewhere = await seedUser(db, { email: colleague.email.replace('@', '+x@') });
    await db.query('UPDATE email_report SET email = $2 WHERE site_id = $1 AND email = $3', [
      site.id,
      elsewhere.email,
      colleague.email,
    ]);
    expect((await emailReportsOfSite(db, site.id)).map((r) => r.email)).toEqual(['owner@sites.example']);
  });
});

describe('deleting statistics', () => {
  const ch = () => b.t.stores.clickhouse.client;
  const rowsOf = async (table: string, siteId: string) => {
    const result = await ch().query({
      query: `SELECT count() AS n FROM ${table} WHERE site_id = {s:UInt64}`,
      query_params: { s: siteId },
      format: 'JSONEachRow',
    });
    return Number((await result.json<{ n: string }>())[0]!.n);
  };
  /** One visit (session, page view and event) per UTC timestamp (a bare date means noon). */
  async function seedStatistics(siteId: string, times: string[]) {
    for (const [index, when] of times.entries()) {
      const time = when.length === 10 ? `${when} 12:00:00.000` : `${when}:00.000`;
      const session_id = index + 1;
      await ch().insert({
        table: 'page_view',
        values: [{ site_id: siteId, visitor_id: '1', session_id, time, path: '/' }],
        format: 'JSONEachRow',
      });
      await ch().insert({
        table: 'event',
        values: [{ site_id: siteId, visitor_id: '1', session_id, time, event_name: 'e' }],
        format: 'JSONEachRow',
      });
      await ch().insert({
        table: 'session',
        values: [{ sign: 1, version: 1, site_id: siteId, visitor_id: '1', session_id, start: time, time }],
        format: 'JSONEachRow',
      });
    }
  }

  it('when the data of a period is deleted, then exactly those days go, in the site time zone, and other sites keep theirs', async () => {
    const site = await newSite('period.example.com', { timezone: 'Europe/Berlin' });
    const neighbour = await newSite('neighbour.example.com');
    // 23:30 UTC is already the next day in Berlin (UTC+1 in March).
    await seedStatistics(site.id, ['2026-03-01', '2026-03-01 23:30', '2026-03-02', '2026-03-02 23:30', '2026-03-03']);
    await seedStatistics(neighbour.id, ['2026-03-02']);
    const response = await owner.post(`/api/v1/sites/${site.id}/data/delete`, { from: '2026-03-02', to: '2026-03-02' });
    expect(response.status).toBe(200);
    expect(response.body.tables).toEqual(expect.arrayContaining(['event', 'page_view', 'request', 'session']));
    for (const table of ['page_view', 'event', 'session']) {
      expect(await rowsOf(table, site.id), table).toBe(3);
      expect(await rowsOf(table, neighbour.id), table).toBe(1);
    }
    expect(
      (await owner.post(`/api/v1/sites/${site.id}/data/delete`, { from: '2026-03-05', to: '2026-03-01' })).body.field,
    ).toBe('to');
  });

  it('when a site is deleted, then its settings and all its statistics go with it', async () => {
    const site = await newSite('gone.example.com');
    await seedStatistics(site.id, ['2026-01-10', '2026-02-10']);
    await owner.post('/api/v1/goal', { domain_id: site.id, name: 'g', path_pattern: '/g' });
    expect((await owner.delete(`/api/v1/sites/${site.id}`)).status).toBe(204);
    for (const table of ['page_view', 'event', 'session']) expect(await rowsOf(table, site.id), table).toBe(0);
    expect((await owner.get(`/api/v1/sites/${site.id}`)).status).toBe(404);
    const { rows } = await b.t.stores.postgres.pool.query('SELECT count(*)::int AS n FROM goal WHERE site_id = $1', [
      site.id,
    ]);
    expect(rows[0].n).toBe(0);
    const audit = await owner.get(`/api/v1/organizations/${orgId}/audit-log`);
    expect(audit.body[0]).toMatchObject({
      action: 'site.deleted',
      actor_email: 'owner@sites.example',
      details: { site_id: site.id },
    });
  });
});
