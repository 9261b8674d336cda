import type pg from 'pg';
import { findAccount, updateAccount, withTransaction, type Queryable } from './account.repository.ts';
import { BillingError } from './errors.ts';
import { getPlan, type PlanId } from './plans.ts';
import { refreshIngestStop } from './subscription-mirror.ts';

/**
 * An operator's complimentary plan (`billing:grant`): full access on `plan`/`tier` until `until`,
 * whatever Stripe says. Stripe never sees it; when it runs out, the mirror's state applies again.
 */
export async function grantPlan(
  db: pg.Pool,
  input: { organizationId: string; plan: PlanId; tier: number; until: Date },
  now: Date,
): Promise<void> {
  const plan = getPlan(input.plan);
  if (!plan.tiers.some((t) => t.pageViews === input.tier))
    throw new BillingError(400, `the ${plan.name} plan has no ${input.tier} tier`, { field: 'tier' });
  if (input.until <= now) throw new BillingError(400, 'the grant must end in the future', { field: 'until' });
  await withTransaction(db, async (tx) => {
    if (!(await findAccount(tx, input.organizationId, true))) throw new BillingError(404, 'organization not found');
    await updateAccount(tx, input.organizationId, {
      grant_plan: input.plan,
      grant_tier: input.tier,
      grant_until: input.until,
    });
    await refreshIngestStop(tx, input.organizationId, now);
  });
}

export async function revokeGrant(db: Queryable, organizationId: string, now: Date): Promise<void> {
  await updateAccount(db, organizationId, { grant_plan: null, grant_tier: null, grant_until: null });
  await refreshIngestStop(db, organizationId, now);
}
