import type { Config } from '@spur/config';
import { createFlusher } from '@spur/ingest';
import type { Stores } from '@spur/storage';
import type { Worker } from './job.ts';

/** Every worker this process runs. */
export function createWorkers(deps: {
  config: Pick<Config, 'FLUSH_BATCH_ROWS' | 'FLUSH_INTERVAL_MS' | 'FLUSH_CLAIM_IDLE_MS'>;
  stores: Stores;
}): Worker[] {
  return [
    {
      name: 'flusher',
      start(log) {
        const flusher = createFlusher({
          redis: deps.stores.redis,
          postgres: deps.stores.postgres.pool,
          clickhouse: deps.stores.clickhouse.client,
          batchRows: deps.config.FLUSH_BATCH_ROWS,
          intervalMs: deps.config.FLUSH_INTERVAL_MS,
          claimIdleMs: deps.config.FLUSH_CLAIM_IDLE_MS,
          log,
        });
        flusher.start();
        return flusher;
      },
    },
  ];
}
