import { makeWorkerUtils } from 'graphile-worker';
import type pg from 'pg';
import { z } from 'zod';
import { allJobs } from '../jobs/index.ts';
import { JOBS_SCHEMA } from '../runner/job-runner.ts';
import { summarizeRuns } from '../runner/job-record.ts';

export const JOBS_HELP: Record<string, string> = {
  'jobs:list': 'every scheduled job: schedule, runs, failures, last run and last success',
  'jobs:run':
    'jobs:run NAME [--slot S] [--wait SECONDS]: queue a run for the batches processes and wait for its record',
};

/** `["NAME", "--slot", "x"]` → `{ name: "NAME", slot: "x" }`. */
function parse(args: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith('--')) out[arg.slice(2)] = args[i + 1] !== undefined ? args[++i]! : 'true';
    else if (out.name === undefined) out.name = arg;
    else throw new Error(`unexpected argument ${JSON.stringify(arg)}`);
  }
  return out;
}

const runOptions = z
  .object({
    name: z.string({ error: 'name: give the job to run (see jobs:list)' }),
    slot: z.string().min(1).max(200).optional(),
    wait: z.coerce.number().int().min(0).max(3600).default(120),
  })
  .strict();

export async function runJobsCommand(db: pg.Pool, name: string, args: string[]): Promise<unknown> {
  if (name === 'jobs:list') {
    const summaries = new Map((await summarizeRuns(db)).map((s) => [s.job, s]));
    return {
      jobs: allJobs.map((job) => {
        const s = summaries.get(job.name);
        return {
          name: job.name,
          description: job.description,
          schedule: job.schedule ?? null,
          runs: s?.runs ?? 0,
          failed: s?.failed ?? 0,
          running: s?.running ?? 0,
          last_status: s?.last_status ?? null,
          last_slot: s?.last_slot ?? null,
          last_finished_at: s?.last_finished_at ?? null,
          last_success_at: s?.last_success_at ?? null,
          last_error: s?.last_error ?? null,
        };
      }),
    };
  }
  if (name === 'jobs:run') {
    const options = runOptions.parse(parse(args));
    const job = allJobs.find((j) => j.name === options.name);
    if (!job) throw new Error(`name: unknown job ${JSON.stringify(options.name)}; see jobs:list`);
    const slot = options.slot ?? `manual-${new Date().toISOString()}`;
    const utils = await makeWorkerUtils({ pgPool: db, schema: JOBS_SCHEMA });
    try {
      await utils.migrate();
      await utils.addJob(job.name, { slot }, { jobKey: `${job.name}:${slot}`, maxAttempts: job.maxAttempts ?? 10 });
    } finally {
      await utils.release();
    }
    const deadline = Date.now() + options.wait * 1000;
    for (;;) {
      const { rows } = await db.query(
        `SELECT job, slot, status, attempts, duration_ms, error, detail FROM job_run WHERE job = $1 AND slot = $2`,
        [job.name, slot],
      );
      const row = rows[0] as { status: string } | undefined;
      if (row && row.status !== 'running') return row;
      if (Date.now() >= deadline)
        return {
          job: job.name,
          slot,
          status: row ? 'running' : 'queued',
          note: `no batches process finished it within ${options.wait} s; it runs when one does (is batches running?)`,
        };
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`unknown command ${JSON.stringify(name)}`);
}
