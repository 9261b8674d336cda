import type { Db } from '../db.ts';

/**
 * Security-relevant actions, per organization (account-level ones with organization NULL).
 * Written in the same transaction as the change where there is one, so a change without its
 * audit row cannot happen.
 */
export type AuditAction =
  | 'user.signup'
  | 'user.email_verified'
  | 'user.login'
  | 'user.login_failed'
  | 'user.password_reset'
  | 'user.password_changed'
  | 'user.email_changed'
  | 'user.2fa_enabled'
  | 'user.2fa_disabled'
  | 'user.recovery_codes_regenerated'
  | 'user.2fa_failed'
  | 'user.session_revoked'
  | 'user.sessions_revoked'
  | 'user.deleted'
  | 'organization.created'
  | 'organization.renamed'
  | 'organization.deleted'
  | 'member.invited'
  | 'member.invitation_revoked'
  | 'member.joined'
  | 'member.role_changed'
  | 'member.removed'
  | 'member.left'
  | 'site.created'
  | 'site.updated'
  | 'site.deleted'
  | 'site.data_deleted'
  | 'site.identification_code_regenerated'
  | 'site.filter_added'
  | 'site.filter_removed'
  | 'site.allowed_hostnames_changed'
  | 'site.email_report_added'
  | 'site.email_report_changed'
  | 'site.email_report_removed'
  | 'access_link.created'
  | 'access_link.revoked'
  | 'api_client.created'
  | 'api_client.revoked';

export type AuditEntry = {
  id: string;
  organization_id: string | null;
  user_id: string | null;
  actor_email: string | null;
  action: AuditAction;
  details: Record<string, unknown>;
  created_at: string;
};

export async function recordAudit(
  db: Db,
  entry: {
    organizationId?: string | null;
    userId?: string | null;
    action: AuditAction;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  await db.query('INSERT INTO audit_log (organization_id, user_id, action, details) VALUES ($1, $2, $3, $4)', [
    entry.organizationId ?? null,
    entry.userId ?? null,
    entry.action,
    JSON.stringify(entry.details ?? {}),
  ]);
}

/** Newest first; `before` is the id of the last entry of the previous page. */
export async function listAuditLog(
  db: Db,
  query: { organizationId?: string; userId?: string; limit?: number; before?: string },
): Promise<AuditEntry[]> {
  const { rows } = await db.query<AuditEntry & { created_at: Date }>(
    `SELECT a.id, a.organization_id, a.user_id, u.email AS actor_email, a.action, a.details, a.created_at
       FROM audit_log a LEFT JOIN app_user u ON u.id = a.user_id
      WHERE ($1::bigint IS NULL OR a.organization_id = $1)
        AND ($2::bigint IS NULL OR (a.user_id = $2 AND a.organization_id IS NULL))
        AND ($3::bigint IS NULL OR a.id < $3)
      ORDER BY a.id DESC
      LIMIT $4`,
    [query.organizationId ?? null, query.userId ?? null, query.before ?? null, Math.min(query.limit ?? 50, 200)],
  );
  return rows.map((r) => ({ ...r, created_at: new Date(r.created_at).toISOString() }));
}
