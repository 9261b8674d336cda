import { randomBytes } from 'node:crypto';
import type { AccountsContext } from '../context.ts';
import { isId, isUniqueViolation, withTransaction } from '../db.ts';
import { conflict, invalid, notFound } from '../errors.ts';
import { hashPassword } from '../crypto/password-hash.ts';
import { checkPassword, describePasswordProblem } from '../passwords/password-policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { insertOrganization, deleteOrganizationCompletely } from '../organizations/organization.service.ts';
import { endOtherSessions } from '../sessions/session.service.ts';
import { deleteSitesStatistics, sweepDeletedSitesStatistics } from '../sites/site-data.service.ts';
import { announceSiteSettingsChanged, findSite, type SiteView } from '../sites/site.repository.ts';
import { emailSchema, findUserByEmail } from '../users/user.repository.ts';

/**
 * Operator actions for the admin CLI: no membership checks (the operator has the database), but
 * the same validation, hashing, cascades and ClickHouse cleanup as the API.
 */
const generatedPassword = () => randomBytes(15).toString('base64url');

async function acceptablePassword(
  password: string | undefined,
  email: string,
): Promise<{ password: string; generated: boolean }> {
  if (!password) return { password: generatedPassword(), generated: true };
  const problem = checkPassword(password, email);
  if (problem) throw invalid(describePasswordProblem(problem), 'password');
  return { password, generated: false };
}

