import { z } from 'zod';
import type { AccountsContext } from '../context.ts';
import { isUniqueViolation, withTransaction } from '../db.ts';
import { conflict, invalid, notFound } from '../errors.ts';
import { randomAlphanumeric } from '../crypto/tokens.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { requireRole, requireSiteRole } from '../access/roles.ts';
import { normalizeHostname, normalizeSubdomain } from './hostname.ts';
import { canonicalTimeZone } from './time-zones.ts';
import { deleteSitesStatistics, sweepDeletedSitesStatistics } from './site-data.service.ts';
import { deleteSiteStatistics } from './statistics-deletion.service.ts';
import {
  announceSiteSettingsChanged,
  findSite,
  findSitesByOrganization,
  refuseRollup,
  type SiteView,
} from './site.repository.ts';

const hostname = z
  .string()
  .max(2048)
  .transform((value, c) => {
    const normalized = normalizeHostname(value);
    if (!normalized) {
      c.addIssue({ code: 'custom', message: 'must be a domain name such as example.com' });
      return z.NEVER;
    }
    return normalized;
  });
// Stored as ClickHouse spells it: every statistics query of the site passes it to ClickHouse.
export const timezone = z
  .string()
  .max(64)
  .transform((value, c) => {
    const zone = canonicalTimeZone(value.trim());
    if (!zone) {
      c.addIssue({ code: 'custom', message: 'must be an IANA time zone such as Europe/Berlin' });
      return z.NEVER;
    }
    return zone;
  });
const subdomain = z.string().transform((value, c) => {
  const normalized = normalizeSubdomain(value);
  if (!normalized) {
    c.addIssue({ code: 'custom', message: 'must be 3-63 letters, digits or dashes and not reserved' });
    return z.NEVER;
  }
  return normalized;
});

export const createSiteSchema = z.object({
  hostname,
  name: z.string().trim().min(1).max(100).optional(),
  timezone: timezone.default('UTC'),
});
export const updateSiteSchema = z
  .object({
    hostname,
    name: z.string().trim().min(1).max(100),
    timezone,
    public: z.boolean(),
    subdomain: subdomain.nullable(),
  })
  .partial();
export const hostnamesSchema = z.object({ hostnames: z.array(hostname).max(20) });

/** 32 letters and digits: what spur.js sends as data-code and the ingest pipeline looks up. */
export const newIdentificationCode = () => randomAlphanumeric(32);

export async function listSites(ctx: AccountsContext, userId: string, organizationId: string): Promise<SiteView[]> {
  await requireRole(ctx.db, userId, organizationId, 'viewer');
  return findSitesByOrganization(ctx.db, organizationId);
}

export async function getSite(ctx: AccountsContext, userId: string, siteId: string): Promise<SiteView> {
  await requireSiteRole(ctx.db, userId, siteId, 'viewer');
  return (await findSite(ctx.db, siteId))!;
}

export async function createSite(
  ctx: AccountsContext,
  userId: string | null,
  organizationId: string,
  input: z.input<typeof createSiteSchema>,
): Promise<SiteView> {
  // userId null: an operator through the admin CLI, outside any membership.
  if (userId !== null) await requireRole(ctx.db, userId, organizationId, 'admin');
  const data = createSiteSchema.parse(input);
  try {
    const id = await withTransaction(ctx.db, async (tx) => {
      const { rows } = await tx.query<{ id: string }>(
        'INSERT INTO site (organization_id, hostname, name, identification_code, timezone) VALUES ($1, $2, $3, $4, $5) RETURNING id',
        [organizationId, data.hostname, data.name ?? data.hostname, newIdentificationCode(), data.timezone],
      );
      await recordAudit(tx, {
        organizationId,
        userId,
        action: 'site.created',
        details: { site_id: rows[0]!.id, hostname: data.hostname },
      });
      return rows[0]!.id;
    });
    return (await findSite(ctx.db, id))!;
  } catch (error) {
    if (isUniqueViolation(error, 'site_hostname_per_org_idx'))
      throw conflict('this organization already has a site with that hostname', 'hostname');
    throw error;
  }
}

export async function updateSite(
  ctx: AccountsContext,
  userId: string,
  siteId: string,
  input: z.input<typeof updateSiteSchema>,
): Promise<SiteView> {
  const { organizationId } = await requireSiteRole(ctx.db, userId, siteId, 'admin');
  const data = updateSiteSchema.parse(input);
  const columns = Object.entries(data).filter(([, v]) => v !== undefined);
  if (columns.length === 0) throw invalid('nothing to change');
  if (data.hostname !== undefined) refuseRollup(await findSite(ctx.db, siteId), 'domain', 'hostname');
  const assignments = columns.map(([column], i) => `${column} = $${i + 2}`).join(', ');
  try {
    await withTransaction(ctx.db, async (tx) => {
      await tx.query(`UPDATE site SET ${assignments}, updated_at = now() WHERE id = $1`, [
        siteId,
        ...columns.map(([, v]) => v),
      ]);
      await recordAudit(tx, { organizationId, userId, action: 'site.updated', details: { site_id: siteId, ...data } });
    });
  } catch (error) {
    if (isUniqueViolation(error, 'site_hostname_per_org_idx'))
      throw conflict('this organization already has a site with that hostname', 'hostname');
    if (isUniqueViolation(error, 'site_subdomain_key')) throw conflict('this subdomain is taken', 'subdomain');
    throw error;
  }
  if (data.hostname) await announceSiteSettingsChanged(ctx.redis, siteId);
  return (await findSite(ctx.db, siteId))!;
}

