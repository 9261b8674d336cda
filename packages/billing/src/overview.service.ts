import { findAccount, type BillingAccount, type Queryable } from './account.repository.ts';
import { cycleDays } from './cycle.ts';
import { entitlement, LOCK_MESSAGES, type Entitlement, type LockReason } from './entitlement.ts';
import { BillingError } from './errors.ts';
import { currentCycle, totalUsage, usageDays, type UsageDay } from './usage.ts';

export type Banner =
  | { kind: 'trial'; daysLeft: number; trialEnd: string }
  | { kind: 'over_quota'; usage: number; quota: number; lockAt: string | null }
  | { kind: 'payment_failed' }
  | { kind: 'locked'; reason: LockReason; message: string; ingestStopAt: string | null };

export type BillingOverview = {
  enabled: true;
  organizationId: string;
  source: Entitlement['source'];
  plan: string;
  planName: string;
  tier: number;
  interval: string | null;
  status: string;
  trialEnd: string;
  currentPeriodEnd: string | null;
  cancelAtPeriodEnd: boolean;
  grantUntil: string | null;
  locked: LockReason | null;
  ingestStopAt: string | null;
  hasCustomer: boolean;
  cycle: { start: string; end: string };
  usage: { total: number; quota: number; percent: number; days: UsageDay[] };
  limits: { maxSites: number | null; maxMembers: number | null; features: readonly string[] };
  banners: Banner[];
};

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Everything the billing page and the banners show, computed from the mirror and stored usage. */
export async function billingOverview(db: Queryable, organizationId: string, now: Date): Promise<BillingOverview> {
  const account = await findAccount(db, organizationId);
  if (!account) throw new BillingError(404, 'organization not found');
  return overviewOf(db, account, now);
}

export async function overviewOf(db: Queryable, account: BillingAccount, now: Date): Promise<BillingOverview> {
  const e = entitlement(account, now);
  const cycle = currentCycle(account, now);
  const stored = await usageDays(db, account.organization_id, cycle);
  // Every day of the cycle so far, zeros included: the chart's x axis is the cycle.
  const byDay = new Map(stored.map((d) => [d.day, d]));
  const days = cycleDays(cycle, now).map((day) => byDay.get(day) ?? { day, pageViews: 0, events: 0 });
  const total = totalUsage(stored);
  const banners: Banner[] = [];
  if (e.locked) {
    banners.push({
      kind: 'locked',
      reason: e.locked,
      message: LOCK_MESSAGES[e.locked],
      ingestStopAt: iso(e.ingestStopAt),
    });
  }
  if (e.source === 'trial' && e.trialDaysLeft !== null)
    banners.push({ kind: 'trial', daysLeft: e.trialDaysLeft, trialEnd: account.trial_end.toISOString() });
  if (e.paymentFailed) banners.push({ kind: 'payment_failed' });
  if (!e.locked && (total > e.tier || (account.quota_lock_at && account.quota_lock_at > now)))
    banners.push({ kind: 'over_quota', usage: total, quota: e.tier, lockAt: iso(account.quota_lock_at) });
  return {
    enabled: true,
    organizationId: account.organization_id,
    source: e.source,
    plan: e.plan.id,
    planName: e.plan.name,
    tier: e.tier,
    interval: account.billing_interval,
    status: account.status,
    trialEnd: account.trial_end.toISOString(),
    currentPeriodEnd: iso(account.current_period_end),
    cancelAtPeriodEnd: account.cancel_at_period_end,
    grantUntil: iso(account.grant_until),
    locked: e.locked,
    ingestStopAt: iso(e.ingestStopAt),
    hasCustomer: account.stripe_customer_id !== null,
    cycle: { start: cycle.start.toISOString(), end: cycle.end.toISOString() },
    usage: { total, quota: e.tier, percent: Math.round((total / e.tier) * 1000) / 10, days },
    limits: { maxSites: e.plan.maxSites, maxMembers: e.plan.maxMembers, features: e.plan.features },
    banners,
  };
}
