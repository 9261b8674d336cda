import { purgeExpired } from '../housekeeping/purge-expired.ts';
import type { JobDefinition } from '../runner/job-definition.ts';

export const housekeepingJob: JobDefinition = {
  name: 'housekeeping',
  description:
    'nightly: expired sessions, tokens, invitations, old alert deliveries, stray rate-limit keys; salts gone after 48 h',
  schedule: '40 3 * * *',
  fillMs: 20 * 3600_000,
  async run({ stores, log, scheduledAt }) {
    return purgeExpired({ db: stores.postgres.pool, redis: stores.redis, log, now: scheduledAt });
  },
};
