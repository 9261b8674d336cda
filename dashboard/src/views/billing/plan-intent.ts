import { PLANS } from '@spur/billing/plans';
import type { PlanChoice } from '../../api/billing.api.ts';

const KEY = 'spur.plan-intent';

/**
 * The plan and tier a visitor picked on the pricing page travel as `?plan=&tier=` to sign-up,
 * are kept in this browser through the email confirmation, and preselect the billing page's
 * checkout. Anything not in the plan table is ignored.
 */
export function parseIntent(query: Record<string, unknown>): PlanChoice | undefined {
  const plan = PLANS.find((p) => p.id === query.plan);
  const tier = Number(query.tier);
  if (!plan || !plan.tiers.some((t) => t.pageViews === tier)) return undefined;
  return { plan: plan.id, tier, interval: query.interval === 'yearly' ? 'yearly' : 'monthly' };
}

export function rememberIntent(query: Record<string, unknown>): void {
  const intent = parseIntent(query);
  if (intent) localStorage.setItem(KEY, JSON.stringify(intent));
}

export function storedIntent(): PlanChoice | undefined {
  try {
    return parseIntent(JSON.parse(localStorage.getItem(KEY) ?? '{}') as Record<string, unknown>);
  } catch {
    return undefined;
  }
}

export const forgetIntent = () => localStorage.removeItem(KEY);
