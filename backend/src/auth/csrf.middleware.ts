import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { HttpError } from '../http/errors.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * CSRF protection for everything that changes state:
 *  - a browser's Origin header, when sent, must be the dashboard's or the API's own;
 *  - cookie-authenticated mutations must echo the session's CSRF token in X-CSRF-Token (a page on
 *    another site can neither read that token nor set the header without a CORS preflight);
 *  - bodies must be JSON, which an HTML form cannot send (login CSRF included).
 * Bearer-token callers are exempt: browsers never attach bearer tokens on their own.
 */
export function csrfProtection(allowedOrigins: string[]) {
  const allowed = new Set(allowedOrigins.map((o) => new URL(o).origin));
  return (req: Request, _res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const origin = req.get('origin');
    // "null" (sandboxed frames, some redirects) is not in the set either.
    if (origin && !allowed.has(origin)) throw new HttpError(403, 'cross-origin request refused', { field: 'origin' });
    const hasBody = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
    if (hasBody && !req.is('application/json'))
      throw new HttpError(415, 'send JSON (Content-Type: application/json)', { field: 'content-type' });
    if (req.session) {
      const presented = req.get('x-csrf-token') ?? '';
      if (!equal(presented, req.session.csrfToken))
        throw new HttpError(403, 'missing or invalid CSRF token', { field: 'x-csrf-token' });
    }
    next();
  };
}
