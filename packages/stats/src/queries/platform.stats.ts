import { z } from 'zod';
import type { StatsContext } from '../context.ts';
import { whereFor } from '../sql/conditions.ts';
import { baseFor, ratio } from '../sql/metrics.ts';
import { count } from '../sql/run-query.ts';

/**
 * `GET /statistics/platform`: visitors by device class. Pirsch knows desktop, mobile and unknown;
 * Spur also tells tablets apart (`platform_tablet`), so the four shares add up to 1.
 */
export const platformSchema = z.object({
  platform_desktop: z.number(),
  platform_mobile: z.number(),
  platform_tablet: z.number(),
  platform_unknown: z.number(),
  relative_platform_desktop: z.number(),
  relative_platform_mobile: z.number(),
  relative_platform_tablet: z.number(),
  relative_platform_unknown: z.number(),
});

const row = z.object({ desktop: count, mobile: count, tablet: count, unknown: count });

export async function platformStats(ctx: StatsContext) {
  const scope = ctx.scope();
  const base = baseFor(ctx.filter);
  const live = base === 'session' ? 'sign = 1 AND ' : '';
  const visitors = (condition: string) => `uniqExactIf(visitor_id, ${live}${condition})`;
  const sql = `SELECT ${visitors("platform = 'desktop'")} AS desktop, ${visitors("platform = 'mobile'")} AS mobile,
      ${visitors("platform = 'tablet'")} AS tablet, ${visitors("platform NOT IN ('desktop', 'mobile', 'tablet')")} AS unknown
    FROM ${base} WHERE ${whereFor(base, scope, ctx.filter)}`;
  const [r = { desktop: 0, mobile: 0, tablet: 0, unknown: 0 }] = await ctx.query('platform', sql, scope, row);
  const all = r.desktop + r.mobile + r.tablet + r.unknown;
  return {
    platform_desktop: r.desktop,
    platform_mobile: r.mobile,
    platform_tablet: r.tablet,
    platform_unknown: r.unknown,
    relative_platform_desktop: ratio(r.desktop, all),
    relative_platform_mobile: ratio(r.mobile, all),
    relative_platform_tablet: ratio(r.tablet, all),
    relative_platform_unknown: ratio(r.unknown, all),
  };
}
