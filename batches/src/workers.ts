import type { Config } from '@spur/config';
import { createMailer } from '@spur/email';
import { createFlusher } from '@spur/ingest';
import { openObjectStore, type Stores } from '@spur/storage';
import type { Worker } from './job.ts';
import { allJobs } from './jobs/index.ts';
import type { JobDefinition } from './runner/job-definition.ts';
import { startJobRunner } from './runner/job-runner.ts';

/** Every worker this process runs: the flusher and, unless JOBS_ENABLED=false, the job runner. */
export function createWorkers(deps: { config: Config; stores: Stores; extraJobs?: JobDefinition[] }): Worker[] {
  const { config, stores } = deps;
  const workers: Worker[] = [
    {
      name: 'flusher',
      start(log, { registry }) {
        const flusher = createFlusher({
          redis: stores.redis,
          postgres: stores.postgres.pool,
          clickhouse: stores.clickhouse.client,
          batchRows: config.FLUSH_BATCH_ROWS,
          intervalMs: config.FLUSH_INTERVAL_MS,
          claimIdleMs: config.FLUSH_CLAIM_IDLE_MS,
          // Its rows, batches, dead letters and the stream's backlog and lag on /metrics (alerts.yml).
          registry,
          waitReplicas: config.REDIS_WAIT_REPLICAS,
          log,
        });
        flusher.start();
        return flusher;
      },
    },
  ];
  if (config.JOBS_ENABLED)
    workers.push({
      name: 'jobs',
      async start(log, { registry }) {
        const mailer = createMailer(config, log);
        const objects = openObjectStore(config);
        // Not fatal at boot: S3 being away fails only the jobs that need it, and they retry.
        // Outside production an unset S3_ENDPOINT means "no S3 here" (tests of other parts), not AWS.
        if (config.S3_ENDPOINT || config.NODE_ENV === 'production')
          await objects.ensureBucket().catch((err: unknown) => log.warn({ err }, 'S3 bucket check failed'));
        const runner = await startJobRunner({
          config,
          stores,
          log,
          registry,
          jobs: [...allJobs, ...(deps.extraJobs ?? [])],
          services: { mailer, objects },
        });
        return {
          async stop() {
            await runner.stop();
            mailer.close();
            objects.close();
          },
        };
      },
    });
  return workers;
}
