import type { Redis } from '@spur/storage';
import type { Db } from '../db.ts';
import { isId } from '../db.ts';
import { invalid } from '../errors.ts';
import { normalizeSubdomain } from './hostname.ts';

export type SiteView = {
  id: string;
  organization_id: string;
  hostname: string;
  name: string;
  identification_code: string;
  timezone: string;
  public: boolean;
  subdomain: string | null;
  /** Alternative hostnames whose traffic counts for this site. */
  hostnames: string[];
  /** `rollup`: a view over `member_ids` (rollup.service.ts) that receives no traffic of its own. */
  kind: SiteKind;
  /** The sites a rollup combines, in id order; empty for a site. */
  member_ids: string[];
  created_at: string;
  updated_at: string;
};

export type SiteKind = 'site' | 'rollup';

type SiteRow = Omit<SiteView, 'created_at' | 'updated_at' | 'hostnames' | 'member_ids'> & {
  created_at: Date;
  updated_at: Date;
  hostnames: string[] | null;
  member_ids: string[] | null;
};

const SELECT = `SELECT s.id, s.organization_id, s.hostname, s.name, s.identification_code, s.timezone, s.public, s.subdomain,
                       s.kind, s.created_at, s.updated_at,
                       (SELECT array_agg(h.hostname ORDER BY h.hostname) FROM site_hostname h WHERE h.site_id = s.id) AS hostnames,
                       -- CASE runs the subquery for rollups only: a site's lookup stays as it was.
                       CASE WHEN s.kind = 'rollup' THEN
                         (SELECT array_agg(r.site_id::text ORDER BY r.site_id) FROM site_rollup_member r WHERE r.rollup_id = s.id)
                       END AS member_ids
                  FROM site s`;

const toView = (r: SiteRow): SiteView => ({
  ...r,
  // A rollup's code exists only for the NOT NULL column: nothing may send to it, so it is never shown.
  identification_code: r.kind === 'rollup' ? '' : r.identification_code,
  hostnames: r.hostnames ?? [],
  member_ids: r.member_ids ?? [],
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
});

/** For what only a site receiving traffic has (snippet, code, hostnames, its own data): 400 for a rollup. */
export function refuseRollup(site: Pick<SiteView, 'kind'> | undefined, what: string, field?: string): void {
  if (site?.kind === 'rollup') throw invalid(`a rollup view has no ${what} of its own`, field);
}

export async function findSite(db: Db, siteId: string): Promise<SiteView | undefined> {
  if (!isId(siteId)) return undefined;
  const { rows } = await db.query<SiteRow>(`${SELECT} WHERE s.id = $1`, [siteId]);
  return rows[0] && toView(rows[0]);
}

// Lists put sites first and rollup views after them: pirsch-sdk's domain() takes the first entry,
// which must stay a site that receives traffic.
export async function findSitesByOrganization(db: Db, organizationId: string): Promise<SiteView[]> {
  const { rows } = await db.query<SiteRow>(
    `${SELECT} WHERE s.organization_id = $1 ORDER BY s.kind = 'rollup', s.hostname, s.id`,
    [organizationId],
  );
  return rows.map(toView);
}

export async function findSitesForUser(db: Db, userId: string): Promise<SiteView[]> {
  const { rows } = await db.query<SiteRow>(
    `${SELECT} JOIN organization_member m ON m.organization_id = s.organization_id AND m.user_id = $1 ORDER BY s.kind = 'rollup', s.hostname, s.id`,
    [userId],
  );
  return rows.map(toView);
}

export async function findSiteBySubdomain(db: Db, subdomain: string): Promise<SiteView | undefined> {
  // Only what could ever be saved is looked up: a NUL byte from the URL made Postgres refuse the query (a 500).
  const normalized = normalizeSubdomain(subdomain);
  if (!normalized) return undefined;
  const { rows } = await db.query<SiteRow>(`${SELECT} WHERE s.subdomain = $1`, [normalized]);
  return rows[0] && toView(rows[0]);
}

/**
 * Published with the site id whenever something the ingest pipeline caches changes (filters,
 * hostnames, identification code, deletion), so every backend node can drop its copy at once
 * instead of waiting for its cache to expire.
 */
export const SITE_SETTINGS_CHANNEL = 'spur:site-settings-changed';

export async function announceSiteSettingsChanged(redis: Redis, siteId: string): Promise<void> {
  await redis.publish(SITE_SETTINGS_CHANNEL, siteId).catch(() => undefined);
}
