import { z } from 'zod';
import type { AccountsContext } from '../context.ts';
import { isId, withTransaction } from '../db.ts';
import { notFound } from '../errors.ts';
import { hashToken, randomAlphanumeric } from '../crypto/tokens.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { requireRole } from '../access/roles.ts';

/**
 * API clients (Pirsch-style: a 32-character client id and a 64-character secret, exchanged at
 * /api/v1/token for an expiring bearer token) and access keys (`pa_` + 45 characters, used
 * directly as a bearer token, write-only: they send hits and events but read nothing). Secrets
 * are returned once, at creation, and stored as SHA-256 digests.
 */
export const ACCESS_KEY_PREFIX = 'pa_';

/**
 * Revocations are announced here (the message is the API client's id): the ingest handler keeps
 * bearer answers in memory for a while, and a revoked client must stop at once on every node.
 */
export const API_CLIENT_REVOKED_CHANNEL = 'spur:api-client-revoked';

export const createApiClientSchema = z.object({
  name: z.string().trim().min(1).max(100),
  type: z.enum(['client', 'access_key']).default('client'),
  /** Limit the client to one site of the organization; omitted = every site. */
  site_id: z
    .string()
    .regex(/^\d{1,19}$/)
    .nullish(),
});

export type ApiClientView = {
  id: string;
  organization_id: string;
  site_id: string | null;
  type: 'client' | 'access_key';
  name: string;
  client_id: string | null;
  write_only: boolean;
  created_at: string;
  last_used_at: string | null;
};

export type CreatedApiClient = ApiClientView & { client_secret?: string; access_key?: string };

type Row = Omit<ApiClientView, 'created_at' | 'last_used_at' | 'type'> & {
  kind: 'client' | 'access_key';
  created_at: Date;
  last_used_at: Date | null;
};
const toView = ({ kind, ...r }: Row): ApiClientView => ({
  ...r,
  type: kind,
  created_at: r.created_at.toISOString(),
  last_used_at: r.last_used_at?.toISOString() ?? null,
});

/** `userId` null: an operator through the admin CLI. */
export async function createApiClient(
  ctx: AccountsContext,
  userId: string | null,
  organizationId: string,
  input: z.input<typeof createApiClientSchema>,
): Promise<CreatedApiClient> {
  if (userId !== null) await requireRole(ctx.db, userId, organizationId, 'admin');
  const data = createApiClientSchema.parse(input);
  if (data.site_id) {
    const { rowCount } = await ctx.db.query('SELECT 1 FROM site WHERE id = $1 AND organization_id = $2', [
      data.site_id,
      organizationId,
    ]);
    if (!rowCount) throw notFound('site not found');
  }
  const isKey = data.type === 'access_key';
  const clientId = isKey ? null : randomAlphanumeric(32);
  const secret = isKey ? `${ACCESS_KEY_PREFIX}${randomAlphanumeric(45)}` : randomAlphanumeric(64);
  const row = await withTransaction(ctx.db, async (tx) => {
    const { rows } = await tx.query<Row>(
      `INSERT INTO api_client (organization_id, site_id, kind, name, client_id, secret_hash, write_only, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       RETURNING id, organization_id, site_id, kind, name, client_id, write_only, created_at, last_used_at`,
      [organizationId, data.site_id ?? null, data.type, data.name, clientId, hashToken(secret), isKey, userId],
    );
    await recordAudit(tx, {
      organizationId,
      userId,
      action: 'api_client.created',
      details: { api_client_id: rows[0]!.id, type: data.type, site_id: data.site_id ?? null },
    });
    return rows[0]!;
  });
  return { ...toView(row), ...(isKey ? { access_key: secret } : { client_secret: secret }) };
}

export async function listApiClients(
  ctx: AccountsContext,
  userId: string | null,
  organizationId: string,
): Promise<ApiClientView[]> {
  if (userId !== null) await requireRole(ctx.db, userId, organizationId, 'admin');
  const { rows } = await ctx.db.query<Row>(
    `SELECT id, organization_id, site_id, kind, name, client_id, write_only, created_at, last_used_at
       FROM api_client WHERE organization_id = $1 AND revoked_at IS NULL ORDER BY id`,
    [organizationId],
  );
  return rows.map(toView);
}

/** Revocation is immediate: outstanding access tokens are deleted with it. */
export async function revokeApiClient(
  ctx: AccountsContext,
  userId: string | null,
  organizationId: string,
  apiClientId: string,
): Promise<void> {
  if (userId !== null) await requireRole(ctx.db, userId, organizationId, 'admin');
  if (!isId(apiClientId)) throw notFound('API client not found');
  await withTransaction(ctx.db, async (tx) => {
    const { rowCount } = await tx.query(
      'UPDATE api_client SET revoked_at = now() WHERE id = $1 AND organization_id = $2 AND revoked_at IS NULL',
      [apiClientId, organizationId],
    );
    if (!rowCount) throw notFound('API client not found');
    await tx.query('DELETE FROM api_access_token WHERE api_client_id = $1', [apiClientId]);
    await recordAudit(tx, {
      organizationId,
      userId,
      action: 'api_client.revoked',
      details: { api_client_id: apiClientId },
    });
  });
  // Redis down means ingest is down too; the ingest cache then forgets within its TTL anyway.
  await ctx.redis.publish(API_CLIENT_REVOKED_CHANNEL, apiClientId).catch(() => undefined);
}
