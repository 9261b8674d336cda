import type { BillingAccount } from './account.repository.ts';
import { getPlan, type Plan } from './plans.ts';

const DAY = 86_400_000;
/** After a trial ends without a subscription, ingest keeps counting this long. */
export const TRIAL_INGEST_DAYS = 14;
/** After a subscription ends or goes unpaid, ingest keeps counting this long. */
export const LAPSED_INGEST_DAYS = 30;
/** Days between the over-quota notice and the lock. */
export const QUOTA_GRACE_DAYS = 7;

export type LockReason = 'trial_ended' | 'subscription_ended' | 'payment_overdue' | 'over_quota';

export type Entitlement = {
  source: 'trial' | 'subscription' | 'grant' | 'none';
  plan: Plan;
  /** Monthly page views included. */
  tier: number;
  /** Why statistics are locked now, or null. Ingest is never stopped by a lock alone. */
  locked: LockReason | null;
  /** When ingest stops if nothing changes (null: it does not). */
  ingestStopAt: Date | null;
  trialDaysLeft: number | null;
  paymentFailed: boolean;
};

const LIVE = new Set(['active', 'trialing', 'past_due']);
const ENDED = new Set(['canceled', 'unpaid', 'paused', 'incomplete_expired']);

/** Whether the account holds a Stripe subscription that currently pays (or will: trialing with a card). */
export const hasLiveSubscription = (a: BillingAccount) => !!a.stripe_subscription_id && LIVE.has(a.status);

/**
 * The billing rules in one pure function of the mirror and the time, so the API gate, ingest's
 * stop time, the banners and the jobs cannot disagree:
 * - an operator's grant wins while it runs;
 * - a live subscription (active, trialing, past_due) gives full access; past_due only warns;
 * - without one, the card-less trial gives access until it ends, then statistics lock at once and
 *   ingest stops 14 days later;
 * - a subscription that ended (canceled, unpaid, paused, expired) locks at once and ingest stops
 *   30 days after it ended;
 * - two cycles well over quota lock statistics at `quota_lock_at` (ingest keeps counting).
 */
export function entitlement(a: BillingAccount, now: Date): Entitlement {
  if (a.grant_until && a.grant_until > now && a.grant_plan && a.grant_tier) {
    return base(a, 'grant', getPlan(a.grant_plan), a.grant_tier, null, null);
  }
  const quotaLocked = a.quota_lock_at && a.quota_lock_at <= now ? ('over_quota' as const) : null;
  if (hasLiveSubscription(a)) {
    return {
      ...base(a, 'subscription', getPlan(a.plan), a.tier, quotaLocked, null),
      paymentFailed: a.status === 'past_due',
    };
  }
  if (a.stripe_subscription_id && ENDED.has(a.status)) {
    const since = a.lapsed_at ?? now;
    const reason = a.status === 'unpaid' ? 'payment_overdue' : 'subscription_ended';
    return base(a, 'none', getPlan(a.plan), a.tier, reason, new Date(since.getTime() + LAPSED_INGEST_DAYS * DAY));
  }
  // No subscription yet, or its first payment is still incomplete: the card-less trial decides.
  const stop = new Date(a.trial_end.getTime() + TRIAL_INGEST_DAYS * DAY);
  if (a.trial_end > now) {
    return {
      ...base(a, 'trial', getPlan(a.plan), a.tier, null, stop),
      trialDaysLeft: Math.ceil((a.trial_end.getTime() - now.getTime()) / DAY),
    };
  }
  return base(a, 'none', getPlan(a.plan), a.tier, 'trial_ended', stop);
}

function base(
  a: BillingAccount,
  source: Entitlement['source'],
  plan: Plan,
  tier: number,
  locked: LockReason | null,
  ingestStopAt: Date | null,
): Entitlement {
  return { source, plan, tier, locked, ingestStopAt, trialDaysLeft: null, paymentFailed: false };
}

export const LOCK_MESSAGES: Record<LockReason, string> = {
  trial_ended: 'Your trial has ended: upgrade to see your statistics. Your sites are still being counted.',
  subscription_ended:
    'Your subscription has ended: upgrade to see your statistics. Your sites are still being counted.',
  payment_overdue: 'Your last payment failed: update your card to see your statistics.',
  over_quota:
    'Your sites used more than your plan includes for two billing cycles: upgrade to see your statistics. Nothing was dropped.',
};
