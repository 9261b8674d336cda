import type pg from 'pg';

export type ClaimResult =
  { claimed: true; attempts: number } | { claimed: false; reason: 'succeeded' | 'running-elsewhere'; worker?: string };

/**
 * Claims (job, slot) in job_run for this worker. A slot that succeeded is never claimed again;
 * a slot another live worker is running is refused (graphile retries later); a slot left
 * running by a worker whose heartbeat stopped (SIGKILL) is taken over.
 */
export async function claimRun(
  db: pg.Pool,
  run: { job: string; slot: string; worker: string; staleMs: number },
): Promise<ClaimResult> {
  const { rows } = await db.query<{ attempts: number }>(
    `INSERT INTO job_run (job, slot, status, attempts, worker)
     VALUES ($1, $2, 'running', 1, $3)
     ON CONFLICT (job, slot) DO UPDATE
       SET status = 'running', attempts = job_run.attempts + 1, worker = $3, started_at = now(),
           finished_at = NULL, duration_ms = NULL, error = NULL
     WHERE job_run.status = 'failed'
        OR (job_run.status = 'running' AND (job_run.worker = $3 OR NOT EXISTS (
              SELECT 1 FROM job_worker w
              WHERE w.worker_id = job_run.worker AND w.seen_at > now() - make_interval(secs => $4::float8 / 1000))))
     RETURNING attempts`,
    [run.job, run.slot, run.worker, run.staleMs],
  );
  if (rows[0]) return { claimed: true, attempts: rows[0].attempts };
  const existing = await db.query<{ status: string; worker: string | null }>(
    'SELECT status, worker FROM job_run WHERE job = $1 AND slot = $2',
    [run.job, run.slot],
  );
  const row = existing.rows[0];
  return row?.status === 'succeeded'
    ? { claimed: false, reason: 'succeeded' }
    : { claimed: false, reason: 'running-elsewhere', ...(row?.worker ? { worker: row.worker } : {}) };
}

export async function finishRun(
  db: pg.Pool,
  run: { job: string; slot: string; worker: string; durationMs: number },
  outcome: { ok: true; detail?: Record<string, unknown> } | { ok: false; error: string },
): Promise<void> {
  await db.query(
    `UPDATE job_run SET status = $4, finished_at = now(), duration_ms = $5, error = $6, detail = $7
     WHERE job = $1 AND slot = $2 AND worker = $3`,
    [
      run.job,
      run.slot,
      run.worker,
      outcome.ok ? 'succeeded' : 'failed',
      Math.round(run.durationMs),
      outcome.ok ? null : outcome.error.slice(0, 2000),
      outcome.ok && outcome.detail ? JSON.stringify(outcome.detail) : null,
    ],
  );
}

export type JobSummary = {
  job: string;
  runs: number;
  failed: number;
  running: number;
  last_status: string | null;
  last_slot: string | null;
  last_finished_at: string | null;
  last_success_at: string | null;
  last_error: string | null;
};

/** Per job: counts and its latest run, for `jobs:list`. */
export async function summarizeRuns(db: pg.Pool): Promise<JobSummary[]> {
  const { rows } = await db.query<JobSummary>(
    `SELECT r.job,
            count(*)::int AS runs,
            count(*) FILTER (WHERE r.status = 'failed')::int AS failed,
            count(*) FILTER (WHERE r.status = 'running')::int AS running,
            last.status AS last_status, last.slot AS last_slot,
            to_char(last.finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS last_finished_at,
            to_char(max(r.finished_at) FILTER (WHERE r.status = 'succeeded') AT TIME ZONE 'UTC',
                    'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS last_success_at,
            last.error AS last_error
     FROM job_run r
     CROSS JOIN LATERAL (
       SELECT status, slot, finished_at, error FROM job_run l WHERE l.job = r.job ORDER BY l.started_at DESC LIMIT 1
     ) last
     GROUP BY r.job, last.status, last.slot, last.finished_at, last.error
     ORDER BY r.job`,
  );
  return rows;
}
