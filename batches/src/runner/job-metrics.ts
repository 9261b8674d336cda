import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Per job: runs by outcome, failures, duration and the time of the last success (for alerting). */
export function createJobMetrics(registry: Registry) {
  return {
    runs: new Counter({
      name: 'batches_job_runs_total',
      help: 'Job runs by outcome (succeeded, failed, skipped: the slot had already succeeded)',
      labelNames: ['job', 'outcome'] as const,
      registers: [registry],
    }),
    failures: new Counter({
      name: 'batches_job_failures_total',
      help: 'Job runs that failed (each is retried with backoff until its attempts run out)',
      labelNames: ['job'] as const,
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'batches_job_duration_seconds',
      help: 'Duration of job runs',
      labelNames: ['job'] as const,
      buckets: [0.05, 0.25, 1, 5, 30, 120, 600, 3600],
      registers: [registry],
    }),
    lastSuccess: new Gauge({
      name: 'batches_job_last_success_timestamp_seconds',
      help: 'Unix time of the last successful run of each job in this process',
      labelNames: ['job'] as const,
      registers: [registry],
    }),
  };
}

export type JobMetrics = ReturnType<typeof createJobMetrics>;
