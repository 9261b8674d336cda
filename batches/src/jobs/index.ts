import type { JobDefinition } from '../runner/job-definition.ts';
import { purgeJobRunsJob } from './purge-job-runs.job.ts';

/** Every job batches runs; each lives in its own `<job>.job.ts`. */
export const allJobs: JobDefinition[] = [purgeJobRunsJob];
