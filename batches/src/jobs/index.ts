import type { JobDefinition } from '../runner/job-definition.ts';
import { backupClickHouseJob } from './backup-clickhouse.job.ts';
import { backupPostgresJob } from './backup-postgres.job.ts';
import { checkAlertsJob } from './check-alerts.job.ts';
import { deliverAlertJob } from './deliver-alert.job.ts';
import { emailReportsJob } from './email-reports.job.ts';
import { purgeJobRunsJob } from './purge-job-runs.job.ts';
import { sendEmailReportJob } from './send-email-report.job.ts';

/** Every job batches runs; each lives in its own `<job>.job.ts`. */
export const allJobs: JobDefinition[] = [
  emailReportsJob,
  sendEmailReportJob,
  checkAlertsJob,
  deliverAlertJob,
  backupPostgresJob,
  backupClickHouseJob,
  purgeJobRunsJob,
];
