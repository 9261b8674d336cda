import type { NextFunction, Request, Response } from 'express';
import {
  authenticateAccessLink,
  authenticateBearer,
  authenticateSession,
  type AccountsContext,
  type AuthenticatedSession,
  type Caller,
  type UserPrincipal,
} from '@spur/accounts';
import { HttpError } from '../http/errors.ts';
import { AUTH_ERRORS, readAuthorization, wwwAuthenticate } from './bearer-header.ts';
import { readSessionCookie } from './session-cookie.ts';

const TOKEN_PATH = '/api/v1/token';

declare module 'express-serve-static-core' {
  interface Request {
    /** Who is calling; `anonymous` when no credential was presented. */
    caller: Caller;
    /** Set when the caller authenticated with the session cookie (CSRF applies). */
    session?: AuthenticatedSession;
    /** Set by the auth middleware for the raw cookie token (logout needs it). */
    sessionToken?: string;
  }
}

/**
 * Resolves the caller once per request, in order: `Authorization: Bearer` (API clients and access
 * keys), `X-Access-Link` (shared read-only links), the session cookie (dashboard users). A bearer
 * token that is present but malformed, unknown, expired or revoked is a 401 at once: Pirsch's SDK
 * fetches a new token on 401. An empty `Bearer` is no credential at all (see bearer-header.ts):
 * routes that need one answer such a caller 401 (`requireUser`, `notReadable`).
 */
export function resolveCaller(accounts: AccountsContext) {
  return async (req: Request, res: Response, next: NextFunction) => {
    req.caller = { kind: 'anonymous' };
    // The token exchange authenticates by its body; a stale token sent along must not block it.
    if (req.path === TOKEN_PATH) return next();
    const presented = readAuthorization(req.get('authorization'));
    if (presented.kind === 'malformed' || presented.kind === 'token') {
      const principal = presented.kind === 'token' ? await authenticateBearer(accounts.db, presented.token) : undefined;
      if (!principal) {
        res.setHeader('WWW-Authenticate', wwwAuthenticate(presented));
        throw new HttpError(401, presented.kind === 'token' ? AUTH_ERRORS.invalid : AUTH_ERRORS.malformed, {
          field: 'authorization',
        });
      }
      req.caller = principal;
      return next();
    }
    const link = req.get('x-access-link');
    if (link) {
      const principal = await authenticateAccessLink(accounts, link);
      if (!principal) throw new HttpError(401, 'invalid, expired or revoked access link', { field: 'x-access-link' });
      req.caller = principal;
      return next();
    }
    const token = readSessionCookie(req);
    if (token) {
      const session = await authenticateSession(accounts, token);
      if (session) {
        req.session = session;
        req.sessionToken = token;
        req.caller = { kind: 'user', userId: session.userId, sessionId: session.sessionId };
      }
    }
    next();
  };
}

/**
 * The signed-in dashboard user. Settings routes accept nothing else: no credential is a 401; an
 * API token or access link, valid but not meant for settings, is a 403 (a 401 would make
 * pirsch-sdk fetch a new token and try again, in vain).
 */
export function requireUser(req: Request): UserPrincipal {
  if (req.caller?.kind === 'user') return req.caller;
  if (req.caller && req.caller.kind !== 'anonymous')
    throw new HttpError(403, 'only a signed-in dashboard user may do this', { field: 'authorization' });
  throw new HttpError(401, 'sign in first');
}

/**
 * The answer when a site's statistics are not readable by the caller: 404 for any credential
 * (other tenants learn nothing, not even that the site exists), 401 when none was presented, so
 * that clients know to authenticate. Public sites are readable without one, so a 401 says
 * nothing about a site either.
 */
export function notReadable(caller: Caller, what = 'site not found'): HttpError {
  return caller.kind === 'anonymous'
    ? new HttpError(401, AUTH_ERRORS.missing, { field: 'authorization' })
    : new HttpError(404, what);
}
