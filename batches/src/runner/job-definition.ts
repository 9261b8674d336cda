import type { Config } from '@spur/config';
import type { Logger } from '@spur/runtime';
import type { ObjectStore, Stores } from '@spur/storage';
import type { Mailer } from '@spur/email';

/**
 * A scheduled or queued job. The runner records each run in `job_run` under (name, slot): a
 * slot that already succeeded is never run again, which is what makes a retry, a second
 * replica or `jobs:run` of the same slot harmless.
 */
export type JobDefinition = {
  /** kebab-case, named after what it does; also the graphile task identifier. */
  name: string;
  /** What it does, for `jobs:list`. */
  description: string;
  /**
   * A graphile-worker crontab schedule (UTC), e.g. `*\/5 * * * *`; unset for jobs that are only
   * queued (by another job or `jobs:run`).
   */
  schedule?: string;
  /** Backfill window for slots missed while no process ran (graphile's `?fill=`), in ms. */
  fillMs?: number;
  /** Attempts before graphile gives up (retries back off exponentially). Default 10. */
  maxAttempts?: number;
  run: (ctx: JobContext, payload: Record<string, unknown>) => Promise<Record<string, unknown> | void>;
};

export type JobContext = {
  config: Config;
  stores: Stores;
  log: Logger;
  /** The slot being run: the cron time (ISO minute, UTC) or whatever the queuing side named it. */
  slot: string;
  /** When the slot is due (the cron time), or when the job was queued. */
  scheduledAt: Date;
  /** Queues another job; one queued job per (name, slot) at a time. */
  enqueue: (name: string, slot: string, payload?: Record<string, unknown>) => Promise<void>;
  /** Aborted on shutdown: long jobs should stop and fail (they are retried). */
  signal: AbortSignal;
  /** Created once per process and shared by every job. */
  services: JobServices;
};

export type JobServices = { mailer: Mailer; objects: ObjectStore };
