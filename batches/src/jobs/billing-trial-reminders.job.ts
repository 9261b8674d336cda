import { trialRemindersJob } from '@spur/billing';
import type { JobDefinition } from '../runner/job-definition.ts';
import { billingDeps, DAY_FILL } from './billing-deps.ts';

export const trialRemindersJobDef: JobDefinition = {
  name: 'billing-trial-reminders',
  description: 'daily: trial ends in 7 days / 1 day emails',
  schedule: '0 8 * * *',
  fillMs: DAY_FILL,
  async run(ctx) {
    return { ...(await trialRemindersJob(billingDeps(ctx))) };
  },
};
