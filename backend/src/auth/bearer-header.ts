/**
 * What an `Authorization` header presents, read the same way by the ingest handler and the
 * Express API so that both answer a credential alike (the table is in README.md, "Authentication").
 *
 * - `none`: no header, a blank one, or another scheme (`Basic …`). Other schemes are not meant for
 *   Spur: a site behind HTTP basic auth that proxies `/api/v1/hit` through its own origin makes
 *   the browser send them, and its page views must still count.
 * - `empty`: `Bearer` with nothing after it. pirsch-sdk sends exactly this (`Bearer ` — Node trims
 *   the space) on its first POST, before it has fetched a token, and fetches one only on a 401:
 *   so it is "no credential", and a route that needs one answers 401.
 * - `malformed`: `Bearer` followed by something that cannot be a token (spaces, characters outside
 *   RFC 6750's b64token, over 200 characters): 401 without a database lookup.
 * - `token`: a well-formed token, still to be looked up (unknown, expired or revoked → 401).
 */
export type PresentedCredential =
  { kind: 'none' } | { kind: 'empty' } | { kind: 'malformed' } | { kind: 'token'; token: string };

const NONE: PresentedCredential = { kind: 'none' };
const EMPTY: PresentedCredential = { kind: 'empty' };
const MALFORMED: PresentedCredential = { kind: 'malformed' };

/** Tokens Spur issues are base64url (64 chars) or `pa_` + 45 alphanumerics; 200 leaves room. */
const MAX_TOKEN_LENGTH = 200;
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

export function readAuthorization(header: string | undefined): PresentedCredential {
  if (header === undefined) return NONE;
  const value = header.trim();
  if (value === '') return NONE;
  const space = value.search(/\s/);
  const scheme = space === -1 ? value : value.slice(0, space);
  if (scheme.toLowerCase() !== 'bearer') return NONE;
  if (space === -1) return EMPTY;
  const token = value.slice(space).trim();
  if (token === '') return EMPTY;
  if (token.length > MAX_TOKEN_LENGTH || !B64TOKEN.test(token)) return MALFORMED;
  return { kind: 'token', token };
}

/** RFC 6750 §3: a 401 names the scheme, and `invalid_token` when a token was presented. */
export function wwwAuthenticate(presented: PresentedCredential): string {
  return presented.kind === 'token' || presented.kind === 'malformed'
    ? 'Bearer realm="spur", error="invalid_token"'
    : 'Bearer realm="spur"';
}

export const AUTH_ERRORS = {
  malformed: 'malformed Authorization header: send "Bearer <access token>"',
  invalid: 'invalid, expired or revoked access token',
  missing: 'send an access token (Authorization: Bearer <token>)',
} as const;
