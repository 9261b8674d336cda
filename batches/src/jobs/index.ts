import type { JobDefinition } from '../runner/job-definition.ts';
import { backupClickHouseJob } from './backup-clickhouse.job.ts';
import { ingestStopJobDef } from './billing-ingest-stop.job.ts';
import { measureUsageJobDef } from './billing-measure-usage.job.ts';
import { quotaNoticesJobDef } from './billing-quota-notices.job.ts';
import { reconcileJobDef } from './billing-reconcile.job.ts';
import { trialRemindersJobDef } from './billing-trial-reminders.job.ts';
import { backupPostgresJob } from './backup-postgres.job.ts';
import { checkAlertsJob } from './check-alerts.job.ts';
import { deliverAlertJob } from './deliver-alert.job.ts';
import { emailReportsJob } from './email-reports.job.ts';
import { housekeepingJob } from './housekeeping.job.ts';
import { purgeJobRunsJob } from './purge-job-runs.job.ts';
import { sendEmailReportJob } from './send-email-report.job.ts';
import { statisticsRetentionJob } from './statistics-retention.job.ts';

/** Every job batches runs; each lives in its own `<job>.job.ts`. */
export const allJobs: JobDefinition[] = [
  emailReportsJob,
  sendEmailReportJob,
  checkAlertsJob,
  deliverAlertJob,
  backupPostgresJob,
  backupClickHouseJob,
  purgeJobRunsJob,
  housekeepingJob,
  statisticsRetentionJob,
  measureUsageJobDef,
  quotaNoticesJobDef,
  trialRemindersJobDef,
  ingestStopJobDef,
  reconcileJobDef,
];
