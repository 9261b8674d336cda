export { startBatches } from './server.ts';
export { createWorkers } from './workers.ts';
export { allJobs } from './jobs/index.ts';
export type { Worker } from './job.ts';
export type { JobDefinition, JobContext } from './runner/job-definition.ts';
