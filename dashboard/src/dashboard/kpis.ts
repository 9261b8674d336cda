import type { Total, VisitorPoint } from '../api/stats.schemas.ts';
import type { GoalMetric } from './goal-metric.ts';

export type Kpis = Total & { average_session_seconds: number };

type Bucketed = { day?: string | null; week?: string | null; month?: string | null; year?: string | null };
const pointKey = (p: Bucketed) => (p.year ?? p.month ?? p.week ?? p.day ?? '').slice(0, 10);

/**
 * The average session duration of a whole period. The API gives averages per bucket only, so the
 * KPI asks for yearly buckets: a period within one calendar year is one bucket and exact; across
 * a new year, each year's average weighs by its sessions (close, though sessions without a
 * measurable duration are left out of the API's averages and not of the weights).
 */
export function averageSessionSeconds(
  durations: (Bucketed & { average_time_spent_seconds: number })[],
  days: VisitorPoint[],
): number {
  const sessionsByDay = new Map(days.map((d) => [pointKey(d), d.sessions]));
  let weighted = 0;
  let sessions = 0;
  if (durations.length === 1) return durations[0]!.average_time_spent_seconds;
  for (const d of durations) {
    const n = sessionsByDay.get(pointKey(d)) ?? 0;
    weighted += d.average_time_spent_seconds * n;
    sessions += n;
  }
  return sessions === 0 ? 0 : weighted / sessions;
}

export type KpiKey =
  | 'visitors'
  | 'views'
  | 'sessions'
  | 'bounce_rate'
  | 'average_session_seconds'
  | 'cr'
  | 'custom_metric_total'
  | 'custom_metric_avg';

export type KpiCard = {
  key: KpiKey;
  label: string;
  kind: 'count' | 'percent' | 'duration' | 'metric';
  /** A metric card's currency (revenue), empty for plain numbers. */
  currency?: string;
  lowerIsBetter?: boolean;
  metric?: string;
  /**
   * Shown instead of the figure while no filter is set. The conversion rate is the visitors the
   * filters select over all visitors (Pirsch's definition): with no filter the API answers 0, and
   * "0% vs 0%" would read as a site where nobody converts.
   */
  unfiltered?: string;
};

export const KPI_CARDS: KpiCard[] = [
  { key: 'visitors', label: 'Visitors', kind: 'count', metric: 'visitors' },
  { key: 'views', label: 'Page views', kind: 'count', metric: 'views' },
  { key: 'sessions', label: 'Sessions', kind: 'count', metric: 'sessions' },
  { key: 'bounce_rate', label: 'Bounce rate', kind: 'percent', lowerIsBetter: true, metric: 'bounce_rate' },
  { key: 'average_session_seconds', label: 'Session duration', kind: 'duration' },
  {
    key: 'cr',
    label: 'Conversion rate',
    kind: 'percent',
    unfiltered: 'Filter by a goal, event or page to see its conversion rate',
  },
];

/**
 * The cards of the custom metric the dashboard adds up (a revenue goal's event filtered, or a key
 * chosen in the URL), as Plausible shows "Total revenue" and "Average revenue" beside the others.
 * The average is per event carrying the value, as the API computes it.
 */
export function metricCards(metric: GoalMetric | undefined): KpiCard[] {
  if (!metric) return [];
  const what = metric.currency ? 'revenue' : metric.key;
  return [
    { key: 'custom_metric_total', label: `Total ${what}`, kind: 'metric', currency: metric.currency },
    { key: 'custom_metric_avg', label: `Average ${what}`, kind: 'metric', currency: metric.currency },
  ];
}
