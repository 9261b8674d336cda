import { z } from 'zod';
import type { StatsContext } from '../context.ts';
import type { Period } from '../filter/period.ts';
import { bucketFields, bucketSql, seriesBuckets } from '../sql/buckets.ts';
import { hasPageConditions, whereFor } from '../sql/conditions.ts';
import { count } from '../sql/run-query.ts';
import { averageSeconds, pageViewsWithTime } from './time-on-page.ts';

/**
 * `GET /statistics/duration/session` and `/duration/page`: average session duration and average
 * time on page per day (week, month, year), gap-filled. Sessions of a single moment (one page, no
 * ping or event later) have no measurable duration and are left out of the average.
 */
export const timeSpentSchema = z.object({
  day: z.string().nullable(),
  week: z.string().nullable(),
  month: z.string().nullable(),
  year: z.string().nullable(),
  path: z.string(),
  title: z.string(),
  average_time_spent_seconds: z.number(),
});

const row = z.object({ bucket: z.string(), seconds: count });
const sessionAverage =
  'toUInt64(round(sum(sign * duration_seconds) / greatest(sum(sign * (duration_seconds > 0)), 1)))';

export async function sessionDurationSeries(ctx: StatsContext) {
  const scope = ctx.scope();
  const bucket = bucketSql(ctx.filter.scale, 'start', ctx.tz, scope.params);
  const sql = `SELECT ${bucket} AS bucket, ${sessionAverage} AS seconds FROM session WHERE ${whereFor('session', scope, ctx.filter)} GROUP BY bucket`;
  return fill(ctx, await ctx.query('duration-session', sql, scope, row));
}

export async function pageDurationSeries(ctx: StatsContext) {
  const scope = ctx.scope();
  const bucket = bucketSql(ctx.filter.scale, 'time', ctx.tz, scope.params);
  const { from, where } = pageViewsWithTime(scope, ctx.filter);
  const sql = `SELECT ${bucket} AS bucket, ${averageSeconds('time_on_page')} AS seconds FROM ${from} WHERE ${where.join(' AND ')} GROUP BY bucket`;
  return fill(ctx, await ctx.query('duration-page', sql, scope, row));
}

function fill(ctx: StatsContext, rows: z.infer<typeof row>[]) {
  const byBucket = new Map(rows.map((r) => [r.bucket, r.seconds]));
  return seriesBuckets(ctx.period, ctx.filter.scale).map((b) => ({
    ...bucketFields(ctx.filter.scale, b),
    path: '',
    title: '',
    average_time_spent_seconds: byBucket.get(b) ?? 0,
  }));
}

/**
 * The "time spent" a growth rate compares: average event duration when filtering by event,
 * average time on page when filtering by page, average session duration otherwise.
 */
export async function averageDuration(ctx: StatsContext, period: Period): Promise<number> {
  const scope = ctx.scope(period);
  const one = z.object({ seconds: count });
  let sql: string;
  if (ctx.filter.fields.event) {
    sql = `SELECT ${averageSeconds('nullIf(duration_seconds, 0)')} AS seconds FROM event WHERE ${whereFor('event', scope, ctx.filter)}`;
  } else if (hasPageConditions(ctx.filter)) {
    const { from, where } = pageViewsWithTime(scope, ctx.filter);
    sql = `SELECT ${averageSeconds('time_on_page')} AS seconds FROM ${from} WHERE ${where.join(' AND ')}`;
  } else {
    sql = `SELECT ${sessionAverage} AS seconds FROM session WHERE ${whereFor('session', scope, ctx.filter)}`;
  }
  const [result] = await ctx.query('average-duration', sql, scope, one);
  return result?.seconds ?? 0;
}
