import { z } from 'zod';
import { hasPageConditions, rangeCondition, type Conditions, type Scope } from './conditions.ts';
import { count } from './run-query.ts';

/**
 * How the four core metrics are counted, depending on what rows a query reads.
 *
 * Sessions are stored as cancel/state pairs (sign -1/+1, see the session table). Every state row
 * is cancelled by an identical -1 row when it is replaced, so `sum(sign * f(row))` is f of the
 * latest state for any f — sessions, views and bounces need no per-session grouping — and
 * `uniqExactIf(visitor_id, sign = 1)` sees every visitor with a live session.
 *
 * When the filter names a page (path, pattern, tag), visitors, sessions and views are those of the
 * matching page views, and a bounce is a matching visit that bounced.
 */
export type Base = 'session' | 'page_view';
export type CoreMetric = 'visitors' | 'sessions' | 'views' | 'bounces';

export const baseFor = (filter: Conditions): Base => (hasPageConditions(filter) ? 'page_view' : 'session');

/** Visits in (or up to a day before) the period that ended as a bounce. */
export function bouncedVisits(scope: Scope): string {
  // Rows with is_bounce = 0 add nothing to the sum, and skipping them spares most of the grouping
  // (at 1M page views 53 → 19 ms of CPU for the set): a state row and its cancel row share is_bounce.
  return `SELECT visitor_id, session_id FROM session WHERE ${rangeCondition('session', scope, { lookback: true })} AND is_bounce = 1
    GROUP BY visitor_id, session_id HAVING sum(sign * is_bounce) > 0`;
}

export function metricSql(base: Base, metric: CoreMetric, scope: Scope): string {
  if (base === 'session') {
    return {
      visitors: 'uniqExactIf(visitor_id, sign = 1)',
      sessions: 'sum(sign)',
      views: 'sum(sign * page_views)',
      bounces: 'sum(sign * is_bounce)',
    }[metric];
  }
  switch (metric) {
    case 'visitors':
      return 'uniqExact(visitor_id)';
    case 'sessions':
      // One 64-bit key per visit: a set of tuples hashes twice the bytes and was 2-3x slower at 10M rows
      // (a collision among 10^7 visits has a chance of about 10^-5).
      return 'uniqExact(cityHash64(visitor_id, session_id))';
    case 'views':
      return 'count()';
    case 'bounces':
      return `uniqExactIf((visitor_id, session_id), (visitor_id, session_id) IN (${bouncedVisits(scope)}))`;
  }
}

export const CORE_METRICS: CoreMetric[] = ['visitors', 'sessions', 'views', 'bounces'];

/**
 * Appended to a statement over the session table that counts distinct visitors. Each reading
 * thread builds its own sets of visitor ids, and every visitor has visits on days both threads
 * read, so a second thread doubles the set work and then merges it: at 10M page views a period's
 * totals took 240 ms of CPU on two threads and 160 on one, a country breakdown 290 and 170. A
 * panel's breakdown runs beside the period totals, so one thread each still keeps both cores busy,
 * and a dashboard's dozen panels share the cores without the duplicated work.
 */
export const ONE_THREAD = 'SETTINGS max_threads = 1';

/** `visitors`, `sessions`, ... as SELECT columns for the given base. */
export function metricColumns(base: Base, scope: Scope, metrics: CoreMetric[] = CORE_METRICS): string {
  return metrics.map((m) => `${metricSql(base, m, scope)} AS ${m}`).join(', ');
}

/** The schema of what metricColumns selects: one count per metric (64-bit counts arrive quoted). */
export function countsRow<M extends CoreMetric = CoreMetric>(metrics: readonly M[] = CORE_METRICS as M[]) {
  return z.object(Object.fromEntries(metrics.map((m) => [m, count])) as Record<M, typeof count>);
}

/** `a / b`, 0 when b is 0 (rates over empty periods). */
export const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
