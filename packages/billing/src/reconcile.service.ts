import type Stripe from 'stripe';
import { findAccount, listAccounts, withTransaction } from './account.repository.ts';
import type { BillingContext } from './context.ts';
import { mirrorSubscription, MIRRORED } from './subscription-mirror.ts';

export type ReconcileResult = { checked: number; repaired: { organizationId: string; fields: string[] }[] };

const LIVE = ['active', 'trialing', 'past_due'];

/** The subscription that should be mirrored: a live one if any, else the newest. */
function pick(subscriptions: Stripe.Subscription[]): Stripe.Subscription | undefined {
  const sorted = [...subscriptions].sort((a, b) => b.created - a.created);
  return sorted.find((s) => LIVE.includes(s.status)) ?? sorted[0];
}

/**
 * Compares every organization that has a Stripe customer with Stripe and repairs drift (a webhook
 * that never arrived, or was lost to an outage). Each repair is logged, counted in `billing_drift`
 * and returned; run hourly by the jobs worker and on demand by `billing:reconcile`.
 */
export async function reconcileSubscriptions(ctx: BillingContext): Promise<ReconcileResult> {
  const result: ReconcileResult = { checked: 0, repaired: [] };
  for (const account of await listAccounts(ctx.db)) {
    if (!account.stripe_customer_id) continue;
    result.checked += 1;
    const subscriptions: Stripe.Subscription[] = [];
    for await (const sub of ctx.stripe.subscriptions.list({
      customer: account.stripe_customer_id,
      status: 'all',
      limit: 100,
    }))
      subscriptions.push(sub);
    const sub = pick(subscriptions);
    if (!sub) continue;
    const fields = await withTransaction(ctx.db, async (tx) => {
      const locked = await findAccount(tx, account.organization_id, true);
      if (!locked) return [];
      const { changed } = await mirrorSubscription(tx, locked, sub, ctx.now(), ctx.log);
      const drifted = changed.filter((f) => (MIRRORED as readonly string[]).includes(f));
      if (drifted.length > 0)
        await tx.query('INSERT INTO billing_drift (organization_id, fields) VALUES ($1, $2)', [
          account.organization_id,
          drifted,
        ]);
      return drifted;
    });
    if (fields.length > 0) {
      ctx.log.warn({ organizationId: account.organization_id, fields }, 'billing mirror drifted from Stripe: repaired');
      result.repaired.push({ organizationId: account.organization_id, fields });
    }
  }
  return result;
}
