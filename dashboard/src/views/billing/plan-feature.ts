import { FEATURES, PLANS, type FeatureId } from '@spur/billing/plans';
import { billingApi } from '../../api/billing.api.ts';

/** The first (cheapest) plan that includes a feature: the plan an upgrade hint names. */
export function planWith(feature: string): string | undefined {
  return PLANS.find((plan) => plan.features.includes(feature as FeatureId))?.name;
}

/**
 * Whether the organization's plan lets it use a feature: 'upgrade' only when the server bills and
 * the plan lacks it. Self-hosted servers (billing off) have every feature; when the billing state
 * cannot be read, the feature is offered and its own 402 explains.
 */
export async function featureAccess(orgId: string, feature: FeatureId): Promise<'available' | 'upgrade'> {
  const state = await billingApi.get(orgId).catch(() => undefined);
  return state?.enabled && !state.limits.features.includes(feature) ? 'upgrade' : 'available';
}

/**
 * The lock screen's heading, by the reason of the 402: a plan feature (reading a rollup view on a
 * plan without rollups) names the plan that has it; a subscription that ended, an unpaid invoice or
 * quota says the site's statistics are locked.
 */
export function lockHeading(siteName: string, lock: { reason: string; feature?: string }): string {
  if (lock.reason !== 'feature' || !lock.feature) return `${siteName}: statistics are locked`;
  const plan = planWith(lock.feature);
  if (lock.feature === 'rollups')
    return plan ? `Rollup views are part of the ${plan} plan` : 'Rollup views are not in this plan';
  const label = FEATURES.find((f) => f.id === lock.feature)?.label ?? lock.feature;
  return plan ? `${label} needs the ${plan} plan` : `${label} is not in this plan`;
}
