import { describe, expect, it } from 'vitest';
import type { Filter } from '../query/filters.ts';
import { chosenMetric, metricFor, metricParams, type MetricGoal } from './goal-metric.ts';

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

describe('a metric chosen in the URL', () => {
  it('when custom_metric_key and an integer or float type are in the URL, then they are the metric, as plain numbers', () => {
    expect(chosenMetric({ custom_metric_key: 'amount', custom_metric_type: 'float' })).toEqual({
      key: 'amount',
      type: 'float',
      currency: '',
    });
    expect(chosenMetric({ custom_metric_key: ['seats', 'x'], custom_metric_type: 'integer' })?.key).toBe('seats');
  });

  it('when either is missing or not something the API takes, then there is none', () => {
    expect(chosenMetric({})).toBeUndefined();
    expect(chosenMetric({ custom_metric_key: 'amount' })).toBeUndefined();
    expect(chosenMetric({ custom_metric_key: 'amount', custom_metric_type: 'decimal' })).toBeUndefined();
    expect(chosenMetric({ custom_metric_key: '', custom_metric_type: 'float' })).toBeUndefined();
    expect(chosenMetric({ custom_metric_key: 'k'.repeat(101), custom_metric_type: 'float' })).toBeUndefined();
  });
});
