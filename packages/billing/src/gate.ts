import { findAccount, type Queryable } from './account.repository.ts';
import { entitlement, LOCK_MESSAGES } from './entitlement.ts';
import { BillingError } from './errors.ts';
import { FEATURES, planHasFeature, type FeatureId } from './plans.ts';

/**
 * The API's billing gate (only wired in when billing is on). Statistics answer 402 with a body
 * naming the reason while the organization is locked; a feature outside the plan answers 402
 * naming the plan and the feature. Ingest is never gated here: it reads its own stop time.
 */
export async function assertStatisticsAllowed(
  db: Queryable,
  organizationId: string,
  now: Date,
  feature?: FeatureId,
): Promise<void> {
  const account = await findAccount(db, organizationId);
  if (!account) return;
  const e = entitlement(account, now);
  if (e.locked)
    throw new BillingError(402, LOCK_MESSAGES[e.locked], { reason: e.locked, plan: e.plan.id, upgrade: true });
  if (feature && !planHasFeature(e.plan, feature)) {
    const label = FEATURES.find((f) => f.id === feature)?.label ?? feature;
    throw new BillingError(402, `Not included in the ${e.plan.name} plan: ${label}`, {
      reason: 'feature',
      feature,
      plan: e.plan.id,
    });
  }
}

/** Adding a site or a member beyond the plan's limit answers 402 naming the plan and the limit. */
export async function assertWithinLimit(
  db: Queryable,
  organizationId: string,
  now: Date,
  limit: 'sites' | 'members',
): Promise<void> {
  const account = await findAccount(db, organizationId);
  if (!account) return;
  const { plan } = entitlement(account, now);
  const max = limit === 'sites' ? plan.maxSites : plan.maxMembers;
  if (max === null) return;
  const { rows } = await db.query<{ n: number }>(
    limit === 'sites'
      ? "SELECT count(*)::int AS n FROM site WHERE organization_id = $1 AND kind = 'site'"
      : `SELECT ((SELECT count(*) FROM organization_member WHERE organization_id = $1)
              + (SELECT count(*) FROM invitation WHERE organization_id = $1 AND accepted_at IS NULL AND expires_at > now()))::int AS n`,
    [organizationId],
  );
  if (rows[0]!.n >= max)
    throw new BillingError(402, `the ${plan.name} plan allows ${max} ${limit}`, {
      reason: 'limit',
      limit,
      max,
      plan: plan.id,
    });
}
