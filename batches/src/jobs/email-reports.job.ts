import { dueReports } from '@spur/reports';
import type { JobDefinition } from '../runner/job-definition.ts';

/**
 * Hourly fan-out: every report due at this hour (09:00 in its site's zone) becomes one
 * `send-email-report` job per recipient and period, keyed so it is sent once.
 */
export const emailReportsJob: JobDefinition = {
  name: 'email-reports',
  description: 'every hour: queues the daily, weekly and monthly email reports due at 09:00 in their site time zone',
  schedule: '0 * * * *',
  fillMs: 6 * 3600_000,
  async run({ stores, scheduledAt, enqueue }) {
    const due = await dueReports(stores.postgres.pool, scheduledAt);
    for (const report of due)
      await enqueue('send-email-report', report.key, { reportId: report.reportId, period: report.period });
    return { queued: due.length };
  },
};
