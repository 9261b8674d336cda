import { z } from 'zod';
import type { StatsContext } from '../context.ts';
import type { Period } from '../filter/period.ts';
import { isNegative } from '../filter/value-syntax.ts';
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

// Compensated summation: 0.1 + 0.2 in plain float order is 0.30000000000000004, a cent that moves
// with the order rows arrive in. Integers are summed exactly as Int64.
const sumOf = (metric: CustomMetric) => (metric.type === 'float' ? 'sumKahan(v)' : 'sum(v)');

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
  const sql = `SELECT bucket, ${sumOf(options.metric)} AS total, count() AS n FROM (
      SELECT ${bucket} AS bucket, ${parse}(event_meta_values[indexOf(event_meta_keys, ${key})]) AS v FROM event WHERE ${where.join(' AND ')}
    ) WHERE v IS NOT NULL GROUP BY bucket`;
  const rows = await ctx.query('custom-metric', sql, scope, row);
  return new Map(
    rows.map((r) => [r.bucket, { custom_metric_total: r.total, custom_metric_avg: r.n === 0 ? 0 : r.total / r.n }]),
  );
}

export async function customMetricTotal(ctx: StatsContext, period?: Period): Promise<CustomMetricValue> {
  const metric = requestedMetric(ctx);
  if (!metric) return NO_CUSTOM_METRIC;
  const values = await customMetricBy(ctx, { metric, conditions: ctx.filter, period });
  return values.get('all') ?? NO_CUSTOM_METRIC;
}

/**
 * Whether the request asks for a custom metric it can have: a key, a type, and an event the
 * filter names (`event=Purchase`, not only `event=!Purchase`). Pirsch answers 0 without an event,
 * and so do we: one key summed over every kind of event rarely means anything.
 */
export function requestedMetric(ctx: StatsContext): CustomMetric | undefined {
  const metric = ctx.filter.customMetric;
  const named = (ctx.filter.fields.event ?? []).some((c) => !isNegative(c));
  return metric && named ? metric : undefined;
}

/** A breakdown row's key: the event table column (or expression) and the row field holding its value. */
export type RowKey = { column: string | ((scope: Scope) => string); field: string };

/**
 * Adds `custom_metric_total` and `custom_metric_avg` to each breakdown row when a metric is asked
 * for: the values of the events whose `keys` columns hold the row's values, under the request's
 * filter. One query reading only the rows' own values (each IN list holds at most one page of rows);
 * without a metric the rows are returned as they are and nothing more is asked.
 */
export async function withRowMetrics<R extends Record<string, unknown>>(
  ctx: StatsContext,
  keys: RowKey[],
  rows: R[],
): Promise<R[]> {
  if (!ctx.filter.customMetric) return rows;
  const metric = requestedMetric(ctx);
  if (!metric || rows.length === 0) return rows.map((r) => ({ ...r, ...NO_CUSTOM_METRIC }));
  const scope = ctx.scope();
  const p = scope.params;
  const key = p.add(metric.key, 'String');
  const parse = metric.type === 'integer' ? 'toInt64OrNull' : 'toFloat64OrNull';
  const names = keys.map((_, i) => `k${i}`);
  const columns = keys.map((k) => (typeof k.column === 'string' ? k.column : k.column(scope)));
  const where = [
    whereFor('event', scope, ctx.filter),
    `has(event_meta_keys, ${key})`,
    ...keys.map(
      (k, i) => `${columns[i]} IN ${p.add([...new Set(rows.map((r) => String(r[k.field])))], 'Array(String)')}`,
    ),
  ];
  const sql = `SELECT ${names.join(', ')}, ${sumOf(metric)} AS total, count() AS n FROM (
      SELECT ${columns.map((c, i) => `toString(${c}) AS ${names[i]}`).join(', ')},
        ${parse}(event_meta_values[indexOf(event_meta_keys, ${key})]) AS v
      FROM event WHERE ${where.join(' AND ')}
    ) WHERE v IS NOT NULL GROUP BY ${names.join(', ')}`;
  const shape = z.object({
    ...Object.fromEntries(names.map((n) => [n, z.string()])),
    total: z.coerce.number(),
    n: count,
  });
  const found = await ctx.query('custom-metric-rows', sql, scope, shape);
  const id = (values: unknown[]) => JSON.stringify(values.map(String));
  const byRow = new Map(
    found.map((f) => [
      id(names.map((n) => (f as Record<string, unknown>)[n])),
      { custom_metric_total: f.total, custom_metric_avg: f.n === 0 ? 0 : f.total / f.n },
    ]),
  );
  return rows.map((r) => ({ ...r, ...(byRow.get(id(keys.map((k) => r[k.field]))) ?? NO_CUSTOM_METRIC) }));
}
