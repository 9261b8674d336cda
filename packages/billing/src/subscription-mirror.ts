import type Stripe from 'stripe';
import type { Logger } from '@spur/runtime';
import {
  findAccount,
  updateAccount,
  type BillingAccount,
  type Queryable,
  type SubscriptionStatus,
} from './account.repository.ts';
import { entitlement, hasLiveSubscription } from './entitlement.ts';
import { getPlan } from './plans.ts';
import { parseLookupKey } from './prices.ts';

const STATUSES = new Set<string>([
  'trialing',
  'active',
  'past_due',
  'unpaid',
  'canceled',
  'incomplete',
  'incomplete_expired',
  'paused',
]);
const ENDED = new Set(['canceled', 'unpaid', 'paused', 'incomplete_expired']);
const date = (seconds: number | null | undefined) => (seconds ? new Date(seconds * 1000) : null);

/** Columns of the mirror that reconciliation compares (and reports when they drifted). */
export const MIRRORED = [
  'stripe_subscription_id',
  'plan',
  'tier',
  'billing_interval',
  'status',
  'current_period_start',
  'current_period_end',
  'cancel_at_period_end',
] as const;

export type MirrorResult = { changed: string[]; skipped?: 'stale_subscription' };

/**
 * Writes a subscription as Stripe returned it into the organization's mirror (row locked by the
 * caller). The object is always read from Stripe, never taken from an event body, so an event that
 * arrives late cannot roll the mirror back. A subscription other than the mirrored one replaces it
 * only when it is live or the mirrored one is not (a late event of an old, canceled subscription
 * never replaces the new one). A price outside the plan table keeps the old plan and tier and
 * logs an alert: charging for something we cannot name is for a human to look at.
 */
export async function mirrorSubscription(
  db: Queryable,
  account: BillingAccount,
  sub: Stripe.Subscription,
  now: Date,
  log: Logger,
): Promise<MirrorResult> {
  const live = ['active', 'trialing', 'past_due'].includes(sub.status);
  if (account.stripe_subscription_id && account.stripe_subscription_id !== sub.id) {
    if (!live && hasLiveSubscription(account)) return { changed: [], skipped: 'stale_subscription' };
  }
  const item = sub.items.data[0];
  const choice = parseLookupKey(item?.price.lookup_key);
  if (item && !choice) {
    log.error(
      { alert: 'billing_unknown_price', organizationId: account.organization_id, price: item.price.id },
      'subscription has a price outside the plan table: keeping the previous limits',
    );
  }
  const status = (STATUSES.has(sub.status) ? sub.status : 'incomplete') as SubscriptionStatus;
  const next: BillingAccount = {
    ...account,
    stripe_subscription_id: sub.id,
    plan: choice?.plan ?? account.plan,
    tier: choice?.tier ?? account.tier,
    billing_interval: choice?.interval ?? account.billing_interval,
    status,
    current_period_start: date(item?.current_period_start),
    current_period_end: date(item?.current_period_end),
    cancel_at_period_end: sub.cancel_at_period_end,
    lapsed_at: ENDED.has(status) ? (account.lapsed_at ?? date(sub.ended_at) ?? now) : null,
  };
  // Upgrading lifts an over-quota lock at once (the new tier is judged from the next cycle on).
  if (isUpgrade(account, next)) next.quota_lock_at = null;
  next.ingest_stop_at = entitlement(next, now).ingestStopAt;
  const changed = (Object.keys(next) as (keyof BillingAccount)[]).filter(
    (k) =>
      String(next[k] instanceof Date ? (next[k] as Date).getTime() : next[k]) !==
      String(account[k] instanceof Date ? (account[k] as Date).getTime() : account[k]),
  );
  if (changed.length > 0) {
    await updateAccount(db, account.organization_id, Object.fromEntries(changed.map((k) => [k, next[k]])));
  }
  return { changed };
}

const PLAN_RANK = { starter: 1, business: 2 } as const;

/** More page views, or a better plan with at least as many. */
export function isUpgrade(from: Pick<BillingAccount, 'plan' | 'tier'>, to: Pick<BillingAccount, 'plan' | 'tier'>) {
  return to.tier > from.tier || (PLAN_RANK[to.plan] > PLAN_RANK[from.plan] && to.tier >= from.tier);
}

export const isDowngrade = (from: Pick<BillingAccount, 'plan' | 'tier'>, to: Pick<BillingAccount, 'plan' | 'tier'>) =>
  PLAN_RANK[to.plan] < PLAN_RANK[from.plan] || to.tier < from.tier;

/** Recomputes the stored ingest stop time from the rules (jobs call this daily; grants and mirrors on change). */
export async function refreshIngestStop(db: Queryable, organizationId: string, now: Date): Promise<Date | null> {
  const account = await findAccount(db, organizationId);
  if (!account) return null;
  const stop = entitlement(account, now).ingestStopAt;
  if ((stop?.getTime() ?? null) !== (account.ingest_stop_at?.getTime() ?? null))
    await updateAccount(db, organizationId, { ingest_stop_at: stop });
  return stop;
}

export const planOf = (a: Pick<BillingAccount, 'plan'>) => getPlan(a.plan);
