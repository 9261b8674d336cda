import { z } from 'zod';
import type { AccountsContext } from '../context.ts';
import { AccountsError, invalid } from '../errors.ts';
import { verifyPassword } from '../crypto/password-hash.ts';
import { enforceRateLimit, RATE_LIMITS } from '../rate-limit/rate-limiter.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { deleteOrganizationCompletely } from '../organizations/organization.service.ts';
import { passSecondFactor } from './two-factor.service.ts';
import { findUserById } from './user.repository.ts';

export const deleteAccountSchema = z.object({
  password: z.string().max(1024),
  /** Typed by the user as the explicit confirmation. */
  confirm: z.literal('DELETE', { error: 'type DELETE to confirm' }),
  code: z.string().max(20).optional(),
});

/**
 * Deletes the user. Organizations where they are the only owner go with them, sites and
 * ClickHouse statistics included; in organizations with another owner they simply stop being a
 * member. Needs the password, the typed confirmation, and the TOTP code when 2FA is on.
 */
export async function deleteAccount(
  ctx: AccountsContext,
  userId: string,
  input: z.input<typeof deleteAccountSchema>,
): Promise<{ deleted_organizations: string[] }> {
  const data = deleteAccountSchema.parse(input);
  const user = await findUserById(ctx.db, userId);
  if (!user) throw new AccountsError('unauthorized', 'not signed in');
  if (!(await verifyPassword(data.password, user.password_hash))) throw invalid('wrong password', 'password');
  if (user.totp_enabled_at) {
    await enforceRateLimit(ctx.redis, RATE_LIMITS.twoFactorByUser, userId);
    if (!(await passSecondFactor(ctx, user, { code: data.code }, 'account_delete')))
      throw invalid('invalid code', 'code');
  }
  const { rows } = await ctx.db.query<{ organization_id: string }>(
    `SELECT m.organization_id FROM organization_member m
      WHERE m.user_id = $1 AND m.role = 'owner'
        AND NOT EXISTS (SELECT 1 FROM organization_member o
                         WHERE o.organization_id = m.organization_id AND o.role = 'owner' AND o.user_id <> $1)`,
    [userId],
  );
  const solelyOwned = rows.map((r) => r.organization_id);
  for (const organizationId of solelyOwned) await deleteOrganizationCompletely(ctx, organizationId);
  await ctx.db.query('DELETE FROM app_user WHERE id = $1', [userId]);
  await recordAudit(ctx.db, { action: 'user.deleted', details: { user_id: userId, organizations: solelyOwned } });
  return { deleted_organizations: solelyOwned };
}
