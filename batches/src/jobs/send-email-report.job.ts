import { z } from 'zod';
import { periodSchema, sendEmailReport } from '@spur/reports';
import type { JobDefinition } from '../runner/job-definition.ts';

const payloadSchema = z.object({ reportId: z.string().regex(/^\d+$/), period: periodSchema });

/**
 * One recipient's report for one period. Its slot is `<report>:<interval>:<from>`: job_run keeps
 * it from going out twice (retries, replicas, a rerun of the fan-out); a failed send is retried
 * with backoff, an address SES refuses is logged once and not retried.
 */
export const sendEmailReportJob: JobDefinition = {
  name: 'send-email-report',
  description: 'renders one email report, stores it in S3 and sends it (queued by email-reports)',
  maxAttempts: 8,
  async run({ config, stores, services, log }, payload) {
    const { reportId, period } = payloadSchema.parse(payload);
    const outcome = await sendEmailReport(
      {
        db: stores.postgres.pool,
        clickhouse: stores.clickhouse.client,
        objects: services.objects,
        mailer: services.mailer,
        config,
        log,
      },
      reportId,
      period,
    );
    return { ...outcome };
  },
};
