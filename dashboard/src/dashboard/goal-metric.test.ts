import { describe, expect, it } from 'vitest';
import type { Filter } from '../query/filters.ts';
import { metricFor, metricParams, type MetricGoal } from './goal-metric.ts';

const purchase: MetricGoal = {
  event_name: 'Purchase',
  custom_metric_key: 'amount',
  custom_metric_type: 'float',
  currency: 'eur',
};
const event = (value: string, op: Filter['op'] = 'is'): Filter => ({ field: 'event', op, value });

describe('the custom metric the breakdown panels show', () => {
  it('when the dashboard is filtered to a revenue goal’s event, then its key, type and currency apply', () => {
    expect(metricFor([event('Purchase')], [purchase])).toEqual({ key: 'amount', type: 'float', currency: 'EUR' });
    expect(metricParams(metricFor([event('Purchase')], [purchase]))).toEqual({
      custom_metric_key: 'amount',
      custom_metric_type: 'float',
    });
  });

  it('when no single event is selected, or no goal on it adds up a value, then there is no metric', () => {
    expect(metricFor([], [purchase])).toBeUndefined();
    expect(metricFor([event('Purchase', 'is_not')], [purchase])).toBeUndefined();
    expect(metricFor([event('Purchase'), event('Refund')], [purchase])).toBeUndefined();
    expect(metricFor([event('Signup')], [purchase])).toBeUndefined();
    expect(metricFor([event('Purchase')], [{ ...purchase, custom_metric_key: '' }])).toBeUndefined();
    expect(metricFor([event('Purchase')], [{ ...purchase, custom_metric_type: 'decimal' }])).toBeUndefined();
    // A goal on one metadata value is not what "Event is Purchase" selects.
    expect(metricFor([event('Purchase')], [{ ...purchase, event_meta_value: 'pro' }])).toBeUndefined();
    expect(metricParams(undefined)).toEqual({});
  });

  it('when two goals add up values of one event, then the one on the filtered metadata key wins', () => {
    const items: MetricGoal = { ...purchase, event_meta_key: 'items', custom_metric_key: 'items', currency: '' };
    expect(metricFor([event('Purchase')], [items, purchase])?.key).toBe('amount');
    const both: Filter[] = [event('Purchase'), { field: 'event_meta_key', op: 'is', value: 'items' }];
    expect(metricFor(both, [purchase, items])).toEqual({ key: 'items', type: 'float', currency: '' });
  });
});
