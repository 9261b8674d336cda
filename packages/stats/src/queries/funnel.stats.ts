import { z } from 'zod';
import { getFunnel, listFunnels, re2Problem, type FunnelView } from '@spur/accounts';
import type { StatsContext } from '../context.ts';
import { badParam, notFound } from '../errors.ts';
import { conditionsFromRecord, isEventStep } from '../filter/step-filter.ts';
import { hasConditions } from '../filter/stats-filter.ts';
import {
  filterConditions,
  rangeCondition,
  whereFor,
  type Conditions,
  type Scope,
  type Table,
} from '../sql/conditions.ts';
import { ratio } from '../sql/metrics.ts';
import { count } from '../sql/run-query.ts';

/**
 * `GET /statistics/funnel?funnel_id=`: how many visitors reached each step, counted in order within
 * one visit (a step matched before the previous one does not count). A step is reached by a page
 * view, or by an event when the step names one. The request's filter selects the visits.
 */
export const funnelSchema = z.object({
  definition: z.object({
    id: z.string(),
    domain_id: z.string(),
    name: z.string(),
    def_time: z.string(),
    mod_time: z.string(),
    steps: z.array(
      z.object({
        id: z.string(),
        funnel_id: z.string(),
        name: z.string(),
        step: z.number(),
        filter: z.record(z.string(), z.unknown()),
      }),
    ),
  }),
  data: z.array(
    z.object({
      step: z.number(),
      visitors: z.number(),
      relative_visitors: z.number(),
      previous_visitors: z.number(),
      relative_previous_visitors: z.number(),
      dropped: z.number(),
      drop_off: z.number(),
    }),
  ),
});

/** Visits can last a day; the funnel window covers any visit (milliseconds). */
const WINDOW_MS = 86_400_000;

function stepCondition(table: Table, scope: Scope, step: Conditions): string {
  if (isEventStep(step) !== (table === 'event')) return '0';
  const parts = filterConditions(table, scope, step);
  return parts.length ? parts.join(' AND ') : '1';
}

function branch(table: Table, scope: Scope, steps: Conditions[], visits: string | undefined): string {
  const conditions = steps.map((s, i) => `(${stepCondition(table, scope, s)}) AS c${i}`);
  // windowFunnel skips rows that match no step, so they are left out before the grouping by visit
  // (a table no step reads, e.g. events in a funnel of pages, is then not read at all).
  const where = [
    rangeCondition(table, scope),
    ...(visits ? [`(visitor_id, session_id) IN (${visits})`] : []),
    ...(steps.length > 0 ? [`(${steps.map((_, i) => `c${i}`).join(' OR ')})`] : []),
  ];
  return `SELECT visitor_id, session_id, toUInt64(toUnixTimestamp64Milli(time)) AS ts, ${conditions.join(', ')} FROM ${table} WHERE ${where.join(' AND ')}`;
}

/**
 * The funnel named by `funnel_id`. pirsch-sdk (2.9.1) never sends `funnel_id`, so without one a
 * site with exactly one funnel is answered with it; with several the parameter is required.
 */
async function funnelOf(ctx: StatsContext): Promise<FunnelView> {
  if (ctx.filter.funnelId) {
    const funnel = await getFunnel(ctx.deps.db, ctx.site.id, ctx.filter.funnelId);
    if (!funnel) throw notFound('funnel');
    return funnel;
  }
  const all = await listFunnels(ctx.deps.db, ctx.site.id);
  if (all.length !== 1) throw badParam('funnel_id', `is required (the site has ${all.length} funnels)`);
  return all[0]!;
}

/** An RE2 expression no text matches (no character lies outside every code point). */
const NOTHING = '[^\\x00-\\x{10FFFF}]';

/**
 * A step saved before patterns were checked against RE2 may hold one ClickHouse cannot compile: it
 * matches no path (so `!pattern` matches all), and the funnel is still answered: the reader did not
 * send that pattern and must not get a 400 for it.
 */
async function runnable(ctx: StatsContext, step: Conditions): Promise<Conditions> {
  const patterns = step.fields.pattern;
  if (!patterns) return step;
  const checked = await Promise.all(
    patterns.map(async (c) => ((await re2Problem(ctx.deps.clickhouse, c.value)) ? { ...c, value: NOTHING } : c)),
  );
  return { ...step, fields: { ...step.fields, pattern: checked } };
}

export async function funnelStats(ctx: StatsContext) {
  const funnel = await funnelOf(ctx);
  const steps = await Promise.all(funnel.steps.map((s) => runnable(ctx, conditionsFromRecord(s.filter))));
  const scope = ctx.scope();
  const visits = hasConditions(ctx.filter)
    ? `SELECT visitor_id, session_id FROM session WHERE ${whereFor('session', scope, ctx.filter, { lookback: true })}`
    : undefined;
  const flags = steps.map((_, i) => `c${i}`).join(', ');
  const sql = `SELECT level, count() AS visitors FROM (
      SELECT visitor_id, max(level) AS level FROM (
        SELECT visitor_id, session_id, windowFunnel(${WINDOW_MS})(ts, ${flags}) AS level FROM (
          ${branch('page_view', scope, steps, visits)}
          UNION ALL
          ${branch('event', scope, steps, visits)}
        ) GROUP BY visitor_id, session_id
      ) GROUP BY visitor_id
    ) WHERE level > 0 GROUP BY level`;
  const rows = await ctx.query('funnel', sql, scope, z.object({ level: count, visitors: count }));
  const reached = steps.map((_, i) => rows.filter((r) => r.level >= i + 1).reduce((sum, r) => sum + r.visitors, 0));
  const first = reached[0] ?? 0;
  return {
    definition: funnel,
    data: reached.map((visitors, i) => {
      const previous = i === 0 ? 0 : reached[i - 1]!;
      const dropped = i === 0 ? 0 : previous - visitors;
      return {
        step: i + 1,
        visitors,
        relative_visitors: ratio(visitors, first),
        previous_visitors: previous,
        relative_previous_visitors: ratio(visitors, previous),
        dropped,
        drop_off: ratio(dropped, previous),
      };
    }),
  };
}
