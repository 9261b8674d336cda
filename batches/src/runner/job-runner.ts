import { EventEmitter } from 'node:events';
import {
  Logger as GraphileLogger,
  makeWorkerUtils,
  parseCronItems,
  run,
  type JobHelpers,
  type Task,
  type WorkerEvents,
} from 'graphile-worker';
import type { Registry } from 'prom-client';
import type { Config } from '@spur/config';
import type { Logger } from '@spur/runtime';
import type { Stores } from '@spur/storage';
import type { JobDefinition, JobServices } from './job-definition.ts';
import { createJobMetrics } from './job-metrics.ts';
import { claimRun, finishRun } from './job-record.ts';
import { startLiveness } from './worker-liveness.ts';

export const JOBS_SCHEMA = 'graphile_worker';
const DEFAULT_MAX_ATTEMPTS = 10;

type RunnerConfig = Pick<Config, 'JOBS_CONCURRENCY' | 'JOBS_WORKER_STALE_MS'> & Config;

/** The slot a job payload names: the cron time for scheduled runs, else the queuing side's slot. */
export function slotOf(payload: unknown, jobId: string): { slot: string; scheduledAt: Date } {
  const p = (payload ?? {}) as { slot?: unknown; _cron?: { ts?: string } };
  if (p._cron?.ts) {
    const at = new Date(p._cron.ts);
    return { slot: at.toISOString().slice(0, 16) + 'Z', scheduledAt: at };
  }
  if (typeof p.slot === 'string' && p.slot.length > 0) {
    // A slot named like a cron time (`jobs:run email-reports --slot 2026-10-26T08:00Z`) runs as of then.
    const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z$/.test(p.slot) ? new Date(p.slot.replace('Z', ':00Z')) : new Date();
    return { slot: p.slot, scheduledAt: at };
  }
  return { slot: `job-${jobId}`, scheduledAt: new Date() };
}

/**
 * graphile-worker with our jobs: its distributed crontab claims each slot once across replicas
 * (one row update in known_crontabs), its queue retries failures with exponential backoff, and
 * every run is recorded in job_run, whose (job, slot) row makes a repeated slot a no-op.
 */
