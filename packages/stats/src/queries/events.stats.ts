import { z } from 'zod';
import type { StatsContext } from '../context.ts';
import { badParam } from '../errors.ts';
import { rangeCondition, whereFor, type Scope } from '../sql/conditions.ts';
import { countsRow, metricColumns, ratio } from '../sql/metrics.ts';
import { orderAndPage, searchCondition } from '../sql/paging.ts';
import { count } from '../sql/run-query.ts';
import { withRowMetrics } from './custom-metric.ts';
import { metricValues, ROW_METRIC_FIELDS } from './metric-fields.ts';
import { averageSeconds } from './time-on-page.ts';

/**
 * `GET /statistics/events`, `/event/meta`, `/event/list`, `/event/page`. `count` is how often an
 * event fired, `visitors` who fired it, `views` the page views of the visits it fired in (as in
 * Pirsch), `cr` its visitors as a share of the period's, and the average duration counts only
 * events that reported one.
 */
const eventFields = {
  name: z.string(),
  count: z.number(),
  visitors: z.number(),
  views: z.number(),
  cr: z.number(),
  average_duration_seconds: z.number(),
};
export const eventSchema = z.object({ ...eventFields, meta_keys: z.array(z.string()), ...ROW_METRIC_FIELDS });
export const eventMetaSchema = z.object({ ...eventFields, meta_value: z.string(), ...ROW_METRIC_FIELDS });
export const eventListSchema = z.object({
  name: z.string(),
  meta: z.record(z.string(), z.string()),
  visitors: z.number(),
  count: z.number(),
});

const SORT = {
  name: 'name',
  count: 'cnt',
  visitors: 'visitors',
  cr: 'visitors',
  average_duration_seconds: 'avg_duration',
};

/** Page views of the visits in which each group (`grp` over event rows) fired. */
async function viewsOf(
  ctx: StatsContext,
  group: (scope: Scope) => string,
  extra: (scope: Scope) => string[] = () => [],
) {
  const scope = ctx.scope();
  const where = () => [whereFor('event', scope, ctx.filter), ...extra(scope)].join(' AND ');
  const sql = `SELECT e.grp AS grp, sum(s.views) AS views
    FROM (SELECT DISTINCT ${group(scope)} AS grp, visitor_id, session_id FROM event WHERE ${where()}) AS e
    INNER JOIN (SELECT visitor_id, session_id, sum(sign * page_views) AS views FROM session
      WHERE ${rangeCondition('session', scope, { lookback: true })} AND (visitor_id, session_id) IN (SELECT visitor_id, session_id FROM event WHERE ${where()})
      GROUP BY visitor_id, session_id) AS s USING (visitor_id, session_id)
    GROUP BY grp`;
  const rows = await ctx.query('event-views', sql, scope, z.object({ grp: z.string(), views: count }));
  return new Map(rows.map((r) => [r.grp, r.views]));
}

const eventRow = z.object({ name: z.string(), cnt: count, visitors: count, avg_duration: count });

export async function eventStats(ctx: StatsContext) {
  const scope = ctx.scope();
  const p = scope.params;
  const sql = `SELECT event_name AS name, count() AS cnt, uniqExact(visitor_id) AS visitors,
      ${averageSeconds('nullIf(duration_seconds, 0)')} AS avg_duration, arraySort(groupUniqArrayArray(event_meta_keys)) AS meta_keys
    FROM event WHERE ${[whereFor('event', scope, ctx.filter), ...searchCondition('event_name', ctx.filter, p)].join(' AND ')}
    GROUP BY name ${orderAndPage(ctx.filter, p, SORT, ['visitors DESC', 'name ASC'])}`;
  const [rows, views, totals] = await Promise.all([
    ctx.query('events', sql, scope, eventRow.extend({ meta_keys: z.array(z.string()) })),
    viewsOf(ctx, () => 'event_name'),
    ctx.totals(),
  ]);
  const result = rows.map((r) => ({ ...eventOut(r, views.get(r.name), totals.visitors), meta_keys: r.meta_keys }));
  // Only with custom_metric_key/_type (and an event named): e.g. the revenue of Purchase.
  return withRowMetrics(ctx, [{ column: 'event_name', field: 'name' }], result);
}

