import type pg from 'pg';
import { getSiteIngestSettings } from '@spur/accounts';

export type TrafficFilters = { ips: string[]; paths: string[]; countries: string[] };

export type IngestSite = {
  id: string;
  organizationId: string;
  hostname: string;
  /** The site's hostname and its alternatives, lower-case: referrers from these are self-referrals. */
  hostnames: string[];
  filters: TrafficFilters;
  /** The hostname shield's list; empty or absent: `hostnames` and their subdomains (see hostname.step.ts). */
  allowedHostnames?: string[];
  /** Billing: hits at or after this time (ms) are dropped as `billing_lapsed`; undefined = never. */
  ingestStopAt?: number;
};

/** A cached answer comes back as a plain value (no promise for the hot path to await), a miss as a promise. */
export type SiteLookup = IngestSite | undefined | Promise<IngestSite | undefined>;

export type SiteDirectory = {
  byCode: (code: string) => SiteLookup;
  /** For API-client hits without a site scope: the organization's site serving this hostname. */
  byHostname: (organizationId: string, hostname: string) => SiteLookup;
  byId: (siteId: string) => SiteLookup;
  /** Drops cached entries (all, or one site's) when settings change. */
  invalidate: (siteId?: string) => void;
};

/**
 * Site lookups on the ingest hot path hit an in-process cache. Entries live `ttlMs` (a backstop:
 * settings changes are also announced on Redis and call `invalidate` at once) and unknown codes
 * are cached too, so a flood of made-up codes cannot reach Postgres.
 */
export function createSiteDirectory(
  pool: pg.Pool,
  ttlMs = 10_000,
  maxEntries = 50_000,
  /** Honour billing's ingest stop times; false where billing is off (a stale stop time must not drop hits). */
  billingStops = true,
): SiteDirectory {
  const cache = new Map<string, { site: IngestSite | undefined; expires: number }>();

  const cached = (key: string, findId: () => Promise<string | undefined>): SiteLookup => {
    const hit = cache.get(key);
    if (hit && hit.expires > Date.now()) return hit.site;
    return load(key, findId);
  };
  const load = async (key: string, findId: () => Promise<string | undefined>) => {
    const id = await findId();
    const settings = id === undefined ? undefined : await getSiteIngestSettings(pool, id);
    const site: IngestSite | undefined = settings && {
      id: settings.siteId,
      organizationId: settings.organizationId,
      hostname: settings.hostnames[0]!,
      hostnames: settings.hostnames,
      filters: settings.filters,
      allowedHostnames: settings.allowedHostnames,
      ...(billingStops ? await ingestStopOf(pool, settings.organizationId) : {}),
    };
    if (cache.size >= maxEntries) cache.clear();
    cache.set(key, { site, expires: Date.now() + ttlMs });
    return site;
  };

  const firstId = async (sql: string, params: unknown[]) => (await pool.query<{ id: string }>(sql, params)).rows[0]?.id;

  return {
    byCode: (code) =>
      /^[A-Za-z0-9_-]{1,64}$/.test(code)
        ? cached(`code:${code}`, () => firstId('SELECT id::text FROM site WHERE identification_code = $1', [code]))
        : Promise.resolve(undefined),
    byId: (id) => cached(`id:${id}`, async () => (/^\d{1,18}$/.test(id) ? id : undefined)),
    byHostname: (organizationId, hostname) =>
      cached(`host:${organizationId}:${hostname}`, () =>
        firstId(
          `SELECT s.id::text FROM site s WHERE s.organization_id = $1
             AND (s.hostname = $2 OR EXISTS (SELECT 1 FROM site_hostname h WHERE h.site_id = s.id AND h.hostname = $2))
           ORDER BY s.id LIMIT 1`,
          [organizationId, hostname],
        ),
      ),
    invalidate: (siteId) => {
      if (siteId === undefined) return cache.clear();
      for (const [key, entry] of cache) if (!entry.site || entry.site.id === siteId) cache.delete(key);
    },
  };
}

/**
 * The billing stop time, read with the site's settings on a cache miss only, so the hot path
 * compares one number and does no I/O. The billing code keeps the column in step with its rules;
 * it stays NULL where billing is off (self-hosting), and then nothing is ever dropped for it.
 */
async function ingestStopOf(pool: pg.Pool, organizationId: string): Promise<{ ingestStopAt?: number }> {
  const { rows } = await pool.query<{ ingest_stop_at: Date | null }>(
    'SELECT ingest_stop_at FROM billing_account WHERE organization_id = $1',
    [organizationId],
  );
  const stop = rows[0]?.ingest_stop_at;
  return stop ? { ingestStopAt: stop.getTime() } : {};
}
