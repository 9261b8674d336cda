import type { Request, Response } from 'express';
import type { Config } from '@spur/config';

/**
 * The dashboard session cookie: HttpOnly (scripts never see it), SameSite=Lax (not sent on
 * cross-site POSTs), Secure whenever the API is served over HTTPS, Path=/ and a Max-Age equal to
 * the session's lifetime. Its value is the raw session token; the database holds only its digest.
 */
export const SESSION_COOKIE = 'spur_session';

export type CookieSettings = { secure: boolean; maxAgeSeconds: number };

export function cookieSettings(
  config: Pick<Config, 'SESSION_COOKIE_SECURE' | 'SESSION_MAX_AGE_DAYS' | 'backendUrl'>,
): CookieSettings {
  const secure =
    config.SESSION_COOKIE_SECURE === 'auto'
      ? config.backendUrl.startsWith('https:')
      : config.SESSION_COOKIE_SECURE === 'true';
  return { secure, maxAgeSeconds: config.SESSION_MAX_AGE_DAYS * 86_400 };
}

function serialize(value: string, maxAge: number, settings: CookieSettings): string {
  return [
    `${SESSION_COOKIE}=${value}`,
    'Path=/',
    `Max-Age=${maxAge}`,
    'HttpOnly',
    'SameSite=Lax',
    ...(settings.secure ? ['Secure'] : []),
  ].join('; ');
}

export function setSessionCookie(res: Response, token: string, settings: CookieSettings): void {
  res.append('Set-Cookie', serialize(token, settings.maxAgeSeconds, settings));
}

export function clearSessionCookie(res: Response, settings: CookieSettings): void {
  res.append('Set-Cookie', serialize('', 0, settings));
}

/** The session token from the Cookie header, if any (no cookie-parser: we need two cookies). */
export function readSessionCookie(req: Request): string | undefined {
  return readCookie(req, SESSION_COOKIE, /^[A-Za-z0-9_-]{20,100}$/);
}

/**
 * The device cookie: a token signed for the account a browser signed in to (login-throttle.ts), so
 * a later sign-in from it is never held back by failures strangers caused. Not a credential: it
 * only exempts the browser from the per-account throttle, never from the password.
 */
export const DEVICE_COOKIE = 'spur_device';
const DEVICE_MAX_AGE_SECONDS = 180 * 86_400;

export function setDeviceCookie(res: Response, token: string, settings: CookieSettings): void {
  const attributes = [`Max-Age=${DEVICE_MAX_AGE_SECONDS}`, 'HttpOnly', 'SameSite=Lax', 'Path=/api/v1/auth'];
  res.append(
    'Set-Cookie',
    [`${DEVICE_COOKIE}=${token}`, ...attributes, ...(settings.secure ? ['Secure'] : [])].join('; '),
  );
}

export function readDeviceCookie(req: Request): string | undefined {
  return readCookie(req, DEVICE_COOKIE, /^[A-Za-z0-9_-]{10,40}\.[A-Za-z0-9_-]{43}$/);
}

function readCookie(req: Request, name: string, valid: RegExp): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return valid.test(value) ? value : undefined;
    }
  }
  return undefined;
}
