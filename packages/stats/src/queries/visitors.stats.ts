import { z } from 'zod';
import { countMembers } from '@spur/accounts';
import type { StatsContext } from '../context.ts';
import { previousPeriod } from '../filter/period.ts';
import { bucketFields, bucketSql, seriesBuckets } from '../sql/buckets.ts';
import { bucketedMetrics } from './bucketed.ts';
import { EMPTY_METRICS, SERIES_FIELDS } from './metric-fields.ts';
import { growth, totalStats } from './totals.stats.ts';

/** `GET /statistics/visitor`: the core metrics per day (week, month, year), every bucket present. */
export const visitorSeriesSchema = z.object({
  day: z.string().nullable(),
  week: z.string().nullable(),
  month: z.string().nullable(),
  year: z.string().nullable(),
  ...SERIES_FIELDS,
});

export async function visitorSeries(ctx: StatsContext) {
  const scale = ctx.filter.scale;
  const buckets = await bucketedMetrics(ctx, {
    name: `visitor-${scale}`,
    key: (column, scope) => bucketSql(scale, column, ctx.tz, scope.params),
  });
  return seriesBuckets(ctx.period, scale).map((b) => ({
    ...bucketFields(scale, b),
    ...(buckets.get(b) ?? EMPTY_METRICS),
  }));
}

/** `GET /statistics/overview`: visitors and views with their growth, the daily series and the team size. */
export const overviewSchema = z.object({
  visitors: z.number(),
  views: z.number(),
  visitors_growth: z.number(),
  views_growth: z.number(),
  visitors_time_series: z.array(visitorSeriesSchema),
  member: z.number(),
});

export async function overviewStats(ctx: StatsContext) {
  const daily = { ...ctx, filter: { ...ctx.filter, scale: 'day' as const } };
  const [now, before, series, members] = await Promise.all([
    totalStats(ctx),
    totalStats(ctx, previousPeriod(ctx.period)),
    visitorSeries(daily),
    countMembers(ctx.deps.db, ctx.site.organization_id),
  ]);
  return {
    visitors: now.visitors,
    views: now.views,
    visitors_growth: growth(now.visitors, before.visitors),
    views_growth: growth(now.views, before.views),
    visitors_time_series: series,
    member: members,
  };
}
