import { isIP } from 'node:net';
import { z } from 'zod';
import type pg from 'pg';
import type { AccountsContext } from '../context.ts';
import { isId, isUniqueViolation, withTransaction } from '../db.ts';
import { conflict, notFound } from '../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { requireSiteRole } from '../access/roles.ts';
import { announceSiteSettingsChanged, findSite, refuseRollup } from './site.repository.ts';
import { readAllowedHostnames } from './hostname-shield.ts';

/**
 * Traffic the ingest pipeline drops before counting: client IPs or CIDR ranges (the site owner's
 * office), path patterns (`*` matches any run of characters, e.g. `/admin/*`) and countries
 * (ISO 3166-1 alpha-2). Changes are announced on SITE_SETTINGS_CHANNEL so they apply within
 * seconds on every node.
 */
export type TrafficFilterKind = 'ip' | 'path' | 'country';

function normalizeIpFilter(value: string): string | undefined {
  const [address = '', prefix, extra] = value.trim().toLowerCase().split('/');
  const version = isIP(address);
  if (!version || extra !== undefined) return undefined;
  if (prefix === undefined) return address;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > (version === 4 ? 32 : 128)) return undefined;
  return `${address}/${Number(prefix)}`;
}

export const trafficFilterSchema = z
  .object({
    type: z.enum(['ip', 'path', 'country']),
    value: z.string().max(200),
    description: z.string().trim().max(200).default(''),
  })
  .transform((f, c) => {
    const raw = f.value.trim();
    const value =
      f.type === 'ip'
        ? normalizeIpFilter(raw)
        : f.type === 'country'
          ? /^[a-z]{2}$/i.test(raw)
            ? raw.toUpperCase()
            : undefined
          : /^\/\S{0,199}$/.test(raw)
            ? raw
            : undefined;
    if (!value) {
      const expected = {
        ip: 'an IP address or CIDR range',
        country: 'a two-letter country code',
        path: 'a path starting with /',
      }[f.type];
      c.addIssue({ code: 'custom', message: `must be ${expected}`, path: ['value'] });
      return z.NEVER;
    }
    return { type: f.type, value, description: f.description };
  });

export type TrafficFilterView = {
  id: string;
  site_id: string;
  type: TrafficFilterKind;
  value: string;
  description: string;
  created_at: string;
};
type Row = Omit<TrafficFilterView, 'created_at' | 'type'> & { kind: TrafficFilterKind; created_at: Date };
const toView = ({ kind, ...r }: Row): TrafficFilterView => ({
  ...r,
  type: kind,
  created_at: r.created_at.toISOString(),
});

export async function listTrafficFilters(
  ctx: AccountsContext,
  userId: string,
  siteId: string,
): Promise<TrafficFilterView[]> {
  await requireSiteRole(ctx.db, userId, siteId, 'viewer');
  const { rows } = await ctx.db.query<Row>(
    'SELECT id, site_id, kind, value, description, created_at FROM site_traffic_filter WHERE site_id = $1 ORDER BY kind, value',
    [siteId],
  );
  return rows.map(toView);
}

export async function addTrafficFilter(
  ctx: AccountsContext,
  userId: string,
  siteId: string,
  input: z.input<typeof trafficFilterSchema>,
): Promise<TrafficFilterView> {
  const { organizationId } = await requireSiteRole(ctx.db, userId, siteId, 'admin');
  refuseRollup(await findSite(ctx.db, siteId), 'traffic to filter');
  const data = trafficFilterSchema.parse(input);
  try {
    const row = await withTransaction(ctx.db, async (tx) => {
      const { rows } = await tx.query<Row>(
        'INSERT INTO site_traffic_filter (site_id, kind, value, description) VALUES ($1, $2, $3, $4) RETURNING id, site_id, kind, value, description, created_at',
        [siteId, data.type, data.value, data.description],
      );
      await recordAudit(tx, {
        organizationId,
        userId,
        action: 'site.filter_added',
        details: { site_id: siteId, type: data.type, value: data.value },
      });
      return rows[0]!;
    });
    await announceSiteSettingsChanged(ctx.redis, siteId);
    return toView(row);
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('this filter exists already', 'value');
    throw error;
  }
}

export async function removeTrafficFilter(
  ctx: AccountsContext,
  userId: string,
  siteId: string,
  filterId: string,
): Promise<void> {
  const { organizationId } = await requireSiteRole(ctx.db, userId, siteId, 'admin');
  if (!isId(filterId)) throw notFound('filter not found');
  await withTransaction(ctx.db, async (tx) => {
    const { rows } = await tx.query<{ kind: string; value: string }>(
      'DELETE FROM site_traffic_filter WHERE id = $1 AND site_id = $2 RETURNING kind, value',
      [filterId, siteId],
    );
    if (!rows[0]) throw notFound('filter not found');
    await recordAudit(tx, {
      organizationId,
      userId,
      action: 'site.filter_removed',
      details: { site_id: siteId, type: rows[0].kind, value: rows[0].value },
    });
  });
  await announceSiteSettingsChanged(ctx.redis, siteId);
}

/** Everything the ingest pipeline needs to know about a site, in one read. */
export type SiteIngestSettings = {
  siteId: string;
  organizationId: string;
  identificationCode: string;
  /** Primary hostname first, then the alternative ones. */
  hostnames: string[];
  timezone: string;
  filters: { ips: string[]; paths: string[]; countries: string[] };
  /** The hostname shield's list (hostname-shield.ts); empty: the site's hostnames and their subdomains. */
  allowedHostnames: string[];
};

export async function getSiteIngestSettings(db: pg.Pool, siteId: string): Promise<SiteIngestSettings | undefined> {
  const site = await findSite(db, siteId);
  // A rollup view receives nothing of its own: every ingest lookup (code, id, hostname) ends here.
  if (!site || site.kind === 'rollup') return undefined;
  const { rows } = await db.query<{ kind: TrafficFilterKind; value: string }>(
    'SELECT kind, value FROM site_traffic_filter WHERE site_id = $1 ORDER BY value',
    [siteId],
  );
  const of = (kind: TrafficFilterKind) => rows.filter((r) => r.kind === kind).map((r) => r.value);
  const allowedHostnames = await readAllowedHostnames(db, siteId);
  return {
    siteId: site.id,
    organizationId: site.organization_id,
    identificationCode: site.identification_code,
    hostnames: [site.hostname, ...site.hostnames],
    timezone: site.timezone,
    filters: { ips: of('ip'), paths: of('path'), countries: of('country') },
    allowedHostnames,
  };
}
