import { z } from 'zod';
import type { AccountsContext } from '../context.ts';
import { isId, withTransaction, type Db } from '../db.ts';
import { AccountsError, forbidden, notFound } from '../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { requireRole, ROLES, type Role } from '../access/roles.ts';

export const roleSchema = z.enum(ROLES as [Role, ...Role[]]);

export type MemberView = { user_id: string; email: string; role: Role; joined_at: string };

export async function listMembers(ctx: AccountsContext, userId: string, organizationId: string): Promise<MemberView[]> {
  await requireRole(ctx.db, userId, organizationId, 'viewer');
  const { rows } = await ctx.db.query<{ user_id: string; email: string; role: Role; created_at: Date }>(
    `SELECT m.user_id, u.email, m.role, m.created_at FROM organization_member m JOIN app_user u ON u.id = m.user_id
      WHERE m.organization_id = $1 ORDER BY m.created_at, m.user_id`,
    [organizationId],
  );
  return rows.map((r) => ({ user_id: r.user_id, email: r.email, role: r.role, joined_at: r.created_at.toISOString() }));
}

/** How many people belong to the organization (the statistics overview's `member`); no access check. */
export async function countMembers(db: Db, organizationId: string): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    'SELECT count(*) AS n FROM organization_member WHERE organization_id = $1',
    [organizationId],
  );
  return Number(rows[0]?.n ?? 0);
}

/** Locks the organization's member rows, so two concurrent demotions cannot both pass the last-owner check. */
async function lockMembers(tx: Db, organizationId: string): Promise<Map<string, Role>> {
  const { rows } = await tx.query<{ user_id: string; role: Role }>(
    'SELECT user_id, role FROM organization_member WHERE organization_id = $1 FOR UPDATE',
    [organizationId],
  );
  return new Map(rows.map((r) => [r.user_id, r.role]));
}

const ownerCount = (members: Map<string, Role>) => [...members.values()].filter((r) => r === 'owner').length;

/**
 * Admins manage viewers and admins; only owners grant, change or take away the owner role. The
 * last owner cannot be demoted: an organization always has someone who can delete it.
 */
export async function changeMemberRole(
  ctx: AccountsContext,
  actorId: string,
  organizationId: string,
  memberId: string,
  input: { role: unknown },
): Promise<void> {
  const actorRole = await requireRole(ctx.db, actorId, organizationId, 'admin');
  // Parsed as the body's `role` field, so a bad value is a 400 naming `role` (parsed bare, it was `body`).
  const { role } = z.object({ role: roleSchema }).parse({ role: input.role });
  if (!isId(memberId)) throw notFound('member not found');
  await withTransaction(ctx.db, async (tx) => {
    const members = await lockMembers(tx, organizationId);
    const current = members.get(memberId);
    if (!current) throw notFound('member not found');
    if ((current === 'owner' || role === 'owner') && actorRole !== 'owner')
      throw forbidden('only owners can grant or change the owner role');
    if (current === 'owner' && role !== 'owner' && ownerCount(members) === 1) {
      throw new AccountsError('conflict', 'the last owner cannot be demoted; make someone else owner first', 'role');
    }
    await tx.query('UPDATE organization_member SET role = $3 WHERE organization_id = $1 AND user_id = $2', [
      organizationId,
      memberId,
      role,
    ]);
    await recordAudit(tx, {
      organizationId,
      userId: actorId,
      action: 'member.role_changed',
      details: { member_id: memberId, from: current, to: role },
    });
  });
}

export async function removeMember(
  ctx: AccountsContext,
  actorId: string,
  organizationId: string,
  memberId: string,
): Promise<void> {
  const actorRole = await requireRole(ctx.db, actorId, organizationId, 'admin');
  if (!isId(memberId)) throw notFound('member not found');
  await withTransaction(ctx.db, async (tx) => {
    const members = await lockMembers(tx, organizationId);
    const current = members.get(memberId);
    if (!current) throw notFound('member not found');
    if (current === 'owner' && actorRole !== 'owner') throw forbidden('only owners can remove an owner');
    if (current === 'owner' && ownerCount(members) === 1)
      throw new AccountsError('conflict', 'the last owner cannot be removed');
    await tx.query('DELETE FROM organization_member WHERE organization_id = $1 AND user_id = $2', [
      organizationId,
      memberId,
    ]);
    await recordAudit(tx, {
      organizationId,
      userId: actorId,
      action: 'member.removed',
      details: { member_id: memberId, role: current },
    });
  });
}

/** Any member may leave, except the last owner (who deletes the organization instead). */
export async function leaveOrganization(ctx: AccountsContext, userId: string, organizationId: string): Promise<void> {
  await requireRole(ctx.db, userId, organizationId, 'viewer');
  await withTransaction(ctx.db, async (tx) => {
    const members = await lockMembers(tx, organizationId);
    if (members.get(userId) === 'owner' && ownerCount(members) === 1) {
      throw new AccountsError(
        'conflict',
        'the last owner cannot leave; make someone else owner or delete the organization',
      );
    }
    await tx.query('DELETE FROM organization_member WHERE organization_id = $1 AND user_id = $2', [
      organizationId,
      userId,
    ]);
    await recordAudit(tx, { organizationId, userId, action: 'member.left' });
  });
}
