import { computed, type ComputedRef } from 'vue';
import { sitesApi } from '../api/sites.api.ts';
import { statsApi } from '../api/stats.api.ts';
import type { Filter } from '../query/filters.ts';
import type { DashboardContext } from './use-dashboard.ts';
import { useStat } from './use-stat.ts';

/** A goal that adds up a metadata value (revenue, items), as far as the panels need it. */
export type MetricGoal = {
  event_name: string;
  event_meta_key?: string;
  event_meta_value?: string;
  custom_metric_key?: string;
  custom_metric_type?: string;
  currency?: string;
};

/** The custom metric the panels add as Total and Average columns. */
export type GoalMetric = { key: string; type: 'integer' | 'float'; currency: string };

/**
 * The metric of the goal the dashboard is filtered to: one event named ("Event is Purchase", as a
 * goal's Filter button sets it) and a goal on that event adding up a key. A goal on one metadata
 * value cannot be selected by the filter bar (see goal-filter.ts), so it does not count here; with
 * several goals on the event, the one on the filtered metadata key wins.
 */
export function metricFor(filters: readonly Filter[], goals: readonly MetricGoal[]): GoalMetric | undefined {
  const events = filters.filter((f) => f.field === 'event' && f.op === 'is');
  if (events.length !== 1) return undefined;
  const metaKey = filters.find((f) => f.field === 'event_meta_key' && f.op === 'is')?.value ?? '';
  const candidates = goals.filter(
    (g) =>
      g.event_name === events[0]!.value &&
      !g.event_meta_value &&
      g.custom_metric_key &&
      (g.custom_metric_type === 'integer' || g.custom_metric_type === 'float'),
  );
  const goal = candidates.find((g) => (g.event_meta_key ?? '') === metaKey) ?? candidates[0];
  if (!goal) return undefined;
  return {
    key: goal.custom_metric_key!,
    type: goal.custom_metric_type as GoalMetric['type'],
    currency: (goal.currency ?? '').toUpperCase(),
  };
}

/** The statistics parameters asking for the metric (Pirsch's names). */
export const metricParams = (metric: GoalMetric | undefined): Record<string, string> =>
  metric ? { custom_metric_key: metric.key, custom_metric_type: metric.type } : {};

/**
 * The site's goals, asked once for all panels that open together. Members read them with their
 * currency; a shared or public dashboard cannot, and falls back to the goals' statistics, which
 * name the key and type but not the currency (the values then show as plain numbers).
 */
const asked = new Map<string, Promise<MetricGoal[]>>();
function siteGoals(dash: DashboardContext): Promise<MetricGoal[]> {
  const id = dash.site.id;
  let goals = asked.get(id);
  if (!goals) {
    goals = sitesApi
      .goals(id)
      .catch(() => statsApi.goals(dash.params()).then((list) => list.map((g) => g.page_goal)))
      .catch(() => []);
    // Shared only while it runs: a goal added in the settings shows on the next visit.
    const forget = () => void (asked.get(id) === goals && asked.delete(id));
    goals.then(forget, forget);
    asked.set(id, goals);
  }
  return goals;
}

/** The site's goals that add up a value, asked only while `wanted` holds (most loads: never). */
export function useMetricGoals(dash: DashboardContext, wanted: () => boolean): ComputedRef<MetricGoal[]> {
  const goals = useStat(
    () => (wanted() ? dash.site.id : null),
    () => (wanted() ? siteGoals(dash) : Promise.resolve([])),
  );
  return computed(() => goals.data.value ?? []);
}

/** The metric the dashboard's breakdowns show, if any: nothing is asked until an event is filtered. */
export function useGoalMetric(dash: DashboardContext): ComputedRef<GoalMetric | undefined> {
  const filtered = computed(() => dash.query.value.filters.some((f) => f.field === 'event' && f.op === 'is'));
  const goals = useMetricGoals(dash, () => filtered.value);
  return computed(() => (filtered.value ? metricFor(dash.query.value.filters, goals.value) : undefined));
}
