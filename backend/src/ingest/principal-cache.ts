export type IngestPrincipal = { organizationId: string; siteId?: string };
export type Authenticate = (token: string) => Promise<IngestPrincipal | undefined>;

/**
 * Server-side integrations send every hit with the same bearer token; looking it up in Postgres
 * each time would put Postgres on the ingest hot path. Answers (also "unknown") are kept briefly,
 * so a revoked key stops working within `ttlMs`.
 */
export function cachedAuthenticate(authenticate: Authenticate, ttlMs = 30_000, max = 10_000): Authenticate {
  const cache = new Map<string, { principal: IngestPrincipal | undefined; expires: number }>();
  return async (token) => {
    const hit = cache.get(token);
    if (hit && hit.expires > Date.now()) return hit.principal;
    const principal = await authenticate(token);
    if (cache.size >= max) cache.clear();
    cache.set(token, { principal, expires: Date.now() + ttlMs });
    return principal;
  };
}
