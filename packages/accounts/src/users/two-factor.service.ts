import { randomBytes } from 'node:crypto';
import type { PoolClient } from 'pg';
import { twoFactorChangedMessage } from '@spur/email';
import type { AccountsContext } from '../context.ts';
import { withTransaction } from '../db.ts';
import { AccountsError, conflict } from '../errors.ts';
import { hashToken } from '../crypto/tokens.ts';
import { verifyPassword } from '../crypto/password-hash.ts';
import { enforceRateLimit, RATE_LIMITS, resetRateLimit } from '../rate-limit/rate-limiter.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { base32Encode } from '../totp/base32.ts';
import { generateTotpSecret, otpauthUrl, verifyTotp } from '../totp/totp.ts';
import { findUserById, type UserRow } from './user.repository.ts';

const RECOVERY_CODE_COUNT = 10;

/**
 * Recovery codes: 16 base32 characters (80 bits, so their SHA-256 digests cannot be brute-forced
 * from a dump), shown as xxxx-xxxx-xxxx-xxxx and compared without case or dashes.
 */
function newRecoveryCode(): string {
  const raw = base32Encode(randomBytes(10)).toLowerCase();
  return raw.match(/.{4}/g)!.join('-');
}
const normalizeRecoveryCode = (code: string) => code.trim().toLowerCase().replace(/[\s-]/g, '');

async function loadUser(ctx: AccountsContext, userId: string): Promise<UserRow> {
  const user = await findUserById(ctx.db, userId);
  if (!user) throw new AccountsError('unauthorized', 'not signed in');
  return user;
}

/** Step 1: a new seed, stored sealed but not yet active, returned once for the QR code. */
export async function startTwoFactorSetup(
  ctx: AccountsContext,
  userId: string,
): Promise<{ secret: string; otpauth_url: string }> {
  const user = await loadUser(ctx, userId);
  if (user.totp_enabled_at) throw conflict('two-factor authentication is already enabled');
  const secret = generateTotpSecret();
  await ctx.db.query('UPDATE app_user SET totp_secret = $2, totp_last_step = NULL WHERE id = $1', [
    userId,
    ctx.totpBox.seal(secret),
  ]);
  return { secret, otpauth_url: otpauthUrl(secret, user.email) };
}

/** Step 2: a correct code proves the app has the seed; returns the recovery codes, shown once. */
export async function enableTwoFactor(
  ctx: AccountsContext,
  userId: string,
  code: string,
): Promise<{ recovery_codes: string[] }> {
  const user = await loadUser(ctx, userId);
  if (user.totp_enabled_at) throw conflict('two-factor authentication is already enabled');
  if (!user.totp_secret) throw new AccountsError('invalid', 'start the setup first', 'code');
  await enforceRateLimit(ctx.redis, RATE_LIMITS.twoFactorByUser, userId);
  const step = verifyTotp(ctx.totpBox.open(user.totp_secret), code, ctx.now().getTime() / 1000);
  if (step === undefined) throw new AccountsError('invalid', 'invalid code', 'code');
  await resetRateLimit(ctx.redis, RATE_LIMITS.twoFactorByUser, userId);
  const codes = await withTransaction(ctx.db, async (tx) => {
    await tx.query('UPDATE app_user SET totp_enabled_at = $2, totp_last_step = $3, updated_at = $2 WHERE id = $1', [
      userId,
      ctx.now(),
      step,
    ]);
    const fresh = await replaceRecoveryCodes(tx, userId);
    await recordAudit(tx, { userId, action: 'user.2fa_enabled' });
    return fresh;
  });
  await notify(ctx, user, true);
  return { recovery_codes: codes };
}

