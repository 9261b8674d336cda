import { z } from 'zod';
import { deliver } from '@spur/alerts';
import type { JobDefinition } from '../runner/job-definition.ts';

const payloadSchema = z.object({ deliveryId: z.string().regex(/^\d+$/) });

/** One alert notice to one address or webhook; a failure is retried with backoff and logged per attempt. */
export const deliverAlertJob: JobDefinition = {
  name: 'deliver-alert',
  description: 'delivers one alert notice by email or signed webhook (queued by check-alerts)',
  maxAttempts: 8,
  async run({ config, stores, services }, payload) {
    const { deliveryId } = payloadSchema.parse(payload);
    return deliver({ db: stores.postgres.pool, mailer: services.mailer, config }, deliveryId);
  },
};
