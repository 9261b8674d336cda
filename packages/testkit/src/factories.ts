import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';

export type TestSite = { organizationId: string; siteId: string; identificationCode: string; hostname: string };

/** An organization with one site, straight in Postgres (tests of ingest and statistics need no user). */
export async function createTestSite(
  pool: pg.Pool,
  options: { hostname?: string; organizationId?: string; alternatives?: string[] } = {},
): Promise<TestSite> {
  const hostname = options.hostname ?? `site-${randomBytes(3).toString('hex')}.example`;
  const organizationId =
    options.organizationId ??
    (await pool.query<{ id: string }>("INSERT INTO organization (name) VALUES ('Test org') RETURNING id::text"))
      .rows[0]!.id;
  const identificationCode = randomBytes(16).toString('hex');
  const { rows } = await pool.query<{ id: string }>(
    'INSERT INTO site (organization_id, hostname, name, identification_code) VALUES ($1, $2, $2, $3) RETURNING id::text',
    [organizationId, hostname, identificationCode],
  );
  for (const alternative of options.alternatives ?? []) {
    await pool.query('INSERT INTO site_hostname (site_id, hostname) VALUES ($1, $2)', [rows[0]!.id, alternative]);
  }
  return { organizationId, siteId: rows[0]!.id, identificationCode, hostname };
}

/** A write-only access key (`pa_…`) as the accounts code stores it: only its SHA-256 is kept. */
export async function createTestAccessKey(
  pool: pg.Pool,
  site: Pick<TestSite, 'organizationId'> & { siteId?: string },
): Promise<string> {
  const key = `pa_${randomBytes(32).toString('hex').slice(0, 45)}`; // the length pirsch-sdk checks
  await pool.query(
    "INSERT INTO api_client (organization_id, site_id, kind, name, secret_hash, write_only) VALUES ($1, $2, 'access_key', 'test', $3, true)",
    [site.organizationId, site.siteId ?? null, createHash('sha256').update(key).digest()],
  );
  return key;
}

export async function addTrafficFilter(pool: pg.Pool, siteId: string, kind: 'ip' | 'path' | 'country', value: string) {
  await pool.query('INSERT INTO site_traffic_filter (site_id, kind, value) VALUES ($1, $2, $3)', [siteId, kind, value]);
}