export async function startJobRunner(deps: {
  config: RunnerConfig;
  stores: Stores;
  log: Logger;
  registry: Registry;
  jobs: JobDefinition[];
  services: JobServices;
}) {
  const { config, stores, jobs } = deps;
  const db = stores.postgres.pool;
  const log = deps.log.child({ component: 'jobs' });
  const metrics = createJobMetrics(deps.registry);
  for (const job of jobs) {
    metrics.runs.labels(job.name, 'succeeded').inc(0);
    metrics.runs.labels(job.name, 'failed').inc(0);
    metrics.failures.labels(job.name).inc(0);
  }
  // graphile-worker wants every pooled client to have an error handler (a dropped connection
  // would otherwise crash the process); pg hands us the clients on connect.
  db.on('connect', (client) => client.on('error', (err) => log.warn({ err }, 'postgres client error')));
  const utils = await makeWorkerUtils({ pgPool: db, schema: JOBS_SCHEMA, logger: graphileLogger(log) });
  await utils.migrate();
  const liveness = startLiveness({
    db,
    schema: JOBS_SCHEMA,
    staleMs: config.JOBS_WORKER_STALE_MS,
    log,
    forceUnlock: (ids) => utils.forceUnlockWorkers(ids),
  });
  const events: WorkerEvents = new EventEmitter() as WorkerEvents;
  // Jobs are locked under the pool's id (graphile fetches them for the pool's workers).
  events.on('pool:create', ({ workerPool }) => liveness.add(workerPool.id));
  events.on('worker:create', ({ worker }) => liveness.add(worker.workerId));

  const byName = new Map(jobs.map((j) => [j.name, j]));
  const taskList: Record<string, Task> = {};
  for (const job of jobs) taskList[job.name] = (payload, helpers) => runJob(job, payload, helpers);

  async function runJob(job: JobDefinition, payload: unknown, helpers: JobHelpers): Promise<void> {
    const { slot, scheduledAt } = slotOf(payload, helpers.job.id);
    const worker = helpers.job.locked_by ?? 'unknown';
    const jobLog = log.child({ job: job.name, slot });
    const claim = await claimRun(db, { job: job.name, slot, worker, staleMs: config.JOBS_WORKER_STALE_MS });
    if (!claim.claimed) {
      if (claim.reason === 'succeeded') {
        metrics.runs.labels(job.name, 'skipped').inc();
        jobLog.debug('slot already succeeded; not run again');
        return;
      }
      // Another live worker holds it: fail this attempt so graphile retries after a backoff.
      throw new Error(`slot ${slot} of ${job.name} is running on ${claim.worker ?? 'another worker'}`);
    }
    const started = performance.now();
    try {
      const detail = await job.run(
        {
          config,
          stores,
          log: jobLog,
          slot,
          scheduledAt,
          signal: helpers.abortSignal,
          services: deps.services,
          enqueue: async (name, childSlot, childPayload = {}) => {
            const child = byName.get(name);
            if (!child) throw new Error(`unknown job ${name}`);
            await helpers.addJob(
              name,
              { ...childPayload, slot: childSlot },
              {
                jobKey: `${name}:${childSlot}`,
                jobKeyMode: 'preserve_run_at',
                maxAttempts: child.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
              },
            );
          },
        },
        (payload ?? {}) as Record<string, unknown>,
      );
      const seconds = (performance.now() - started) / 1000;
      await finishRun(
        db,
        { job: job.name, slot, worker, durationMs: seconds * 1000 },
        { ok: true, ...(detail ? { detail } : {}) },
      );
      metrics.runs.labels(job.name, 'succeeded').inc();
      metrics.duration.labels(job.name).observe(seconds);
      metrics.lastSuccess.labels(job.name).set(Date.now() / 1000);
      jobLog.info({ durationMs: Math.round(seconds * 1000), attempts: claim.attempts, ...detail }, 'job succeeded');
    } catch (error) {
      const seconds = (performance.now() - started) / 1000;
      const message = error instanceof Error ? error.message : String(error);
      await finishRun(db, { job: job.name, slot, worker, durationMs: seconds * 1000 }, { ok: false, error: message });
      metrics.runs.labels(job.name, 'failed').inc();
      metrics.failures.labels(job.name).inc();
      metrics.duration.labels(job.name).observe(seconds);
      jobLog.error({ err: error, attempts: claim.attempts }, 'job failed; graphile-worker retries it with backoff');
      throw error;
    }
  }

  const cronItems = parseCronItems(
    jobs
      .filter((j) => j.schedule)
      .map((j) => ({
        task: j.name,
        identifier: j.name,
        match: j.schedule!,
        options: { backfillPeriod: j.fillMs ?? 0, maxAttempts: j.maxAttempts ?? DEFAULT_MAX_ATTEMPTS },
      })),
  );
  const runner = await run(
    {
      pgPool: db,
      schema: JOBS_SCHEMA,
      concurrency: config.JOBS_CONCURRENCY,
      noHandleSignals: true,
      logger: graphileLogger(log),
      events,
      pollInterval: 1_000,
      // The heartbeat sweep frees jobs of dead workers long before graphile's own 4-hour rule.
      gracefulShutdownAbortTimeout: Math.max(config.SHUTDOWN_TIMEOUT_MS - 1_000, 1_000),
    },
    taskList,
    cronItems,
  );
  liveness.start();
  runner.promise.catch((err: unknown) => log.error({ err }, 'job runner stopped with an error'));
  log.info({ jobs: jobs.map((j) => j.name), concurrency: config.JOBS_CONCURRENCY }, 'job runner started');
  return {
    async stop() {
      await runner.stop().catch((err: unknown) => log.error({ err }, 'job runner stop failed'));
      await liveness.stop();
      await utils.release();
    },
  };
}

/** graphile-worker's log lines into our pino logger. */
function graphileLogger(log: Logger): GraphileLogger {
  return new GraphileLogger((scope) => (level, message, meta) => {
    // Meta holds whole worker and job objects; the error is what is worth keeping.
    const fields = { ...scope, ...(meta && 'error' in meta ? { err: meta.error } : {}) };
    if (level === 'error') log.error(fields, message);
    else if (level === 'warning') log.warn(fields, message);
    else if (level === 'info') log.info(fields, message);
    else log.debug(fields, message);
  });
}
