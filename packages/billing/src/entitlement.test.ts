import { describe, expect, it } from 'vitest';
import type { BillingAccount } from './account.repository.ts';
import { addMonths, cycleAt, cycleDays, previousCycle } from './cycle.ts';
import { entitlement } from './entitlement.ts';
import { lookupKey, parseLookupKey } from './prices.ts';

const DAY = 86_400_000;
const at = (iso: string) => new Date(iso);

function account(overrides: Partial<BillingAccount> = {}): BillingAccount {
  return {
    organization_id: '1',
    stripe_customer_id: null,
    stripe_subscription_id: null,
    plan: 'business',
    tier: 100_000,
    billing_interval: null,
    status: 'trialing',
    trial_start: at('2026-11-01T10:00:00Z'),
    trial_end: at('2026-12-01T10:00:00Z'),
    current_period_start: null,
    current_period_end: null,
    cancel_at_period_end: false,
    lapsed_at: null,
    quota_lock_at: null,
    grant_plan: null,
    grant_tier: null,
    grant_until: null,
    ingest_stop_at: null,
    ...overrides,
  };
}

describe('entitlement', () => {
  it('when the card-less trial runs, then it gives access and counts days; after it, statistics lock and ingest stops 14 days later', () => {
    expect(entitlement(account(), at('2026-11-24T10:00:00Z'))).toMatchObject({
      source: 'trial',
      locked: null,
      trialDaysLeft: 7,
      ingestStopAt: at('2026-12-15T10:00:00Z'),
    });
    expect(entitlement(account(), at('2026-12-01T10:00:01Z'))).toMatchObject({
      source: 'none',
      locked: 'trial_ended',
      ingestStopAt: at('2026-12-15T10:00:00Z'),
    });
  });

  it('when a subscription is live, then past_due only warns; when it ends, statistics lock and ingest stops 30 days after it ended', () => {
    const sub = {
      stripe_subscription_id: 'sub_1',
      status: 'past_due' as const,
      plan: 'starter' as const,
      tier: 10_000,
    };
    expect(entitlement(account(sub), at('2027-01-01T00:00:00Z'))).toMatchObject({
      source: 'subscription',
      locked: null,
      paymentFailed: true,
      ingestStopAt: null,
      tier: 10_000,
    });
    const ended = account({ ...sub, status: 'canceled', lapsed_at: at('2027-01-10T00:00:00Z') });
    expect(entitlement(ended, at('2027-01-11T00:00:00Z'))).toMatchObject({
      locked: 'subscription_ended',
      ingestStopAt: at('2027-02-09T00:00:00Z'),
    });
    expect(
      entitlement(
        account({ ...sub, status: 'unpaid', lapsed_at: at('2027-01-10T00:00:00Z') }),
        at('2027-01-11T00:00:00Z'),
      ).locked,
    ).toBe('payment_overdue');
  });

  it('when an over-quota lock date passes, then statistics lock; a running grant overrides everything', () => {
    const over = account({
      stripe_subscription_id: 'sub_1',
      status: 'active',
      quota_lock_at: at('2027-01-08T00:00:00Z'),
    });
    expect(entitlement(over, at('2027-01-07T23:59:59Z')).locked).toBeNull();
    expect(entitlement(over, at('2027-01-08T00:00:00Z')).locked).toBe('over_quota');
    const granted = account({ grant_plan: 'starter', grant_tier: 200_000, grant_until: at('2027-06-01T00:00:00Z') });
    expect(entitlement(granted, at('2027-03-01T00:00:00Z'))).toMatchObject({
      source: 'grant',
      locked: null,
      tier: 200_000,
      ingestStopAt: null,
    });
    expect(entitlement(granted, at('2027-06-01T00:00:00Z')).locked).toBe('trial_ended');
  });
});

describe('billing cycles', () => {
  it('when the billing day is the 31st, then cycles end on the last day of shorter months and return to the 31st', () => {
    const anchor = at('2027-01-31T09:00:00Z');
    expect(addMonths(anchor, 1)).toEqual(at('2027-02-28T09:00:00Z'));
    expect(addMonths(anchor, 2)).toEqual(at('2027-03-31T09:00:00Z'));
    expect(cycleAt(anchor, at('2027-03-05T00:00:00Z'))).toEqual({
      start: at('2027-02-28T09:00:00Z'),
      end: at('2027-03-31T09:00:00Z'),
    });
    expect(previousCycle(anchor, at('2027-03-05T00:00:00Z'), 1)).toEqual({
      start: at('2027-01-31T09:00:00Z'),
      end: at('2027-02-28T09:00:00Z'),
    });
    expect(previousCycle(anchor, at('2027-03-05T00:00:00Z'), 2)).toEqual(cycleAt(anchor, at('2026-12-31T09:00:00Z')));
    expect(cycleAt(anchor, at('2026-12-31T09:00:00Z'))).toEqual({
      start: at('2026-12-31T09:00:00Z'),
      end: at('2027-01-31T09:00:00Z'),
    });
  });

  it('lists the UTC days of a cycle up to now', () => {
    const cycle = { start: at('2027-02-27T09:00:00Z'), end: at('2027-03-27T09:00:00Z') };
    expect(cycleDays(cycle, new Date(cycle.start.getTime() + 2 * DAY))).toEqual([
      '2027-02-27',
      '2027-02-28',
      '2027-03-01',
    ]);
  });
});

describe('lookup keys', () => {
  it('when a key names a plan and tier of the table, then it parses back; anything else is unknown', () => {
    expect(lookupKey('business', 200_000, 'yearly')).toBe('spur_business_200000_yearly');
    expect(parseLookupKey('spur_business_200000_yearly')).toEqual({
      plan: 'business',
      tier: 200_000,
      interval: 'yearly',
    });
    expect(parseLookupKey('spur_business_123_yearly')).toBeUndefined();
    expect(parseLookupKey('spur_gold_10000_monthly')).toBeUndefined();
    expect(parseLookupKey(null)).toBeUndefined();
  });
});
