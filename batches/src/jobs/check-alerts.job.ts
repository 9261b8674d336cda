import { checkAlerts, recordDeliveries } from '@spur/alerts';
import type { JobDefinition } from '../runner/job-definition.ts';

/**
 * Every 5 minutes: judges each traffic alert as of the slot time and queues one delivery job per
 * notice and target. A retried check finds the deliveries it already recorded (same notice key).
 */
export const checkAlertsJob: JobDefinition = {
  name: 'check-alerts',
  description: 'every 5 minutes: traffic spike and drop alerts, notices by email and webhook',
  schedule: '*/5 * * * *',
  maxAttempts: 3,
  async run({ stores, scheduledAt, enqueue }) {
    const db = stores.postgres.pool;
    const notices = await checkAlerts({ db, clickhouse: stores.clickhouse.client }, scheduledAt);
    let deliveries = 0;
    for (const notice of notices) {
      for (const id of await recordDeliveries(db, notice)) {
        await enqueue('deliver-alert', `delivery-${id}`, { deliveryId: id });
        deliveries += 1;
      }
    }
    return { notices: notices.length, deliveries };
  },
};
