import { z } from 'zod';
import { newSignInMessage } from '@spur/email';
import type { AccountsContext, RequestMeta } from '../context.ts';
import { withTransaction } from '../db.ts';
import { AccountsError } from '../errors.ts';
import { decoyHash, hashPassword, needsRehash, verifyPassword } from '../crypto/password-hash.ts';
import { enforceRateLimit, RATE_LIMITS, resetRateLimit } from '../rate-limit/rate-limiter.ts';
import {
  checkLoginAllowed,
  isKnownDevice,
  issueDeviceToken,
  recordLoginFailure,
  recordLoginSuccess,
} from './login-throttle.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { createSession, type NewSession } from '../sessions/session.service.ts';
import { describeUserAgent } from '../sessions/user-agent-label.ts';
import { consumeOneTimeToken, issueOneTimeToken, peekOneTimeToken } from './one-time-token.ts';
import { passSecondFactor } from './two-factor.service.ts';
import { findUserByEmail, findUserById, toPublicUser, type PublicUser, type UserRow } from './user.repository.ts';

export const loginSchema = z.object({ email: z.string().trim().max(254), password: z.string().max(1024) });
export const secondFactorSchema = z.object({
  challenge: z.string().min(1).max(100),
  code: z.string().max(20).optional(),
  recovery_code: z.string().max(40).optional(),
});

export type LoginResult =
  | {
      status: 'signed_in';
      session: NewSession;
      user: PublicUser;
      /** For the browser's long-lived cookie: it marks the browser as known to this account (login-throttle.ts). */
      deviceToken: string;
    }
  | { status: 'two_factor_required'; challenge: string };

const BAD_CREDENTIALS = 'invalid email or password';

/**
 * Unknown address and wrong password get the same answer after the same work (a decoy hash is
 * verified for unknown addresses). Only a caller who knows the password learns that the address
 * is unverified or that a second factor is needed.
 */
export async function login(
  ctx: AccountsContext,
  input: z.input<typeof loginSchema>,
  meta: RequestMeta = {},
): Promise<LoginResult> {
  const { email, password } = loginSchema.parse(input);
  await enforceRateLimit(ctx.redis, RATE_LIMITS.loginByIp, meta.ip);
  const user = await findUserByEmail(ctx.db, email);
  const attempt = { email, ip: meta.ip ?? '', knownDevice: isKnownDevice(ctx, user?.id, meta.deviceToken) };
  await checkLoginAllowed(ctx, attempt);
  const ok = await verifyPassword(password, user?.password_hash ?? (await decoyHash()));
  if (!user || !ok) {
    await recordLoginFailure(ctx, attempt);
    if (user) await recordAudit(ctx.db, { userId: user.id, action: 'user.login_failed' });
    throw new AccountsError('unauthorized', BAD_CREDENTIALS);
  }
  if (!user.email_verified_at)
    throw new AccountsError('forbidden', 'confirm your email address first; we sent you a link');
  if (needsRehash(user.password_hash)) {
    await ctx.db.query('UPDATE app_user SET password_hash = $2 WHERE id = $1', [user.id, await hashPassword(password)]);
  }
  await recordLoginSuccess(ctx, attempt);
  if (user.totp_enabled_at) {
    const challenge = await issueOneTimeToken(ctx.db, { userId: user.id, purpose: 'login_2fa', now: ctx.now() });
    return { status: 'two_factor_required', challenge };
  }
  return signIn(ctx, user, meta);
}

/** Second login step: the challenge from `login` plus a TOTP code or a recovery code. */
export async function completeSecondFactor(
  ctx: AccountsContext,
  input: z.input<typeof secondFactorSchema>,
  meta: RequestMeta = {},
): Promise<LoginResult> {
  const data = secondFactorSchema.parse(input);
  const pending = await peekOneTimeToken(ctx.db, data.challenge, 'login_2fa', ctx.now());
  if (!pending) throw new AccountsError('unauthorized', 'the sign-in expired; start again');
  await enforceRateLimit(ctx.redis, RATE_LIMITS.twoFactorByUser, pending.userId);
  const user = (await findUserById(ctx.db, pending.userId))!;
  const accepted = await passSecondFactor(ctx, user, { code: data.code, recoveryCode: data.recovery_code }, 'login');
  if (!accepted) throw new AccountsError('unauthorized', 'invalid code');
  await resetRateLimit(ctx.redis, RATE_LIMITS.twoFactorByUser, pending.userId);
  // Consuming after the check keeps the challenge usable for a mistyped code; the rate limit bounds guesses.
  if (!(await consumeOneTimeToken(ctx.db, data.challenge, 'login_2fa', ctx.now()))) {
    throw new AccountsError('unauthorized', 'the sign-in expired; start again');
  }
  return signIn(ctx, user, meta);
}

async function signIn(ctx: AccountsContext, user: UserRow, meta: RequestMeta): Promise<LoginResult> {
  const device = describeUserAgent(meta.userAgent ?? '');
  const { rows } = await ctx.db.query<{ known: boolean; returning: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM auth_session WHERE user_id = $1 AND user_agent = $2) AS known,
            EXISTS (SELECT 1 FROM audit_log WHERE user_id = $1 AND action = 'user.login') AS returning`,
    [user.id, device],
  );
  const session = await withTransaction(ctx.db, async (tx) => {
    const created = await createSession(ctx, tx, user.id, meta.userAgent);
    await recordAudit(tx, { userId: user.id, action: 'user.login', details: { device } });
    return created;
  });
  // Tell the owner about sign-ins from a kind of device they have no session on (not on the first ever).
  if (rows[0]!.returning && !rows[0]!.known) {
    await ctx.mailer
      .send({
        to: user.email,
        ...newSignInMessage({ when: ctx.now().toUTCString(), device, sessionsUrl: ctx.links.security }),
      })
      .catch((err: unknown) => ctx.log.warn({ err }, 'new sign-in email failed'));
  }
  return { status: 'signed_in', session, user: toPublicUser(user), deviceToken: issueDeviceToken(ctx, user.id) };
}
