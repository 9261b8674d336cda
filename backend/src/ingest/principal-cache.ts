export type IngestPrincipal = { organizationId: string; siteId?: string; apiClientId?: string };
export type Authenticate = (token: string) => Promise<IngestPrincipal | undefined>;
/** The database lookup: the principal and, for access tokens, when the token stops working. */
export type LookupBearer = (token: string) => Promise<{ principal: IngestPrincipal; expiresAt?: Date } | undefined>;

export type CachedAuthenticate = Authenticate & {
  /** Drops every cached answer of an API client (called when its revocation is announced). */
  forgetClient: (apiClientId: string) => void;
};

/**
 * Server-side integrations send every hit with the same bearer token; looking it up in Postgres
 * each time would put Postgres on the ingest hot path. Answers (also "unknown") are kept for
 * `ttlMs`, but never past the token's own expiry: pirsch-sdk fetches a new token only on a 401,
 * so an expired token must be answered 401 from the moment it expires. Revocations reach the
 * cache through `forgetClient` (Redis pub/sub), so they apply at once on every node.
 */
export function cachedAuthenticate(lookup: LookupBearer, ttlMs = 30_000, max = 10_000): CachedAuthenticate {
  const cache = new Map<string, { principal: IngestPrincipal | undefined; expires: number }>();
  const authenticate = async (token: string) => {
    const hit = cache.get(token);
    const now = Date.now();
    if (hit && hit.expires > now) return hit.principal;
    const found = await lookup(token);
    if (cache.size >= max) cache.clear();
    const expires = Math.min(now + ttlMs, found?.expiresAt?.getTime() ?? Infinity);
    cache.set(token, { principal: found?.principal, expires });
    return found?.principal;
  };
  return Object.assign(authenticate, {
    forgetClient: (apiClientId: string) => {
      for (const [token, entry] of cache) if (entry.principal?.apiClientId === apiClientId) cache.delete(token);
    },
  });
}