export async function adminCreateUser(
  ctx: AccountsContext,
  input: { email: string; password?: string; verified?: boolean },
) {
  const email = emailSchema.parse(input.email);
  const { password, generated } = await acceptablePassword(input.password, email);
  const hash = await hashPassword(password);
  try {
    return await withTransaction(ctx.db, async (tx) => {
      const { rows } = await tx.query<{ id: string }>(
        'INSERT INTO app_user (email, password_hash, email_verified_at, terms_accepted_at) VALUES ($1, $2, $3, $4) RETURNING id',
        [email, hash, input.verified === false ? null : ctx.now(), ctx.now()],
      );
      const id = rows[0]!.id;
      const organizationId = await insertOrganization(tx, id, 'Personal', true);
      await recordAudit(tx, { userId: id, action: 'user.signup', details: { via: 'cli' } });
      return { id, email, organization_id: organizationId, ...(generated ? { password } : {}) };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('a user with this email exists', 'email');
    throw error;
  }
}

export async function adminListUsers(ctx: AccountsContext) {
  const { rows } = await ctx.db.query<{
    id: string;
    email: string;
    email_verified: boolean;
    two_factor_enabled: boolean;
    created_at: Date;
    organizations: { id: string; role: string }[];
  }>(
    `SELECT u.id, u.email, u.email_verified_at IS NOT NULL AS email_verified, u.totp_enabled_at IS NOT NULL AS two_factor_enabled, u.created_at,
            coalesce(json_agg(json_build_object('id', m.organization_id::text, 'role', m.role) ORDER BY m.organization_id) FILTER (WHERE m.user_id IS NOT NULL), '[]') AS organizations
       FROM app_user u LEFT JOIN organization_member m ON m.user_id = u.id
      GROUP BY u.id ORDER BY u.id`,
  );
  return rows.map((r) => ({ ...r, created_at: r.created_at.toISOString() }));
}

async function userByEmail(ctx: AccountsContext, email: string) {
  const user = await findUserByEmail(ctx.db, email);
  if (!user) throw notFound('no user with this email');
  return user;
}

/** Sets a new password (generated unless given) and signs the user out everywhere. */
export async function adminResetPassword(ctx: AccountsContext, input: { email: string; password?: string }) {
  const user = await userByEmail(ctx, input.email);
  const { password, generated } = await acceptablePassword(input.password, user.email);
  const hash = await hashPassword(password);
  await withTransaction(ctx.db, async (tx) => {
    await tx.query(
      'UPDATE app_user SET password_hash = $2, credentials_changed_at = $3, updated_at = $3 WHERE id = $1',
      [user.id, hash, ctx.now()],
    );
    await endOtherSessions(tx, user.id);
    await recordAudit(tx, { userId: user.id, action: 'user.password_reset', details: { via: 'cli' } });
  });
  return { id: user.id, email: user.email, ...(generated ? { password } : {}) };
}

/** Deletes the user and the organizations only they own (sites and statistics included). */
export async function adminDeleteUser(ctx: AccountsContext, input: { email: string }) {
  const user = await userByEmail(ctx, input.email);
  const { rows } = await ctx.db.query<{ organization_id: string }>(
    `SELECT m.organization_id FROM organization_member m
      WHERE m.user_id = $1 AND m.role = 'owner'
        AND NOT EXISTS (SELECT 1 FROM organization_member o WHERE o.organization_id = m.organization_id AND o.role = 'owner' AND o.user_id <> $1)`,
    [user.id],
  );
  const organizations = rows.map((r) => r.organization_id);
  for (const organizationId of organizations) await deleteOrganizationCompletely(ctx, organizationId);
  await ctx.db.query('DELETE FROM app_user WHERE id = $1', [user.id]);
  // Like deleteAccount's row: which organizations (with their sites and statistics) went along.
  await recordAudit(ctx.db, { action: 'user.deleted', details: { user_id: user.id, organizations, via: 'cli' } });
  return { id: user.id, deleted_organizations: organizations };
}

export async function adminCreateOrganization(ctx: AccountsContext, input: { name: string; owner?: string }) {
  const owner = input.owner ? await userByEmail(ctx, input.owner) : undefined;
  return withTransaction(ctx.db, async (tx) => {
    if (owner) return { id: await insertOrganization(tx, owner.id, input.name), name: input.name, owner: owner.email };
    const { rows } = await tx.query<{ id: string }>('INSERT INTO organization (name) VALUES ($1) RETURNING id', [
      input.name,
    ]);
    await recordAudit(tx, {
      organizationId: rows[0]!.id,
      action: 'organization.created',
      details: { name: input.name, via: 'cli' },
    });
    return { id: rows[0]!.id, name: input.name, owner: null };
  });
}

export async function adminListOrganizations(ctx: AccountsContext) {
  const { rows } = await ctx.db.query<{
    id: string;
    name: string;
    personal: boolean;
    members: number;
    sites: number;
    created_at: Date;
  }>(
    `SELECT o.id, o.name, o.personal, o.created_at,
            (SELECT count(*) FROM organization_member m WHERE m.organization_id = o.id)::int AS members,
            (SELECT count(*) FROM site s WHERE s.organization_id = o.id)::int AS sites
       FROM organization o ORDER BY o.id`,
  );
  return rows.map((r) => ({ ...r, created_at: r.created_at.toISOString() }));
}

export async function adminDeleteOrganization(ctx: AccountsContext, input: { id: string }) {
  if (!isId(input.id)) throw notFound('organization not found');
  const { rowCount } = await ctx.db.query('SELECT 1 FROM organization WHERE id = $1', [input.id]);
  if (!rowCount) throw notFound('organization not found');
  const deleted = await deleteOrganizationCompletely(ctx, input.id);
  await recordAudit(ctx.db, { action: 'organization.deleted', details: { ...deleted, via: 'cli' } });
  return { id: input.id, deleted: true };
}

export async function adminListSites(ctx: AccountsContext, input: { organizationId?: string }): Promise<SiteView[]> {
  const { rows } = await ctx.db.query<{ id: string }>(
    'SELECT id FROM site WHERE $1::bigint IS NULL OR organization_id = $1 ORDER BY id',
    [input.organizationId ?? null],
  );
  return Promise.all(rows.map(async (r) => (await findSite(ctx.db, r.id))!));
}

export async function adminDeleteSite(ctx: AccountsContext, input: { id: string }) {
  const site = await findSite(ctx.db, input.id);
  if (!site) throw notFound('site not found');
  await deleteSitesStatistics(ctx, [site.id]);
  await withTransaction(ctx.db, async (tx) => {
    await tx.query('DELETE FROM site WHERE id = $1', [site.id]);
    await recordAudit(tx, {
      organizationId: site.organization_id,
      action: 'site.deleted',
      details: { site_id: site.id, via: 'cli' },
    });
  });
  await announceSiteSettingsChanged(ctx.redis, site.id);
  await sweepDeletedSitesStatistics(ctx, [site.id]);
  return { id: site.id, deleted: true };
}
