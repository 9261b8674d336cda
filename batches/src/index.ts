export { startBatches } from './server.ts';
export { createWorkers } from './workers.ts';
export type { Worker } from './job.ts';
