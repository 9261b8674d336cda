import { z } from 'zod';
import type { StatsContext } from '../context.ts';
import type { Period } from '../filter/period.ts';
import { whereFor, type Conditions, type Scope } from '../sql/conditions.ts';
import { count } from '../sql/run-query.ts';

/**
 * Custom metrics: the numeric values of one event metadata key (`custom_metric_key`, parsed as
 * `custom_metric_type`) over the events the filter selects. Average = total / events carrying a
 * number under that key; values that do not parse as that type are left out.
 */
export type CustomMetric = { key: string; type: 'integer' | 'float' };
export type CustomMetricValue = { custom_metric_avg: number; custom_metric_total: number };

export const NO_CUSTOM_METRIC: CustomMetricValue = { custom_metric_avg: 0, custom_metric_total: 0 };

const row = z.object({
  bucket: z.union([z.string(), z.number()]).transform(String),
  total: z.coerce.number(),
  n: count,
});

/** Per bucket (by the SQL expression `bucket` over event rows; `'all'` for one total). */
export async function customMetricBy(
  ctx: StatsContext,
  options: {
    metric: CustomMetric;
    conditions: Conditions;
    period?: Period;
    bucket?: (scope: Scope) => string;
    extra?: (scope: Scope) => string[];
  },
): Promise<Map<string, CustomMetricValue>> {
  const scope = ctx.scope(options.period);
  const p = scope.params;
  const key = p.add(options.metric.key, 'String');
  const parse = options.metric.type === 'integer' ? 'toInt64OrNull' : 'toFloat64OrNull';
  const bucket = options.bucket ? options.bucket(scope) : `'all'`;
  const where = [
    whereFor('event', scope, options.conditions),
    `has(event_meta_keys, ${key})`,
    ...(options.extra?.(scope) ?? []),
  ];
  const sql = `SELECT bucket, sum(v) AS total, count() AS n FROM (
      SELECT ${bucket} AS bucket, ${parse}(event_meta_values[indexOf(event_meta_keys, ${key})]) AS v FROM event WHERE ${where.join(' AND ')}
    ) WHERE v IS NOT NULL GROUP BY bucket`;
  const rows = await ctx.query('custom-metric', sql, scope, row);
  return new Map(
    rows.map((r) => [r.bucket, { custom_metric_total: r.total, custom_metric_avg: r.n === 0 ? 0 : r.total / r.n }]),
  );
}

export async function customMetricTotal(ctx: StatsContext, period?: Period): Promise<CustomMetricValue> {
  const metric = ctx.filter.customMetric;
  if (!metric) return NO_CUSTOM_METRIC;
  const values = await customMetricBy(ctx, { metric, conditions: ctx.filter, period });
  return values.get('all') ?? NO_CUSTOM_METRIC;
}
