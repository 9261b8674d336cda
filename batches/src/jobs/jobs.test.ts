import { parseCronItems } from 'graphile-worker';
import { describe, expect, it } from 'vitest';
import { allJobs } from './index.ts';

describe('the job list', () => {
  it('when batches starts, then every job has a unique kebab-case name and a crontab graphile-worker accepts', () => {
    const names = allJobs.map((j) => j.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z]+(-[a-z]+)*$/);
    const scheduled = allJobs.filter((j) => j.schedule);
    expect(() =>
      parseCronItems(scheduled.map((j) => ({ task: j.name, identifier: j.name, match: j.schedule! }))),
    ).not.toThrow();
    expect(Object.fromEntries(scheduled.map((j) => [j.name, j.schedule]))).toEqual({
      'email-reports': '0 * * * *',
      'check-alerts': '*/5 * * * *',
      'backup-postgres': '30 2 * * *',
      'backup-clickhouse': '45 2 * * *',
      'purge-job-runs': '17 3 * * *',
      housekeeping: '40 3 * * *',
      'statistics-retention': '10 4 * * *',
      'billing-measure-usage': '15 0 * * *',
      'billing-quota-notices': '45 0 * * *',
      'billing-trial-reminders': '0 8 * * *',
      'billing-ingest-stop': '30 1 * * *',
      'billing-reconcile': '20 * * * *',
    });
  });
});
