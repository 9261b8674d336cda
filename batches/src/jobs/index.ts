import type { JobDefinition } from '../runner/job-definition.ts';
import { emailReportsJob } from './email-reports.job.ts';
import { purgeJobRunsJob } from './purge-job-runs.job.ts';
import { sendEmailReportJob } from './send-email-report.job.ts';

/** Every job batches runs; each lives in its own `<job>.job.ts`. */
export const allJobs: JobDefinition[] = [emailReportsJob, sendEmailReportJob, purgeJobRunsJob];
