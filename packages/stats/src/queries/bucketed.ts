import { z } from 'zod';
import type { StatsContext } from '../context.ts';
import type { Period } from '../filter/period.ts';
import { hasConditions } from '../filter/stats-filter.ts';
import { rangeCondition, whereFor, type Scope } from '../sql/conditions.ts';
import { baseFor, countsRow, metricColumns, metricSql, ratio, type Base } from '../sql/metrics.ts';
import { count } from '../sql/run-query.ts';
import { customMetricBy, NO_CUSTOM_METRIC, requestedMetric } from './custom-metric.ts';
import { withBounceRate, type SeriesMetrics } from './metric-fields.ts';

/** SQL for the bucket key of a row, given the row's time column (`start` or `time`). */
export type BucketKey = (column: string, scope: Scope) => string;

const keyValue = z.union([z.string(), z.number()]).transform(String);
const coreRow = countsRow().extend({ bucket: keyValue });
const visitorsRow = z.object({ bucket: keyValue, visitors: count });

/**
 * The core metrics grouped by time buckets (days, hours, weekday × hour, ...), with the
 * conversion rate per bucket (filtered visitors / all visitors of that bucket) and custom metrics
 * of the events in it. Callers fill the buckets that had no traffic (EMPTY_METRICS).
 */
export async function bucketedMetrics(
  ctx: StatsContext,
  options: { name: string; key: BucketKey; base?: Base; period?: Period },
): Promise<Map<string, SeriesMetrics>> {
  const base = options.base ?? baseFor(ctx.filter);
  const column = base === 'session' ? 'start' : 'time';
  const scope = ctx.scope(options.period);
  const sql = `SELECT ${options.key(column, scope)} AS bucket, ${metricColumns(base, scope)} FROM ${base}
    WHERE ${whereFor(base, scope, ctx.filter)} GROUP BY bucket`;

  const all = async () => {
    if (!hasConditions(ctx.filter)) return undefined;
    const s = ctx.scope(options.period);
    const q = `SELECT ${options.key(column, s)} AS bucket, ${metricSql(base, 'visitors', s)} AS visitors FROM ${base}
      WHERE ${rangeCondition(base, s)} GROUP BY bucket`;
    return new Map((await ctx.query(`${options.name}-all`, q, s, visitorsRow)).map((r) => [r.bucket, r.visitors]));
  };
  const metric = requestedMetric(ctx);
  const custom = () =>
    metric
      ? customMetricBy(ctx, {
          metric,
          conditions: ctx.filter,
          period: options.period,
          bucket: (s) => options.key('time', s),
        })
      : Promise.resolve(new Map<string, typeof NO_CUSTOM_METRIC>());

  const [rows, allVisitors, customValues] = await Promise.all([
    ctx.query(options.name, sql, scope, coreRow),
    all(),
    custom(),
  ]);
  const out = new Map<string, SeriesMetrics>();
  for (const r of rows) {
    out.set(r.bucket, {
      ...withBounceRate(r),
      cr: allVisitors ? ratio(r.visitors, allVisitors.get(r.bucket) ?? 0) : 0,
      ...(customValues.get(r.bucket) ?? NO_CUSTOM_METRIC),
    });
  }
  return out;
}
