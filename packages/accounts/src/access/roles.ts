import type { Db } from '../db.ts';
import { isId } from '../db.ts';
import { forbidden, notFound } from '../errors.ts';

export type Role = 'owner' | 'admin' | 'viewer';
export const ROLES: readonly Role[] = ['owner', 'admin', 'viewer'];

const RANK: Record<Role, number> = { viewer: 1, admin: 2, owner: 3 };

export function roleAtLeast(role: Role, minimum: Role): boolean {
  return RANK[role] >= RANK[minimum];
}

export async function getMemberRole(db: Db, userId: string, organizationId: string): Promise<Role | undefined> {
  if (!isId(organizationId)) return undefined;
  const { rows } = await db.query<{ role: Role }>(
    'SELECT role FROM organization_member WHERE organization_id = $1 AND user_id = $2',
    [organizationId, userId],
  );
  return rows[0]?.role;
}

/**
 * The one gate for organization settings: a non-member gets not_found (the organization's
 * existence is not confirmed), a member below `minimum` gets forbidden.
 */
export async function requireRole(db: Db, userId: string, organizationId: string, minimum: Role): Promise<Role> {
  const role = await getMemberRole(db, userId, organizationId);
  if (!role) throw notFound('organization not found');
  if (!roleAtLeast(role, minimum)) throw forbidden();
  return role;
}

/** Same gate, reached through a site: returns the site's organization and the caller's role. */
export async function requireSiteRole(
  db: Db,
  userId: string,
  siteId: string,
  minimum: Role,
): Promise<{ organizationId: string; role: Role }> {
  if (!isId(siteId)) throw notFound('site not found');
  const { rows } = await db.query<{ organization_id: string; role: Role }>(
    `SELECT s.organization_id, m.role
       FROM site s JOIN organization_member m ON m.organization_id = s.organization_id AND m.user_id = $2
      WHERE s.id = $1`,
    [siteId, userId],
  );
  const row = rows[0];
  if (!row) throw notFound('site not found');
  if (!roleAtLeast(row.role, minimum)) throw forbidden();
  return { organizationId: row.organization_id, role: row.role };
}
