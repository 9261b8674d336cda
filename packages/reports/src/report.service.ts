import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { z } from 'zod';
import type { Config } from '@spur/config';
import { isPermanentSendFailure, type Mailer } from '@spur/email';
import type { Logger } from '@spur/runtime';
import type { StatsDeps } from '@spur/stats';
import type { ObjectStore } from '@spur/storage';
import { loadReportData } from './report-data.ts';
import { duePeriod, type ReportInterval, type ReportPeriod } from './report-period.ts';
import { renderReport } from './report-render.ts';
import { reportSigningKey, unsubscribeUrl, verifyUnsubscribe } from './unsubscribe-token.ts';

export type ReportDeps = {
  db: pg.Pool;
  clickhouse: StatsDeps['clickhouse'];
  objects: ObjectStore;
  mailer: Mailer;
  config: Pick<Config, 'AUTH_SECRET' | 'NODE_ENV' | 'backendUrl' | 'dashboardUrl'>;
  log: Logger;
};

export const periodSchema = z.object({
  interval: z.enum(['daily', 'weekly', 'monthly']),
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  previousFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  previousTo: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});

/**
 * The reports due at `instant` (an hourly slot): one entry per recipient and period, whose
 * `key` is the job_run slot that makes its mail go out once.
 */
export async function dueReports(
  db: pg.Pool,
  instant: Date,
): Promise<{ reportId: string; key: string; period: ReportPeriod }[]> {
  const { rows } = await db.query<{ id: string; interval: ReportInterval; timezone: string }>(
    // Only addresses that are still members of the site's organization (someone who left gets nothing).
    `SELECT r.id::text, r.interval, s.timezone FROM email_report r JOIN site s ON s.id = r.site_id
     WHERE EXISTS (SELECT 1 FROM organization_member m JOIN app_user u ON u.id = m.user_id
                   WHERE m.organization_id = s.organization_id AND u.email = r.email)
     ORDER BY r.id`,
  );
  const due: { reportId: string; key: string; period: ReportPeriod }[] = [];
  for (const row of rows) {
    let period: ReportPeriod | undefined;
    try {
      period = duePeriod(row.interval, instant, row.timezone);
    } catch {
      period = duePeriod(row.interval, instant, 'UTC'); // a zone Intl does not know
    }
    if (period) due.push({ reportId: row.id, key: `${row.id}:${period.interval}:${period.from}`, period });
  }
  return due;
}

type ReportRow = {
  id: string;
  email: string;
  interval: ReportInterval;
  site_id: string;
  organization_id: string;
  site_name: string;
  timezone: string;
  kind: 'site' | 'rollup';
  member_ids: string[];
};

export type SendOutcome =
  { sent: true; messageId: string; copy: string } | { sent: false; reason: 'unsubscribed' | 'bounced'; error?: string };

/** Renders one recipient's report, stores it in S3 and mails it. The caller keys it (job_run). */
export async function sendEmailReport(deps: ReportDeps, reportId: string, period: ReportPeriod): Promise<SendOutcome> {
  const { rows } = await deps.db.query<ReportRow>(
    `SELECT r.id::text, r.email, r.interval, s.id::text AS site_id, s.organization_id::text, s.name AS site_name, s.timezone,
            s.kind, ARRAY(SELECT m.site_id::text FROM site_rollup_member m WHERE m.rollup_id = s.id) AS member_ids
     FROM email_report r JOIN site s ON s.id = r.site_id WHERE r.id = $1`,
    [reportId],
  );
  const report = rows[0];
  if (!report) return { sent: false, reason: 'unsubscribed' };
  const data = await loadReportData(
    { clickhouse: deps.clickhouse, db: deps.db },
    // A rollup view's report covers its member sites.
    {
      id: report.site_id,
      organization_id: report.organization_id,
      timezone: report.timezone,
      kind: report.kind,
      member_ids: report.member_ids,
    },
    period,
  );
  // A retry after a failed send reuses the copy already stored.
  const existing = await deps.db.query<{ token: string }>(
    'SELECT token FROM report_copy WHERE email_report_id = $1 AND period_from = $2 AND interval = $3 LIMIT 1',
    [reportId, period.from, period.interval],
  );
  const token = existing.rows[0]?.token ?? randomBytes(16).toString('hex');
  const key = reportSigningKey(deps.config);
  const unsubscribe = unsubscribeUrl(deps.config.backendUrl, key, report.id, report.email);
  const email = renderReport({
    siteName: report.site_name,
    period,
    data,
    dashboardUrl: `${deps.config.dashboardUrl}/sites/${report.site_id}?period=custom&from=${period.from}&to=${period.to}`,
    viewUrl: `${deps.config.backendUrl}/api/v1/email-reports/view/${token}`,
    unsubscribeUrl: unsubscribe,
  });
  if (!existing.rows[0]) {
    const s3Key = `reports/${report.site_id}/${period.interval}/${period.from}/${token}.html`;
    await deps.objects.put(s3Key, email.html, 'text/html; charset=utf-8');
    await deps.db.query(
      `INSERT INTO report_copy (token, site_id, email_report_id, interval, period_from, period_to, s3_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [token, report.site_id, report.id, period.interval, period.from, period.to, s3Key],
    );
  }
  try {
    const { messageId } = await deps.mailer.send({
      ...email,
      to: report.email,
      headers: {
        'List-Unsubscribe': `<${unsubscribe}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    });
    await deps.db.query('UPDATE email_report SET last_sent_at = now() WHERE id = $1', [report.id]);
    return { sent: true, messageId, copy: token };
  } catch (error) {
    // A refused address will be refused again: log it, do not retry for days.
    if (!isPermanentSendFailure(error)) throw error;
    const message = error instanceof Error ? error.message : String(error);
    deps.log.warn({ reportId, to: report.email, err: error }, 'email report refused by SES; not retried');
    return { sent: false, reason: 'bounced', error: message };
  }
}

/** The stored HTML of a report copy (the "view in browser" link), or undefined. */
export async function reportCopyHtml(db: pg.Pool, objects: ObjectStore, token: string): Promise<string | undefined> {
  if (!/^[0-9a-f]{32}$/.test(token)) return undefined;
  const { rows } = await db.query<{ s3_key: string }>('SELECT s3_key FROM report_copy WHERE token = $1', [token]);
  if (!rows[0]) return undefined;
  const object = await objects.get(rows[0].s3_key);
  return object?.body.toString('utf8');
}

/**
 * One-click unsubscribe: a valid signature for (report, address) deletes that report setting.
 * Returns false for a bad signature; true also when it was already gone (a second click).
 */
export async function unsubscribeReport(
  db: pg.Pool,
  config: Pick<Config, 'AUTH_SECRET' | 'NODE_ENV'>,
  input: { report: string; email: string; sig: string },
): Promise<boolean> {
  if (!verifyUnsubscribe(reportSigningKey(config), input.report, input.email, input.sig)) return false;
  await db.query('DELETE FROM email_report WHERE id = $1 AND email = $2', [input.report, input.email.toLowerCase()]);
  return true;
}
