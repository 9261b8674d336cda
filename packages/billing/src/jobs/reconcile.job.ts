import type { BillingContext } from '../context.ts';
import { reconcileSubscriptions } from '../reconcile.service.ts';

/** Hourly: repairs any drift between the mirror and Stripe (a missed webhook heals itself). */
export async function reconcileJob(ctx: BillingContext) {
  const result = await reconcileSubscriptions(ctx);
  ctx.log.info({ checked: result.checked, repaired: result.repaired.length }, 'billing reconciliation done');
  return result;
}
