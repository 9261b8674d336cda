import { z } from 'zod';
import type { StatsContext } from '../context.ts';
import { filterConditions, rangeCondition, type Scope } from '../sql/conditions.ts';
import { count } from '../sql/run-query.ts';
import { DEFAULT_ACTIVE_SECONDS } from './active.stats.ts';

/**
 * `GET /statistics/active/minutes?start=<seconds>`: the realtime view's chart and sources. Page
 * views and the visitors who viewed them, per minute of the last `start` seconds (every minute
 * present, oldest first), and where the sessions active in that window came from.
 */
export const realtimeSchema = z.object({
  minutes: z.array(z.object({ minute: z.string(), visitors: z.number(), views: z.number() })),
  referrers: z.array(z.object({ referrer_name: z.string(), visitors: z.number() })),
});

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

export async function realtimeMinutes(ctx: StatsContext) {
  const now = ctx.now.getTime();
  // Whole minutes: the current one (still running) is the last point.
  const first =
    Math.floor((now - (ctx.filter.start ?? DEFAULT_ACTIVE_SECONDS) * 1000) / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  const last = Math.floor(now / MINUTE_MS) * MINUTE_MS;
  const scope = (from: Date): Scope => ({ ...ctx.scope(), from, to: new Date(last + MINUTE_MS) });
  const recent = scope(new Date(first));
  const perMinute = `SELECT toUnixTimestamp(toStartOfMinute(time)) AS minute, uniqExact(visitor_id) AS visitors, count() AS views
    FROM page_view WHERE ${where('page_view', recent, ctx)} GROUP BY minute ORDER BY minute`;
  // A session that started up to a day before the window is active when its latest state is in it.
  const visits = scope(new Date(first - DAY_MS));
  const since = visits.params.add(new Date(first), 'DateTime64(3)');
  const sources = `SELECT referrer_name, uniqExactIf(visitor_id, sign = 1 AND time >= ${since}) AS visitors FROM session
    WHERE ${where('session', visits, ctx)} GROUP BY referrer_name HAVING visitors > 0
    ORDER BY visitors DESC, referrer_name ASC LIMIT ${visits.params.add(ctx.filter.limit, 'UInt32')}`;
  const [minuteRows, sourceRows] = await Promise.all([
    ctx.query('realtime-minutes', perMinute, recent, z.object({ minute: count, visitors: count, views: count })),
    ctx.query('realtime-referrers', sources, visits, z.object({ referrer_name: z.string(), visitors: count })),
  ]);
  const byMinute = new Map(minuteRows.map((r) => [r.minute * 1000, r]));
  const minutes = [];
  for (let t = first; t <= last; t += MINUTE_MS) {
    const row = byMinute.get(t);
    minutes.push({ minute: new Date(t).toISOString(), visitors: row?.visitors ?? 0, views: row?.views ?? 0 });
  }
  return { minutes, referrers: sourceRows };
}

function where(table: 'page_view' | 'session', scope: Scope, ctx: StatsContext): string {
  return [rangeCondition(table, scope), ...filterConditions(table, scope, ctx.filter)].join(' AND ');
}
