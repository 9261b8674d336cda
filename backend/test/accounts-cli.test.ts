import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClickHouse, type ClickHouse } from '@spur/storage';
import { query } from '@spur/testkit';
import { Browser, startAccountsBackend, type AccountsBackend } from './accounts-client.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

let b: AccountsBackend;
beforeAll(async () => {
  b = await startAccountsBackend();
});
afterAll(async () => {
  await b?.close();
});

/**
 * Runs `npm run cli -- …` the way an operator would (same script, real process), against the test
 * database. Its DATA_DIR is the test's, so deleting commands open the test's ClickHouse: chdb binds
 * a data dir to one process, so the test lets go of it first (`releaseClickHouse`) — a CLI that
 * opened an empty chdb of its own would "delete" statistics that were never there.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CLI output is checked field by field
async function cli(...args: string[]): Promise<{ code: number; json: any }> {
  const env = {
    PATH: process.env.PATH,
    NODE_ENV: 'test',
    DATABASE_URL: b.t.postgresUrl,
    REDIS_URL: b.t.redisUrl,
    DATA_DIR: b.t.dataDir,
  };
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', ...args], { cwd: root, env });
    return { code: 0, json: JSON.parse(stdout) };
  } catch (error) {
    const e = error as { code: number; stderr: string };
    return { code: e.code, json: JSON.parse(e.stderr.trim().split('\n').at(-1)!) };
  }
}

const STATISTICS_TABLES = ['event', 'page_view', 'request', 'session'];

/** One row per statistics table for each site, like the flusher writes them. */
async function seedStatistics(ch: ClickHouse, siteIds: string[]): Promise<void> {
  const time = new Date().toISOString().replace('T', ' ').replace('Z', '');
  const visit = { visitor_id: '7', session_id: 1, time };
  const rows: Record<string, Record<string, unknown>[]> = {
    page_view: siteIds.map((site_id) => ({ site_id, ...visit, path: '/' })),
    event: siteIds.map((site_id) => ({ site_id, ...visit, path: '/', event_name: 'Signup' })),
    session: siteIds.map((site_id) => ({
      site_id,
      ...visit,
      sign: 1,
      version: 1,
      start: time,
      entry_path: '/',
      exit_path: '/',
      page_views: 1,
    })),
    request: siteIds.map((site_id) => ({ site_id, time, reason: 'bot', path: '/' })),
  };
  for (const [table, values] of Object.entries(rows)) await ch.client.insert({ table, values, format: 'JSONEachRow' });
}

/** `table:site` for every table that holds rows of these sites, read once no CLI holds chdb. */
async function statisticsOf(siteIds: string[]): Promise<string[]> {
  const ch = await openClickHouse({
    url: undefined,
    database: b.t.config.CLICKHOUSE_DATABASE,
    cluster: undefined,
    dataDir: path.join(b.t.dataDir, 'clickhouse'),
  });
  try {
    const found: string[] = [];
    for (const table of STATISTICS_TABLES) {
      const rows = await query<{ site_id: string }>(
        ch.client,
        `SELECT DISTINCT toString(site_id) AS site_id FROM ${table} WHERE has({ids:Array(String)}, toString(site_id))`,
        { ids: siteIds },
      );
      found.push(...rows.map((r) => `${table}:${r.site_id}`));
    }
    return found.sort();
  } finally {
    await ch.close();
  }
}
const cliDeletions = async () =>
  (
    await b.t.stores.postgres.pool.query(
      "SELECT action, organization_id, user_id, details FROM audit_log WHERE action IN ('site.deleted', 'organization.deleted', 'user.deleted') AND details->>'via' = 'cli' ORDER BY id",
    )
  ).rows;
const everywhere = (...siteIds: string[]) => STATISTICS_TABLES.flatMap((t) => siteIds.map((s) => `${t}:${s}`)).sort();

