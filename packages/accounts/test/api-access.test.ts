import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authenticateBearer,
  canIngestSite,
  canReadSite,
  createApiClient,
  exchangeClientCredentials,
  getSiteIngestSettings,
  listApiClients,
  listReadableSites,
  revokeApiClient,
  type AccountsError,
} from '../src/index.ts';
import { seedApiClient, seedSite, seedUser } from '../src/testing/seed.ts';
import { startAccountsHarness, type AccountsHarness } from './accounts-harness.ts';

let h: AccountsHarness;
beforeAll(async () => {
  h = await startAccountsHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('API clients and bearer authentication', () => {
  it('when a client exchanges its id and secret, then the access token authenticates as that organization until revoked', async () => {
    const owner = await seedUser(h.ctx.db);
    const site = await seedSite(h.ctx.db, owner.organizationId);
    const client = await createApiClient(h.ctx, owner.id, owner.organizationId, { name: 'CI' });
    expect(client.client_id).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(client.client_secret).toMatch(/^[A-Za-z0-9]{64}$/);

    const now = new Date();
    const token = await exchangeClientCredentials(
      h.ctx.db,
      h.ctx.redis,
      { client_id: client.client_id!, client_secret: client.client_secret! },
      now,
    );
    expect(new Date(token.expires_at).getTime() - now.getTime()).toBe(3_600_000);
    const principal = await authenticateBearer(h.ctx.db, token.access_token);
    expect(principal).toEqual({
      kind: 'access_token',
      organizationId: owner.organizationId,
      writeOnly: false,
      apiClientId: client.id,
    });
    expect(await canReadSite(h.ctx.db, principal!, site.id)).toBe(true);
    expect((await listReadableSites(h.ctx.db, principal!)).map((s) => s.id)).toEqual([site.id]);

    // The secret is stored as a digest only.
    const { rows } = await h.ctx.db.query<{ secret_hash: Buffer }>('SELECT secret_hash FROM api_client WHERE id = $1', [
      client.id,
    ]);
    expect(rows[0]!.secret_hash).toHaveLength(32);
    expect(JSON.stringify(await listApiClients(h.ctx, owner.id, owner.organizationId))).not.toContain(
      client.client_secret,
    );

    await revokeApiClient(h.ctx, owner.id, owner.organizationId, client.id);
    expect(await authenticateBearer(h.ctx.db, token.access_token)).toBeUndefined();
    await expect(
      exchangeClientCredentials(h.ctx.db, h.ctx.redis, {
        client_id: client.client_id!,
        client_secret: client.client_secret!,
      }),
    ).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('when the secret is wrong, then no token is issued', async () => {
    const owner = await seedUser(h.ctx.db);
    const client = await seedApiClient(h.ctx.db, owner.organizationId);
    const error = (await exchangeClientCredentials(h.ctx.db, h.ctx.redis, {
      client_id: client.client_id!,
      client_secret: 'x'.repeat(64),
    }).catch((e: unknown) => e)) as AccountsError;
    expect(error.code).toBe('unauthorized');
    expect(error.message).toBe('invalid client id or secret');
  });

  it('when a token has expired, then it no longer authenticates', async () => {
    const owner = await seedUser(h.ctx.db);
    const client = await seedApiClient(h.ctx.db, owner.organizationId);
    const past = new Date(Date.now() - 2 * 3_600_000);
    const token = await exchangeClientCredentials(
      h.ctx.db,
      h.ctx.redis,
      { client_id: client.client_id!, client_secret: client.client_secret! },
      past,
    );
    expect(await authenticateBearer(h.ctx.db, token.access_token)).toBeUndefined();
  });

  it('when an access key is used, then it is write-only: it may ingest for its site but reads nothing', async () => {
    const owner = await seedUser(h.ctx.db);
    const site = await seedSite(h.ctx.db, owner.organizationId);
    const other = await seedSite(h.ctx.db, owner.organizationId);
    const key = await createApiClient(h.ctx, owner.id, owner.organizationId, {
      name: 'server',
      type: 'access_key',
      site_id: site.id,
    });
    expect(key.access_key).toMatch(/^pa_[A-Za-z0-9]{45}$/);
    expect(key.client_id).toBeNull();
    const principal = (await authenticateBearer(h.ctx.db, key.access_key!))!;
    expect(principal).toEqual({
      kind: 'access_key',
      organizationId: owner.organizationId,
      siteId: site.id,
      writeOnly: true,
      apiClientId: key.id,
    });
    expect(canIngestSite(principal, { id: site.id, organizationId: owner.organizationId })).toBe(true);
    expect(canIngestSite(principal, { id: other.id, organizationId: owner.organizationId })).toBe(false);
    expect(await canReadSite(h.ctx.db, principal, site.id)).toBe(false);
    expect(await listReadableSites(h.ctx.db, principal)).toEqual([]);
    expect(await authenticateBearer(h.ctx.db, `${key.access_key!.slice(0, -1)}x`)).toBeUndefined();
  });

  it('when a client is scoped to one site, then it reads only that site and never another organization', async () => {
    const owner = await seedUser(h.ctx.db);
    const site = await seedSite(h.ctx.db, owner.organizationId);
    const sibling = await seedSite(h.ctx.db, owner.organizationId);
    const stranger = await seedUser(h.ctx.db);
    const foreign = await seedSite(h.ctx.db, stranger.organizationId);
    const client = await seedApiClient(h.ctx.db, owner.organizationId, { siteId: site.id });
    const token = await exchangeClientCredentials(h.ctx.db, h.ctx.redis, {
      client_id: client.client_id!,
      client_secret: client.client_secret!,
    });
    const principal = (await authenticateBearer(h.ctx.db, token.access_token))!;
    expect(await canReadSite(h.ctx.db, principal, site.id)).toBe(true);
    expect(await canReadSite(h.ctx.db, principal, sibling.id)).toBe(false);
    expect(await canReadSite(h.ctx.db, principal, foreign.id)).toBe(false);
    expect(await canReadSite(h.ctx.db, { kind: 'user', userId: stranger.id }, site.id)).toBe(false);
    expect(await canReadSite(h.ctx.db, { kind: 'user', userId: owner.id }, site.id)).toBe(true);
    expect(await canReadSite(h.ctx.db, { kind: 'anonymous' }, site.id)).toBe(false);
  });

  it('when a site is public, then anyone may read it', async () => {
    const owner = await seedUser(h.ctx.db);
    const site = await seedSite(h.ctx.db, owner.organizationId, { public: true });
    expect(await canReadSite(h.ctx.db, { kind: 'anonymous' }, site.id)).toBe(true);
  });

  it('when the organization of a client is not an admin role of the caller, then creating one is refused', async () => {
    const owner = await seedUser(h.ctx.db);
    const stranger = await seedUser(h.ctx.db);
    await expect(createApiClient(h.ctx, stranger.id, owner.organizationId, { name: 'x' })).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('ingest settings carry the hostnames, time zone and code of the site', async () => {
    const owner = await seedUser(h.ctx.db);
    const site = await seedSite(h.ctx.db, owner.organizationId, {
      hostname: 'shop.example.org',
      timezone: 'Europe/Berlin',
    });
    await h.ctx.db.query("INSERT INTO site_hostname (site_id, hostname) VALUES ($1, 'www.shop.example.org')", [
      site.id,
    ]);
    expect(await getSiteIngestSettings(h.ctx.db, site.id)).toEqual({
      siteId: site.id,
      organizationId: owner.organizationId,
      identificationCode: site.identification_code,
      hostnames: ['shop.example.org', 'www.shop.example.org'],
      timezone: 'Europe/Berlin',
      filters: { ips: [], paths: [], countries: [] },
      allowedHostnames: [],
    });
    expect(await getSiteIngestSettings(h.ctx.db, '999999')).toBeUndefined();
  });
});
