import { loadConfigOrExit } from '@spur/config';
import { createLogger, Lifecycle } from '@spur/runtime';
import { migrate, openStores } from '@spur/storage';
import type { JobDefinition } from './runner/job-definition.ts';
import { startBatches } from './server.ts';
import { createWorkers } from './workers.ts';

/** The batches process: stores, migrations, flusher, job runner, health server, signals. */
export async function runBatchesProcess(options: { extraJobs?: JobDefinition[] } = {}): Promise<void> {
  const config = loadConfigOrExit();
  const log = createLogger(config, 'batches');
  const lifecycle = new Lifecycle(log, config.SHUTDOWN_TIMEOUT_MS, config.SHUTDOWN_DRAIN_MS);
  lifecycle.handleSignals();
  try {
    const stores = await openStores(config, log);
    lifecycle.onStop('stores', stores.close);
    await migrate(stores, log);
    await startBatches({
      config,
      stores,
      log,
      lifecycle,
      workers: createWorkers({ config, stores, ...(options.extraJobs ? { extraJobs: options.extraJobs } : {}) }),
    });
  } catch (error) {
    log.fatal({ err: error }, 'batches failed to start');
    await lifecycle.stop('startup failure').catch(() => undefined);
    process.exit(1);
  }
}
