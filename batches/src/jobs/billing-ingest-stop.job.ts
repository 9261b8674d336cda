import { ingestStopJob } from '@spur/billing';
import type { JobDefinition } from '../runner/job-definition.ts';
import { billingDeps, DAY_FILL } from './billing-deps.ts';

export const ingestStopJobDef: JobDefinition = {
  name: 'billing-ingest-stop',
  description: 'daily: keeps ingest stop times of locked organizations in step and warns their owners',
  schedule: '30 1 * * *',
  fillMs: DAY_FILL,
  async run(ctx) {
    return { ...(await ingestStopJob(billingDeps(ctx))) };
  },
};
