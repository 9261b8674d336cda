import {
  computed,
  inject,
  onBeforeUnmount,
  onMounted,
  provide,
  ref,
  watch,
  type ComputedRef,
  type InjectionKey,
} from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { statsApi, type StatsParams } from '../api/stats.api.ts';
import type { Total } from '../api/stats.schemas.ts';
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
import { LIVE_REFRESH } from './use-stat.ts';
import { FILTER_FIELDS, addFilter, filtersToParams, removeFilter, type Filter } from '../query/filters.ts';

export type DashboardSite = {
  id: string;
  name: string;
  hostname: string;
  timezone: string;
  created_at?: string;
  /** A rollup view has no hostname or snippet of its own (its hostname is a placeholder). */
  kind?: 'site' | 'rollup';
};

export type DashboardContext = {
  site: DashboardSite;
  query: ComputedRef<DashboardQuery>;
  resolved: ComputedRef<ResolvedQuery>;
  today: ComputedRef<IsoDate>;
  /** Parameters for a statistics request over the current (or the comparison) range. */
  params: (range?: DateRange) => StatsParams;
  /**
   * Parameters of the comparison's totals. While the current period ends today, the comparison's
   * last day ends at the current time of day too: today at noon against yesterday until noon.
   */
  comparisonParams: () => StatsParams | undefined;
  /**
   * The totals of a request's period and filters, asked once however many panels need them (the
   * key figures show them; panels divide by them for shares of the filtered set).
   */
  total: (params: StatsParams) => Promise<Total>;
  /** Why there is no comparison although one was asked for: "all time" has nothing before it. */
  noEarlierData: ComputedRef<boolean>;
  update: (change: Partial<DashboardQuery>) => void;
  /** Adds filters in one step (one history entry): a goal can need two, an event and its key. */
  filterBy: (...filters: Filter[]) => void;
  unfilter: (filter: Filter) => void;
};

const KEY: InjectionKey<DashboardContext> = Symbol('dashboard');

/**
 * How often the panels of a period that ends today are asked again while the tab is visible (and
 * once more on coming back to a tab hidden longer): visits keep arriving, and a dashboard left open
 * on "today" should not need a reload to show them. Past periods never change and are not asked again.
 */
export const LIVE_REFRESH_MS = 60_000;

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
  const asked = computed(() => resolveDashboardQuery(query.value, today.value, start.value));
  // "All time" has nothing before it to compare with: no comparison, rather than "new" on every
  // card. (A previous period that merely holds no data is told apart by the key figures, which see
  // the comparison's totals anyway; a first-day probe here cost three requests on every load.)
  let probed = false;
  watch(
    () => query.value.period,
    async (period) => {
      if (period !== 'all' || probed) return;
      probed = true;
      // The site's creation day is a guess at its first data; imported data can be older.
      const first = await firstDataDay(site, today.value).catch(() => undefined);
      if (first && (!start.value || first < start.value)) start.value = first;
    },
    { immediate: true },
  );
  const noEarlierData = computed(() => !!asked.value.comparison && query.value.period === 'all');
  const resolved = computed<ResolvedQuery>(() =>
    noEarlierData.value ? { ...asked.value, comparison: undefined } : asked.value,
  );

  const params = (range?: DateRange): StatsParams => {
    const r = range ?? resolved.value.range;
    return { id: site.id, from: r.from, to: r.to, tz: site.timezone, ...filtersToParams(resolved.value.filters) };
  };

  const comparisonParams = (): StatsParams | undefined => {
    const { range, comparison } = resolved.value;
    if (!comparison) return undefined;
    return range.to === today.value ? { ...params(comparison), to_time: timeIn(site.timezone) } : params(comparison);
  };

  const totals = new Map<string, Promise<Total>>();
  const total = (p: StatsParams): Promise<Total> => {
    const key = JSON.stringify(p);
    let answer = totals.get(key);
    if (!answer) {
      // Not aborted with a panel that moves on: another may still wait for it. Shared only while
      // it runs (the panels of one load ask in the same moment), so a later look asks afresh.
      answer = statsApi.total(p);
      const forget = () => void (totals.get(key) === answer && totals.delete(key));
      answer.then(forget, forget);
      totals.set(key, answer);
    }
    return answer;
  };

  const refreshes = ref(0);
  let askedAt = Date.now();
  // Anything the customer changes loads the panels anyway: the next refresh counts from there.
  watch(resolved, () => (askedAt = Date.now()), { deep: true });
  const refresh = () => {
    if (document.hidden || resolved.value.range.to !== today.value) return;
    if (Date.now() - askedAt < LIVE_REFRESH_MS - 1_000) return;
    askedAt = Date.now();
    refreshes.value++;
  };
  let timer: ReturnType<typeof setInterval> | undefined;
  onMounted(() => {
    timer = setInterval(refresh, LIVE_REFRESH_MS);
    document.addEventListener('visibilitychange', refresh);
  });
  onBeforeUnmount(() => {
    clearInterval(timer);
    document.removeEventListener('visibilitychange', refresh);
  });
  provide(LIVE_REFRESH, refreshes);

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
    comparisonParams,
    total,
    noEarlierData,
    update,
    filterBy: (...filters) => update({ filters: filters.reduce((all, f) => addFilter(all, f), query.value.filters) }),
    unfilter: (filter) => update({ filters: removeFilter(query.value.filters, filter) }),
  };
  provide(KEY, context);
  return context;
}

/** The wall-clock time where the site is, `HH:MM`. */
export function timeIn(timeZone: string, now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    now,
  );
}

export function useDashboard(): DashboardContext {
  const context = inject(KEY);
  if (!context) throw new Error('useDashboard() outside a site dashboard');
  return context;
}
