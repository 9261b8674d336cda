import type pg from 'pg';
import { z } from 'zod';
import type { Redis } from '@spur/storage';
import { AccountsError } from '../errors.ts';
import { hashToken, randomToken, safeEqual } from '../crypto/tokens.ts';
import { enforceRateLimit, RATE_LIMITS } from '../rate-limit/rate-limiter.ts';
import { ACCESS_KEY_PREFIX } from './api-client.service.ts';

/**
 * What a valid `Authorization: Bearer …` stands for. `access_token`: from /api/v1/token, may
 * read statistics and send data; `access_key`: a `pa_` key, write-only (hits, events, sessions).
 * `siteId` is set when the client is limited to one site.
 */
export type ApiPrincipal = {
  kind: 'access_token' | 'access_key';
  organizationId: string;
  siteId?: string;
  writeOnly: boolean;
  apiClientId: string;
};

export const ACCESS_TOKEN_LIFETIME_SECONDS = 60 * 60;

export const tokenRequestSchema = z.object({ client_id: z.string().max(64), client_secret: z.string().max(128) });

/**
 * POST /api/v1/token: client credentials → `{ access_token, expires_at }` (Pirsch's shape). A
 * wrong id and a wrong secret fail alike.
 */
export async function exchangeClientCredentials(
  db: pg.Pool,
  redis: Redis,
  input: z.input<typeof tokenRequestSchema>,
  now = new Date(),
): Promise<{ access_token: string; expires_at: string }> {
  const { client_id, client_secret } = tokenRequestSchema.parse(input);
  await enforceRateLimit(redis, RATE_LIMITS.tokenByClient, client_id);
  const { rows } = await db.query<{ id: string; secret_hash: Buffer }>(
    "SELECT id, secret_hash FROM api_client WHERE client_id = $1 AND kind = 'client' AND revoked_at IS NULL",
    [client_id],
  );
  const client = rows[0];
  const presented = hashToken(client_secret).toString('hex');
  if (!client || !safeEqual(presented, client.secret_hash.toString('hex'))) {
    throw new AccountsError('unauthorized', 'invalid client id or secret');
  }
  const token = randomToken(48);
  const expires = new Date(now.getTime() + ACCESS_TOKEN_LIFETIME_SECONDS * 1000);
  await db.query('INSERT INTO api_access_token (token_hash, api_client_id, expires_at) VALUES ($1, $2, $3)', [
    hashToken(token),
    client.id,
    expires,
  ]);
  // Expired tokens of this client are dead weight; clearing them here keeps the table small.
  await db.query('DELETE FROM api_access_token WHERE api_client_id = $1 AND expires_at < $2', [client.id, now]);
  return { access_token: token, expires_at: expires.toISOString() };
}

type PrincipalRow = {
  api_client_id: string;
  organization_id: string;
  site_id: string | null;
  write_only: boolean;
  last_used_at: Date | null;
  expires_at: Date | null;
};

/**
 * Resolves a bearer token to its principal, or undefined. One indexed lookup, so it is cheap
 * enough for every API request; revocation and expiry take effect immediately.
 */
export async function authenticateBearer(db: pg.Pool, token: string): Promise<ApiPrincipal | undefined> {
  return (await lookupBearer(db, token))?.principal;
}

/**
 * The principal with the moment its token stops working (undefined for access keys, which do not
 * expire): a cache in front of this lookup (the ingest hot path keeps answers for a while) must
 * not keep an access token alive past its expiry.
 */
export async function lookupBearer(
  db: pg.Pool,
  token: string,
): Promise<{ principal: ApiPrincipal; expiresAt?: Date } | undefined> {
  if (!token || token.length > 200) return undefined;
  const isKey = token.startsWith(ACCESS_KEY_PREFIX);
  const { rows } = isKey
    ? await db.query<PrincipalRow>(
        `SELECT id AS api_client_id, organization_id, site_id, write_only, last_used_at, NULL AS expires_at
           FROM api_client WHERE secret_hash = $1 AND kind = 'access_key' AND revoked_at IS NULL`,
        [hashToken(token)],
      )
    : await db.query<PrincipalRow>(
        `SELECT c.id AS api_client_id, c.organization_id, c.site_id, c.write_only, c.last_used_at, t.expires_at
           FROM api_access_token t JOIN api_client c ON c.id = t.api_client_id
          WHERE t.token_hash = $1 AND t.expires_at > now() AND c.revoked_at IS NULL`,
        [hashToken(token)],
      );
  const row = rows[0];
  if (!row) return undefined;
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > 60_000) {
    // Best effort and at most once a minute: a usage hint, not worth a write per request.
    db.query('UPDATE api_client SET last_used_at = now() WHERE id = $1', [row.api_client_id]).catch(() => undefined);
  }
  const principal: ApiPrincipal = {
    kind: isKey ? 'access_key' : 'access_token',
    organizationId: row.organization_id,
    ...(row.site_id ? { siteId: row.site_id } : {}),
    writeOnly: row.write_only,
    apiClientId: row.api_client_id,
  };
  return row.expires_at ? { principal, expiresAt: row.expires_at } : { principal };
}
