import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Config } from '@spur/config';

/**
 * One-click unsubscribe links (RFC 8058) carry the report and address they stop, signed with a
 * key derived from AUTH_SECRET: no login, and nobody can forge a link for another address.
 */
const DEV_SECRET = 'spur-development-auth-secret-not-for-production';

export function reportSigningKey(config: Pick<Config, 'AUTH_SECRET' | 'NODE_ENV'>): Buffer {
  const secret = config.AUTH_SECRET ?? (config.NODE_ENV === 'production' ? undefined : DEV_SECRET);
  if (!secret) throw new Error('AUTH_SECRET must be set in production (at least 32 characters)');
  return createHmac('sha256', secret).update('spur:email-report-unsubscribe').digest();
}

export function signUnsubscribe(key: Buffer, reportId: string, email: string): string {
  return createHmac('sha256', key).update(`${reportId}\n${email.toLowerCase()}`).digest('base64url');
}

export function verifyUnsubscribe(key: Buffer, reportId: string, email: string, signature: string): boolean {
  const expected = Buffer.from(signUnsubscribe(key, reportId, email));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function unsubscribeUrl(backendUrl: string, key: Buffer, reportId: string, email: string): string {
  const params = new URLSearchParams({ report: reportId, email, sig: signUnsubscribe(key, reportId, email) });
  return `${backendUrl}/api/v1/email-reports/unsubscribe?${params}`;
}
