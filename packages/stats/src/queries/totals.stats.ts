import { z } from 'zod';
import type { StatsContext } from '../context.ts';
import { previousPeriod, type Period } from '../filter/period.ts';
import { hasConditions } from '../filter/stats-filter.ts';
import { whereFor } from '../sql/conditions.ts';
import { baseFor, countsRow, metricColumns, ONE_THREAD, ratio } from '../sql/metrics.ts';
import { customMetricTotal } from './custom-metric.ts';
import { averageDuration } from './durations.stats.ts';
import { SERIES_FIELDS, withBounceRate } from './metric-fields.ts';

/** `GET /statistics/total`, `/growth`: the period's totals, and their change against the period before. */
export const totalSchema = z.object(SERIES_FIELDS);
export type TotalStats = z.infer<typeof totalSchema>;

export const growthSchema = z.object({
  visitors_growth: z.number(),
  views_growth: z.number(),
  sessions_growth: z.number(),
  bounces_growth: z.number(),
  time_spent_growth: z.number(),
  cr_growth: z.number(),
  custom_metric_avg_growth: z.number(),
  custom_metric_total_growth: z.number(),
});

export async function totalStats(ctx: StatsContext, period: Period = ctx.period): Promise<TotalStats> {
  const filtered = hasConditions(ctx.filter);
  const [core, totals, custom] = await Promise.all([
    // Unfiltered, the totals are the period totals every other panel also asks for: one scan.
    filtered ? coreTotals(ctx, period) : ctx.totals(period),
    ctx.totals(period),
    customMetricTotal(ctx, period),
  ]);
  return {
    ...withBounceRate(core),
    // Without a filter every visitor "converts"; Pirsch reports 0 then, and so do we.
    cr: filtered ? ratio(core.visitors, totals.visitors) : 0,
    ...custom,
  };
}

async function coreTotals(ctx: StatsContext, period: Period) {
  const scope = ctx.scope(period);
  const base = baseFor(ctx.filter);
  const sql = `SELECT ${metricColumns(base, scope)} FROM ${base} WHERE ${whereFor(base, scope, ctx.filter)} ${base === 'session' ? ONE_THREAD : ''}`;
  const [row] = await ctx.query('total', sql, scope, countsRow());
  return row ?? { visitors: 0, sessions: 0, views: 0, bounces: 0 };
}

/** (current - previous) / previous; 0 when both are 0, 1 when only the previous period is 0. */
export function growth(current: number, previous: number): number {
  if (previous === 0) return current === 0 ? 0 : 1;
  return (current - previous) / previous;
}

export async function growthStats(ctx: StatsContext) {
  const previous = previousPeriod(ctx.period);
  const [now, before, spentNow, spentBefore] = await Promise.all([
    totalStats(ctx),
    totalStats(ctx, previous),
    averageDuration(ctx, ctx.period),
    averageDuration(ctx, previous),
  ]);
  return {
    visitors_growth: growth(now.visitors, before.visitors),
    views_growth: growth(now.views, before.views),
    sessions_growth: growth(now.sessions, before.sessions),
    // Like Pirsch: the change of the bounce rate, not of the bounce count.
    bounces_growth: growth(now.bounce_rate, before.bounce_rate),
    time_spent_growth: growth(spentNow, spentBefore),
    cr_growth: growth(now.cr, before.cr),
    custom_metric_avg_growth: growth(now.custom_metric_avg, before.custom_metric_avg),
    custom_metric_total_growth: growth(now.custom_metric_total, before.custom_metric_total),
  };
}
