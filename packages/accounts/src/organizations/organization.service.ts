import { z } from 'zod';
import type { AccountsContext } from '../context.ts';
import { withTransaction, type Db } from '../db.ts';
import { forbidden } from '../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { requireRole, type Role } from '../access/roles.ts';
import { deleteSitesStatistics, sweepDeletedSitesStatistics } from '../sites/site-data.service.ts';
import { announceSiteSettingsChanged } from '../sites/site.repository.ts';

export const organizationNameSchema = z.string().trim().min(1).max(100);

export type OrganizationView = { id: string; name: string; personal: boolean; role: Role; created_at: string };

type OrganizationRow = { id: string; name: string; personal: boolean; role: Role; created_at: Date };

const toView = (r: OrganizationRow): OrganizationView => ({ ...r, created_at: r.created_at.toISOString() });

/** Creates an organization with `userId` as its owner (inside the caller's transaction if any). */
export async function insertOrganization(db: Db, userId: string, name: string, personal = false): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    'INSERT INTO organization (name, personal) VALUES ($1, $2) RETURNING id',
    [name, personal],
  );
  const id = rows[0]!.id;
  await db.query("INSERT INTO organization_member (organization_id, user_id, role) VALUES ($1, $2, 'owner')", [
    id,
    userId,
  ]);
  await recordAudit(db, { organizationId: id, userId, action: 'organization.created', details: { name } });
  return id;
}

export async function createOrganization(
  ctx: AccountsContext,
  userId: string,
  name: string,
): Promise<OrganizationView> {
  const clean = organizationNameSchema.parse(name);
  const id = await withTransaction(ctx.db, (tx) => insertOrganization(tx, userId, clean));
  return getOrganization(ctx, userId, id);
}

export async function listOrganizations(ctx: AccountsContext, userId: string): Promise<OrganizationView[]> {
  const { rows } = await ctx.db.query<OrganizationRow>(
    `SELECT o.id, o.name, o.personal, m.role, o.created_at
       FROM organization o JOIN organization_member m ON m.organization_id = o.id
      WHERE m.user_id = $1 ORDER BY o.personal DESC, o.name, o.id`,
    [userId],
  );
  return rows.map(toView);
}

export async function getOrganization(
  ctx: AccountsContext,
  userId: string,
  organizationId: string,
): Promise<OrganizationView> {
  await requireRole(ctx.db, userId, organizationId, 'viewer');
  const { rows } = await ctx.db.query<OrganizationRow>(
    `SELECT o.id, o.name, o.personal, m.role, o.created_at
       FROM organization o JOIN organization_member m ON m.organization_id = o.id AND m.user_id = $2
      WHERE o.id = $1`,
    [organizationId, userId],
  );
  return toView(rows[0]!);
}

export async function renameOrganization(
  ctx: AccountsContext,
  userId: string,
  organizationId: string,
  name: string,
): Promise<OrganizationView> {
  await requireRole(ctx.db, userId, organizationId, 'admin');
  const clean = organizationNameSchema.parse(name);
  await withTransaction(ctx.db, async (tx) => {
    await tx.query('UPDATE organization SET name = $2, updated_at = now() WHERE id = $1', [organizationId, clean]);
    await recordAudit(tx, { organizationId, userId, action: 'organization.renamed', details: { name: clean } });
  });
  return getOrganization(ctx, userId, organizationId);
}

/**
 * Owners only. Removes the organization, its sites and settings (Postgres cascades) and its
 * statistics in ClickHouse. The statistics go first: if that fails, nothing is half-deleted.
 */
export async function deleteOrganization(ctx: AccountsContext, userId: string, organizationId: string): Promise<void> {
  const role = await requireRole(ctx.db, userId, organizationId, 'viewer');
  if (role !== 'owner') throw forbidden('only an owner can delete the organization');
  const deleted = await deleteOrganizationCompletely(ctx, organizationId);
  await recordAudit(ctx.db, { userId, action: 'organization.deleted', details: deleted });
}

/**
 * What an `organization.deleted` row keeps. The row cannot name the organization in its column
 * (the foreign key points at a row that is gone, and the organization's own log cascades away with
 * it), so the details carry the id, and the name and sites without which the id means nothing.
 */
export type DeletedOrganization = { organization_id: string; name: string | null; site_ids: string[] };

/** Like deleting each site (site.service.ts): statistics, rows, announcements, second pass. */
export async function deleteOrganizationCompletely(
  ctx: AccountsContext,
  organizationId: string,
): Promise<DeletedOrganization> {
  const { rows } = await ctx.db.query<{ id: string }>('SELECT id FROM site WHERE organization_id = $1 ORDER BY id', [
    organizationId,
  ]);
  const siteIds = rows.map((r) => r.id);
  await deleteSitesStatistics(ctx, siteIds);
  const gone = await ctx.db.query<{ name: string }>('DELETE FROM organization WHERE id = $1 RETURNING name', [
    organizationId,
  ]);
  await Promise.all(siteIds.map((id) => announceSiteSettingsChanged(ctx.redis, id)));
  await sweepDeletedSitesStatistics(ctx, siteIds);
  return { organization_id: organizationId, name: gone.rows[0]?.name ?? null, site_ids: siteIds };
}
