import { backupClickHouse } from '../backup/clickhouse-backup.ts';
import type { JobDefinition } from '../runner/job-definition.ts';

export const backupClickHouseJob: JobDefinition = {
  name: 'backup-clickhouse',
  description: 'nightly ClickHouse BACKUP to S3 on a ClickHouse server (skipped, and said so, with embedded chdb)',
  schedule: '45 2 * * *',
  fillMs: 12 * 3600_000,
  maxAttempts: 4,
  async run({ config, stores, services, log, scheduledAt }) {
    return backupClickHouse({
      db: stores.postgres.pool,
      clickhouse: stores.clickhouse.client,
      objects: services.objects,
      config,
      log,
      now: scheduledAt,
    });
  },
};
