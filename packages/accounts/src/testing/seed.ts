import type pg from 'pg';
import { hashToken, randomAlphanumeric, randomToken } from '../crypto/tokens.ts';
import { hashPassword } from '../crypto/password-hash.ts';
import { ACCESS_KEY_PREFIX } from '../api-clients/api-client.service.ts';
import type { Role } from '../access/roles.ts';
import { findSite, type SiteView } from '../sites/site.repository.ts';
import { newIdentificationCode } from '../sites/site.service.ts';
import { trafficFilterSchema, type TrafficFilterKind } from '../sites/traffic-filter.service.ts';

/**
 * The one set of test factories (every workspace's tests; `@spur/testkit` re-exports the
 * ingest-flavoured ones): rows straight into Postgres with sensible defaults, bypassing email,
 * rate limits and the audit log, but made by the accounts code's own key formats, identification
 * codes and normalization. Import from `@spur/accounts/testing`.
 */
let counter = 0;
const unique = () =>
  `${Date.now().toString(36)}${(counter++).toString(36)}${randomToken(3)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')}`;

export const SEED_PASSWORD = 'seeded-Password-4711';

let seededHash: Promise<string> | undefined;

export async function seedUser(
  db: pg.Pool,
  overrides: { email?: string; password?: string; verified?: boolean; organizationName?: string } = {},
): Promise<{ id: string; email: string; password: string; organizationId: string }> {
  const email = (overrides.email ?? `user-${unique()}@example.com`).toLowerCase();
  const password = overrides.password ?? SEED_PASSWORD;
  // scrypt is slow on purpose; factories reuse one hash of the default password.
  const hash =
    password === SEED_PASSWORD ? await (seededHash ??= hashPassword(SEED_PASSWORD)) : await hashPassword(password);
  const { rows } = await db.query<{ id: string }>(
    'INSERT INTO app_user (email, password_hash, email_verified_at, terms_accepted_at) VALUES ($1, $2, $3, now()) RETURNING id',
    [email, hash, overrides.verified === false ? null : new Date()],
  );
  const id = rows[0]!.id;
  const organizationId = await seedOrganization(db, {
    ownerId: id,
    name: overrides.organizationName ?? 'Personal',
    personal: true,
  });
  return { id, email, password, organizationId };
}

export async function seedOrganization(
  db: pg.Pool,
  input: { ownerId?: string; name?: string; personal?: boolean } = {},
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    'INSERT INTO organization (name, personal) VALUES ($1, $2) RETURNING id',
    [input.name ?? `Org ${unique()}`, input.personal ?? false],
  );
  if (input.ownerId) await seedMember(db, rows[0]!.id, input.ownerId, 'owner');
  return rows[0]!.id;
}

export async function seedMember(db: pg.Pool, organizationId: string, userId: string, role: Role): Promise<void> {
  await db.query(
    'INSERT INTO organization_member (organization_id, user_id, role) VALUES ($1, $2, $3) ON CONFLICT (organization_id, user_id) DO UPDATE SET role = $3',
    [organizationId, userId, role],
  );
}

export async function seedSite(
  db: pg.Pool,
  organizationId: string,
  overrides: {
    hostname?: string;
    timezone?: string;
    public?: boolean;
    identificationCode?: string;
    name?: string;
    /** Further hostnames the site answers to (`www.` and the like). */
    alternatives?: string[];
  } = {},
): Promise<SiteView> {
  const hostname = overrides.hostname ?? `site-${unique()}.example.com`;
  const { rows } = await db.query<{ id: string }>(
    'INSERT INTO site (organization_id, hostname, name, identification_code, timezone, public) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
    [
      organizationId,
      hostname,
      overrides.name ?? hostname,
      overrides.identificationCode ?? newIdentificationCode(),
      overrides.timezone ?? 'UTC',
      overrides.public ?? false,
    ],
  );
  for (const alternative of overrides.alternatives ?? [])
    await db.query('INSERT INTO site_hostname (site_id, hostname) VALUES ($1, $2)', [rows[0]!.id, alternative]);
  return (await findSite(db, rows[0]!.id))!;
}

/** An API client (`client_id` + `client_secret`) or an access key (`access_key`). */
export async function seedApiClient(
  db: pg.Pool,
  organizationId: string,
  input: { siteId?: string; type?: 'client' | 'access_key'; name?: string } = {},
): Promise<{ id: string; client_id?: string; client_secret?: string; access_key?: string }> {
  const isKey = input.type === 'access_key';
  const clientId = isKey ? null : randomAlphanumeric(32);
  const secret = isKey ? `${ACCESS_KEY_PREFIX}${randomAlphanumeric(45)}` : randomAlphanumeric(64);
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO api_client (organization_id, site_id, kind, name, client_id, secret_hash, write_only)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [
      organizationId,
      input.siteId ?? null,
      isKey ? 'access_key' : 'client',
      input.name ?? 'seeded',
      clientId,
      hashToken(secret),
      isKey,
    ],
  );
  return isKey
    ? { id: rows[0]!.id, access_key: secret }
    : { id: rows[0]!.id, client_id: clientId!, client_secret: secret };
}

/** A traffic filter, its value normalized as the settings service stores it. */
export async function seedTrafficFilter(db: pg.Pool, siteId: string, kind: TrafficFilterKind, value: string) {
  const filter = trafficFilterSchema.parse({ type: kind, value });
  await db.query('INSERT INTO site_traffic_filter (site_id, kind, value) VALUES ($1, $2, $3)', [
    siteId,
    filter.type,
    filter.value,
  ]);
}

export type TestSite = { organizationId: string; siteId: string; identificationCode: string; hostname: string };

/** An organization (unless given) with one site: what ingest and statistics tests need, no user. */
export async function createTestSite(
  db: pg.Pool,
  options: { hostname?: string; organizationId?: string; alternatives?: string[] } = {},
): Promise<TestSite> {
  const organizationId = options.organizationId ?? (await seedOrganization(db));
  const site = await seedSite(db, organizationId, {
    hostname: options.hostname ?? `site-${unique()}.example`,
    alternatives: options.alternatives ?? [],
  });
  return { organizationId, siteId: site.id, identificationCode: site.identification_code, hostname: site.hostname };
}

/** A write-only access key (`pa_…`) of the organization, limited to `siteId` when given. */
export async function createTestAccessKey(
  db: pg.Pool,
  site: Pick<TestSite, 'organizationId'> & { siteId?: string },
): Promise<string> {
  const key = await seedApiClient(db, site.organizationId, { siteId: site.siteId, type: 'access_key', name: 'test' });
  return key.access_key!;
}
