import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, startAccountsBackend, type AccountsBackend } from './accounts-client.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

let b: AccountsBackend;
let cliDataDir: string;
beforeAll(async () => {
  b = await startAccountsBackend();
  cliDataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'spur-cli-'));
});
afterAll(async () => {
  await b?.close();
  await fs.rm(cliDataDir, { recursive: true, force: true });
});

/** Runs `npm run cli -- …` the way an operator would (same script, real process), against the test database. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CLI output is checked field by field
async function cli(...args: string[]): Promise<{ code: number; json: any }> {
  const env = { PATH: process.env.PATH, NODE_ENV: 'test', DATABASE_URL: b.t.postgresUrl, REDIS_URL: b.t.redisUrl, DATA_DIR: cliDataDir };
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', ...args], { cwd: root, env });
    return { code: 0, json: JSON.parse(stdout) };
  } catch (error) {
    const e = error as { code: number; stderr: string };
    return { code: e.code, json: JSON.parse(e.stderr.trim().split('\n').at(-1)!) };
  }
}

describe('admin CLI', () => {
  it('when an operator sets up a fresh install, then user, organization, site and API client are created and usable, and printed as JSON', async () => {
    const user = await cli('user:create', '--email', 'Operator@Example.com');
    expect(user.code).toBe(0);
    expect(user.json).toEqual({ id: expect.any(String), email: 'operator@example.com', organization_id: expect.any(String), password: expect.stringMatching(/^[\w-]{20}$/) });
    const login = await new Browser(b.server.url).post('/api/v1/auth/login', { email: 'operator@example.com', password: user.json.password });
    expect(login.status).toBe(200);

    const org = await cli('org:create', '--name', 'Acme', '--owner', 'operator@example.com');
    expect(org.json).toEqual({ id: expect.any(String), name: 'Acme', owner: 'operator@example.com' });
    const site = await cli('site:create', '--org', org.json.id, '--hostname', 'https://www.acme.example/', '--timezone', 'Europe/Paris');
    expect(site.json).toMatchObject({ organization_id: org.json.id, hostname: 'www.acme.example', timezone: 'Europe/Paris' });
    expect(site.json.identification_code).toMatch(/^[A-Za-z0-9]{32}$/);
    const client = await cli('client:create', '--org', org.json.id, '--site', site.json.id, '--name', 'Importer');
    expect(client.json).toMatchObject({ organization_id: org.json.id, site_id: site.json.id, type: 'client', name: 'Importer' });
    const key = await cli('client:create', '--org', org.json.id, '--type', 'access_key');
    expect(key.json.access_key).toMatch(/^pa_[A-Za-z0-9]{45}$/);

    const token = await new Browser(b.server.url).post('/api/v1/token', { client_id: client.json.client_id, client_secret: client.json.client_secret });
    expect(token.status).toBe(200);
    expect((await new Browser(b.server.url).get(`/api/v1/goal?id=${site.json.id}`, { authorization: `Bearer ${token.body.access_token}` })).body).toEqual([]);

    const clients = await cli('client:list', '--org', org.json.id);
    expect(clients.json.map((c: { name: string }) => c.name)).toEqual(['Importer', 'CLI']);
    expect(JSON.stringify(clients.json)).not.toContain(client.json.client_secret);
    const users = await cli('user:list');
    expect(users.json.find((u: { email: string }) => u.email === 'operator@example.com').organizations).toEqual([
      { id: user.json.organization_id, role: 'owner' },
      { id: org.json.id, role: 'owner' },
    ]);
    expect((await cli('org:list')).json.find((o: { id: string }) => o.id === org.json.id)).toMatchObject({ name: 'Acme', members: 1, sites: 1 });
    expect((await cli('site:list', '--org', org.json.id)).json.map((s: { id: string }) => s.id)).toEqual([site.json.id]);

    expect((await cli('client:delete', '--org', org.json.id, '--id', client.json.id)).json).toEqual({ id: client.json.id, revoked: true });
    expect((await new Browser(b.server.url).get(`/api/v1/goal?id=${site.json.id}`, { authorization: `Bearer ${token.body.access_token}` })).status).toBe(401);
  });

  it('when a password is reset from the CLI, then the old one and every session stop working', async () => {
    const created = await cli('user:create', '--email', 'forgetful@example.com', '--password', 'first-Secret-123');
    expect(created.json.password).toBeUndefined();
    const browser = new Browser(b.server.url);
    await browser.post('/api/v1/auth/login', { email: 'forgetful@example.com', password: 'first-Secret-123' });
    const reset = await cli('user:reset-password', '--email', 'forgetful@example.com');
    expect(reset.json).toEqual({ id: created.json.id, email: 'forgetful@example.com', password: expect.any(String) });
    expect((await browser.get('/api/v1/account')).status).toBe(401);
    expect((await new Browser(b.server.url).post('/api/v1/auth/login', { email: 'forgetful@example.com', password: reset.json.password })).status).toBe(200);
  });

  it('when things are deleted from the CLI, then they are gone from the API too', async () => {
    const user = await cli('user:create', '--email', 'doomed@example.com');
    const site = await cli('site:create', '--org', user.json.organization_id, '--hostname', 'doomed.example');
    expect((await cli('site:delete', '--id', site.json.id)).json).toEqual({ id: site.json.id, deleted: true });
    expect((await cli('site:list', '--org', user.json.organization_id)).json).toEqual([]);
    const org = await cli('org:create', '--name', 'Ephemeral');
    expect(org.json.owner).toBeNull();
    expect((await cli('org:delete', '--id', org.json.id)).code).toBe(0);
    expect((await cli('user:delete', '--email', 'doomed@example.com')).json).toEqual({ id: user.json.id, deleted_organizations: [user.json.organization_id] });
    expect((await cli('user:list')).json.some((u: { email: string }) => u.email === 'doomed@example.com')).toBe(false);
  });

  it('when a command is wrong, then it exits 1 with a JSON error naming the problem', async () => {
    expect(await cli('user:create', '--email', 'operator2@example.com', '--password', 'short')).toEqual({
      code: 1,
      json: { error: 'password must be at least 10 characters', field: 'password' },
    });
    await cli('user:create', '--email', 'twice@example.com');
    expect(await cli('user:create', '--email', 'twice@example.com')).toEqual({ code: 1, json: { error: 'a user with this email exists', field: 'email' } });
    expect((await cli('site:create', '--org', 'abc', '--hostname', 'x.example')).json.error).toBe('org: must be a numeric id');
    expect((await cli('frobnicate')).json.error).toBe('unknown command "frobnicate"; run with "help" to list commands');
  });
});
