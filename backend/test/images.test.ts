import { createLogger, Lifecycle } from '@spur/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedMember, seedSite, seedUser, SEED_PASSWORD } from '@spur/accounts/testing';
import { startLocalS3, type LocalS3 } from '@spur/testkit';
import { startBackend, type Backend } from '../src/index.ts';
import { Browser, startAccountsBackend, type AccountsBackend } from './accounts-client.ts';

/** Avatars and logos in S3: type by magic bytes, size capped, served by any node. */
let b: AccountsBackend;
let s3: LocalS3;
let second: Backend;
const lifecycle = new Lifecycle(createLogger({ LOG_LEVEL: 'silent' }, 'test'), 5_000);

// A 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

beforeAll(async () => {
  s3 = await startLocalS3();
  b = await startAccountsBackend(s3.env);
  second = await startBackend({ config: b.t.config, stores: b.t.stores, log: b.t.log, lifecycle });
});
afterAll(async () => {
  await lifecycle.stop('test end').catch(() => undefined);
  await b?.close();
  await s3?.stop();
});

async function login(email: string) {
  const browser = new Browser(b.server.url);
  expect((await browser.post('/api/v1/auth/login', { email, password: SEED_PASSWORD })).status).toBe(200);
  return browser;
}

describe('avatars and logos', () => {
  it('when a user uploads a PNG avatar, then any node serves exactly those bytes; SVG, text and oversized files are refused', async () => {
    const user = await seedUser(b.t.stores.postgres.pool, { email: 'face@images.example' });
    const browser = await login(user.email);
    const put = await browser.put('/api/v1/account/avatar', { data: PNG.toString('base64') });
    expect(put.status).toBe(200);
    expect(put.body.url).toMatch(/^\/api\/v1\/images\/[0-9a-f]{64}\.png$/);
    expect((await browser.get('/api/v1/account/avatar')).body).toEqual({ url: put.body.url });

    for (const node of [b.server.url, second.url]) {
      const image = await fetch(`${node}${put.body.url}`);
      expect(image.status).toBe(200);
      expect(image.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await image.arrayBuffer()).equals(PNG)).toBe(true);
    }

    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    for (const [bytes, message] of [
      [svg, 'data: must be a PNG, JPEG, WebP or GIF image'],
      [
        Buffer.concat([PNG, Buffer.alloc(64 * 1024)]),
        `data: the image is ${PNG.length + 65536} bytes; at most 65536 are accepted`,
      ],
    ] as const) {
      const refused = await browser.put('/api/v1/account/avatar', { data: bytes.toString('base64') });
      expect([refused.status, refused.body]).toEqual([400, { error: message, field: 'data' }]);
    }
    const notBase64 = await browser.put('/api/v1/account/avatar', { data: 'not base64!' });
    expect([notBase64.status, notBase64.body.field]).toEqual([400, 'data']);
    expect((await fetch(`${b.server.url}/api/v1/images/${'0'.repeat(64)}.png`)).status).toBe(404);
    expect((await fetch(`${b.server.url}/api/v1/images/..%2Fbackups.png`)).status).toBe(404);
  });

  it('when a logo is set, then admins may change it, viewers only read it and other organizations get 404', async () => {
    const db = b.t.stores.postgres.pool;
    const owner = await seedUser(db, { email: 'owner@images.example' });
    const viewer = await seedUser(db, { email: 'viewer@images.example' });
    await seedMember(db, owner.organizationId, viewer.id, 'viewer');
    const outsider = await seedUser(db, { email: 'outsider@images.example' });
    const [o, v, x] = [await login(owner.email), await login(viewer.email), await login(outsider.email)];
    const path = `/api/v1/organizations/${owner.organizationId}/logo`;
    const body = { data: PNG.toString('base64') };
    const put = await o.put(path, body);
    expect(put.status).toBe(200);
    expect((await v.get(path)).body.url).toMatch(/\.png$/);
    // The organization's public dashboards show it to anyone, signed in or not.
    const site = await seedSite(db, owner.organizationId, { hostname: 'logo.example', name: 'Logo', public: true });
    await db.query("UPDATE site SET subdomain = 'logo-co' WHERE id = $1", [site.id]);
    const anonymous = await fetch(`${second.url}/api/v1/public/logo-co`);
    expect(((await anonymous.json()) as { site: { logo_url: string } }).site.logo_url).toBe(put.body.url);
    expect((await v.put(path, body)).status).toBe(403);
    expect((await x.put(path, body)).status).toBe(404);
    expect((await x.get(path)).status).toBe(404);
    expect((await o.delete(path)).status).toBe(204);
    expect((await v.get(path)).body).toEqual({ url: null });
    expect(((await (await fetch(`${b.server.url}/api/v1/public/logo-co`)).json()) as { site: object }).site).toEqual({
      id: site.id,
      hostname: 'logo.example',
      name: 'Logo',
      timezone: 'UTC',
      kind: 'site',
      logo_url: null,
    });
  });
});
