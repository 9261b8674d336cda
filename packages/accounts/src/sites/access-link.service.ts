import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { AccountsContext } from '../context.ts';
import { isId, withTransaction } from '../db.ts';
import { AccountsError, notFound } from '../errors.ts';
import { hashToken, randomToken, safeEqual } from '../crypto/tokens.ts';
import { hashPassword, verifyPassword } from '../crypto/password-hash.ts';
import { enforceRateLimit, RATE_LIMITS } from '../rate-limit/rate-limiter.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { requireSiteRole } from '../access/roles.ts';
import type { AccessLinkPrincipal } from '../access/site-access.ts';

/**
 * Read-only links to one site's statistics. The token in the URL is shown once and stored as a
 * digest. A link with a password is exchanged (token + password) for a short-lived grant, so the
 * password's scrypt check runs once per visit, not once per chart.
 */
export const createAccessLinkSchema = z.object({
  description: z.string().trim().max(200).default(''),
  password: z.string().min(6).max(256).optional(),
  expires_at: z.iso.datetime({ offset: true }).optional(),
});

export type AccessLinkView = {
  id: string;
  site_id: string;
  description: string;
  password_protected: boolean;
  expires_at: string | null;
  created_at: string;
  last_used_at: string | null;
};

type Row = {
  id: string;
  site_id: string;
  description: string;
  password_hash: string | null;
  expires_at: Date | null;
  created_at: Date;
  last_used_at: Date | null;
};
const toView = (r: Row): AccessLinkView => ({
  id: r.id,
  site_id: r.site_id,
  description: r.description,
  password_protected: r.password_hash !== null,
  expires_at: r.expires_at?.toISOString() ?? null,
  created_at: r.created_at.toISOString(),
  last_used_at: r.last_used_at?.toISOString() ?? null,
});

export async function createAccessLink(
  ctx: AccountsContext,
  userId: string,
  siteId: string,
  input: z.input<typeof createAccessLinkSchema>,
): Promise<AccessLinkView & { token: string; url: string }> {
  const { organizationId } = await requireSiteRole(ctx.db, userId, siteId, 'admin');
  const data = createAccessLinkSchema.parse(input);
  const expiresAt = data.expires_at ? new Date(data.expires_at) : null;
  if (expiresAt && expiresAt <= ctx.now()) throw new AccountsError('invalid', 'must be in the future', 'expires_at');
  const token = randomToken(24);
  const passwordHash = data.password ? await hashPassword(data.password) : null;
  const row = await withTransaction(ctx.db, async (tx) => {
    const { rows } = await tx.query<Row>(
      `INSERT INTO access_link (site_id, token_hash, description, password_hash, expires_at, created_by)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, site_id, description, password_hash, expires_at, created_at, last_used_at`,
      [siteId, hashToken(token), data.description, passwordHash, expiresAt, userId],
    );
    await recordAudit(tx, {
      organizationId,
      userId,
      action: 'access_link.created',
      details: { site_id: siteId, access_link_id: rows[0]!.id },
    });
    return rows[0]!;
  });
  return { ...toView(row), token, url: ctx.links.accessLink(token) };
}

export async function listAccessLinks(ctx: AccountsContext, userId: string, siteId: string): Promise<AccessLinkView[]> {
  await requireSiteRole(ctx.db, userId, siteId, 'admin');
  const { rows } = await ctx.db.query<Row>(
    `SELECT id, site_id, description, password_hash, expires_at, created_at, last_used_at
       FROM access_link WHERE site_id = $1 AND revoked_at IS NULL ORDER BY id`,
    [siteId],
  );
  return rows.map(toView);
}

export async function revokeAccessLink(
  ctx: AccountsContext,
  userId: string,
  siteId: string,
  linkId: string,
): Promise<void> {
  const { organizationId } = await requireSiteRole(ctx.db, userId, siteId, 'admin');
  if (!isId(linkId)) throw notFound('access link not found');
  await withTransaction(ctx.db, async (tx) => {
    const { rowCount } = await tx.query(
      'UPDATE access_link SET revoked_at = now() WHERE id = $1 AND site_id = $2 AND revoked_at IS NULL',
      [linkId, siteId],
    );
    if (!rowCount) throw notFound('access link not found');
    await recordAudit(tx, {
      organizationId,
      userId,
      action: 'access_link.revoked',
      details: { site_id: siteId, access_link_id: linkId },
    });
  });
}

type LiveLink = { id: string; site_id: string; password_hash: string | null };

async function findLiveLink(
  ctx: AccountsContext,
  where: 'token_hash' | 'id',
  value: Buffer | string,
): Promise<LiveLink | undefined> {
  const { rows } = await ctx.db.query<LiveLink>(
    `SELECT id, site_id, password_hash FROM access_link
      WHERE ${where} = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)`,
    [value, ctx.now()],
  );
  return rows[0];
}

export const GRANT_LIFETIME_SECONDS = 12 * 60 * 60;

/**
 * Opens a link: without a password the link token itself is the credential; with one, a correct
 * password yields a grant (`al_<id>.<expiry>.<mac>`, HMAC-signed, re-checked against revocation
 * on every use). Wrong or missing passwords fail alike and are rate-limited per link.
 */
export async function openAccessLink(
  ctx: AccountsContext,
  input: { token: string; password?: string },
): Promise<{ site_id: string; grant: string; expires_at: string | null }> {
  const link = await findLiveLink(ctx, 'token_hash', hashToken(input.token));
  if (!link) throw notFound('this link is invalid, expired or revoked');
  if (!link.password_hash) return { site_id: link.site_id, grant: input.token, expires_at: null };
  await enforceRateLimit(ctx.redis, RATE_LIMITS.accessLinkPassword, link.id);
  if (!input.password || !(await verifyPassword(input.password, link.password_hash))) {
    throw new AccountsError('unauthorized', 'wrong password', 'password');
  }
  const expires = Math.floor(ctx.now().getTime() / 1000) + GRANT_LIFETIME_SECONDS;
  const body = `${link.id}.${expires}`;
  return {
    site_id: link.site_id,
    grant: `al_${body}.${grantMac(ctx, body)}`,
    expires_at: new Date(expires * 1000).toISOString(),
  };
}

/** Resolves what `openAccessLink` returned (sent as X-Access-Link) to a principal, or undefined. */
export async function authenticateAccessLink(
  ctx: AccountsContext,
  grant: string,
): Promise<AccessLinkPrincipal | undefined> {
  if (!grant || grant.length > 200) return undefined;
  let link: LiveLink | undefined;
  const signed = /^al_(\d{1,19})\.(\d{1,12})\.([\w-]{43})$/.exec(grant);
  if (signed) {
    const [, id, expires, mac] = signed;
    if (!safeEqual(mac!, grantMac(ctx, `${id}.${expires}`)) || Number(expires) * 1000 <= ctx.now().getTime())
      return undefined;
    link = await findLiveLink(ctx, 'id', id!);
  } else {
    link = await findLiveLink(ctx, 'token_hash', hashToken(grant));
    if (link?.password_hash) return undefined;
  }
  if (!link) return undefined;
  ctx.db
    .query(
      "UPDATE access_link SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')",
      [link.id],
    )
    .catch(() => undefined);
  return { kind: 'access_link', siteId: link.site_id, accessLinkId: link.id };
}

function grantMac(ctx: AccountsContext, body: string): string {
  return createHmac('sha256', ctx.grantKey).update(`access-link:${body}`).digest('base64url');
}
