import { z } from 'zod';
import type { AccountsContext } from '../context.ts';
import { isId, isUniqueViolation, type Db } from '../db.ts';
import { conflict, invalid, notFound } from '../errors.ts';
import { requireSiteRole } from '../access/roles.ts';
import { emailSchema } from '../users/user.repository.ts';

/**
 * Who receives a site's periodic report; the batches' report job reads them with
 * `emailReportsOfSite`. Recipients must be members of the site's organization, so the feature
 * cannot be used to send mail to strangers.
 */
export const emailReportSchema = z.object({ email: emailSchema, interval: z.enum(['daily', 'weekly', 'monthly']) });

export type EmailReportView = { id: string; site_id: string; email: string; interval: 'daily' | 'weekly' | 'monthly'; created_at: string; last_sent_at: string | null };
type Row = Omit<EmailReportView, 'created_at' | 'last_sent_at'> & { created_at: Date; last_sent_at: Date | null };
const toView = (r: Row): EmailReportView => ({ ...r, created_at: r.created_at.toISOString(), last_sent_at: r.last_sent_at?.toISOString() ?? null });

export async function listEmailReports(ctx: AccountsContext, userId: string, siteId: string): Promise<EmailReportView[]> {
  await requireSiteRole(ctx.db, userId, siteId, 'viewer');
  return emailReportsOfSite(ctx.db, siteId);
}

/** Without access checks, for the report job. */
export async function emailReportsOfSite(db: Db, siteId: string): Promise<EmailReportView[]> {
  const { rows } = await db.query<Row>('SELECT id, site_id, email, interval, created_at, last_sent_at FROM email_report WHERE site_id = $1 ORDER BY email, interval', [siteId]);
  return rows.map(toView);
}

export async function addEmailReport(ctx: AccountsContext, userId: string, siteId: string, input: z.input<typeof emailReportSchema>): Promise<EmailReportView> {
  const { organizationId } = await requireSiteRole(ctx.db, userId, siteId, 'admin');
  const data = emailReportSchema.parse(input);
  const member = await ctx.db.query(
    'SELECT 1 FROM organization_member m JOIN app_user u ON u.id = m.user_id WHERE m.organization_id = $1 AND u.email = $2',
    [organizationId, data.email],
  );
  if (!member.rowCount) throw invalid('reports go to members of the organization only', 'email');
  try {
    const { rows } = await ctx.db.query<Row>(
      'INSERT INTO email_report (site_id, email, interval, created_by) VALUES ($1, $2, $3, $4) RETURNING id, site_id, email, interval, created_at, last_sent_at',
      [siteId, data.email, data.interval, userId],
    );
    return toView(rows[0]!);
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('this report exists already');
    throw error;
  }
}

export async function removeEmailReport(ctx: AccountsContext, userId: string, siteId: string, reportId: string): Promise<void> {
  await requireSiteRole(ctx.db, userId, siteId, 'admin');
  if (!isId(reportId)) throw notFound('report not found');
  const { rowCount } = await ctx.db.query('DELETE FROM email_report WHERE id = $1 AND site_id = $2', [reportId, siteId]);
  if (!rowCount) throw notFound('report not found');
}
