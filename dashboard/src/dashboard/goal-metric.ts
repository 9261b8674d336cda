import { computed, shallowRef, watch } from 'vue';
import { useRoute } from 'vue-router';
import { sitesApi } from '../api/sites.api.ts';
import type { StatsParams } from '../api/stats.api.ts';
import type { Filter } from '../query/filters.ts';
import type { DashboardContext } from './use-dashboard.ts';

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

/**
 * A metric chosen without a goal ("add up amount" on an event's breakdown): the API's own
 * `custom_metric_key` and `custom_metric_type` in the dashboard's URL. Shown as a plain number.
 */
export function chosenMetric(query: Record<string, unknown>): GoalMetric | undefined {
  const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);
  const key = first(query.custom_metric_key);
  const type = first(query.custom_metric_type);
  if (typeof key !== 'string' || key.length === 0 || key.length > 100) return undefined;
  return type === 'integer' || type === 'float' ? { key, type, currency: '' } : undefined;
}

/** The statistics parameters asking for the metric (Pirsch's names). */
export const metricParams = (metric: GoalMetric | undefined): Record<string, string> =>
  metric ? { custom_metric_key: metric.key, custom_metric_type: metric.type } : {};

/**
 * The site's goals with their currency, asked once for all panels that open together (members,
 * access links and public sites may all read them). Without them the panels simply show no metric.
 */
const asked = new Map<string, Promise<MetricGoal[]>>();
function siteGoals(id: string): Promise<MetricGoal[]> {
  let goals = asked.get(id);
  if (!goals) {
    goals = sitesApi.goals(id).catch(() => []);
    // Shared only while it runs: a goal added in the settings shows on the next visit.
    const forget = () => void (asked.get(id) === goals && asked.delete(id));
    goals.then(forget, forget);
    asked.set(id, goals);
  }
  return goals;
}

/**
 * The site's goals, asked once `wanted` holds (most loads: never) and then kept for the panel's
 * life: the dashboard is mounted afresh when one comes back from the goal settings.
 */
export function useMetricGoals(dash: DashboardContext, wanted: () => boolean) {
  const goals = shallowRef<MetricGoal[]>([]);
  let loaded: Promise<MetricGoal[]> | undefined;
  const load = () => (loaded ??= siteGoals(dash.site.id).then((list) => (goals.value = list)));
  watch(wanted, (w) => void (w && load()), { immediate: true });
  return { goals: computed(() => goals.value), load };
}

/**
 * The metric the dashboard's breakdowns show, if any: one chosen in the URL, or the filtered
 * event's goal. Both need an event filter (the API adds up nothing without one). `settled` waits
 * for the goals, so a panel asks once with the metric instead of once without and again with it;
 * `chosen` is what, beside the filters, decides the metric (a panel reloads when it changes).
 */
export function useGoalMetric(dash: DashboardContext) {
  const route = useRoute();
  const chosen = computed(() => chosenMetric(route.query));
  const filtered = computed(() => dash.query.value.filters.some((f) => f.field === 'event' && f.op === 'is'));
  const { goals, load } = useMetricGoals(dash, () => filtered.value && !chosen.value);
  const metric = computed(() =>
    filtered.value ? (chosen.value ?? metricFor(dash.query.value.filters, goals.value)) : undefined,
  );
  const settled = async (): Promise<GoalMetric | undefined> => {
    if (!filtered.value) return undefined;
    return chosen.value ?? metricFor(dash.query.value.filters, await load());
  };
  /**
   * Calls `ask` with the metric: in the same turn when no goals are needed (most loads), so its
   * request leaves with every other panel's and keeps its place in the browser's queue (an `await`
   * first sent the page list and the key figures' totals behind all the other panels' requests).
   */
  const withMetric = <T>(ask: (metric: GoalMetric | undefined) => Promise<T>): Promise<T> =>
    !filtered.value || chosen.value ? ask(filtered.value ? chosen.value : undefined) : settled().then(ask);
  /**
   * A period's totals with the metric's total and average when there is one. The key figures and
   * the panels' shares all ask through here, so the shared totals stay one request per period.
   */
  const total = (params: StatsParams) => withMetric((m) => dash.total({ ...params, ...metricParams(m) }));
  return { metric, chosen, settled, withMetric, total };
}