export async function disableTwoFactor(
  ctx: AccountsContext,
  userId: string,
  input: { password: string; code?: string; recovery_code?: string },
): Promise<void> {
  const user = await loadUser(ctx, userId);
  if (!user.totp_enabled_at) throw conflict('two-factor authentication is not enabled');
  await enforceRateLimit(ctx.redis, RATE_LIMITS.twoFactorByUser, userId);
  if (!(await verifyPassword(input.password, user.password_hash)))
    throw new AccountsError('invalid', 'wrong password', 'password');
  if (!(await passSecondFactor(ctx, user, { code: input.code, recoveryCode: input.recovery_code }, '2fa_disable'))) {
    throw new AccountsError('invalid', 'invalid code', 'code');
  }
  await withTransaction(ctx.db, async (tx) => {
    await tx.query(
      'UPDATE app_user SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL, updated_at = $2 WHERE id = $1',
      [userId, ctx.now()],
    );
    await tx.query('DELETE FROM recovery_code WHERE user_id = $1', [userId]);
    await recordAudit(tx, { userId, action: 'user.2fa_disabled' });
  });
  await notify(ctx, user, false);
}

export async function regenerateRecoveryCodes(
  ctx: AccountsContext,
  userId: string,
  code: string,
): Promise<{ recovery_codes: string[] }> {
  const user = await loadUser(ctx, userId);
  if (!user.totp_enabled_at) throw conflict('two-factor authentication is not enabled');
  await enforceRateLimit(ctx.redis, RATE_LIMITS.twoFactorByUser, userId);
  if (!(await passSecondFactor(ctx, user, { code }, 'recovery_codes_regenerate')))
    throw new AccountsError('invalid', 'invalid code', 'code');
  return withTransaction(ctx.db, async (tx) => {
    const codes = await replaceRecoveryCodes(tx, userId);
    await recordAudit(tx, { userId, action: 'user.recovery_codes_regenerated' });
    return { recovery_codes: codes };
  });
}

type SecondFactorInput = { code?: string; recoveryCode?: string };

/**
 * Checks a second factor and writes a failure to the user's audit log: whoever gets this far has
 * the password (at login) or a session (the other steps), so a wrong code is a warning sign the
 * owner should be able to see. The row names the kind of code tried, never the code.
 */
export async function passSecondFactor(
  ctx: AccountsContext,
  user: UserRow,
  input: SecondFactorInput,
  during: 'login' | '2fa_disable' | 'recovery_codes_regenerate' | 'account_delete',
): Promise<boolean> {
  if (await checkSecondFactor(ctx, user, input)) return true;
  const method = input.code ? 'totp' : input.recoveryCode ? 'recovery_code' : 'none';
  await recordAudit(ctx.db, { userId: user.id, action: 'user.2fa_failed', details: { method, during } });
  return false;
}

/**
 * Accepts a TOTP code (each time step once) or an unused recovery code (each once). Callers
 * rate-limit before calling.
 */
async function checkSecondFactor(ctx: AccountsContext, user: UserRow, input: SecondFactorInput): Promise<boolean> {
  if (!user.totp_enabled_at || !user.totp_secret) return false;
  if (input.code) {
    const lastStep = user.totp_last_step === null ? null : Number(user.totp_last_step);
    const step = verifyTotp(ctx.totpBox.open(user.totp_secret), input.code, ctx.now().getTime() / 1000, {
      lastUsedStep: lastStep,
    });
    if (step === undefined) return false;
    // The conditional update makes a replay that races the first use fail too.
    const { rowCount } = await ctx.db.query(
      'UPDATE app_user SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)',
      [user.id, step],
    );
    return rowCount === 1;
  }
  if (input.recoveryCode) {
    const { rowCount } = await ctx.db.query(
      'UPDATE recovery_code SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL',
      [user.id, hashToken(normalizeRecoveryCode(input.recoveryCode)), ctx.now()],
    );
    return rowCount === 1;
  }
  return false;
}

async function replaceRecoveryCodes(tx: PoolClient, userId: string): Promise<string[]> {
  await tx.query('DELETE FROM recovery_code WHERE user_id = $1', [userId]);
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  for (const code of codes) {
    await tx.query('INSERT INTO recovery_code (user_id, code_hash) VALUES ($1, $2)', [
      userId,
      hashToken(normalizeRecoveryCode(code)),
    ]);
  }
  return codes;
}

async function notify(ctx: AccountsContext, user: UserRow, enabled: boolean): Promise<void> {
  await ctx.mailer
    .send({
      to: user.email,
      ...twoFactorChangedMessage({ enabled, when: ctx.now().toUTCString(), securityUrl: ctx.links.security }),
    })
    .catch((err: unknown) => ctx.log.warn({ err }, '2FA notice email failed'));
}
