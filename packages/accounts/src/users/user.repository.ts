import { z } from 'zod';
import type { Db } from '../db.ts';

export type UserRow = {
  id: string;
  email: string;
  password_hash: string;
  email_verified_at: Date | null;
  totp_secret: string | null;
  totp_enabled_at: Date | null;
  totp_last_step: string | null;
  created_at: Date;
};

/** What the API shows of a user: never hashes or seeds. */
export type PublicUser = {
  id: string;
  email: string;
  email_verified: boolean;
  two_factor_enabled: boolean;
  created_at: string;
};

export const emailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email())
  .transform((e) => e.toLowerCase());

/** Lower-cased and trimmed; the form every lookup and unique index uses. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

const COLUMNS = 'id, email, password_hash, email_verified_at, totp_secret, totp_enabled_at, totp_last_step, created_at';

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>(`SELECT ${COLUMNS} FROM app_user WHERE email = $1`, [normalizeEmail(email)]);
  return rows[0];
}

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>(`SELECT ${COLUMNS} FROM app_user WHERE id = $1`, [id]);
  return rows[0];
}

export function toPublicUser(user: UserRow): PublicUser {
  return {
    id: user.id,
    email: user.email,
    email_verified: user.email_verified_at !== null,
    two_factor_enabled: user.totp_enabled_at !== null,
    created_at: user.created_at.toISOString(),
  };
}
