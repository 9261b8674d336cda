import { createBillingContext, reconcileJob } from '@spur/billing';
import type { JobDefinition } from '../runner/job-definition.ts';

export const reconcileJobDef: JobDefinition = {
  name: 'billing-reconcile',
  description: 'hourly: repairs drift between the subscription mirror and Stripe (off without STRIPE_SECRET_KEY)',
  schedule: '20 * * * *',
  async run(ctx) {
    const billing = createBillingContext({
      config: ctx.config,
      db: ctx.stores.postgres.pool,
      mailer: ctx.services.mailer,
      log: ctx.log,
    });
    if (!billing) return { skipped: 'billing is off (STRIPE_SECRET_KEY unset)' };
    const result = await reconcileJob(billing);
    return { checked: result.checked, repaired: result.repaired.length };
  },
};
