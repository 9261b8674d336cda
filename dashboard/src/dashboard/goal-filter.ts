import { globToRegex } from '@spur/stats/goal-pattern';
import type { GoalStats } from '../api/stats.schemas.ts';
import type { Filter } from '../query/filters.ts';

type Goal = GoalStats['page_goal'];

/**
 * The dashboard filters that select a goal's conversions, so the whole dashboard (and the
 * conversion-rate card) shows that goal. Undefined where the filter bar cannot say it exactly: an
 * event goal on one metadata value would need `meta_<key>=<value>`, which the bar has no field for,
 * and filtering by the event alone would overstate the goal.
 */
export function goalFilters(goal: Goal): Filter[] | undefined {
  if (goal.event_name) {
    if (goal.event_meta_value) return undefined;
    const event: Filter = { field: 'event', op: 'is', value: goal.event_name };
    return goal.event_meta_key ? [event, { field: 'event_meta_key', op: 'is', value: goal.event_meta_key }] : [event];
  }
  if (goal.pattern) return [{ field: 'pattern', op: 'is', value: goal.pattern }];
  if (!goal.path_pattern) return undefined;
  // A plain path reads better in the filter bar ("Page is /pricing") and selects the same views.
  if (!goal.path_pattern.includes('*')) return [{ field: 'path', op: 'is', value: goal.path_pattern }];
  return [{ field: 'pattern', op: 'is', value: globToRegex(goal.path_pattern) }];
}
