import type { Config } from '@spur/config';
import type { Stores } from '@spur/storage';
import type { Worker } from './job.ts';

/** Every worker this process runs. The ingest issue adds the Redis→ClickHouse flusher here. */
export function createWorkers(_deps: { config: Config; stores: Stores }): Worker[] {
  return [];
}
