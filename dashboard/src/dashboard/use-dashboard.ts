import { computed, inject, provide, ref, watch, type ComputedRef, type InjectionKey } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import type { StatsParams } from '../api/stats.api.ts';
import {
  DASHBOARD_KEYS,
  dashboardQueryToLocation,
  parseDashboardQuery,
  resolveDashboardQuery,
  type DashboardQuery,
  type ResolvedQuery,
} from '../query/dashboard-query.ts';
import type { DateRange } from '../query/date-range.ts';
import { todayIn, type IsoDate } from '../query/dates.ts';
import { firstDataDay } from './first-day.ts';
import { FILTER_FIELDS, addFilter, filtersToParams, removeFilter, type Filter } from '../query/filters.ts';

export type DashboardSite = { id: string; name: string; hostname: string; timezone: string; created_at?: string };

export type DashboardContext = {
  site: DashboardSite;
  query: ComputedRef<DashboardQuery>;
  resolved: ComputedRef<ResolvedQuery>;
  today: ComputedRef<IsoDate>;
  /** Parameters for a statistics request over the current (or the comparison) range. */
  params: (range?: DateRange) => StatsParams;
  update: (change: Partial<DashboardQuery>) => void;
  /** Adds filters in one step (one history entry): a goal can need two, an event and its key. */
  filterBy: (...filters: Filter[]) => void;
  unfilter: (filter: Filter) => void;
};

const KEY: InjectionKey<DashboardContext> = Symbol('dashboard');

/**
 * The dashboard's state, read from and written to the URL. Every change is a router push, so the
 * back button undoes it; keys the dashboard does not own (ui, theme, ...) are carried along.
 */
export function provideDashboard(site: DashboardSite): DashboardContext {
  const route = useRoute();
  const router = useRouter();
  const query = computed(() => parseDashboardQuery(route.query));
  const today = computed(() => todayIn(site.timezone));
  // "All time" starts at the site's creation, or earlier where older (imported) data exists.
  const start = ref<IsoDate | undefined>(
    site.created_at ? todayIn(site.timezone, new Date(site.created_at)) : undefined,
  );
  let probed = false;
  watch(
    () => query.value.period,
    async (period) => {
      if (period !== 'all' || probed) return;
      probed = true;
      const first = await firstDataDay(site, today.value).catch(() => undefined);
      if (first && (!start.value || first < start.value)) start.value = first;
    },
    { immediate: true },
  );
  const resolved = computed(() => resolveDashboardQuery(query.value, today.value, start.value));

  const params = (range?: DateRange): StatsParams => {
    const r = range ?? resolved.value.range;
    return { id: site.id, from: r.from, to: r.to, tz: site.timezone, ...filtersToParams(resolved.value.filters) };
  };

  const update = (change: Partial<DashboardQuery>) => {
    const next = { ...query.value, ...change };
    const kept = Object.fromEntries(
      Object.entries(route.query).filter(
        ([key]) => !DASHBOARD_KEYS.includes(key) && !Object.hasOwn(FILTER_FIELDS, key),
      ),
    );
    void router.push({ query: { ...kept, ...dashboardQueryToLocation(next) } });
  };

  const context: DashboardContext = {
    site,
    query,
    resolved,
    today,
    params,
    update,
    filterBy: (...filters) => update({ filters: filters.reduce((all, f) => addFilter(all, f), query.value.filters) }),
    unfilter: (filter) => update({ filters: removeFilter(query.value.filters, filter) }),
  };
  provide(KEY, context);
  return context;
}

export function useDashboard(): DashboardContext {
  const context = inject(KEY);
  if (!context) throw new Error('useDashboard() outside a site dashboard');
  return context;
}
