import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import UsageChart from './UsageChart.vue';
import { forgetIntent, parseIntent, rememberIntent, storedIntent } from './plan-intent.ts';

describe('plan intent', () => {
  it('when the pricing page names a plan and tier of the table, then it is kept until checkout; anything else is ignored', () => {
    expect(parseIntent({ plan: 'business', tier: '200000' })).toEqual({
      plan: 'business',
      tier: 200_000,
      interval: 'monthly',
    });
    expect(parseIntent({ plan: 'starter', tier: '10000', interval: 'yearly' })).toEqual({
      plan: 'starter',
      tier: 10_000,
      interval: 'yearly',
    });
    expect(parseIntent({ plan: 'gold', tier: '10000' })).toBeUndefined();
    expect(parseIntent({ plan: 'starter', tier: '12345' })).toBeUndefined();
    rememberIntent({ plan: 'starter', tier: '500000' });
    expect(storedIntent()).toEqual({ plan: 'starter', tier: 500_000, interval: 'monthly' });
    rememberIntent({ plan: 'nope' });
    expect(storedIntent()).toEqual({ plan: 'starter', tier: 500_000, interval: 'monthly' });
    forgetIntent();
    expect(storedIntent()).toBeUndefined();
  });
});

describe('usage chart', () => {
  it('when days have usage, then each day is a bar as high as its share of the busiest day, zero days included', () => {
    const chart = mount(UsageChart, {
      props: {
        days: [
          { day: '2026-12-01', pageViews: 80, events: 20 },
          { day: '2026-12-02', pageViews: 0, events: 0 },
          { day: '2026-12-03', pageViews: 50, events: 0 },
        ],
      },
    });
    const bars = chart.findAll('[data-testid="usage-bar"]');
    expect(bars.map((b) => [b.attributes('height'), b.find('title').text()])).toEqual([
      ['116', '2026-12-01: 100'],
      ['0', '2026-12-02: 0'],
      ['58', '2026-12-03: 50'],
    ]);
  });
});
