import type { IngestAuth } from '@spur/ingest';
import { AUTH_ERRORS, readAuthorization, wwwAuthenticate } from '../auth/bearer-header.ts';
import type { Authenticate, IngestPrincipal } from './principal-cache.ts';

export type IngestAuthVerdict =
  | { auth: IngestAuth }
  | { status: 400 | 401; body: { error: string; field: string }; headers?: Record<string, string> };

/**
 * Who sends this hit, event or session ping: an API client (bearer token: access token or `pa_`
 * access key) or a browser (the site's identification code in the body, no token).
 *
 * Everything that is not a usable credential is a 401, because pirsch-sdk fetches a token only
 * when answered 401: its first POST carries `Authorization: Bearer ` (empty) and no
 * identification code, and a 400 there made a hits-only integration lose every hit (issue 12).
 * A browser's request (code in the body, no Authorization header) is unchanged; an empty bearer
 * next to a code is taken as "no token", like no header at all.
 */
export function authenticateIngest(
  authorization: string | undefined,
  body: unknown,
  batch: boolean,
  authenticate: Authenticate,
): IngestAuthVerdict | Promise<IngestAuthVerdict> {
  const presented = readAuthorization(authorization);
  if (presented.kind === 'malformed') return unauthorized(presented, AUTH_ERRORS.malformed);
  // A browser's hit (its site's code in the body) is answered without a promise.
  if (presented.kind === 'token')
    return authenticate(presented.token).then((found) => principalVerdict(presented, found));
  if (batch) return unauthorized(presented, AUTH_ERRORS.missing);
  const code = (body as { identification_code?: unknown } | null)?.identification_code;
  if (code === undefined || code === null)
    return unauthorized(presented, `${AUTH_ERRORS.missing} or an identification_code`);
  if (typeof code !== 'string' || code === '') {
    return {
      status: 400,
      body: { error: 'identification_code must be a non-empty string', field: 'identification_code' },
    };
  }
  return { auth: { type: 'code', code } };
}

function principalVerdict(
  presented: ReturnType<typeof readAuthorization>,
  principal: IngestPrincipal | undefined,
): IngestAuthVerdict {
  if (!principal) return unauthorized(presented, AUTH_ERRORS.invalid);
  const { organizationId, siteId } = principal;
  return { auth: { type: 'principal', organizationId, ...(siteId ? { siteId } : {}) } };
}

/**
 * A 401 and the challenge for what was presented. Module level rather than a closure per request:
 * under tsx (which production runs) every named closure is also given its name at creation, a cost
 * the profile showed on every hit.
 */
function unauthorized(presented: ReturnType<typeof readAuthorization>, error: string): IngestAuthVerdict {
  return {
    status: 401,
    body: { error, field: 'authorization' },
    headers: { 'www-authenticate': wwwAuthenticate(presented) },
  };
}
