import { describe, expect, it } from 'vitest';
import {
  FEATURES,
  PAGE_VIEW_TIERS,
  PLANS,
  formatEur,
  formatPageViews,
  getPlan,
  planHasFeature,
  tierFor,
  tierPrice,
} from './plans.ts';

describe('plan table', () => {
  it('when a plan is listed, then it has one tier per page-view step, priced higher as the step grows', () => {
    for (const plan of PLANS) {
      expect(plan.tiers.map((t) => t.pageViews)).toEqual([...PAGE_VIEW_TIERS]);
      const monthly = plan.tiers.map((t) => t.monthlyCents);
      expect(monthly).toEqual([...monthly].sort((a, b) => a - b));
      expect(new Set(monthly).size).toBe(monthly.length);
    }
  });

  it('when paying yearly, then two months are free', () => {
    const starter = getPlan('starter');
    expect(starter.tiers[0]).toEqual({ pageViews: 10_000, monthlyCents: 600, yearlyCents: 6_000 });
    expect(tierPrice(starter.tiers[1]!, 'monthly')).toBe(1_200);
    expect(tierPrice(starter.tiers[1]!, 'yearly')).toBe(12_000);
    expect(getPlan('business').tiers[7]).toEqual({ pageViews: 10_000_000, monthlyCents: 29_800, yearlyCents: 298_000 });
  });

  it('when usage is between steps, then the next step up covers it; above the top step there is none', () => {
    const business = getPlan('business');
    expect(tierFor(business, 0)?.pageViews).toBe(10_000);
    expect(tierFor(business, 10_000)?.pageViews).toBe(10_000);
    expect(tierFor(business, 10_001)?.pageViews).toBe(100_000);
    expect(tierFor(business, 10_000_001)).toBeUndefined();
  });

  it('when Business is compared with Starter, then it includes every Starter feature and funnels on top', () => {
    const starter = getPlan('starter');
    const business = getPlan('business');
    for (const feature of starter.features) expect(business.features).toContain(feature);
    expect(planHasFeature(business, 'funnels')).toBe(true);
    expect(planHasFeature(starter, 'funnels')).toBe(false);
    expect(FEATURES.map((f) => f.id).sort()).toEqual([...business.features].sort());
  });

  it('formats prices and page views the way the pricing page shows them', () => {
    expect(formatEur(600)).toBe('€6');
    expect(formatEur(298_000)).toBe('€2,980');
    expect(formatEur(450)).toBe('€4.50');
    expect(formatPageViews(10_000)).toBe('10k');
    expect(formatPageViews(2_000_000)).toBe('2M');
  });

  it('when an unknown plan id is asked for, then it throws', () => {
    expect(() => getPlan('gold' as never)).toThrow('unknown plan gold');
  });
});
