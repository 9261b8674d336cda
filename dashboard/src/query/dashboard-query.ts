import { isIsoDate, type IsoDate } from './dates.ts';
import {
  COMPARISONS,
  PERIODS,
  SCALES,
  comparisonRange,
  defaultScale,
  resolvePeriod,
  scalesFor,
  type Comparison,
  type DateRange,
  type Period,
  type Scale,
} from './date-range.ts';
import { filtersFromQuery, filtersToParams, type Filter } from './filters.ts';

export const METRICS = ['visitors', 'views', 'sessions', 'bounce_rate'] as const;
export type Metric = (typeof METRICS)[number];

/**
 * Everything that decides what the site dashboard shows. It lives in the URL only, so a view can
 * be bookmarked and shared and the back button walks through changes.
 */
export type DashboardQuery = {
  period: Period;
  custom?: DateRange;
  compare: Comparison;
  compareCustom?: DateRange;
  scale?: Scale;
  metric: Metric;
  filters: Filter[];
};

type QueryValue = string | null | undefined | (string | null)[];
type LocationQuery = Record<string, QueryValue>;

const first = (v: QueryValue): string | undefined => (Array.isArray(v) ? (v[0] ?? undefined) : (v ?? undefined));
const oneOf = <T extends string>(list: readonly T[], v: QueryValue, fallback: T): T => {
  const s = first(v);
  return list.includes(s as T) ? (s as T) : fallback;
};
const rangeOf = (from: QueryValue, to: QueryValue): DateRange | undefined => {
  const f = first(from);
  const t = first(to);
  return isIsoDate(f) && isIsoDate(t) && f <= t ? { from: f, to: t } : undefined;
};

export const DEFAULT_PERIOD: Period = '30d';

export function parseDashboardQuery(query: LocationQuery): DashboardQuery {
  const custom = rangeOf(query.from, query.to);
  // A from/to pair without a period is a custom range (links from emails and the API look like that).
  const period = custom && !first(query.period) ? 'custom' : oneOf(PERIODS, query.period, DEFAULT_PERIOD);
  const compareCustom = rangeOf(query.compare_from, query.compare_to);
  const compare = oneOf(COMPARISONS, query.compare, 'previous');
  const scale = first(query.scale);
  return {
    period: period === 'custom' && !custom ? DEFAULT_PERIOD : period,
    ...(period === 'custom' && custom ? { custom } : {}),
    compare: compare === 'custom' && !compareCustom ? 'previous' : compare,
    ...(compare === 'custom' && compareCustom ? { compareCustom } : {}),
    ...(SCALES.includes(scale as Scale) ? { scale: scale as Scale } : {}),
    metric: oneOf(METRICS, query.metric, 'visitors'),
    filters: filtersFromQuery(query),
  };
}

/** The URL query for a state; defaults are left out so URLs stay short. Other keys (ui, theme) are kept by the caller. */
export function dashboardQueryToLocation(q: DashboardQuery): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (q.period === 'custom' && q.custom) Object.assign(out, { period: 'custom', from: q.custom.from, to: q.custom.to });
  else if (q.period !== DEFAULT_PERIOD) out.period = q.period;
  if (q.compare === 'custom' && q.compareCustom)
    Object.assign(out, { compare: 'custom', compare_from: q.compareCustom.from, compare_to: q.compareCustom.to });
  else if (q.compare !== 'previous') out.compare = q.compare;
  if (q.scale) out.scale = q.scale;
  if (q.metric !== 'visitors') out.metric = q.metric;
  Object.assign(out, filtersToParams(q.filters));
  return out;
}

export const DASHBOARD_KEYS = ['period', 'from', 'to', 'compare', 'compare_from', 'compare_to', 'scale', 'metric'];

/** What the API is asked for: the dates, the comparison dates, the chart's scale. */
export type ResolvedQuery = { range: DateRange; comparison?: DateRange; scale: Scale; filters: Filter[] };

export function resolveDashboardQuery(q: DashboardQuery, today: IsoDate, start?: IsoDate): ResolvedQuery {
  const range = resolvePeriod(q.period, today, { custom: q.custom, start });
  const allowed = scalesFor(range);
  const scale = q.scale && allowed.includes(q.scale) ? q.scale : defaultScale(range);
  return { range, comparison: comparisonRange(range, q.compare, q.compareCustom), scale, filters: q.filters };
}
