import { z } from 'zod';
import type { StatsContext } from '../context.ts';
import { filterConditions, rangeCondition, type Scope } from '../sql/conditions.ts';
import { ratio } from '../sql/metrics.ts';
import { count } from '../sql/run-query.ts';

/**
 * `GET /statistics/active?start=<seconds>`: who is on the site right now. A visitor is active when
 * their visit saw a page view, event or keep-alive ping in the last `start` seconds (default 10
 * minutes, at most an hour); `stats` lists the pages viewed in that window.
 */
export const activeSchema = z.object({
  stats: z.array(z.object({ path: z.string(), title: z.string(), visitors: z.number() })),
  countries: z.array(z.object({ country_code: z.string(), visitors: z.number(), relative_visitors: z.number() })),
  visitors: z.number(),
});

export const DEFAULT_ACTIVE_SECONDS = 600;
const DAY_MS = 86_400_000;

export async function activeVisitors(ctx: StatsContext) {
  const since = new Date(ctx.now.getTime() - (ctx.filter.start ?? DEFAULT_ACTIVE_SECONDS) * 1000);
  // Clocks of other nodes may run a little ahead: a minute of slack after "now".
  const until = new Date(ctx.now.getTime() + 60_000);
  const scope = (from: Date): Scope => ({ ...ctx.scope(), from, to: until });
  const recent = scope(since);
  const pages = `SELECT path, ${ctx.filter.includeTitle ? 'title' : 'argMax(title, time) AS title_any'}, uniqExact(visitor_id) AS visitors
    FROM page_view WHERE ${where('page_view', recent, ctx)} GROUP BY path${ctx.filter.includeTitle ? ', title' : ''}
    ORDER BY visitors DESC, path ASC LIMIT ${recent.params.add(ctx.filter.limit, 'UInt32')}`;
  // Sessions started up to a day before the window can still be active; their latest state has the last activity time.
  const visits = () => scope(new Date(since.getTime() - DAY_MS));
  const live = (s: Scope) => `sign = 1 AND time >= ${s.params.add(since, 'DateTime64(3)')}`;
  const byCountry = visits();
  const countries = `SELECT country_code, uniqExactIf(visitor_id, ${live(byCountry)}) AS visitors FROM session
    WHERE ${where('session', byCountry, ctx)} GROUP BY country_code HAVING visitors > 0 ORDER BY visitors DESC, country_code ASC`;
  const all = visits();
  const totalSql = `SELECT uniqExactIf(visitor_id, ${live(all)}) AS visitors FROM session WHERE ${where('session', all, ctx)}`;
  const [pageRows, countryRows, [totalRow]] = await Promise.all([
    ctx.query(
      'active-pages',
      pages,
      recent,
      z.object({ path: z.string(), title: z.string().optional(), title_any: z.string().optional(), visitors: count }),
    ),
    ctx.query('active-countries', countries, byCountry, z.object({ country_code: z.string(), visitors: count })),
    ctx.query('active-visitors', totalSql, all, z.object({ visitors: count })),
  ]);
  const total = totalRow?.visitors ?? 0;
  return {
    stats: pageRows.map((r) => ({ path: r.path, title: r.title ?? r.title_any ?? '', visitors: r.visitors })),
    countries: countryRows.map((r) => ({ ...r, relative_visitors: ratio(r.visitors, total) })),
    visitors: total,
  };
}

function where(table: 'page_view' | 'session', scope: Scope, ctx: StatsContext): string {
  return [rangeCondition(table, scope), ...filterConditions(table, scope, ctx.filter)].join(' AND ');
}
