import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AccountsError, isId, requireSiteRole, type Db } from '@spur/accounts';

/**
 * Traffic alert settings of a site: at most one spike and one drop rule. Viewers read them,
 * admins and owners change them; another organization's site is a 404 (requireSiteRole).
 * Notices go to organization members' addresses and/or one webhook.
 */
export const alertInputSchema = z
  .object({
    kind: z.enum(['spike', 'drop']),
    threshold: z.number().int().min(1).max(100_000_000),
    window_hours: z.number().int().min(1).max(168).default(1),
    emails: z.array(z.email().max(254).toLowerCase()).max(10).default([]),
    webhook_url: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
      .max(2000)
      .nullable()
      .default(null),
    webhook_format: z.enum(['json', 'slack', 'discord']).default('json'),
    enabled: z.boolean().default(true),
  })
  .strict();
const alertPatchSchema = alertInputSchema.omit({ kind: true }).partial().strict();

export type AlertView = {
  id: string;
  site_id: string;
  kind: 'spike' | 'drop';
  threshold: number;
  window_hours: number;
  emails: string[];
  webhook_url: string | null;
  webhook_format: 'json' | 'slack' | 'discord';
  /** Receivers verify `X-Spur-Signature` with it. */
  webhook_secret: string;
  enabled: boolean;
  state: 'normal' | 'firing';
  state_since: string;
  last_notice_at: string | null;
  last_value: number | null;
};

const COLUMNS = `id::text, site_id::text, kind, threshold, window_hours, emails, webhook_url, webhook_format,
  webhook_secret, enabled, state, state_since, last_notice_at, last_value`;
type Row = Omit<AlertView, 'state_since' | 'last_notice_at'> & { state_since: Date; last_notice_at: Date | null };
const toView = (r: Row): AlertView => ({
  ...r,
  state_since: r.state_since.toISOString(),
  last_notice_at: r.last_notice_at?.toISOString() ?? null,
});

const invalid = (message: string, field: string) => new AccountsError('invalid', message, field);

async function checkRecipients(db: Db, organizationId: string, emails: string[], webhook: string | null) {
  if (emails.length === 0 && !webhook) throw invalid('give at least one email address or a webhook URL', 'emails');
  if (emails.length === 0) return;
  const { rows } = await db.query<{ email: string }>(
    `SELECT u.email FROM organization_member m JOIN app_user u ON u.id = m.user_id
     WHERE m.organization_id = $1 AND u.email = ANY($2::text[])`,
    [organizationId, emails],
  );
  const members = new Set(rows.map((r) => r.email));
  const outsider = emails.find((e) => !members.has(e));
  if (outsider) throw invalid(`${outsider} is not a member of the organization`, 'emails');
}

export async function listAlerts(db: Db, userId: string, siteId: string): Promise<AlertView[]> {
  await requireSiteRole(db, userId, siteId, 'viewer');
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM traffic_alert WHERE site_id = $1 ORDER BY kind`, [
    siteId,
  ]);
  return rows.map(toView);
}

export async function createAlert(db: Db, userId: string, siteId: string, input: unknown): Promise<AlertView> {
  const { organizationId } = await requireSiteRole(db, userId, siteId, 'admin');
  const data = alertInputSchema.parse(input);
  await checkRecipients(db, organizationId, data.emails, data.webhook_url);
  const { rows } = await db.query<Row>(
    `INSERT INTO traffic_alert (site_id, kind, threshold, window_hours, emails, webhook_url, webhook_format,
                                  webhook_secret, enabled, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (site_id, kind) DO NOTHING RETURNING ${COLUMNS}`,
    [
      siteId,
      data.kind,
      data.threshold,
      data.window_hours,
      data.emails,
      data.webhook_url,
      data.webhook_format,
      randomBytes(24).toString('base64url'),
      data.enabled,
      userId,
    ],
  );
  if (!rows[0]) throw new AccountsError('conflict', `the site already has a ${data.kind} alert`, 'kind');
  return toView(rows[0]);
}

export async function updateAlert(
  db: Db,
  userId: string,
  siteId: string,
  alertId: string,
  input: unknown,
): Promise<AlertView> {
  const { organizationId } = await requireSiteRole(db, userId, siteId, 'admin');
  if (!isId(alertId)) throw new AccountsError('not_found', 'alert not found');
  const patch = alertPatchSchema.parse(input);
  const current = await db.query<Row>(`SELECT ${COLUMNS} FROM traffic_alert WHERE id = $1 AND site_id = $2`, [
    alertId,
    siteId,
  ]);
  const before = current.rows[0];
  if (!before) throw new AccountsError('not_found', 'alert not found');
  const next = { ...before, ...patch };
  await checkRecipients(db, organizationId, next.emails, next.webhook_url);
  const { rows } = await db.query<Row>(
    `UPDATE traffic_alert SET threshold = $3, window_hours = $4, emails = $5, webhook_url = $6, webhook_format = $7,
            enabled = $8, updated_at = now()
     WHERE id = $1 AND site_id = $2 RETURNING ${COLUMNS}`,
    [
      alertId,
      siteId,
      next.threshold,
      next.window_hours,
      next.emails,
      next.webhook_url,
      next.webhook_format,
      next.enabled,
    ],
  );
  return toView(rows[0]!);
}

export async function deleteAlert(db: Db, userId: string, siteId: string, alertId: string): Promise<void> {
  await requireSiteRole(db, userId, siteId, 'admin');
  if (!isId(alertId)) throw new AccountsError('not_found', 'alert not found');
  const result = await db.query('DELETE FROM traffic_alert WHERE id = $1 AND site_id = $2', [alertId, siteId]);
  if (!result.rowCount) throw new AccountsError('not_found', 'alert not found');
}

export type DeliveryView = {
  id: string;
  notice: 'fired' | 'recovered';
  channel: 'email' | 'webhook';
  target: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  response_status: number | null;
  error: string | null;
  created_at: string;
  delivered_at: string | null;
};

/** The delivery log of a site's alerts (or of one), newest first (the last 100). */
export async function listDeliveries(
  db: Db,
  userId: string,
  siteId: string,
  alertId?: string,
): Promise<DeliveryView[]> {
  await requireSiteRole(db, userId, siteId, 'viewer');
  const { rows } = await db.query<DeliveryView>(
    `SELECT d.id::text, d.notice, d.channel, d.target, d.status, d.attempts, d.response_status, d.error,
            to_char(d.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created_at,
            to_char(d.delivered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS delivered_at
     FROM alert_delivery d JOIN traffic_alert a ON a.id = d.alert_id
     WHERE a.site_id = $2 AND ($1::bigint IS NULL OR d.alert_id = $1) ORDER BY d.id DESC LIMIT 100`,
    [alertId ?? null, siteId],
  );
  return rows;
}
