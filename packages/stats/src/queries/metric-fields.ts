import { z } from 'zod';
import type { PeriodTotals } from '../context.ts';
import { ratio, type CoreMetric } from '../sql/metrics.ts';

/**
 * The metric fields of the statistics answers, as Pirsch names them, and the one mapping from a
 * row of counts (metricColumns / countsRow) to them. Each response schema picks the fields its
 * endpoint answers, in the order it answers them.
 */
export const METRIC_FIELDS = {
  visitors: z.number(),
  views: z.number(),
  sessions: z.number(),
  bounces: z.number(),
  bounce_rate: z.number(),
  relative_visitors: z.number(),
  relative_views: z.number(),
  cr: z.number(),
  custom_metric_avg: z.number(),
  custom_metric_total: z.number(),
};
export type MetricField = keyof typeof METRIC_FIELDS;

/**
 * On list rows (pages, sources, visitor properties) the custom metric is answered only when it is
 * asked for (`custom_metric_key` and `custom_metric_type`), so the rows keep Pirsch's shape otherwise.
 */
export const ROW_METRIC_FIELDS = {
  custom_metric_avg: z.number().optional(),
  custom_metric_total: z.number().optional(),
};

export function metricFields<K extends MetricField>(...keys: K[]): Pick<typeof METRIC_FIELDS, K> {
  return Object.fromEntries(keys.map((key) => [key, METRIC_FIELDS[key]])) as Pick<typeof METRIC_FIELDS, K>;
}

/** The eight fields of the totals and of every time series bucket. */
export const SERIES_FIELDS = metricFields(
  'visitors',
  'views',
  'sessions',
  'bounces',
  'bounce_rate',
  'cr',
  'custom_metric_avg',
  'custom_metric_total',
);
export type SeriesMetrics = { [K in keyof typeof SERIES_FIELDS]: number };

/** A bucket without traffic. */
export const EMPTY_METRICS: SeriesMetrics = {
  visitors: 0,
  views: 0,
  sessions: 0,
  bounces: 0,
  bounce_rate: 0,
  cr: 0,
  custom_metric_avg: 0,
  custom_metric_total: 0,
};

type Counts = Record<CoreMetric, number>;

/** The counts and the bounce rate that follows from them. */
export const withBounceRate = (r: Counts) => ({
  visitors: r.visitors,
  views: r.views,
  sessions: r.sessions,
  bounces: r.bounces,
  bounce_rate: ratio(r.bounces, r.sessions),
});

/** Shares of the period's visitors and views (site and dates only, no filters). */
export const shares = (r: Pick<Counts, 'visitors' | 'views'>, totals: Pick<PeriodTotals, 'visitors' | 'views'>) => ({
  relative_visitors: ratio(r.visitors, totals.visitors),
  relative_views: ratio(r.views, totals.views),
});

/** A list row's metrics: counts, bounce rate and shares of the period. */
export const metricValues = (r: Counts, totals: Pick<PeriodTotals, 'visitors' | 'views'>) => ({
  ...withBounceRate(r),
  ...shares(r, totals),
});
