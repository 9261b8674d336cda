import { z } from 'zod';
import { invitationMessage } from '@spur/email';
import type { AccountsContext } from '../context.ts';
import { isId, withTransaction } from '../db.ts';
import { AccountsError, conflict, forbidden, notFound } from '../errors.ts';
import { hashToken, randomToken } from '../crypto/tokens.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { requireRole, type Role } from '../access/roles.ts';
import { emailSchema, findUserById } from '../users/user.repository.ts';
import { roleSchema } from './member.service.ts';

export const INVITATION_LIFETIME_DAYS = 7;

export const inviteSchema = z.object({ email: emailSchema, role: roleSchema.default('viewer') });

export type InvitationView = {
  id: string;
  organization_id: string;
  email: string;
  role: Role;
  expires_at: string;
  created_at: string;
};

/**
 * Invitations are bound to an address: the emailed link only works for a signed-in user with that
 * address, so a forwarded or leaked link does not let someone else in. Single use, 7 days.
 */
export async function inviteMember(
  ctx: AccountsContext,
  actorId: string,
  organizationId: string,
  input: z.input<typeof inviteSchema>,
): Promise<InvitationView> {
  const actorRole = await requireRole(ctx.db, actorId, organizationId, 'admin');
  const data = inviteSchema.parse(input);
  if (data.role === 'owner' && actorRole !== 'owner') throw forbidden('only owners can invite owners');
  const { rowCount } = await ctx.db.query(
    'SELECT 1 FROM organization_member m JOIN app_user u ON u.id = m.user_id WHERE m.organization_id = $1 AND u.email = $2',
    [organizationId, data.email],
  );
  if (rowCount) throw conflict('this person is already a member', 'email');
  const token = randomToken(32);
  const expires = new Date(ctx.now().getTime() + INVITATION_LIFETIME_DAYS * 86_400_000);
  const { row, organizationName } = await withTransaction(ctx.db, async (tx) => {
    // A new invitation to the same address replaces the pending one.
    await tx.query('DELETE FROM invitation WHERE organization_id = $1 AND email = $2 AND accepted_at IS NULL', [
      organizationId,
      data.email,
    ]);
    const { rows } = await tx.query<InvitationRow>(
      `INSERT INTO invitation (organization_id, email, role, token_hash, invited_by, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, organization_id, email, role, expires_at, created_at`,
      [organizationId, data.email, data.role, hashToken(token), actorId, expires],
    );
    await recordAudit(tx, {
      organizationId,
      userId: actorId,
      action: 'member.invited',
      details: { email: data.email, role: data.role },
    });
    const org = await tx.query<{ name: string }>('SELECT name FROM organization WHERE id = $1', [organizationId]);
    return { row: rows[0]!, organizationName: org.rows[0]!.name };
  });
  const inviter = await findUserById(ctx.db, actorId);
  await ctx.mailer.send({
    to: data.email,
    ...invitationMessage({
      organizationName,
      invitedBy: inviter?.email ?? 'A member',
      role: data.role,
      acceptUrl: ctx.links.acceptInvitation(token),
      expiresInDays: INVITATION_LIFETIME_DAYS,
    }),
  });
  return toView(row);
}

type InvitationRow = Omit<InvitationView, 'expires_at' | 'created_at'> & { expires_at: Date; created_at: Date };
const toView = (r: InvitationRow): InvitationView => ({
  ...r,
  expires_at: r.expires_at.toISOString(),
  created_at: r.created_at.toISOString(),
});

export async function listInvitations(
  ctx: AccountsContext,
  actorId: string,
  organizationId: string,
): Promise<InvitationView[]> {
  await requireRole(ctx.db, actorId, organizationId, 'admin');
  const { rows } = await ctx.db.query<InvitationRow>(
    `SELECT id, organization_id, email, role, expires_at, created_at FROM invitation
      WHERE organization_id = $1 AND accepted_at IS NULL AND expires_at > $2 ORDER BY id`,
    [organizationId, ctx.now()],
  );
  return rows.map(toView);
}

export async function revokeInvitation(
  ctx: AccountsContext,
  actorId: string,
  organizationId: string,
  invitationId: string,
): Promise<void> {
  await requireRole(ctx.db, actorId, organizationId, 'admin');
  if (!isId(invitationId)) throw notFound('invitation not found');
  await withTransaction(ctx.db, async (tx) => {
    const { rows } = await tx.query<{ email: string }>(
      'DELETE FROM invitation WHERE id = $1 AND organization_id = $2 AND accepted_at IS NULL RETURNING email',
      [invitationId, organizationId],
    );
    if (!rows[0]) throw notFound('invitation not found');
    await recordAudit(tx, {
      organizationId,
      userId: actorId,
      action: 'member.invitation_revoked',
      details: { email: rows[0].email },
    });
  });
}

/** Joins the organization with the invited role; returns its id. */
export async function acceptInvitation(
  ctx: AccountsContext,
  userId: string,
  token: string,
): Promise<{ organization_id: string; role: Role }> {
  const user = await findUserById(ctx.db, userId);
  if (!user) throw new AccountsError('unauthorized', 'sign in first');
  return withTransaction(ctx.db, async (tx) => {
    const { rows } = await tx.query<{ id: string; organization_id: string; role: Role }>(
      `UPDATE invitation SET accepted_at = $3
        WHERE token_hash = $1 AND email = $2 AND accepted_at IS NULL AND expires_at > $3
        RETURNING id, organization_id, role`,
      [hashToken(token), user.email, ctx.now()],
    );
    const invitation = rows[0];
    if (!invitation) throw notFound('this invitation is invalid, expired, used, or for another email address');
    // Already a member (say, invited twice): keep the existing role rather than silently changing it.
    const inserted = await tx.query(
      'INSERT INTO organization_member (organization_id, user_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [invitation.organization_id, userId, invitation.role],
    );
    if (inserted.rowCount) {
      await recordAudit(tx, {
        organizationId: invitation.organization_id,
        userId,
        action: 'member.joined',
        details: { role: invitation.role },
      });
    }
    const role = await tx.query<{ role: Role }>(
      'SELECT role FROM organization_member WHERE organization_id = $1 AND user_id = $2',
      [invitation.organization_id, userId],
    );
    return { organization_id: invitation.organization_id, role: role.rows[0]!.role };
  });
}
