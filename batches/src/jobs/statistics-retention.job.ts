import { billingEnabled } from '@spur/billing';
import { enforceRetention } from '../housekeeping/statistics-retention.ts';
import type { JobDefinition } from '../runner/job-definition.ts';

export const statisticsRetentionJob: JobDefinition = {
  name: 'statistics-retention',
  description: "nightly: deletes statistics older than the organization's plan retention (billing on only)",
  schedule: '10 4 * * *',
  fillMs: 20 * 3600_000,
  async run({ config, stores, log, scheduledAt }) {
    if (!billingEnabled(config)) return { skipped: 'billing is off: no plan limits retention' };
    const deleted = await enforceRetention({
      db: stores.postgres.pool,
      clickhouse: stores.clickhouse,
      log,
      now: scheduledAt,
    });
    return { organizations: deleted.length, deleted };
  },
};
