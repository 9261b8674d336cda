import { describe, expect, it } from 'vitest';
import { lockHeading, planWith } from './plan-feature.ts';

describe('what a plan feature’s refusal says', () => {
  it('when a feature is asked for, then the cheapest plan that has it is named', () => {
    expect([planWith('rollups'), planWith('funnels'), planWith('dashboard'), planWith('teleport')]).toEqual([
      'Business',
      'Business',
      'Starter',
      undefined,
    ]);
  });

  it('when the lock screen’s reason is a feature, then its heading names the plan; otherwise the statistics are locked', () => {
    expect(lockHeading('All sites', { reason: 'feature', feature: 'rollups' })).toBe(
      'Rollup views are part of the Business plan',
    );
    expect(lockHeading('Shop', { reason: 'feature', feature: 'sessions' })).toBe(
      'Session explorer needs the Business plan',
    );
    expect(lockHeading('Shop', { reason: 'feature', feature: 'teleport' })).toBe('teleport is not in this plan');
    expect(lockHeading('Shop', { reason: 'subscription_ended' })).toBe('Shop: statistics are locked');
    expect(lockHeading('Shop', { reason: 'trial_ended', feature: 'rollups' })).toBe('Shop: statistics are locked');
  });
});
