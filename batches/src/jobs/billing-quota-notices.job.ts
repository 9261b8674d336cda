import { quotaNoticesJob } from '@spur/billing';
import type { JobDefinition } from '../runner/job-definition.ts';
import { billingDeps, DAY_FILL } from './billing-deps.ts';

export const quotaNoticesJobDef: JobDefinition = {
  name: 'billing-quota-notices',
  description: 'daily, after usage: 80 % / 100 % quota emails and the over-quota grace rule',
  schedule: '45 0 * * *',
  fillMs: DAY_FILL,
  async run(ctx) {
    return { ...(await quotaNoticesJob(billingDeps(ctx))) };
  },
};
