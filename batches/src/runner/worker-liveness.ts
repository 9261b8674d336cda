import os from 'node:os';
import type pg from 'pg';
import type { Logger } from '@spur/runtime';

/**
 * Heartbeats of this process's graphile workers, and the sweep that frees jobs held by dead
 * ones. graphile-worker unlocks a job whose worker vanished only after 4 hours; a SIGKILLed
 * replica would hold its slot that long. Every live process sweeps: a job is unlocked when it
 * was locked longer than `staleMs` ago by a worker with no heartbeat within `staleMs` (the lock
 * age keeps a worker that has just started, and not yet beaten, safe).
 */
export function startLiveness(deps: {
  db: pg.Pool;
  schema: string;
  staleMs: number;
  log: Logger;
  forceUnlock: (workerIds: string[]) => Promise<void>;
}) {
  const workers = new Set<string>();
  const intervalMs = Math.max(Math.floor(deps.staleMs / 4), 100);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let beating: Promise<void> = Promise.resolve();

  async function beat() {
    const ids = [...workers];
    if (ids.length > 0)
      await deps.db.query(
        `INSERT INTO job_worker (worker_id, host, pid) SELECT unnest($1::text[]), $2, $3
         ON CONFLICT (worker_id) DO UPDATE SET seen_at = now()`,
        [ids, os.hostname(), process.pid],
      );
    const stale = await deps.db.query<{ locked_by: string }>(
      `SELECT DISTINCT j.locked_by FROM ${deps.schema}._private_jobs j
       WHERE j.locked_by IS NOT NULL
         AND j.locked_at < now() - make_interval(secs => $1::float8 / 1000)
         AND NOT EXISTS (SELECT 1 FROM job_worker w WHERE w.worker_id = j.locked_by
                         AND w.seen_at > now() - make_interval(secs => $1::float8 / 1000))`,
      [deps.staleMs],
    );
    const dead = stale.rows.map((r) => r.locked_by);
    if (dead.length > 0) {
      await deps.forceUnlock(dead);
      deps.log.warn({ workers: dead }, 'unlocked the jobs of workers that stopped their heartbeat');
    }
    await deps.db.query(
      `DELETE FROM job_worker WHERE seen_at < now() - make_interval(secs => $1::float8 / 1000) * 10`,
      [deps.staleMs],
    );
  }

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      beating = beat()
        .catch((err: unknown) => deps.log.error({ err }, 'job worker heartbeat failed'))
        .finally(schedule);
    }, intervalMs);
  };

  return {
    /** Registers a worker id and records it at once, as soon as it exists. */
    add(workerId: string) {
      workers.add(workerId);
      beating = beating.then(beat).catch((err: unknown) => deps.log.error({ err }, 'job worker heartbeat failed'));
    },
    start: schedule,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await beating;
      // Gone on purpose: nothing it held is left locked (graceful shutdown released it).
      if (workers.size > 0)
        await deps.db.query('DELETE FROM job_worker WHERE worker_id = ANY($1::text[])', [[...workers]]);
    },
  };
}