const eventOut = (r: z.infer<typeof eventRow>, views: number | undefined, periodVisitors: number) => ({
  name: r.name,
  count: r.cnt,
  visitors: r.visitors,
  views: views ?? 0,
  cr: ratio(r.visitors, periodVisitors),
  average_duration_seconds: r.avg_duration,
});

/** The one metadata key the breakdown is for: `event_meta_key=<key>`. */
function metaKey(ctx: StatsContext): string {
  const key = ctx.filter.fields.event_meta_key?.find((c) => c.op === 'eq')?.value;
  if (!key) throw badParam('event_meta_key', 'must name the metadata key to break down');
  return key;
}

export async function eventMetaStats(ctx: StatsContext) {
  const key = metaKey(ctx);
  const scope = ctx.scope();
  const p = scope.params;
  const value = (s: Scope) => `event_meta_values[indexOf(event_meta_keys, ${s.params.add(key, 'String')})]`;
  const sql = `SELECT event_name AS name, ${value(scope)} AS meta_value, count() AS cnt, uniqExact(visitor_id) AS visitors,
      ${averageSeconds('nullIf(duration_seconds, 0)')} AS avg_duration
    FROM event WHERE ${[whereFor('event', scope, ctx.filter), ...searchCondition(value(scope), ctx.filter, p)].join(' AND ')}
    GROUP BY name, meta_value ${orderAndPage(ctx.filter, p, { ...SORT, meta_value: 'meta_value' }, ['visitors DESC', 'meta_value ASC'])}`;
  const [rows, views, totals] = await Promise.all([
    ctx.query('event-meta', sql, scope, eventRow.extend({ meta_value: z.string() })),
    viewsOf(ctx, (s) => `concat(event_name, '\\0', ${value(s)})`),
    ctx.totals(),
  ]);
  const result = rows.map((r) => ({
    ...eventOut(r, views.get(`${r.name}\0${r.meta_value}`), totals.visitors),
    meta_value: r.meta_value,
  }));
  // Only with custom_metric_key/_type: e.g. the revenue of Purchase per `plan`.
  return withRowMetrics(
    ctx,
    [
      { column: 'event_name', field: 'name' },
      { column: value, field: 'meta_value' },
    ],
    result,
  );
}

export async function eventListStats(ctx: StatsContext) {
  const scope = ctx.scope();
  const p = scope.params;
  const sql = `SELECT event_name AS name, arraySort(arrayZip(event_meta_keys, event_meta_values)) AS pairs,
      uniqExact(visitor_id) AS visitors, count() AS cnt
    FROM event WHERE ${[whereFor('event', scope, ctx.filter), ...searchCondition('event_name', ctx.filter, p)].join(' AND ')}
    GROUP BY name, pairs ${orderAndPage(ctx.filter, p, { name: 'name', count: 'cnt', visitors: 'visitors' }, ['cnt DESC', 'name ASC', 'pairs ASC'])}`;
  const row = z.object({
    name: z.string(),
    pairs: z.array(z.tuple([z.string(), z.string()])),
    visitors: count,
    cnt: count,
  });
  const rows = await ctx.query('event-list', sql, scope, row);
  return rows.map((r) => ({ name: r.name, meta: Object.fromEntries(r.pairs), visitors: r.visitors, count: r.cnt }));
}

/** Pages an event fired on: `views` counts the event, the time is the event's average duration. */
export async function eventPageStats(ctx: StatsContext) {
  if (!ctx.filter.fields.event) throw badParam('event', 'is required');
  const scope = ctx.scope();
  const p = scope.params;
  const sql = `SELECT path, argMax(title, time) AS title_any, ${metricColumns('page_view', scope)},
      ${averageSeconds('nullIf(duration_seconds, 0)')} AS avg_duration
    FROM event WHERE ${[whereFor('event', scope, ctx.filter), ...searchCondition('path', ctx.filter, p)].join(' AND ')}
    GROUP BY path ${orderAndPage(ctx.filter, p, { path: 'path', visitors: 'visitors', views: 'views', sessions: 'sessions' }, ['visitors DESC', 'path ASC'])}`;
  const row = countsRow().extend({ path: z.string(), title_any: z.string(), avg_duration: count });
  const [rows, totals] = await Promise.all([ctx.query('event-page', sql, scope, row), ctx.totals()]);
  return rows.map((r) => ({
    path: r.path,
    title: r.title_any,
    ...metricValues(r, totals),
    average_time_spent_seconds: r.avg_duration,
  }));
}