describe('admin CLI', () => {
  it('when an operator sets up a fresh install, then user, organization, site and API client are created and usable, and printed as JSON', async () => {
    const user = await cli('user:create', '--email', 'Operator@Example.com');
    expect(user.code).toBe(0);
    expect(user.json).toEqual({
      id: expect.any(String),
      email: 'operator@example.com',
      organization_id: expect.any(String),
      password: expect.stringMatching(/^[\w-]{20}$/),
    });
    const login = await new Browser(b.server.url).post('/api/v1/auth/login', {
      email: 'operator@example.com',
      password: user.json.password,
    });
    expect(login.status).toBe(200);

    const org = await cli('org:create', '--name', 'Acme', '--owner', 'operator@example.com');
    expect(org.json).toEqual({ id: expect.any(String), name: 'Acme', owner: 'operator@example.com' });
    const site = await cli(
      'site:create',
      '--org',
      org.json.id,
      '--hostname',
      'https://www.acme.example/',
      '--timezone',
      'Europe/Paris',
    );
    expect(site.json).toMatchObject({
      organization_id: org.json.id,
      hostname: 'www.acme.example',
      timezone: 'Europe/Paris',
    });
    expect(site.json.identification_code).toMatch(/^[A-Za-z0-9]{32}$/);
    const client = await cli('client:create', '--org', org.json.id, '--site', site.json.id, '--name', 'Importer');
    expect(client.json).toMatchObject({
      organization_id: org.json.id,
      site_id: site.json.id,
      type: 'client',
      name: 'Importer',
    });
    const key = await cli('client:create', '--org', org.json.id, '--type', 'access_key');
    expect(key.json.access_key).toMatch(/^pa_[A-Za-z0-9]{45}$/);

    const token = await new Browser(b.server.url).post('/api/v1/token', {
      client_id: client.json.client_id,
      client_secret: client.json.client_secret,
    });
    expect(token.status).toBe(200);
    expect(
      (
        await new Browser(b.server.url).get(`/api/v1/goal?id=${site.json.id}`, {
          authorization: `Bearer ${token.body.access_token}`,
        })
      ).body,
    ).toEqual([]);

    const clients = await cli('client:list', '--org', org.json.id);
    expect(clients.json.map((c: { name: string }) => c.name)).toEqual(['Importer', 'CLI']);
    expect(JSON.stringify(clients.json)).not.toContain(client.json.client_secret);
    const users = await cli('user:list');
    expect(users.json.find((u: { email: string }) => u.email === 'operator@example.com').organizations).toEqual([
      { id: user.json.organization_id, role: 'owner' },
      { id: org.json.id, role: 'owner' },
    ]);
    expect((await cli('org:list')).json.find((o: { id: string }) => o.id === org.json.id)).toMatchObject({
      name: 'Acme',
      members: 1,
      sites: 1,
    });
    expect((await cli('site:list', '--org', org.json.id)).json.map((s: { id: string }) => s.id)).toEqual([
      site.json.id,
    ]);

    expect((await cli('client:delete', '--org', org.json.id, '--id', client.json.id)).json).toEqual({
      id: client.json.id,
      revoked: true,
    });
    expect(
      (
        await new Browser(b.server.url).get(`/api/v1/goal?id=${site.json.id}`, {
          authorization: `Bearer ${token.body.access_token}`,
        })
      ).status,
    ).toBe(401);
  });

  it('when a password is reset from the CLI, then the old one and every session stop working', async () => {
    const created = await cli('user:create', '--email', 'forgetful@example.com', '--password', 'first-Secret-123');
    expect(created.json.password).toBeUndefined();
    const browser = new Browser(b.server.url);
    await browser.post('/api/v1/auth/login', { email: 'forgetful@example.com', password: 'first-Secret-123' });
    const reset = await cli('user:reset-password', '--email', 'forgetful@example.com');
    expect(reset.json).toEqual({ id: created.json.id, email: 'forgetful@example.com', password: expect.any(String) });
    expect((await browser.get('/api/v1/account')).status).toBe(401);
    expect(
      (
        await new Browser(b.server.url).post('/api/v1/auth/login', {
          email: 'forgetful@example.com',
          password: reset.json.password,
        })
      ).status,
    ).toBe(200);
  });

  it('when things are deleted from the CLI, then they and their statistics in ClickHouse are gone, other sites keep theirs, and the audit log says what went', async () => {
    const user = await cli('user:create', '--email', 'doomed@example.com');
    const personal = user.json.organization_id as string;
    const site = (await cli('site:create', '--org', personal, '--hostname', 'doomed.example')).json.id as string;
    const personalSite = (await cli('site:create', '--org', personal, '--hostname', 'doomed-personal.example')).json
      .id as string;
    const org = await cli('org:create', '--name', 'Ephemeral');
    expect(org.json.owner).toBeNull();
    const orgSite = (await cli('site:create', '--org', org.json.id, '--hostname', 'ephemeral.example')).json
      .id as string;
    const bystander = await cli('user:create', '--email', 'bystander@example.com');
    const kept = (await cli('site:create', '--org', bystander.json.organization_id, '--hostname', 'kept.example')).json
      .id as string;
    const all = [site, personalSite, orgSite, kept];
    await seedStatistics(b.t.stores.clickhouse, all);
    // From here on the CLI owns the chdb directory while it runs; the test reads it in between.
    await b.t.stores.clickhouse.close();
    expect(await statisticsOf(all)).toEqual(everywhere(...all));

    expect(await cli('site:delete', '--id', site)).toEqual({ code: 0, json: { id: site, deleted: true } });
    expect((await cli('site:list', '--org', personal)).json.map((s: { id: string }) => s.id)).toEqual([personalSite]);
    expect(await statisticsOf(all)).toEqual(everywhere(personalSite, orgSite, kept));
    expect(await cliDeletions()).toEqual([
      { action: 'site.deleted', organization_id: personal, user_id: null, details: { site_id: site, via: 'cli' } },
    ]);

    expect(await cli('org:delete', '--id', org.json.id)).toEqual({ code: 0, json: { id: org.json.id, deleted: true } });
    expect((await cli('org:list')).json.some((o: { id: string }) => o.id === org.json.id)).toBe(false);
    expect(await statisticsOf(all)).toEqual(everywhere(personalSite, kept));

    expect(await cli('user:delete', '--email', 'doomed@example.com')).toEqual({
      code: 0,
      json: { id: user.json.id, deleted_organizations: [personal] },
    });
    expect((await cli('user:list')).json.some((u: { email: string }) => u.email === 'doomed@example.com')).toBe(false);
    expect(await statisticsOf(all)).toEqual(everywhere(kept));

    // Deleted rows cannot be named by the columns (foreign keys), so the details do. The personal
    // organization's own log, site.deleted included, went with it (ON DELETE CASCADE).
    expect(await cliDeletions()).toEqual([
      {
        action: 'organization.deleted',
        organization_id: null,
        user_id: null,
        details: { organization_id: org.json.id, name: 'Ephemeral', site_ids: [orgSite], via: 'cli' },
      },
      {
        action: 'user.deleted',
        organization_id: null,
        user_id: null,
        details: { user_id: user.json.id, organizations: [personal], via: 'cli' },
      },
    ]);
  });

  it('when a command is wrong, then it exits 1 with a JSON error naming the problem', async () => {
    expect(await cli('user:create', '--email', 'operator2@example.com', '--password', 'short')).toEqual({
      code: 1,
      json: { error: 'password must be at least 10 characters', field: 'password' },
    });
    await cli('user:create', '--email', 'twice@example.com');
    expect(await cli('user:create', '--email', 'twice@example.com')).toEqual({
      code: 1,
      json: { error: 'a user with this email exists', field: 'email' },
    });
    expect((await cli('site:create', '--org', 'abc', '--hostname', 'x.example')).json.error).toBe(
      'org: must be a numeric id',
    );
    expect((await cli('frobnicate')).json.error).toBe('unknown command "frobnicate"; run with "help" to list commands');
  });
});
