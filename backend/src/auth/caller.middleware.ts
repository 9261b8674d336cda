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
import { readSessionCookie } from './session-cookie.ts';

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
 * token that is present but invalid is a 401 at once: Pirsch's SDK refreshes its token on 401.
 */
export function resolveCaller(accounts: AccountsContext) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    req.caller = { kind: 'anonymous' };
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
    if (bearer) {
      const principal = await authenticateBearer(accounts.db, bearer);
      if (!principal) throw new HttpError(401, 'invalid or expired access token', { field: 'authorization' });
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

/** The signed-in dashboard user, or a 401. Settings routes accept nothing else. */
export function requireUser(req: Request): UserPrincipal {
  if (req.caller?.kind !== 'user') throw new HttpError(401, 'sign in first');
  return req.caller;
}
