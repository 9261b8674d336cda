import { describe, expect, it } from 'vitest';
import { goalFilters } from './goal-filter.ts';

const goal = (
  fields: Partial<Record<'path_pattern' | 'pattern' | 'event_name' | 'event_meta_key' | 'event_meta_value', string>>,
) => ({
  id: '1',
  name: 'Goal',
  path_pattern: '',
  pattern: '',
  event_name: '',
  event_meta_key: '',
  event_meta_value: '',
  ...fields,
});

describe('filtering the dashboard by a goal', () => {
  it('when a page goal names one path, then it filters by that page; a glob or a regular expression becomes a pattern', () => {
    expect(goalFilters(goal({ path_pattern: '/pricing' }))).toEqual([{ field: 'path', op: 'is', value: '/pricing' }]);
    expect(goalFilters(goal({ path_pattern: '/blog/*' }))).toEqual([
      { field: 'pattern', op: 'is', value: '^/blog/[^/]+$' },
    ]);
    expect(goalFilters(goal({ pattern: '^/docs/.+$' }))).toEqual([{ field: 'pattern', op: 'is', value: '^/docs/.+$' }]);
  });

  it('when an event goal is chosen, then it filters by the event, and by its metadata key where the goal has one', () => {
    expect(goalFilters(goal({ event_name: 'Signup' }))).toEqual([{ field: 'event', op: 'is', value: 'Signup' }]);
    expect(goalFilters(goal({ event_name: 'Signup', event_meta_key: 'plan' }))).toEqual([
      { field: 'event', op: 'is', value: 'Signup' },
      { field: 'event_meta_key', op: 'is', value: 'plan' },
    ]);
  });

  it('when a goal needs one metadata value, then no filter is offered rather than one that counts more than the goal', () => {
    expect(
      goalFilters(goal({ event_name: 'Signup', event_meta_key: 'plan', event_meta_value: 'pro' })),
    ).toBeUndefined();
  });
});
