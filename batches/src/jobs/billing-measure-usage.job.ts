import { measureUsageJob } from '@spur/billing';
import type { JobDefinition } from '../runner/job-definition.ts';
import { billingDeps, DAY_FILL } from './billing-deps.ts';

export const measureUsageJobDef: JobDefinition = {
  name: 'billing-measure-usage',
  description: 'daily: page views and events per site and day into billing usage',
  schedule: '15 0 * * *',
  fillMs: DAY_FILL,
  async run(ctx) {
    return { ...(await measureUsageJob(billingDeps(ctx))) };
  },
};
