import { backupPostgres } from '../backup/postgres-backup.ts';
import type { JobDefinition } from '../runner/job-definition.ts';

export const backupPostgresJob: JobDefinition = {
  name: 'backup-postgres',
  description: 'nightly pg_dump -Fc of Postgres streamed to S3, size and SHA-256 recorded, newest BACKUP_KEEP kept',
  schedule: '30 2 * * *',
  fillMs: 12 * 3600_000,
  maxAttempts: 4,
  async run({ config, stores, services, log, scheduledAt }) {
    return backupPostgres({ db: stores.postgres.pool, objects: services.objects, config, log, now: scheduledAt });
  },
};