/** Replaces the alternative hostnames (the primary one is never among them). */
export async function setSiteHostnames(
  ctx: AccountsContext,
  userId: string,
  siteId: string,
  input: z.input<typeof hostnamesSchema>,
): Promise<SiteView> {
  const { organizationId } = await requireSiteRole(ctx.db, userId, siteId, 'admin');
  const site = (await findSite(ctx.db, siteId))!;
  refuseRollup(site, 'hostnames', 'hostnames');
  const hostnames = [...new Set(hostnamesSchema.parse(input).hostnames)].filter((h) => h !== site.hostname);
  await withTransaction(ctx.db, async (tx) => {
    await tx.query('DELETE FROM site_hostname WHERE site_id = $1', [siteId]);
    for (const h of hostnames)
      await tx.query('INSERT INTO site_hostname (site_id, hostname) VALUES ($1, $2)', [siteId, h]);
    await tx.query('UPDATE site SET updated_at = now() WHERE id = $1', [siteId]);
    await recordAudit(tx, { organizationId, userId, action: 'site.updated', details: { site_id: siteId, hostnames } });
  });
  await announceSiteSettingsChanged(ctx.redis, siteId);
  return (await findSite(ctx.db, siteId))!;
}

/** The old code stops working at once: a leaked snippet can be cut off this way. */
export async function regenerateIdentificationCode(
  ctx: AccountsContext,
  userId: string,
  siteId: string,
): Promise<SiteView> {
  const { organizationId } = await requireSiteRole(ctx.db, userId, siteId, 'admin');
  refuseRollup(await findSite(ctx.db, siteId), 'identification code');
  await withTransaction(ctx.db, async (tx) => {
    await tx.query('UPDATE site SET identification_code = $2, updated_at = now() WHERE id = $1', [
      siteId,
      newIdentificationCode(),
    ]);
    await recordAudit(tx, {
      organizationId,
      userId,
      action: 'site.identification_code_regenerated',
      details: { site_id: siteId },
    });
  });
  await announceSiteSettingsChanged(ctx.redis, siteId);
  return (await findSite(ctx.db, siteId))!;
}

export function trackingSnippet(ctx: AccountsContext, site: Pick<SiteView, 'identification_code' | 'kind'>): string {
  refuseRollup(site, 'tracking snippet: it shows the statistics of its sites');
  return `<script defer src="${ctx.links.script}" data-code="${site.identification_code}"></script>`;
}

/**
 * Statistics first, then the row: a failure leaves the site in place to retry. Then the
 * announcement (ingest nodes and flushers stop taking its hits) and a second pass for the rows
 * flushed in between.
 */
export async function deleteSite(ctx: AccountsContext, userId: string, siteId: string): Promise<void> {
  const { organizationId } = await requireSiteRole(ctx.db, userId, siteId, 'admin');
  // A rollup holds no statistics: its members' stay with them.
  const rollup = (await findSite(ctx.db, siteId))?.kind === 'rollup';
  if (!rollup) await deleteSitesStatistics(ctx, [siteId]);
  await withTransaction(ctx.db, async (tx) => {
    const { rowCount } = await tx.query('DELETE FROM site WHERE id = $1', [siteId]);
    if (!rowCount) throw notFound('site not found');
    await recordAudit(tx, { organizationId, userId, action: 'site.deleted', details: { site_id: siteId } });
  });
  await announceSiteSettingsChanged(ctx.redis, siteId);
  if (!rollup) await sweepDeletedSitesStatistics(ctx, [siteId]);
}

export const deleteDataSchema = z
  .object({ from: z.iso.date(), to: z.iso.date() })
  .refine((d) => d.from <= d.to, { message: 'from must not be after to', path: ['to'] });

/**
 * Deletes the visits that started on whole days, `from` to `to` inclusive, in the site's time zone,
 * with their page views and events (see statistics-deletion.service.ts).
 */
export async function deleteSiteData(
  ctx: AccountsContext,
  userId: string,
  siteId: string,
  input: z.input<typeof deleteDataSchema>,
): Promise<{ tables: string[] }> {
  const { organizationId } = await requireSiteRole(ctx.db, userId, siteId, 'admin');
  const data = deleteDataSchema.parse(input);
  const site = (await findSite(ctx.db, siteId))!;
  refuseRollup(site, 'statistics');
  const { rows } = await ctx.db.query<{ from: Date; to: Date }>(
    `SELECT ($1::date)::timestamp AT TIME ZONE $3 AS from, ($2::date + 1)::timestamp AT TIME ZONE $3 AS to`,
    [data.from, data.to, site.timezone],
  );
  const tables = await deleteSiteStatistics(ctx, siteId, rows[0]!);
  await recordAudit(ctx.db, {
    organizationId,
    userId,
    action: 'site.data_deleted',
    details: { site_id: siteId, from: data.from, to: data.to },
  });
  return { tables };
}
