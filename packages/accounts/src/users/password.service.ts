import { z } from 'zod';
import { passwordChangedMessage, resetPasswordMessage } from '@spur/email';
import type { AccountsContext, RequestMeta } from '../context.ts';
import { withTransaction, type Db } from '../db.ts';
import { AccountsError, invalid } from '../errors.ts';
import { hashPassword, verifyPassword } from '../crypto/password-hash.ts';
import { checkPassword, describePasswordProblem } from '../passwords/password-policy.ts';
import { enforceRateLimit, RATE_LIMITS } from '../rate-limit/rate-limiter.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { endOtherSessions } from '../sessions/session.service.ts';
import { consumeOneTimeToken, issueOneTimeToken, TOKEN_LIFETIME_MINUTES } from './one-time-token.ts';
import { sendLater } from './send-later.ts';
import { emailSchema, findUserByEmail, findUserById } from './user.repository.ts';

export const resetPasswordSchema = z.object({ token: z.string().min(1).max(100), password: z.string() });
export const changePasswordSchema = z.object({ current_password: z.string().max(1024), new_password: z.string() });

/** Always answers the same; only a registered address receives a link. */
export async function requestPasswordReset(ctx: AccountsContext, email: string, meta: RequestMeta = {}): Promise<void> {
  const address = emailSchema.parse(email);
  await enforceRateLimit(ctx.redis, RATE_LIMITS.resetByIp, meta.ip);
  await enforceRateLimit(ctx.redis, RATE_LIMITS.resetByEmail, address);
  const user = await findUserByEmail(ctx.db, address);
  if (!user) return;
  // After the answer: otherwise only registered addresses would pay for the token and the send.
  const now = ctx.now();
  sendLater(ctx, 'password reset', async () => {
    const token = await issueOneTimeToken(ctx.db, { userId: user.id, purpose: 'reset_password', now });
    await ctx.mailer.send({
      to: user.email,
      ...resetPasswordMessage({
        resetUrl: ctx.links.resetPassword(token),
        expiresInMinutes: TOKEN_LIFETIME_MINUTES.reset_password,
      }),
    });
  });
}

/**
 * Sets a new password from an emailed link. Every session ends (whoever knew the old password is
 * signed out), and the address counts as verified: the link proved the mailbox.
 */
export async function resetPassword(ctx: AccountsContext, input: z.input<typeof resetPasswordSchema>): Promise<void> {
  const data = resetPasswordSchema.parse(input);
  const hash = await hashPassword(data.password);
  const userId = await withTransaction(ctx.db, async (tx) => {
    const used = await consumeOneTimeToken(tx, data.token, 'reset_password', ctx.now());
    if (!used) throw new AccountsError('invalid', 'this link is invalid or has expired', 'token');
    const user = (await findUserById(tx, used.userId))!;
    const problem = checkPassword(data.password, user.email);
    if (problem) throw invalid(describePasswordProblem(problem), 'password');
    await storePassword(tx, used.userId, hash, ctx.now());
    await tx.query('UPDATE app_user SET email_verified_at = coalesce(email_verified_at, $2) WHERE id = $1', [
      used.userId,
      ctx.now(),
    ]);
    await endOtherSessions(tx, used.userId);
    await recordAudit(tx, { userId: used.userId, action: 'user.password_reset' });
    return used.userId;
  });
  await notifyChanged(ctx, userId);
}

/** Needs the current password; keeps the caller's session and ends every other one. */
export async function changePassword(
  ctx: AccountsContext,
  userId: string,
  currentSessionId: string | undefined,
  input: z.input<typeof changePasswordSchema>,
): Promise<void> {
  const data = changePasswordSchema.parse(input);
  const user = await findUserById(ctx.db, userId);
  if (!user) throw new AccountsError('unauthorized', 'not signed in');
  if (!(await verifyPassword(data.current_password, user.password_hash)))
    throw invalid('wrong password', 'current_password');
  const problem = checkPassword(data.new_password, user.email);
  if (problem) throw invalid(describePasswordProblem(problem), 'new_password');
  const hash = await hashPassword(data.new_password);
  await withTransaction(ctx.db, async (tx) => {
    await storePassword(tx, userId, hash, ctx.now());
    await endOtherSessions(tx, userId, currentSessionId);
    // The session that made the change counts as signed in again under the new password.
    if (currentSessionId)
      await tx.query('UPDATE auth_session SET created_at = $2 WHERE id = $1', [currentSessionId, ctx.now()]);
    await recordAudit(tx, { userId, action: 'user.password_changed' });
  });
  await notifyChanged(ctx, userId);
}

async function storePassword(db: Db, userId: string, hash: string, now: Date): Promise<void> {
  await db.query('UPDATE app_user SET password_hash = $2, credentials_changed_at = $3, updated_at = $3 WHERE id = $1', [
    userId,
    hash,
    now,
  ]);
  // Any other outstanding reset link dies with the old password.
  await db.query("DELETE FROM one_time_token WHERE user_id = $1 AND purpose = 'reset_password' AND used_at IS NULL", [
    userId,
  ]);
}

async function notifyChanged(ctx: AccountsContext, userId: string): Promise<void> {
  const user = await findUserById(ctx.db, userId);
  if (!user) return;
  await ctx.mailer
    .send({
      to: user.email,
      ...passwordChangedMessage({ when: ctx.now().toUTCString(), forgotPasswordUrl: ctx.links.forgotPassword }),
    })
    .catch((err: unknown) => ctx.log.warn({ err }, 'password-changed email failed'));
}
