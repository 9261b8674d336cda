import type { AccountsContext } from '../context.ts';
import { requireSiteRole } from '../access/roles.ts';

/**
 * Why requests of a site were not counted lately (the `request` table keeps 30 days): filtered
 * addresses, paths and countries, bots, hostnames outside the shield. Shown beside the filter
 * settings, so an owner sees what each rule costs before widening or narrowing it.
 */
export type DroppedRequests = { days: number; reasons: { reason: string; count: number }[] };

export const DROPPED_DAYS = 30;

export async function droppedRequests(ctx: AccountsContext, userId: string, siteId: string): Promise<DroppedRequests> {
  await requireSiteRole(ctx.db, userId, siteId, 'viewer');
  if (!ctx.clickhouse) return { days: DROPPED_DAYS, reasons: [] };
  const result = await ctx.clickhouse.client.query({
    query: `SELECT reason, count() AS count FROM request
      WHERE site_id = {site:UInt64} AND time >= now() - INTERVAL {days:UInt32} DAY
      GROUP BY reason ORDER BY count DESC, reason`,
    query_params: { site: siteId, days: DROPPED_DAYS },
    format: 'JSONEachRow',
    clickhouse_settings: { log_comment: 'accounts:dropped-requests' },
  });
  const rows = await result.json<{ reason: string; count: string | number }>();
  return { days: DROPPED_DAYS, reasons: rows.map((r) => ({ reason: r.reason, count: Number(r.count) })) };
}
