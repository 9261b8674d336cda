import { z } from 'zod';
import { changeEmailMessage, emailChangedMessage } from '@spur/email';
import type { AccountsContext } from '../context.ts';
import { isUniqueViolation, withTransaction } from '../db.ts';
import { AccountsError, conflict, invalid } from '../errors.ts';
import { verifyPassword } from '../crypto/password-hash.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { consumeOneTimeToken, issueOneTimeToken, TOKEN_LIFETIME_MINUTES } from './one-time-token.ts';
import { sendLater } from './send-later.ts';
import { emailSchema, findUserByEmail, findUserById } from './user.repository.ts';

export const changeEmailSchema = z.object({ new_email: emailSchema, password: z.string().max(1024) });

/**
 * Sends a confirmation link to the new address; the account keeps its old one until the link is
 * used. When the new address already belongs to someone, nothing is sent and the answer is the
 * same, so this cannot be used to probe for accounts.
 */
export async function requestEmailChange(
  ctx: AccountsContext,
  userId: string,
  input: z.input<typeof changeEmailSchema>,
): Promise<void> {
  const data = changeEmailSchema.parse(input);
  const user = await findUserById(ctx.db, userId);
  if (!user) throw new AccountsError('unauthorized', 'not signed in');
  if (!(await verifyPassword(data.password, user.password_hash))) throw invalid('wrong password', 'password');
  if (data.new_email === user.email) throw invalid('this is already your address', 'new_email');
  if (await findUserByEmail(ctx.db, data.new_email)) return;
  const now = ctx.now();
  sendLater(ctx, 'email-change confirmation', async () => {
    const token = await issueOneTimeToken(ctx.db, {
      userId,
      purpose: 'change_email',
      payload: { email: data.new_email },
      now,
    });
    await ctx.mailer.send({
      to: data.new_email,
      ...changeEmailMessage({
        confirmUrl: ctx.links.confirmEmailChange(token),
        newEmail: data.new_email,
        expiresInHours: TOKEN_LIFETIME_MINUTES.change_email / 60,
      }),
    });
  });
}

export async function confirmEmailChange(ctx: AccountsContext, token: string): Promise<{ email: string }> {
  const { oldEmail, newEmail } = await withTransaction(ctx.db, async (tx) => {
    const used = await consumeOneTimeToken(tx, token, 'change_email', ctx.now());
    if (!used) throw new AccountsError('invalid', 'this link is invalid or has expired', 'token');
    const email = String(used.payload.email);
    const before = (await findUserById(tx, used.userId))!;
    try {
      await tx.query('UPDATE app_user SET email = $2, email_verified_at = $3, updated_at = $3 WHERE id = $1', [
        used.userId,
        email,
        ctx.now(),
      ]);
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('this address is no longer available', 'email');
      throw error;
    }
    await recordAudit(tx, {
      userId: used.userId,
      action: 'user.email_changed',
      details: { from: before.email, to: email },
    });
    return { oldEmail: before.email, newEmail: email };
  });
  // The old address hears about it, in case the change was not its owner's doing.
  await ctx.mailer
    .send({
      to: oldEmail,
      ...emailChangedMessage({ newEmail, when: ctx.now().toUTCString(), settingsUrl: ctx.links.profile }),
    })
    .catch((err: unknown) => ctx.log.warn({ err }, 'email-changed notice failed'));
  return { email: newEmail };
}
