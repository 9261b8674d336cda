import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * Every secret Spur hands out (session ids, email links, API secrets) comes from here. They carry
 * at least 128 random bits, so a plain SHA-256 digest is a sound way to store them: unlike a
 * password, there is nothing to guess, and a leaked table yields nothing usable.
 */

/** URL-safe random token; 32 bytes = 256 bits. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Letters and digits only, for values with fixed lengths (identification codes, client ids). */
export function randomAlphanumeric(length: number): string {
  let out = '';
  // randomInt draws without modulo bias.
  for (let i = 0; i < length; i++) out += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return out;
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** Constant-time string comparison (lengths may leak, contents do not). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
