import { z } from 'zod';
import { existingAccountMessage, verifyEmailMessage } from '@spur/email';
import type { AccountsContext, RequestMeta } from '../context.ts';
import { isUniqueViolation, withTransaction } from '../db.ts';
import { AccountsError, invalid } from '../errors.ts';
import { hashPassword } from '../crypto/password-hash.ts';
import { checkPassword, describePasswordProblem } from '../passwords/password-policy.ts';
import { enforceRateLimit, RATE_LIMITS } from '../rate-limit/rate-limiter.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { insertOrganization } from '../organizations/organization.service.ts';
import { consumeOneTimeToken, issueOneTimeToken, TOKEN_LIFETIME_MINUTES } from './one-time-token.ts';
import { sendLater } from './send-later.ts';
import { emailSchema, findUserByEmail } from './user.repository.ts';

export const signUpSchema = z.object({
  email: emailSchema,
  password: z.string(),
  accept_terms: z.literal(true, { error: 'the terms must be accepted' }),
});

/**
 * Creates the user, their personal organization (as owner) and sends the verification email.
 * The answer is the same whether or not the address was already registered, and an existing
 * account is left untouched: sign-up must not tell strangers who has an account.
 */
export async function signUp(
  ctx: AccountsContext,
  input: z.input<typeof signUpSchema>,
  meta: RequestMeta = {},
): Promise<void> {
  const data = signUpSchema.parse(input);
  await enforceRateLimit(ctx.redis, RATE_LIMITS.signupByIp, meta.ip);
  const problem = checkPassword(data.password, data.email);
  if (problem) throw invalid(describePasswordProblem(problem), 'password');
  // Hash before looking the address up, so both paths take the same time.
  const passwordHash = await hashPassword(data.password);
  if (await findUserByEmail(ctx.db, data.email)) {
    // The owner learns of the attempt; the caller learns nothing, not even from the timing.
    sendLater(ctx, 'existing-account notice', () =>
      ctx.mailer.send({
        to: data.email,
        ...existingAccountMessage({ loginUrl: ctx.links.login, resetUrl: ctx.links.forgotPassword }),
      }),
    );
    return;
  }
  let token: string;
  try {
    token = await withTransaction(ctx.db, async (tx) => {
      const { rows } = await tx.query<{ id: string }>(
        'INSERT INTO app_user (email, password_hash, terms_accepted_at) VALUES ($1, $2, $3) RETURNING id',
        [data.email, passwordHash, ctx.now()],
      );
      const userId = rows[0]!.id;
      await insertOrganization(tx, userId, 'Personal', true);
      await recordAudit(tx, { userId, action: 'user.signup' });
      return issueOneTimeToken(tx, { userId, purpose: 'verify_email', now: ctx.now() });
    });
  } catch (error) {
    // Two sign-ups for one address at once: the loser answers like any existing address.
    if (isUniqueViolation(error)) return;
    throw error;
  }
  sendLater(ctx, 'verification email', () => sendVerification(ctx, data.email, token));
}

async function sendVerification(ctx: AccountsContext, email: string, token: string): Promise<void> {
  await ctx.mailer.send({
    to: email,
    ...verifyEmailMessage({
      verifyUrl: ctx.links.verifyEmail(token),
      expiresInHours: TOKEN_LIFETIME_MINUTES.verify_email / 60,
    }),
  });
}

export async function verifyEmail(ctx: AccountsContext, token: string): Promise<void> {
  await withTransaction(ctx.db, async (tx) => {
    const used = await consumeOneTimeToken(tx, token, 'verify_email', ctx.now());
    if (!used) throw new AccountsError('invalid', 'this link is invalid or has expired', 'token');
    await tx.query(
      'UPDATE app_user SET email_verified_at = coalesce(email_verified_at, $2), updated_at = $2 WHERE id = $1',
      [used.userId, ctx.now()],
    );
    await recordAudit(tx, { userId: used.userId, action: 'user.email_verified' });
  });
}

/** Sends a fresh link to an unverified account; silent for unknown or verified addresses. */
export async function resendVerification(ctx: AccountsContext, email: string, meta: RequestMeta = {}): Promise<void> {
  const address = emailSchema.parse(email);
  await enforceRateLimit(ctx.redis, RATE_LIMITS.verifyResendByEmail, address);
  await enforceRateLimit(ctx.redis, RATE_LIMITS.signupByIp, meta.ip);
  const user = await findUserByEmail(ctx.db, address);
  if (!user || user.email_verified_at) return;
  const now = ctx.now();
  sendLater(ctx, 'verification email', async () => {
    const token = await issueOneTimeToken(ctx.db, { userId: user.id, purpose: 'verify_email', now });
    await sendVerification(ctx, user.email, token);
  });
}
