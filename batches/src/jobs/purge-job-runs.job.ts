import type { JobDefinition } from '../runner/job-definition.ts';

/** job_run rows older than this go; the slots they key are long past any retry. */
const KEEP_DAYS = 90;

export const purgeJobRunsJob: JobDefinition = {
  name: 'purge-job-runs',
  description: `deletes job_run records older than ${KEEP_DAYS} days`,
  schedule: '17 3 * * *',
  fillMs: 24 * 3600_000,
  async run({ stores }) {
    const result = await stores.postgres.pool.query(
      `DELETE FROM job_run WHERE started_at < now() - make_interval(days => $1) AND status <> 'running'`,
      [KEEP_DAYS],
    );
    return { deleted: result.rowCount ?? 0 };
  },
};
