import type { Db } from '../db.ts';
import { hashToken, randomToken } from '../crypto/tokens.ts';

/**
 * Single-purpose, expiring, single-use secrets sent by email (or held by the browser between the
 * two login steps). Only the digest is stored; a token is consumed by one UPDATE that checks
 * purpose, expiry and use at once, so two concurrent uses cannot both succeed.
 */
export type TokenPurpose = 'verify_email' | 'reset_password' | 'change_email' | 'login_2fa';

export const TOKEN_LIFETIME_MINUTES: Record<TokenPurpose, number> = {
  verify_email: 24 * 60,
  reset_password: 60,
  change_email: 24 * 60,
  login_2fa: 5,
};

export async function issueOneTimeToken(
  db: Db,
  input: { userId: string; purpose: TokenPurpose; payload?: Record<string, unknown>; now: Date },
): Promise<string> {
  const token = randomToken(32);
  const expires = new Date(input.now.getTime() + TOKEN_LIFETIME_MINUTES[input.purpose] * 60_000);
  // A new link replaces older unused ones of the same purpose: only the latest email works.
  await db.query('DELETE FROM one_time_token WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL', [
    input.userId,
    input.purpose,
  ]);
  await db.query(
    'INSERT INTO one_time_token (token_hash, purpose, user_id, payload, expires_at) VALUES ($1, $2, $3, $4, $5)',
    [hashToken(token), input.purpose, input.userId, JSON.stringify(input.payload ?? {}), expires],
  );
  return token;
}

/** Marks the token used and returns its owner, or undefined when unknown, expired, used or for another purpose. */
export async function consumeOneTimeToken(
  db: Db,
  token: string,
  purpose: TokenPurpose,
  now: Date,
): Promise<{ userId: string; payload: Record<string, unknown> } | undefined> {
  const { rows } = await db.query<{ user_id: string; payload: Record<string, unknown> }>(
    `UPDATE one_time_token SET used_at = $3
      WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3
      RETURNING user_id, payload`,
    [hashToken(token), purpose, now],
  );
  const row = rows[0];
  return row ? { userId: row.user_id, payload: row.payload } : undefined;
}

/** Reads without consuming (the second login step checks the code before using the challenge). */
export async function peekOneTimeToken(
  db: Db,
  token: string,
  purpose: TokenPurpose,
  now: Date,
): Promise<{ userId: string; payload: Record<string, unknown> } | undefined> {
  const { rows } = await db.query<{ user_id: string; payload: Record<string, unknown> }>(
    `SELECT user_id, payload FROM one_time_token
      WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3`,
    [hashToken(token), purpose, now],
  );
  const row = rows[0];
  return row ? { userId: row.user_id, payload: row.payload } : undefined;
}
