import { z } from 'zod';
import { listGoals, re2Problem, type GoalView } from '@spur/accounts';
import type { StatsContext } from '../context.ts';
import { whereFor } from '../sql/conditions.ts';
import { ratio } from '../sql/metrics.ts';
import { count } from '../sql/run-query.ts';
import { customMetricBy, NO_CUSTOM_METRIC } from './custom-metric.ts';
import { globToRegex } from './goal-pattern.ts';

/**
 * `GET /statistics/goals`: every conversion goal of the site with its visitors, views (matching
 * page views, or event count for event goals), conversion rate (its visitors / the period's) and
 * custom metric. A goal fires on a path glob (`*` one segment, `**` anything), a regular
 * expression, or an event name with an optional metadata key/value.
 */
export const goalStatsSchema = z.object({
  page_goal: z.object({
    id: z.string(),
    def_time: z.string(),
    mod_time: z.string(),
    domain_id: z.string(),
    name: z.string(),
    path_pattern: z.string(),
    pattern: z.string(),
    event_name: z.string(),
    event_meta_key: z.string(),
    event_meta_value: z.string(),
    custom_metric_key: z.string(),
    custom_metric_type: z.string(),
    visitor_goal: z.number().nullable(),
    cr_goal: z.number().nullable(),
    delete_reached: z.boolean(),
    email_reached: z.boolean(),
  }),
  stats: z.object({
    visitors: z.number(),
    views: z.number(),
    cr: z.number(),
    custom_metric_avg: z.number(),
    custom_metric_total: z.number(),
  }),
});

const row = z.object({ visitors: count, views: count });

async function goalStats(ctx: StatsContext, goal: GoalView) {
  const scope = ctx.scope();
  const p = scope.params;
  let sql: string;
  if (goal.event_name) {
    const key = goal.event_meta_key && p.add(goal.event_meta_key, 'String');
    const meta = !key
      ? []
      : goal.event_meta_value
        ? [`event_meta_values[indexOf(event_meta_keys, ${key})] = ${p.add(goal.event_meta_value, 'String')}`]
        : [`has(event_meta_keys, ${key})`];
    sql = `SELECT uniqExact(visitor_id) AS visitors, count() AS views FROM event
      WHERE ${[whereFor('event', scope, ctx.filter), `event_name = ${p.add(goal.event_name, 'String')}`, ...meta].join(' AND ')}`;
  } else {
    const regex = goal.pattern || globToRegex(goal.path_pattern);
    sql = `SELECT uniqExact(visitor_id) AS visitors, count() AS views FROM page_view
      WHERE ${whereFor('page_view', scope, ctx.filter)} AND match(path, ${p.add(regex, 'String')})`;
  }
  const custom = async () => {
    if (!goal.custom_metric_key || !goal.custom_metric_type || !goal.event_name) return NO_CUSTOM_METRIC;
    const values = await customMetricBy(ctx, {
      metric: { key: goal.custom_metric_key, type: goal.custom_metric_type },
      conditions: { ...ctx.filter, fields: { ...ctx.filter.fields, event: [{ op: 'eq', value: goal.event_name }] } },
    });
    return values.get('all') ?? NO_CUSTOM_METRIC;
  };
  const [[stats = { visitors: 0, views: 0 }], totals, metric] = await Promise.all([
    ctx.query('goal', sql, scope, row),
    ctx.totals(),
    custom(),
  ]);
  return { page_goal: goal, stats: { ...stats, cr: ratio(stats.visitors, totals.visitors), ...metric } };
}

/**
 * A goal saved before patterns were checked against RE2 may hold one ClickHouse cannot compile: it
 * converts nobody, and the other goals are still answered (the reader did not send that pattern).
 */
function unmatchable(goal: GoalView) {
  return { page_goal: goal, stats: { visitors: 0, views: 0, cr: 0, ...NO_CUSTOM_METRIC } };
}

export async function goalsStats(ctx: StatsContext) {
  const goals = await listGoals(ctx.deps.db, ctx.site.id);
  return Promise.all(
    goals.map(async (goal) =>
      goal.pattern && (await re2Problem(ctx.deps.clickhouse, goal.pattern)) ? unmatchable(goal) : goalStats(ctx, goal),
    ),
  );
}
