import { z } from 'zod';
import type { AccountsContext } from '../context.ts';
import { isId, isUniqueViolation, withTransaction, type Db } from '../db.ts';
import { conflict, invalid, notFound } from '../errors.ts';
import { requireSiteRole } from '../access/roles.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { emailSchema } from '../users/user.repository.ts';

/**
 * Who receives a site's periodic report; the batches' report job reads them with
 * `emailReportsOfSite`. Recipients must be members of the site's organization, so the feature
 * cannot be used to send mail to strangers — and that holds after the fact too: a recipient who
 * leaves, is removed or changes their address is no longer returned (the row stays, and counts
 * again should they rejoin under that address).
 */
const intervalSchema = z.enum(['daily', 'weekly', 'monthly']);
export const emailReportSchema = z.object({ email: emailSchema, interval: intervalSchema });
export const changeEmailReportSchema = z.object({ interval: intervalSchema });

export type EmailReportView = {
  id: string;
  site_id: string;
  email: string;
  interval: 'daily' | 'weekly' | 'monthly';
  created_at: string;
  last_sent_at: string | null;
};
type Row = Omit<EmailReportView, 'created_at' | 'last_sent_at'> & { created_at: Date; last_sent_at: Date | null };
const toView = (r: Row): EmailReportView => ({
  ...r,
  created_at: r.created_at.toISOString(),
  last_sent_at: r.last_sent_at?.toISOString() ?? null,
});
const COLUMNS = 'r.id, r.site_id, r.email, r.interval, r.created_at, r.last_sent_at';

export async function listEmailReports(
  ctx: AccountsContext,
  userId: string,
  siteId: string,
): Promise<EmailReportView[]> {
  await requireSiteRole(ctx.db, userId, siteId, 'viewer');
  return emailReportsOfSite(ctx.db, siteId);
}

/** Without access checks, for the report job. Only recipients who are still members. */
export async function emailReportsOfSite(db: Db, siteId: string): Promise<EmailReportView[]> {
  if (!isId(siteId)) return [];
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS}
       FROM email_report r JOIN site s ON s.id = r.site_id
      WHERE r.site_id = $1
        AND EXISTS (SELECT 1 FROM organization_member m JOIN app_user u ON u.id = m.user_id
                     WHERE m.organization_id = s.organization_id AND u.email = r.email)
      ORDER BY r.email, r.interval`,
    [siteId],
  );
  return rows.map(toView);
}

export async function addEmailReport(
  ctx: AccountsContext,
  userId: string,
  siteId: string,
  input: z.input<typeof emailReportSchema>,
): Promise<EmailReportView> {
  const { organizationId } = await requireSiteRole(ctx.db, userId, siteId, 'admin');
  const data = emailReportSchema.parse(input);
  const member = await ctx.db.query(
    'SELECT 1 FROM organization_member m JOIN app_user u ON u.id = m.user_id WHERE m.organization_id = $1 AND u.email = $2',
    [organizationId, data.email],
  );
  if (!member.rowCount) throw invalid('reports go to members of the organization only', 'email');
  try {
    return await withTransaction(ctx.db, async (tx) => {
      const { rows } = await tx.query<Row>(
        `INSERT INTO email_report AS r (site_id, email, interval, created_by) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
        [siteId, data.email, data.interval, userId],
      );
      await recordAudit(tx, {
        organizationId,
        userId,
        action: 'site.email_report_added',
        details: { site_id: siteId, email: data.email, interval: data.interval },
      });
      return toView(rows[0]!);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('this report exists already');
    throw error;
  }
}

/** Moves a recipient to another interval; the report's sending history stays with it. */
export async function changeEmailReport(
  ctx: AccountsContext,
  userId: string,
  siteId: string,
  reportId: string,
  input: z.input<typeof changeEmailReportSchema>,
): Promise<EmailReportView> {
  const { organizationId } = await requireSiteRole(ctx.db, userId, siteId, 'admin');
  if (!isId(reportId)) throw notFound('report not found');
  const data = changeEmailReportSchema.parse(input);
  try {
    return await withTransaction(ctx.db, async (tx) => {
      const before = await tx.query<{ interval: string }>(
        'SELECT interval FROM email_report WHERE id = $1 AND site_id = $2 FOR UPDATE',
        [reportId, siteId],
      );
      if (!before.rows[0]) throw notFound('report not found');
      const { rows } = await tx.query<Row>(
        `UPDATE email_report r SET interval = $3 WHERE r.id = $1 AND r.site_id = $2 RETURNING ${COLUMNS}`,
        [reportId, siteId, data.interval],
      );
      const report = rows[0]!;
      if (before.rows[0].interval !== data.interval) {
        await recordAudit(tx, {
          organizationId,
          userId,
          action: 'site.email_report_changed',
          details: { site_id: siteId, email: report.email, from: before.rows[0].interval, to: data.interval },
        });
      }
      return toView(report);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('this recipient already gets a report at that interval', 'interval');
    throw error;
  }
}

export async function removeEmailReport(
  ctx: AccountsContext,
  userId: string,
  siteId: string,
  reportId: string,
): Promise<void> {
  const { organizationId } = await requireSiteRole(ctx.db, userId, siteId, 'admin');
  if (!isId(reportId)) throw notFound('report not found');
  await withTransaction(ctx.db, async (tx) => {
    const { rows } = await tx.query<{ email: string; interval: string }>(
      'DELETE FROM email_report WHERE id = $1 AND site_id = $2 RETURNING email, interval',
      [reportId, siteId],
    );
    if (!rows[0]) throw notFound('report not found');
    await recordAudit(tx, {
      organizationId,
      userId,
      action: 'site.email_report_removed',
      details: { site_id: siteId, email: rows[0].email, interval: rows[0].interval },
    });
  });
}
