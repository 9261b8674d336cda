import { createHmac, randomBytes } from 'node:crypto';
import { safeEqual } from '../crypto/tokens.ts';
import { base32Decode, base32Encode } from './base32.ts';

/** RFC 4226 HOTP / RFC 6238 TOTP, written out so nothing stands between us and the RFC vectors. */

export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512';
export const TOTP_PERIOD_SECONDS = 30;
const DIGITS = 6;

export function hotp(
  key: Buffer,
  counter: bigint | number,
  digits = DIGITS,
  algorithm: TotpAlgorithm = 'sha1',
): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, key).update(message).digest();
  // Dynamic truncation: the low nibble of the last byte picks four bytes of the MAC.
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return String(binary).padStart(digits, '0');
}

export function timeStep(unixSeconds: number, period = TOTP_PERIOD_SECONDS): number {
  return Math.floor(unixSeconds / period);
}

export function totp(key: Buffer, unixSeconds: number, digits = DIGITS, algorithm: TotpAlgorithm = 'sha1'): string {
  return hotp(key, timeStep(unixSeconds), digits, algorithm);
}

/**
 * Checks a code against the current step and one step either side (clock drift). Returns the
 * matching step so the caller can refuse its reuse, or undefined.
 */
export function verifyTotp(
  secretBase32: string,
  code: string,
  unixSeconds: number,
  options: { window?: number; lastUsedStep?: number | null } = {},
): number | undefined {
  const normalized = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(normalized)) return undefined;
  const key = base32Decode(secretBase32);
  const current = timeStep(unixSeconds);
  const window = options.window ?? 1;
  for (let step = current - window; step <= current + window; step++) {
    if (options.lastUsedStep != null && step <= options.lastUsedStep) continue;
    if (safeEqual(hotp(key, step), normalized)) return step;
  }
  return undefined;
}

/** 160 random bits, the size RFC 4226 recommends for SHA-1. */
export function generateTotpSecret(): string {
  return base32Encode(randomBytes(20));
}

export function otpauthUrl(secretBase32: string, account: string, issuer = 'Spur'): string {
  const label = encodeURIComponent(`${issuer}:${account}`);
  const params = new URLSearchParams({
    secret: secretBase32,
    issuer,
    algorithm: 'SHA1',
    digits: String(DIGITS),
    period: String(TOTP_PERIOD_SECONDS),
  });
  return `otpauth://totp/${label}?${params.toString()}`;
}
