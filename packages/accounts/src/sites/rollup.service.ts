import { z } from 'zod';
import type { AccountsContext } from '../context.ts';
import { isId, withTransaction, type Db } from '../db.ts';
import { invalid } from '../errors.ts';
import { randomAlphanumeric } from '../crypto/tokens.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { requireRole, requireSiteRole } from '../access/roles.ts';
import { findSite, type SiteView } from './site.repository.ts';
import { newIdentificationCode, timezone } from './site.service.ts';

/**
 * Rollup views: a site row of kind `rollup` whose statistics are those of its member sites
 * combined (Pirsch calls it a rollup domain). It has its own name, time zone, goals, funnels,
 * annotations, access links and public dashboard, and no traffic of its own.
 *
 * Who may read it is decided at the organization level, as for any site of the organization
 * (members, the organization's API clients, an access link of the rollup, anyone when public):
 * members are sites of the same organization only, so a member of the organization could read
 * each of them anyway, and an access link or public rollup shares the combined figures by the
 * owner's choice, as a site's link shares that site's.
 */
export const MAX_ROLLUP_MEMBERS = 50;

const siteIds = z
  .array(z.string().refine(isId, 'must be site ids'))
  .min(1, 'choose at least one site')
  .max(MAX_ROLLUP_MEMBERS)
  .transform((ids) => [...new Set(ids)]);

export const createRollupSchema = z.object({
  name: z.string().trim().min(1).max(100),
  timezone: timezone.default('UTC'),
  site_ids: siteIds,
});
export const rollupMembersSchema = z.object({ site_ids: siteIds });

/**
 * The rollup's hostname: the column is NOT NULL and unique per organization, and the ingest lookup
 * by hostname must never land on a rollup, so it gets a name under the reserved `.invalid` TLD
 * (RFC 2606) that no page's URL can carry and no site can be saved with.
 */
const rollupHostname = () => `rollup-${randomAlphanumeric(16).toLowerCase()}.invalid`;

export async function createRollup(
  ctx: AccountsContext,
  userId: string,
  organizationId: string,
  input: z.input<typeof createRollupSchema>,
): Promise<SiteView> {
  await requireRole(ctx.db, userId, organizationId, 'admin');
  const data = createRollupSchema.parse(input);
  const id = await withTransaction(ctx.db, async (tx) => {
    await checkMembers(tx, organizationId, data.site_ids);
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO site (organization_id, kind, hostname, name, identification_code, timezone)
       VALUES ($1, 'rollup', $2, $3, $4, $5) RETURNING id::text`,
      [organizationId, rollupHostname(), data.name, newIdentificationCode(), data.timezone],
    );
    const rollupId = rows[0]!.id;
    await insertMembers(tx, rollupId, data.site_ids);
    await recordAudit(tx, {
      organizationId,
      userId,
      action: 'site.created',
      details: { site_id: rollupId, kind: 'rollup', site_ids: data.site_ids },
    });
    return rollupId;
  });
  return (await findSite(ctx.db, id))!;
}

/** Replaces the member sites (admins and owners; viewers get forbidden, other organizations not_found). */
export async function setRollupMembers(
  ctx: AccountsContext,
  userId: string,
  rollupId: string,
  input: z.input<typeof rollupMembersSchema>,
): Promise<SiteView> {
  const { organizationId } = await requireSiteRole(ctx.db, userId, rollupId, 'admin');
  const data = rollupMembersSchema.parse(input);
  await withTransaction(ctx.db, async (tx) => {
    const { rows } = await tx.query<{ kind: string }>('SELECT kind FROM site WHERE id = $1 FOR UPDATE', [rollupId]);
    if (rows[0]?.kind !== 'rollup') throw invalid('this site is not a rollup view', 'site_ids');
    await checkMembers(tx, organizationId, data.site_ids);
    await tx.query('DELETE FROM site_rollup_member WHERE rollup_id = $1', [rollupId]);
    await insertMembers(tx, rollupId, data.site_ids);
    await tx.query('UPDATE site SET updated_at = now() WHERE id = $1', [rollupId]);
    await recordAudit(tx, {
      organizationId,
      userId,
      action: 'site.updated',
      details: { site_id: rollupId, site_ids: data.site_ids },
    });
  });
  return (await findSite(ctx.db, rollupId))!;
}

/**
 * Every member must be a site (not a rollup) of the same organization. The rows are locked so a
 * member deleted at the same moment either waits or is seen gone. One message for "another
 * organization's" and "does not exist": a foreign id is never confirmed.
 */
async function checkMembers(tx: Db, organizationId: string, ids: string[]): Promise<void> {
  const { rows } = await tx.query<{ id: string; kind: string }>(
    'SELECT id::text, kind FROM site WHERE id = ANY($1::bigint[]) AND organization_id = $2 FOR SHARE',
    [ids, organizationId],
  );
  const found = new Map(rows.map((r) => [r.id, r.kind]));
  const unknown = ids.filter((id) => !found.has(id));
  if (unknown.length) throw invalid(`no site ${unknown.join(', ')} in this organization`, 'site_ids');
  const rollups = ids.filter((id) => found.get(id) === 'rollup');
  if (rollups.length) throw invalid(`a rollup view cannot include another (${rollups.join(', ')})`, 'site_ids');
}

async function insertMembers(tx: Db, rollupId: string, ids: string[]): Promise<void> {
  await tx.query('INSERT INTO site_rollup_member (rollup_id, site_id) SELECT $1, unnest($2::bigint[])', [
    rollupId,
    ids,
  ]);
}
